"""mem_read_d: the walk over an edge-clipped result tile gives the row-major bank indices i*N2 + j
and marks the last one; with PAIR, two columns a step (even j, pair when j + 1 is in the row);
inactive after reset until the first load."""

import cocotb
from cocotb.triggers import ReadOnly, RisingEdge
from hypothesis import strategies as st

from .common import for_examples, parameters, start, stepped

P = parameters()


@cocotb.test()
async def mem_read_d_walk(dut):
    n1, n2, two = P.get("N1", 4), P.get("N2", 4), P.get("PAIR", 0)
    dut.step.value = 0
    dut.load.value = 0
    await start(dut)
    await ReadOnly()
    assert not dut.active.value, "active after reset, before any load"
    await RisingEdge(dut.clk)

    async def check(case):
        rows, cols = case
        dut.rows.value, dut.cols.value = rows, cols
        dut.load.value = 1
        await RisingEdge(dut.clk)
        dut.load.value = 0
        steps = rows * (-(-cols // 2) if two else cols)
        got = await stepped(dut, steps, lambda: (int(dut.index.value), int(dut.pair.value), int(dut.last.value),
                                                 int(dut.active.value)))
        await ReadOnly()
        assert not dut.active.value
        await RisingEdge(dut.clk)  # leave the read-only phase before the next example drives inputs
        step = 2 if two else 1
        want = [(i * n2 + j, int(two and j + 1 < cols), int(i == rows - 1 and j + step >= cols), 1)
                for i in range(rows) for j in range(0, cols, step)]
        assert got == want

    await for_examples(st.tuples(st.integers(1, n1), st.integers(1, n2)), check, max_examples=40)
