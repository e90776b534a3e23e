import math

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import golden
from golden import constants as C
from golden.params import LayerNormParams

from . import pyref
from .strategies import arrays, ints


def no_bias(c, shift=1):
    return LayerNormParams(bias=np.zeros(c, np.int64), shift=shift)


@given(st.integers(1, 48).flatmap(lambda n: st.tuples(arrays(32, (3, n)), arrays(32, (n,)))), st.integers(0, 31))
def test_layernorm_matches_python_ints(q_bias, shift):
    q, bias = q_bias
    got = golden.layernorm(q, LayerNormParams(bias, shift))
    assert got.dtype == np.int32
    assert got.tolist() == [pyref.layernorm([int(v) for v in row], [int(b) for b in bias], shift) for row in q]


@pytest.mark.parametrize("c", [1, 2, 384, 768, 4096])
def test_layernorm_extreme_rows_stay_exact(c):
    """Rows that overflow any fixed variance shift: full-range int32 values, alternating."""
    q = np.stack([np.where(np.arange(c) % 2, 2**31 - 1, -(2**31)), np.full(c, 2**31 - 1),
                  np.arange(c) * (2**31 // c) - 2**30])
    bias = np.arange(c) - c // 2
    got = golden.layernorm(q, LayerNormParams(bias, 1))
    assert got.tolist() == [pyref.layernorm([int(v) for v in row], bias.tolist(), 1) for row in q]


@given(st.integers(1, 800), ints(32), arrays(32, (1,)))
def test_layernorm_zero_variance_gives_the_bias(c, v, b):
    bias = np.full(c, int(b[0]))
    got = golden.layernorm(np.full((2, c), v), LayerNormParams(bias, 1))
    assert np.all(got == b[0])


def layernorm_bound(q, y, s):
    """|n - z| per element, derived in docs/numerics.md: n = out * sqrt(C) / 2**30 (shift 1, no
    bias), z the float64 normalized value. With N = ||q - mean||, the integer std r * 2**s differs
    from N by at most D = 2**(s + 1) + sqrt(C) / 2 (the shifted exact sum of squares and isqrt:
    2**(s + 1); mean rounding: sqrt(C) / 2); then |n - z| <= sqrt(C) * (0.5 / std + |q - mean| * D /
    (N * std)) plus the floors of factor (16 extra bits) and of the output shift,
    sqrt(C) * (|y| / 2**(s + 17) + 1) / 2**30."""
    c = q.shape[-1]
    rc = math.sqrt(c)
    qf = q.astype(np.float64)
    yc = qf - qf.mean(axis=-1, keepdims=True)
    n_exact = np.sqrt((yc**2).sum(axis=-1, keepdims=True))
    d = 2.0 ** (s + 1) + rc / 2
    std = np.maximum(n_exact - d, 1e-300)
    return rc * (0.5 / std + np.abs(yc) * d / (n_exact * std)) + rc * (np.abs(y) / 2.0 ** (s + 17) + 1) / 2**30, yc / n_exact * rc


@given(st.sampled_from([16, 384, 768]), st.floats(1.0, 2.0**26), st.floats(-1e6, 1e6), st.integers(0, 2**32 - 1))
@example(c=768, spread=2.0**21, offset=0.0, seed=1)
def test_layernorm_accuracy_against_float(c, spread, offset, seed):
    rng = np.random.default_rng(seed)
    q = np.round(rng.normal(offset, spread, (4, c))).clip(-(2**31), 2**31 - 1).astype(np.int64)
    out = golden.layernorm(q, no_bias(c))
    n = out * math.sqrt(c) / 2**30
    mean = (q.sum(axis=1, keepdims=True) + c // 2) // c
    y = q - mean
    s = np.array([[pyref.variance_shift(sum(int(v) ** 2 for v in r))] for r in y])
    bound, z = layernorm_bound(q, y, s)
    assert np.all(np.abs(n - z) <= bound), np.max(np.abs(n - z) - bound)
    # the normalized rows have mean ~0 and mean square ~1, within the same bound
    b = float(min(bound.max(), 1e100))  # vacuous (huge) for rows with almost no spread
    assert np.all(np.abs(n.mean(axis=1)) <= b)
    assert np.all(np.abs((n**2).mean(axis=1) - 1) <= 2 * b * math.sqrt(c) + b * b)


@given(st.integers(0, 2**32 - 1), st.integers(0, 3), st.sampled_from([12, 14, 16, 18]))
def test_layernorm_rows_with_outlier_channels(seed, outliers, spread_log2):
    """384-wide 22-bit residual rows with up to three outlier channels near 2**21: the row's own
    variance shift keeps the error within the derived bound, and below 2e-4 for spreads >= 2**12
    (a shift from the worst case C * max|y|**2 gave 2e-2 here: the root kept 11 to 13 bits)."""
    rng = np.random.default_rng(seed)
    c = 384
    q = np.round(rng.normal(0, 2.0**spread_log2, (8, c)))
    for row in q:
        row[rng.choice(c, outliers, replace=False)] = rng.choice([-1, 1], outliers) * rng.uniform(2**19, 2**21 - 1, outliers)
    q = np.clip(q, -(2**21), 2**21 - 1).astype(np.int64)
    n = golden.layernorm(q, no_bias(c)) * math.sqrt(c) / 2**30
    mean = (q.sum(axis=1, keepdims=True) + c // 2) // c
    y = q - mean
    s = np.array([[pyref.variance_shift(sum(int(v) ** 2 for v in r))] for r in y])
    bound, z = layernorm_bound(q, y, s)
    assert np.all(np.abs(n - z) <= bound)
    assert np.abs(n - z).max() < 2e-4


def test_layernorm_consts_fold_bias_and_never_saturate():
    rng = np.random.default_rng(3)
    c = 384
    gamma = rng.uniform(-1.5, 1.5, c)
    beta = rng.normal(0, 3, c)
    beta[0], gamma[0] = 5.0, 1e-4  # beta/gamma = 5e4 forces a larger shift
    params, out_scale = C.layernorm_consts(gamma, beta)
    assert params.shift > 1
    q = np.round(rng.normal(0, 2**20, (8, c))).astype(np.int64)
    q[0, 0] = 2**21 - 1  # one extreme channel
    out = golden.layernorm(q, params)
    assert np.abs(out).max() < 2**31 - 1  # no saturation
    ref = (q - q.mean(1, keepdims=True)) / q.std(1, keepdims=True) * gamma + beta
    assert np.max(np.abs(out * out_scale - ref)) < 1e-3 * np.abs(ref).max() + 1e-3


def test_layernorm_rejects_bad_input():
    with pytest.raises(ValueError, match="row length"):
        golden.layernorm(np.zeros((1, 4097), np.int32), no_bias(4097))
    with pytest.raises(ValueError, match=r"scalar or shape \(4,\)"):
        golden.layernorm(np.zeros((1, 4), np.int32), no_bias(5))
    with pytest.raises(TypeError, match="integer array"):
        golden.layernorm(np.zeros((1, 4)), no_bias(4))
    with pytest.raises(ValueError, match="gamma"):
        C.layernorm_consts(np.array([1.0, 0.0]), np.array([0.0, 0.0]))
