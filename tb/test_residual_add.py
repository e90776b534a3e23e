"""residual_add: every output equals golden.residual_add of its beat's (q, bias, m, e, r, m_r,
e_r), with constants that differ on every beat (per-channel use), directed sums at and either side
of the saturation bounds and the rounding half-points of both terms, under drawn stall patterns.
With R_W < 32 the residual is drawn in R_W bits and the edges include its own extremes."""

import cocotb
import numpy as np
from hypothesis import strategies as st

import golden
from golden.layout import pack_residual_add, to_signed

from .axis import Streams
from .common import for_examples, parameters, start

OUT_W = parameters().get("OUT_W", 22)
R_W = parameters().get("R_W", 32)
R_MIN, R_MAX = -(2 ** (R_W - 1)), 2 ** (R_W - 1) - 1
i32 = st.integers(-(2**31), 2**31 - 1)
r_full = st.integers(R_MIN, R_MAX)
m32 = st.integers(-(2**31) + 1, 2**31 - 1)
e6 = st.integers(0, 63)
i8 = st.integers(-128, 127)
# full ranges, and the ranges an encoder layer uses (int8 residual, shifts that keep the terms small)
beat = st.one_of(st.tuples(i32, i32, m32, e6, r_full, m32, e6),
                 st.tuples(i32, st.integers(-(2**20), 2**20), m32, st.integers(30, 50), i8, m32, st.integers(20, 40)))


def expected(beats) -> list[int]:
    return [int(golden.residual_add(np.array([q]), m, e, bias, np.array([r]), m_r, e_r, OUT_W)[0])
            for q, bias, m, e, r, m_r, e_r in beats]


def edge_beats() -> list[tuple[int, ...]]:
    """Sums at the output bounds and one either side (main term alone, residual term alone, and
    the two cancelling), and each term at its rounding half-points for several shifts."""
    top, bot = 2 ** (OUT_W - 1) - 1, -(2 ** (OUT_W - 1))
    ident = (2**30, 30)  # m / 2**e = 1
    out = []
    for s in (top - 1, top, top + 1, bot - 1, bot, bot + 1):
        out += [(s, 0, *ident, 0, 1, 0), (0, 0, *ident, s, 1, 0), (s + 100, 0, *ident, -100, 1, 0),
                (0, 0, *ident, 1, s, 0)]  # the residual term alone, through m_r
    for e in (1, 2, 7, 20, 31):
        for t in (0, 1, -1, -2, 3):
            half = t * 2**e + 2 ** (e - 1)
            for d in (-1, 0, 1):
                if -(2**31) <= half + d < 2**31:
                    out += [(half + d, 0, 1, e, 0, 1, 0), (0, 0, 1, 0, half + d, 1, e),
                            (0, 0, 1, 0, 1, half + d, e)]
    big = 2**31 - 1
    out += [(big, big, big, 0, big, big, 0), (-(2**31), -(2**31), big, 0, -(2**31), -big, 0),
            (big, big, big, 0, -(2**31), big, 0)]  # terms of 2**63 and -2**62 that nearly cancel
    out += [(0, 0, 1, 0, r, m_r, 0) for r in (R_MIN, R_MAX) for m_r in (big, -big)]  # r's extremes
    return [b for b in out if R_MIN <= b[4] <= R_MAX]  # residuals wider than R_W are not inputs


@cocotb.test()
async def residual_add_matches_golden(dut):
    """Every beat its own random constants: a constant applied one beat late is caught."""
    io = Streams(dut, cycles_per_beat=2)
    await start(dut)

    async def check(beats):
        await io.send([pack_residual_add(*b) for b in beats])
        assert [to_signed(v, OUT_W) for v in await io.recv()] == expected(beats)

    await for_examples(st.lists(beat, min_size=1, max_size=24), check, streams=io)


@cocotb.test()
async def residual_add_saturation_and_rounding_edges(dut):
    io = Streams(dut, cycles_per_beat=2)
    await start(dut)
    beats = edge_beats()

    async def check(_):
        await io.send([pack_residual_add(*b) for b in beats])
        assert [to_signed(v, OUT_W) for v in await io.recv()] == expected(beats)

    await for_examples(st.just(None), check, max_examples=6, streams=io)
