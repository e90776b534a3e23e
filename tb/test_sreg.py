"""sreg: the output is the input DEPTH enabled cycles earlier, and holds while ce is low (a delay
line has no golden counterpart); reset clears every stage."""

import cocotb
from cocotb.triggers import ReadOnly, RisingEdge, Timer
from hypothesis import strategies as st

from .common import for_examples, parameters, start

P = parameters()
W, DEPTH = P.get("W", 1), P.get("DEPTH", 1)
value = st.integers(0, 2**W - 1)


@cocotb.test()
async def sreg_delays_by_depth(dut):
    dut.d.value = 0
    dut.ce.value = 1
    await start(dut)

    async def check(case):
        # each step: (value, ce); with ce low the value offered is ignored and q holds
        steps = case + [(0, 1)] * (DEPTH + 1)
        fed = [0] * DEPTH  # what the stages hold: the bench flushed them with zeros
        for v, ce in steps:
            dut.d.value, dut.ce.value = v, ce
            await ReadOnly()
            assert int(dut.q.value) == (fed[-DEPTH] if DEPTH else v), (steps, fed)
            await RisingEdge(dut.clk)
            await Timer(1, unit="ns")
            if ce:
                fed.append(v)

    await for_examples(st.lists(st.tuples(value, st.sampled_from([1, 1, 1, 0])), min_size=1, max_size=40), check)


@cocotb.test()
async def sreg_reset_clears(dut):
    dut.d.value = 2**W - 1
    dut.ce.value = 1
    await start(dut)
    for _ in range(DEPTH + 1):
        await RisingEdge(dut.clk)
    dut.rst.value = 1
    await RisingEdge(dut.clk)
    dut.rst.value = 0
    dut.d.value = 0
    await ReadOnly()
    assert int(dut.q.value) == 0
