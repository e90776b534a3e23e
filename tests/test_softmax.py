import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import golden
from golden import constants as C
from golden.softmax import softmax_exp_shift
from golden.widths import SOFTMAX_OUT_BITS

from . import pyref
from .strategies import arrays, softmax_consts
from .test_exp import EXP_MAX_ABS_ERR

ONE = 2**SOFTMAX_OUT_BITS  # probability one, at the output scale

rows = st.integers(1, 40).flatmap(lambda n: arrays(32, (3, n)))


def edge_rows(n):
    """All-equal, one-hot, extremes, and two-level rows of length n."""
    one_hot = np.zeros(n, np.int64)
    one_hot[n // 2] = 2**31 - 1
    return np.stack([np.full(n, 7), one_hot, np.full(n, -(2**31)),
                     np.where(np.arange(n) % 2, 2**31 - 1, -(2**31))])


@given(softmax_consts, rows)
def test_softmax_matches_python_ints(c, s):
    s = np.concatenate([s, edge_rows(s.shape[1])])
    got = golden.softmax(s, c)
    assert got.dtype == np.uint8
    e = c.exp
    assert got.tolist() == [pyref.softmax([int(v) for v in row], e.x0, e.qb, e.qc, c.in_shift) for row in s]


@given(softmax_consts, rows)
def test_softmax_properties(c, s):
    p = golden.softmax(s, c).astype(np.int64)
    n = s.shape[1]
    assert p.min() >= 0 and p.max() <= ONE - 1
    # Each output is round(256 * e_i / sum) up to the floored factor (< 2**-7 LSB): so a row sums
    # to 256 within n/2 + 1 (rounding) and saturation of a lone 256 to 255.
    assert np.all(np.abs(p.sum(axis=1) - ONE) <= n / 2 + 1)
    # the row maximum gets the largest probability
    assert np.all(p[np.arange(3), s.argmax(axis=1)] == p.max(axis=1))


@given(softmax_consts, st.integers(1, 300), st.integers(-(2**31), 2**31 - 1))
def test_softmax_uniform_and_one_hot_rows(c, n, v):
    uniform = golden.softmax(np.full((1, n), v), c)
    assert len(set(uniform[0].tolist())) == 1
    # within 1/2 LSB (+2**-7 from the floored factor) of 256/n: at an exact tie (n = 512, 0.5 LSB)
    # the floored factor lands just below it and the output is 0, not 1
    assert abs(int(uniform[0, 0]) - min(ONE - 1, ONE / n)) <= 0.5 + 2.0**-7
    if n > 1:
        hot = np.full((1, n), -(2**31))
        hot[0, 0] = 2**31 - 1  # exp of the others underflows to zero: probability one
        assert golden.softmax(hot, c)[0].tolist() == [ONE - 1] + [0] * (n - 1)


def softmax_bound(x_real, z, scale_eff):
    """Bound on |softmax_int / 256 - softmax(x)| per element, derived in docs/numerics.md.

    i-exp: relative error <= 2 * 1.95e-3 (segment 0 holds values in [1/2, 1]) + z * S_eff (x0 is a
    floor of -ln2/S, drifting by < S per segment) + S_eff (the in_shift rounding), and an absolute
    floor error <= 2**-14 of exp(0) (L >> z and the narrowing). Interval arithmetic through the
    ratio, then the output rounding (1/512), the floored factor (2**-15) and, near one, the
    saturation to 255/256.
    """
    e = np.exp(x_real)
    rel = 2 * EXP_MAX_ABS_ERR + (z + 1) * scale_eff
    lo = np.maximum(e * (1 - rel) - 2.0**-14, 0)
    hi = e * (1 + rel) + 2.0**-14
    p = e / e.sum(axis=-1, keepdims=True)
    p_hi = hi / (hi + lo.sum(axis=-1, keepdims=True) - lo)
    p_lo = lo / (lo + hi.sum(axis=-1, keepdims=True) - hi)
    quant = np.where(p_hi >= (ONE - 0.5) / ONE, 1 / ONE, 1 / (2 * ONE)) + 2.0**-15
    return p, np.maximum(p_hi - p, p - p_lo) + quant


@given(st.floats(1e-6, 1e-3), st.integers(2, 128), st.floats(0.5, 12.0), st.integers(0, 2**32 - 1))
@example(scale=1e-4, n=128, spread=8.0, seed=0)
def test_softmax_accuracy_against_float(scale, n, spread, seed):
    """Scores spread over `spread` real units at scale S: the integer probabilities stay within
    the derived bound of the float64 softmax of the same scores."""
    rng = np.random.default_rng(seed)
    c = C.softmax_consts(scale)
    s = np.round(rng.uniform(-spread, spread, (4, n)) / scale).astype(np.int64)
    got = golden.softmax(s, c) / ONE
    scale_eff = scale * 2**c.in_shift
    x = (s - s.max(axis=1, keepdims=True)) * scale
    xq = np.floor((s - s.max(axis=1, keepdims=True)) / 2**c.in_shift + 0.5).astype(np.int64)
    z = np.minimum(xq // c.exp.x0, 30)
    p, bound = softmax_bound(x, z, scale_eff)
    assert np.all(np.abs(got - p) <= bound), np.max(np.abs(got - p) - bound)


def test_softmax_exp_shift_narrows_to_16_bits():
    for scale in (C.EXP_MIN_SCALE, 1e-4, 1e-3, 1e-2):
        qc = C.exp_consts(scale)[0].qc
        assert 2**15 <= qc >> softmax_exp_shift(qc) < 2**16 or softmax_exp_shift(qc) == 0


def test_softmax_rejects_bad_input():
    c = C.softmax_consts(1e-4)
    with pytest.raises(TypeError, match="SoftmaxConsts"):
        golden.softmax(np.zeros((1, 4), np.int32), c.exp)
    with pytest.raises(ValueError, match="row length"):
        golden.softmax(np.zeros((1, 2**15 + 1), np.int32), c)
    with pytest.raises(ValueError, match="int32"):
        golden.softmax(np.array([[2**31]]), c)
