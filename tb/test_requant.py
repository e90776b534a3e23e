"""requant: every output equals golden.requant of its beat's (q, bias, m, e), with constants that
differ on every beat (per-channel use), directed sums at and either side of the saturation bounds
and of the rounding half-points for every shift, under drawn stall patterns."""

import cocotb
import numpy as np
from hypothesis import strategies as st

import golden
from golden.layout import pack_requant, to_signed

from .axis import Streams
from .common import for_examples, parameters, start

OUT_W = parameters().get("OUT_W", 8)
i32 = st.integers(-(2**31), 2**31 - 1)
m32 = st.integers(-(2**31) + 1, 2**31 - 1)
beat = st.tuples(i32, i32, m32, st.integers(0, 63))
# per-channel use: one (bias, m, e) per channel, q cycling over channels
per_channel = st.integers(1, 6).flatmap(
    lambda c: st.tuples(st.lists(st.tuples(i32, m32, st.integers(0, 63)), min_size=c, max_size=c),
                        st.lists(i32, min_size=c, max_size=4 * c)))


def expected(beats) -> list[int]:
    return [int(golden.requant(np.array([q]), m, e, bias, OUT_W)[0]) for q, bias, m, e in beats]


def edge_beats() -> list[tuple[int, int, int, int]]:
    """(q, bias, m, e) at the saturation bounds and the rounding half-points.

    m = 2**30, e = 30 is the identity scale: sums at OUT_MAX and OUT_MIN and one either side.
    m = 1 with shift e: sums at t * 2**e + 2**(e-1) (exactly half: rounds up) and one either side,
    for positive and negative t, where floor and round half up differ."""
    top, bot = 2 ** (OUT_W - 1) - 1, -(2 ** (OUT_W - 1))
    out = []
    for s in (top - 1, top, top + 1, bot - 1, bot, bot + 1):
        if -(2**31) + 5 <= s < 2**31:
            out += [(s, 0, 2**30, 30), (s - 5, 5, 2**30, 30)]  # the bias path too
    for e in (1, 2, 7, 20, 31):
        for t in (0, 1, -1, -2, 3):
            half = t * 2**e + 2 ** (e - 1)
            out += [(half + d, 0, 1, e) for d in (-1, 0, 1) if -(2**31) <= half + d < 2**31]
    out += [(2**31 - 1, 2**31 - 1, 2**31 - 1, 0), (-(2**31), -(2**31), 2**31 - 1, 0),
            (-(2**31), -(2**31), -(2**31) + 1, 63), (2**31 - 1, 2**31 - 1, 2**31 - 1, 63)]
    return out


@cocotb.test()
async def requant_matches_golden(dut):
    """Every beat its own random constants: a constant applied one beat late is caught."""
    io = Streams(dut, cycles_per_beat=2)
    await start(dut)

    async def check(beats):
        await io.send([pack_requant(*b) for b in beats])
        assert [to_signed(v, OUT_W) for v in await io.recv()] == expected(beats)

    await for_examples(st.lists(beat, min_size=1, max_size=24), check, streams=io)


@cocotb.test()
async def requant_saturation_and_rounding_edges(dut):
    io = Streams(dut, cycles_per_beat=2)
    await start(dut)
    beats = edge_beats()

    async def check(_):
        await io.send([pack_requant(*b) for b in beats])
        assert [to_signed(v, OUT_W) for v in await io.recv()] == expected(beats)

    await for_examples(st.just(None), check, max_examples=8, streams=io)


@cocotb.test()
async def requant_per_channel_matches_golden(dut):
    io = Streams(dut, cycles_per_beat=2)
    await start(dut)

    async def check(case):
        consts, qs = case
        c = len(consts)
        rows = max(1, len(qs) // c)
        qs = (qs * c)[: rows * c]
        q = np.array(qs).reshape(rows, c)
        bias, m, e = (np.array([k[i] for k in consts]) for i in range(3))
        await io.send([pack_requant(int(q[r, j]), int(bias[j]), int(m[j]), int(e[j]))
                       for r in range(rows) for j in range(c)])
        got = [to_signed(v, OUT_W) for v in await io.recv()]
        assert got == golden.requant(q, m, e, bias, OUT_W).reshape(-1).tolist()

    await for_examples(per_channel, check, max_examples=60, streams=io)
