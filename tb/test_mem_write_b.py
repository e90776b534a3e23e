"""mem_write_b: under random steps and tile widths, the (bank, address, buffer) of every beat of B^T
equals the layout mm documents: column j of a tile in bank j, word buffer * KB_MAX + beat, buffers
alternating; tile_done pulses exactly with the last beat of every tile (its last column's last beat)."""

import cocotb
from cocotb.triggers import RisingEdge
from hypothesis import strategies as st

from .common import for_examples, monitor, parameters, start, stepped

P = parameters()


def model_write_b(kb, cols_per_tile, kb_max):
    out = []
    for t, cols in enumerate(cols_per_tile):
        out += [(j, (t % 2) * kb_max + b, t % 2) for j in range(cols) for b in range(kb)]
    return out


def model_tile_done(kb, cols_per_tile, kb_max):
    """(bank, address) of the beat that carries each tile's tile_done pulse."""
    return [(cols - 1, (t % 2) * kb_max + kb - 1) for t, cols in enumerate(cols_per_tile)]


@cocotb.test()
async def mem_write_b_layout(dut):
    n2, kb_max = P.get("N2", 4), P.get("KB_MAX", 16)
    dut.step.value = 0
    dut.start.value = 0
    await start(dut)
    done = []
    monitor(dut, dut.tile_done, lambda: (int(dut.bank.value), int(dut.addr.value)), done)

    async def check(case):
        kb, tiles = case
        dut.kb.value = kb
        dut.start.value = 1
        await RisingEdge(dut.clk)
        dut.start.value = 0
        got = []
        done.clear()
        for cols in tiles:
            dut.cols.value = cols
            seen = await stepped(dut, cols * kb, lambda: (int(dut.bank.value), int(dut.addr.value),
                                                          int(dut.buffer.value)))
            got += seen
        assert got == model_write_b(kb, tiles, kb_max)
        assert done == model_tile_done(kb, tiles, kb_max)

    tiles = st.lists(st.integers(1, n2), min_size=1, max_size=4)
    await for_examples(st.tuples(st.integers(1, min(6, kb_max)), tiles), check, max_examples=40)
