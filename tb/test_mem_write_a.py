"""mem_write_a: under random steps, the (bank, address) of every beat of A equals the layout mm
documents: row r in bank r mod N1, word (r div N1) * KB + beat (a Python model of it)."""

import cocotb
from cocotb.triggers import RisingEdge
from hypothesis import strategies as st

from .common import for_examples, parameters, start, stepped

P = parameters()


def model_write_a(kb, n1, steps):
    return [((s // kb) % n1, (s // (kb * n1)) * kb + s % kb) for s in range(steps)]


@cocotb.test()
async def mem_write_a_layout(dut):
    n1 = P.get("N1", 4)
    dut.step.value = 0
    dut.start.value = 0
    await start(dut)

    async def check(case):
        kb, rows = case
        dut.kb.value = kb
        dut.start.value = 1
        await RisingEdge(dut.clk)
        dut.start.value = 0
        got = await stepped(dut, rows * kb, lambda: (int(dut.bank.value), int(dut.addr.value)))
        assert got == model_write_a(kb, n1, rows * kb)

    await for_examples(st.tuples(st.integers(1, 6), st.integers(1, 3 * n1 + 1)), check, max_examples=40)
