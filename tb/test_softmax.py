"""softmax: every row's probabilities equal golden.softmax for constants from drawn scales (with
and without an input shift), rows back to back under random idle and backpressure, including
all-equal, one-hot and extreme rows; an over-long row is processed as its first MAX_N scores."""

import cocotb
import numpy as np
from hypothesis import strategies as st

import golden
from golden import constants as C

from .axis import Streams
from .common import for_examples, parameters, start
from .test_exp import recip

MAX_N = parameters().get("MAX_N", 128)
i32 = st.integers(-(2**31), 2**31 - 1)


@st.composite
def row(draw):
    n = draw(st.integers(1, MAX_N))
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
    dut.x0_recip.value, dut.in_shift.value = recip(e.x0), c.in_shift


@cocotb.test()
async def softmax_matches_golden(dut):
    io = Streams(dut)
    await start(dut)

    async def check(case):
        scale, rows = case
        c = C.softmax_consts(scale)
        set_consts(dut, c)
        for r in rows:
            await io.send([v & 0xFFFFFFFF for v in r])
        for r in rows:
            assert await io.recv() == golden.softmax(np.array([r]), c)[0].tolist()
        assert dut.err_long.value == 0

    await for_examples(st.tuples(st.floats(1e-7, 3e-2), st.lists(row(), min_size=1, max_size=3)), check,
                       max_examples=60)


@cocotb.test()
async def softmax_over_long_row(dut):
    io = Streams(dut, seed=4)
    await start(dut)
    c = C.softmax_consts(1e-3)
    set_consts(dut, c)
    rng = np.random.default_rng(1)
    r = rng.integers(-5000, 5000, MAX_N + 5).tolist()
    await io.send([v & 0xFFFFFFFF for v in r])
    assert await io.recv() == golden.softmax(np.array([r[:MAX_N]]), c)[0].tolist()
    assert dut.err_long.value == 1
