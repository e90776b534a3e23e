"""tile_walk: the (row, column) it reports for each step, over a whole operation, is exactly the
order golden.layout.matmul_order gives the engine's values (row tiles of TR rows, column tiles of
N2, blocks of N1 rows), with tile_last / op_last on the last value of each tile and of the
operation and active falling after it; operations of different shapes back to back."""

import cocotb
import numpy as np
from cocotb.triggers import ReadOnly, RisingEdge
from hypothesis import strategies as st

from golden.layout import matmul_order

from .common import for_examples, parameters, start

P = parameters()
N1, N2, TR = P.get("N1", 4), P.get("N2", 4), P.get("TR", P.get("N1", 4))
MAX_M, MAX_N = 2 ** P.get("M_W", 8) - 1, 2 ** P.get("N_W", 11) - 1


def expected(m: int, n: int) -> list[tuple[int, int, bool, bool]]:
    """(row within its tile, column, tile_last, op_last) per value, from golden's output order."""
    index = np.arange(m * n).reshape(m, n)
    order = matmul_order(index, N1, N2, TR)
    out = []
    for i, v in enumerate(order):
        row, col = divmod(v, n)
        nxt = order[i + 1] // n if i + 1 < len(order) else None
        tile_last = nxt is None or nxt // TR != row // TR
        out.append((row % TR, col, tile_last, nxt is None))
    return out


async def walk(dut, m: int, n: int, steps: list[bool]) -> list[tuple[int, int, bool, bool]]:
    """Start an operation and step it by the pattern ``steps`` (repeated): the walker must hold
    while step is low. Returns what it reported at each step."""
    dut.m.value, dut.n.value = m, n
    dut.start.value = 1
    await RisingEdge(dut.clk)
    dut.start.value = 0
    seen = []
    for c in range(m * n * len(steps) + 2):  # bounded: at least one step per pattern period
        dut.step.value = int(steps[c % len(steps)])
        await ReadOnly()
        done = not dut.active.value
        if not done and steps[c % len(steps)]:
            seen.append((int(dut.row.value), int(dut.col.value), bool(dut.tile_last.value), bool(dut.op_last.value)))
        await RisingEdge(dut.clk)
        if done:
            break
    dut.step.value = 0
    return seen


@cocotb.test()
async def tile_walk_follows_the_engine_order(dut):
    dut.start.value = dut.step.value = 0
    dut.m.value = dut.n.value = 1
    await start(dut)
    shape = st.tuples(st.integers(1, min(MAX_M, 3 * TR + 2)), st.integers(1, min(MAX_N, 3 * N2 + 2)))
    steps = st.lists(st.booleans(), min_size=1, max_size=5).map(lambda s: s + [True])

    async def check(case):
        shapes, pattern = case
        for m, n in shapes:
            assert await walk(dut, m, n, pattern) == expected(m, n), (m, n, pattern)

    await for_examples(st.tuples(st.lists(shape, min_size=1, max_size=3), steps), check, max_examples=40)
