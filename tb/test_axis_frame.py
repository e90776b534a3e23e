"""axis_frame: one host packet split into what the engine and the epilogue take, per row tile: the
tile's A rows (to the engine, tlast on the section's last beat), its R rows (OP_MM_LN's residual,
to res_* with their row and beat), then the B rows (each row's ``side`` constant beats to side_*
with their row and beat, then its engine beats). The model below is the header's contract and
golden.layout.packet's order read backwards; a packet built by golden.layout.packet frames back
into the pieces it was built from.

Drawn with hypothesis: the dimensions, the packet's length (exact, short by some beats: the rest
comes out as zeros and err_short pulses; long: the excess is dropped and err_long pulses), and the
stall patterns of the source and the engine, and when res_go (the epilogue's r_free) lets each R
section begin. Directed: an R section's first beat waits for res_go, and only that beat; cancel in
the middle of a packet drains it to its tlast, and the framer takes the next packet as if nothing
had happened."""

import cocotb
import numpy as np
from cocotb.triggers import ReadOnly, RisingEdge
from hypothesis import strategies as st

from golden.layout import packet, weight_beats

from .axis import Streams
from .common import for_examples, monitor, parameters, start, wait_until

P = parameters()
ROWS_W, KB_W, SIDE_MAX = P.get("ROWS_W", 11), P.get("KB_W", 8), P.get("SIDE_MAX", 5)


def packet_length(rows_a: int, tile_rows: int, rows_b: int, kb: int, side: int, rb: int) -> int:
    """Beats of a whole packet: per tile, its A and R rows, then every B row with its constants."""
    return sum(min(tile_rows, rows_a - r0) * (kb + rb) + rows_b * (side + kb) for r0 in range(0, rows_a, tile_rows))


def frame(beats: list[int], rows_a: int, tile_rows: int, rows_b: int, kb: int, side: int, rb: int):
    """What the framer makes of ``beats``: (engine sections, each a list of beats; side beats as
    (data, row, beat); residual beats as (data, row, beat); short; long)."""
    need = packet_length(rows_a, tile_rows, rows_b, kb, side, rb)
    data = list(beats[:need]) + [0] * max(0, need - len(beats))
    engine, sides, res = [], [], []
    pos = 0
    for r0 in range(0, rows_a, tile_rows):
        ra = min(tile_rows, rows_a - r0)
        engine.append(data[pos:pos + ra * kb])
        pos += ra * kb
        for r in range(ra):
            res += [(data[pos + b], r, b) for b in range(rb)]
            pos += rb
        section = []
        for r in range(rows_b):
            sides += [(data[pos + b], r, b) for b in range(side)]
            pos += side
            section += data[pos:pos + kb]
            pos += kb
        engine.append(section)
    return engine, sides, res, len(beats) < need, len(beats) > need


def dims():
    """rows_a, tile_rows, rows_b, kb, side, rb: beats per row up to what kb and rb can hold (and
    mostly short, to keep the packets small)."""
    beats = st.integers(1, 3) | st.integers(1, (1 << KB_W) - 1)
    return st.tuples(st.integers(1, 7), st.integers(1, 4), st.integers(1, 4), beats,
                     st.integers(0, SIDE_MAX), st.integers(0, 2) | st.integers(0, (1 << KB_W) - 1))


class TB:
    def __init__(self, dut):
        self.dut = dut
        self.io = Streams(dut)
        self.sides, self.res, self.shorts, self.longs = [], [], [], []
        monitor(dut, dut.side_valid, lambda: (int(dut.side_data.value), int(dut.side_row.value),
                                              int(dut.side_beat.value)), self.sides)
        monitor(dut, dut.res_valid, lambda: (int(dut.side_data.value), int(dut.res_row.value),
                                             int(dut.res_beat.value)), self.res)
        monitor(dut, dut.err_short, lambda: 1, self.shorts)
        monitor(dut, dut.err_long, lambda: 1, self.longs)
        for name in ("start", "cancel", "rows_a", "tile_rows", "rows_b", "kb", "side", "rb"):
            getattr(dut, name).value = 0
        dut.res_go.value = 1
        self.res_go_gaps: list[int] = []  # res_go low this many cycles after each R section begins
        cocotb.start_soon(self._res_go())

    async def _res_go(self) -> None:
        """res_go as the epilogue's r_free drives it: low once an R section's first beat is taken,
        high again after the next drawn gap."""
        dut, gap, first = self.dut, 0, False
        while True:
            await RisingEdge(dut.clk)
            if first and self.res_go_gaps:  # the section's first beat was taken at this edge
                gap = self.res_go_gaps.pop(0)
                dut.res_go.value = int(gap == 0)
            elif gap:
                gap -= 1
                dut.res_go.value = int(gap == 0)
            await ReadOnly()
            first = dut.res_valid.value and int(dut.res_row.value) == 0 and int(dut.res_beat.value) == 0

    async def begin(self, rows_a, tile_rows, rows_b, kb, side, rb) -> None:
        dut = self.dut
        for name, v in (("rows_a", rows_a), ("tile_rows", tile_rows), ("rows_b", rows_b), ("kb", kb),
                        ("side", side), ("rb", rb)):
            getattr(dut, name).value = v
        dut.start.value = 1
        await RisingEdge(dut.clk)
        dut.start.value = 0

    def clear(self) -> None:
        for seen in (self.sides, self.res, self.shorts, self.longs):
            seen.clear()


@cocotb.test()
async def packets_frame_into_their_sections(dut):
    tb = TB(dut)
    await start(dut)

    async def check(example):
        (rows_a, tile_rows, rows_b, kb, side, rb), (length_change, seed), gaps = example
        tb.res_go_gaps = list(gaps)
        rng = np.random.default_rng(seed)
        need = packet_length(rows_a, tile_rows, rows_b, kb, side, rb)
        beats = [int(v) for v in rng.integers(0, 2**63, max(1, need + length_change), dtype=np.int64)]
        want_engine, want_sides, want_res, short, long = frame(beats, rows_a, tile_rows, rows_b, kb, side, rb)
        tb.clear()
        await tb.begin(rows_a, tile_rows, rows_b, kb, side, rb)
        await tb.io.send(beats)
        got = [await tb.io.recv(out_beats=len(s)) for s in want_engine]
        await wait_until(dut, tb.io.source.idle, 64 + 8 * len(beats) + sum(gaps), "the source to have sent the packet")
        await wait_until(dut, lambda: not dut.busy.value, 64 + 8 * abs(length_change), "the framer to go idle")
        await RisingEdge(dut.clk)
        assert got == want_engine, "engine sections"
        assert tb.sides == want_sides, "side beats"
        assert tb.res == want_res, "residual beats"
        assert (len(tb.shorts), len(tb.longs)) == (int(short), int(long)), "length errors"

    await for_examples(st.tuples(dims(), st.tuples(st.sampled_from([0, 0, 0, -1, -5, 1, 6]), st.integers(0, 2**16)),
                                 st.lists(st.integers(0, 12), max_size=8)),
                       check, streams=tb.io)


@cocotb.test()
async def an_r_section_begins_only_on_res_go(dut):
    """With res_go low the framer stops at an R section's first beat (nothing reaches res_*, the
    source is held); once it rises the section and the rest of the tile go through, the section's
    later beats not waiting on res_go."""
    tb = TB(dut)
    await start(dut)
    tb.res_go_gaps = []
    dut.res_go.value = 0
    beats = list(range(1, 1 + 2 * 3 + 2 * 2 + 2 * 3))  # one tile: 2 A rows of 3 beats, 2 R rows of 2, 2 B rows of 3
    await tb.begin(2, 2, 2, 3, 0, 2)
    await tb.io.send(beats)
    assert await tb.io.recv() == beats[:6]  # the A section
    for _ in range(20):
        await RisingEdge(dut.clk)
        await ReadOnly()
        assert not dut.res_valid.value and not dut.s_axis_tready.value, "an R beat taken while res_go is low"
    await RisingEdge(dut.clk)
    dut.res_go.value = 1
    await RisingEdge(dut.clk)
    dut.res_go.value = 0  # the section goes on: only its first beat waits
    assert await tb.io.recv() == beats[10:]
    await wait_until(dut, lambda: not dut.busy.value, 64, "the framer to go idle")
    assert [(d, r, b) for d, r, b in tb.res] == [(7, 0, 0), (8, 0, 1), (9, 1, 0), (10, 1, 1)]
    dut.res_go.value = 1


@cocotb.test()
async def a_layout_packet_frames_back_into_its_pieces(dut):
    """golden.layout.packet of x, weights with 2 constant beats a channel and residual rows: the
    engine gets x's tiles and W's rows, side_* the constants, res_* the residual rows."""
    tb = TB(dut)
    await start(dut)
    rng = np.random.default_rng(7)
    x = rng.integers(-128, 128, (5, 12), dtype=np.int8)
    w = rng.integers(-128, 128, (12, 3), dtype=np.int8)
    r = rng.integers(-128, 128, (5, 3), dtype=np.int8)
    consts = [[100 + c, 200 + c] for c in range(3)]
    beats = [int(v) for v in packet(x, weight_beats(w, consts), 2, r)]
    await tb.begin(5, 2, 3, 2, 2, 1)
    await tb.io.send(beats)
    got = [await tb.io.recv() for _ in range(6)]
    await wait_until(dut, lambda: not dut.busy.value, 64, "the framer to go idle")
    def as_beats(rows):  # int8 rows padded to whole beats (golden.layout's row layout)
        return np.ascontiguousarray(np.pad(rows, ((0, 0), (0, -rows.shape[1] % 8)))).view(np.uint64)

    xb, wb = as_beats(x), as_beats(w.T)
    assert got[0::2] == [xb[0:2].reshape(-1).tolist(), xb[2:4].reshape(-1).tolist(), xb[4:5].reshape(-1).tolist()]
    assert all(section == wb.reshape(-1).tolist() for section in got[1::2])
    assert [(d, row, beat) for d, row, beat in tb.sides[:6]] == [(100, 0, 0), (200, 0, 1), (101, 1, 0), (201, 1, 1),
                                                                (102, 2, 0), (202, 2, 1)]
    rb = as_beats(r)[:, 0].tolist()
    assert [d for d, _, _ in tb.res] == rb and [row for _, row, _ in tb.res] == [0, 1, 0, 1, 0]
    assert not tb.shorts and not tb.longs


@cocotb.test()
async def cancel_drains_a_begun_packet_and_the_next_one_frames(dut):
    tb = TB(dut)
    await start(dut)
    beats = list(range(1, 1 + 2 * 2 + 2 * 2))  # rows_a 2, tile 2, rows_b 2, kb 2
    await tb.begin(2, 2, 2, 2, 0, 0)
    await tb.io.send(beats)
    await tb.io.recv()  # the A section
    dut.cancel.value = 1
    await RisingEdge(dut.clk)
    dut.cancel.value = 0
    # the rest of the packet is taken (drained), not left in the DMA
    await wait_until(dut, tb.io.source.idle, 64, "the source to have sent the rest")
    await wait_until(dut, lambda: not dut.busy.value, 64, "the framer to drain to tlast")
    tb.io.abandon()
    await tb.begin(2, 2, 2, 2, 0, 0)
    await tb.io.send(beats)
    first, second = await tb.io.recv(), await tb.io.recv()
    # the beat the engine took in the cycle the cancel arrived stays in the bench's sink (in the top
    # the abort resets the engine too); nothing else of the cancelled packet reaches the engine
    leftover = first[:-4]
    assert first[-4:] == beats[:4] and second == beats[4:]
    assert len(leftover) <= 1 and leftover == beats[4:4 + len(leftover)], leftover
    # a cancel before any beat of the packet: back to idle at once, nothing drained
    await tb.begin(2, 2, 2, 2, 0, 0)
    dut.cancel.value = 1
    await RisingEdge(dut.clk)
    dut.cancel.value = 0
    await RisingEdge(dut.clk)
    assert not dut.busy.value
