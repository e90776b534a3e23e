"""Address generators mem_write_A, mem_write_B, mem_read_D: the (bank, address) or index sequence
under random steps equals the layout mm documents (a Python model of it)."""

import cocotb
from cocotb.triggers import ReadOnly, RisingEdge
from hypothesis import strategies as st

from .common import for_examples, parameters, start

P = parameters()


def model_write_a(kb, n1, steps):
    return [((s // kb) % n1, (s // (kb * n1)) * kb + s % kb) for s in range(steps)]


def model_write_b(kb, cols_per_tile, kb_max):
    out = []
    for t, cols in enumerate(cols_per_tile):
        out += [(j, (t % 2) * kb_max + b) for j in range(cols) for b in range(kb)]
    return out


async def stepped(dut, count, sample, gap_every=3):
    """Raise `step` `count` times (with idle cycles between some), sampling before each step."""
    seen = []
    for s in range(count):
        await ReadOnly()
        seen.append(sample())
        await RisingEdge(dut.clk)
        dut.step.value = 1
        await RisingEdge(dut.clk)
        dut.step.value = 0
        if s % gap_every == 0:
            await RisingEdge(dut.clk)
    return seen


@cocotb.test(skip=P.get("TOP") != "mem_write_A")
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


@cocotb.test(skip=P.get("TOP") != "mem_write_B")
async def mem_write_b_layout(dut):
    n2, kb_max = P.get("N2", 4), P.get("KB_MAX", 16)
    dut.step.value = 0
    dut.start.value = 0
    await start(dut)

    async def check(case):
        kb, tiles = case
        dut.kb.value = kb
        dut.start.value = 1
        await RisingEdge(dut.clk)
        dut.start.value = 0
        got = []
        for cols in tiles:
            dut.cols.value = cols
            seen = await stepped(dut, cols * kb, lambda: (int(dut.bank.value), int(dut.addr.value)))
            got += seen
        assert got == model_write_b(kb, tiles, kb_max)

    tiles = st.lists(st.integers(1, n2), min_size=1, max_size=4)
    await for_examples(st.tuples(st.integers(1, min(6, kb_max)), tiles), check, max_examples=40)


@cocotb.test(skip=P.get("TOP") != "mem_read_D")
async def mem_read_d_walk(dut):
    n1, n2 = P.get("N1", 4), P.get("N2", 4)
    dut.step.value = 0
    dut.load.value = 0
    await start(dut)

    async def check(case):
        rows, cols = case
        dut.rows.value, dut.cols.value = rows, cols
        dut.load.value = 1
        await RisingEdge(dut.clk)
        dut.load.value = 0
        got = await stepped(dut, rows * cols, lambda: (int(dut.index.value), int(dut.last.value)))
        await ReadOnly()
        assert not dut.active.value
        await RisingEdge(dut.clk)  # leave the read-only phase before the next example drives inputs
        want = [(i * n2 + j, int(i == rows - 1 and j == cols - 1)) for i in range(rows) for j in range(cols)]
        assert got == want

    await for_examples(st.tuples(st.integers(1, n1), st.integers(1, n2)), check, max_examples=40)
