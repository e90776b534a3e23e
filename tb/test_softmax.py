"""softmax: every row's probabilities equal golden.softmax for constants from drawn scales (with
and without an input shift), rows of length 1, MAX_N and in between back to back under drawn stall
patterns, including all-equal, one-hot and extreme rows and rows whose scores sit on the input
shift's rounding half-points; an over-long row is processed as its first MAX_N scores and sets
err_long, which stays set while the next rows come out right."""

import cocotb
import numpy as np
from hypothesis import strategies as st

import golden
from golden import constants as C
from golden.layout import exp_recip

from .axis import Streams
from .common import for_examples, parameters, start
from .stalls import DIRECTED_STALLS

MAX_N = parameters().get("MAX_N", 128)
i32 = st.integers(-(2**31), 2**31 - 1)


@st.composite
def row(draw):
    n = draw(st.sampled_from([1, MAX_N]) | st.integers(1, MAX_N))
    kind = draw(st.sampled_from(["random", "equal", "one_hot", "extreme", "narrow"]))
    if kind == "equal":
        return [draw(i32)] * n
    if kind == "one_hot":
        r = [-(2**31)] * n
        r[draw(st.integers(0, n - 1))] = 2**31 - 1
        return r
    if kind == "extreme":
        return draw(st.lists(st.sampled_from([-(2**31), 2**31 - 1, 0]), min_size=n, max_size=n))
    if kind == "narrow":
        base = draw(st.integers(-(2**30), 2**30))
        return [base + v for v in draw(st.lists(st.integers(-20000, 20000), min_size=n, max_size=n))]
    return draw(st.lists(i32, min_size=n, max_size=n))


def set_consts(dut, c):
    e = c.exp
    dut.x0.value, dut.qb.value, dut.qc.value = e.x0, e.qb, e.qc
    dut.x0_recip.value, dut.in_shift.value = exp_recip(e.x0), c.in_shift


def expected(rows, c) -> list[list[int]]:
    return [golden.softmax(np.array([r]), c)[0].tolist() for r in rows]


@cocotb.test()
async def softmax_matches_golden(dut):
    io = Streams(dut, cycles_per_beat=4, cycles_per_packet=200)
    await start(dut)

    async def check(case):
        scale, rows = case
        c = C.softmax_consts(scale)
        set_consts(dut, c)
        assert await io.exchange([[v & 0xFFFFFFFF for v in r] for r in rows]) == expected(rows, c)
        assert dut.err_long.value == 0

    await for_examples(st.tuples(st.floats(1e-7, 3e-2), st.lists(row(), min_size=1, max_size=3)), check,
                       max_examples=60, streams=io)


def shift_consts(s: int):
    """Softmax constants whose input shift is exactly s."""
    c = C.softmax_consts(C.EXP_MIN_SCALE / 2**s * 1.0001)
    assert c.in_shift == s, (c.in_shift, s)
    return c


def discriminating_half_points(c, s: int, count: int = 60000) -> np.ndarray:
    """Offsets x = -(2j + 1) * 2**(s - 1) below the row maximum (the input shift's rounding
    half-points) at which round half up and floor of x / 2**s give different probabilities.

    Floor at a half-point equals round half up one score lower, so golden itself finds them: the
    row [0, x] and the row [0, x - 1] must differ. Moving every score together cancels in the
    probabilities (a 1-LSB step moves a 7-bit output by about 0.005 LSB), so random half-point rows
    almost never show the difference; a lone half-point beside the maximum does, at about 0.2% of x."""
    x = -(2 * np.arange(count, dtype=np.int64) + 1) * 2 ** (s - 1)
    rows = np.stack([np.zeros_like(x), x], 1)
    lower = rows.copy()
    lower[:, 1] -= 1
    return x[(golden.softmax(rows, c) != golden.softmax(lower, c)).any(1)]


@st.composite
def half_points(draw):
    """A scale with input shift s >= 1 and a row of its maximum, one score at a half-point where
    floor and round half up give different probabilities, and scores far below (exp 0)."""
    s = draw(st.integers(1, 10))
    c = shift_consts(s)
    x = draw(st.sampled_from(discriminating_half_points(c, s).tolist()))
    top = draw(st.integers(-(2**30), 2**30))
    tail = draw(st.integers(0, min(MAX_N, 8) - 2))
    row = [top, top + x] + [-(2**31)] * tail
    return c, draw(st.permutations(row))


@cocotb.test()
async def softmax_input_shift_rounds_half_up(dut):
    io = Streams(dut, cycles_per_beat=4, cycles_per_packet=200)
    await start(dut)

    async def check(case):
        c, r = case
        set_consts(dut, c)
        assert await io.exchange([[v & 0xFFFFFFFF for v in r]]) == expected([r], c)

    await for_examples(half_points(), check, max_examples=40, streams=io)


@cocotb.test()
async def softmax_over_long_row(dut):
    io = Streams(dut, cycles_per_beat=4, cycles_per_packet=200)
    await start(dut)
    io.set_stalls(*DIRECTED_STALLS)
    c = C.softmax_consts(1e-3)
    set_consts(dut, c)
    rng = np.random.default_rng(1)
    r = rng.integers(-5000, 5000, MAX_N + 5).tolist()
    nxt = [rng.integers(-5000, 5000, n).tolist() for n in (1, MAX_N)]
    assert dut.err_long.value == 0
    for row_ in [r, *nxt]:
        await io.send([v & 0xFFFFFFFF for v in row_])
    assert await io.recv() == expected([r[:MAX_N]], c)[0]
    assert dut.err_long.value == 1
    for row_ in nxt:
        assert await io.recv() == expected([row_], c)[0]
    assert dut.err_long.value == 1, "err_long is sticky until reset"
