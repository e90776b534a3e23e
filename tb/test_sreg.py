"""sreg: the output is the input DEPTH cycles earlier (a delay line has no golden counterpart)."""

import cocotb
from cocotb.triggers import ReadOnly, RisingEdge
from hypothesis import strategies as st

from .common import for_examples, parameters, start

P = parameters()
W, DEPTH = P.get("W", 1), P.get("DEPTH", 1)


@cocotb.test()
async def sreg_delays_by_depth(dut):
    dut.d.value = 0
    await start(dut)

    async def check(values):
        seen = []
        for v in values + [0] * (DEPTH + 1):
            dut.d.value = v
            await ReadOnly()
            seen.append(int(dut.q.value))
            await RisingEdge(dut.clk)
        # q at step t is d at step t - DEPTH (the first DEPTH outputs are earlier data)
        assert seen[DEPTH:DEPTH + len(values)] == values

    await for_examples(st.lists(st.integers(0, 2**W - 1), min_size=1, max_size=40), check)
