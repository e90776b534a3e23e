import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.special import erf

import golden
from golden import constants as C
from golden.params import GeluConsts

from . import pyref
from .strategies import arrays, gelu_consts


def exact_gelu(x):
    return 0.5 * x * (1 + erf(x / math.sqrt(2)))


@given(gelu_consts, arrays(32, (24,)))
def test_gelu_matches_python_ints(c, q):
    q = np.concatenate([q, [0, 1, -1, c.qb, -c.qb, c.qb - 1, -c.qb + 1, 2**31 - 1, -(2**31)]])
    got = golden.gelu(q, c)
    assert got.tolist() == [pyref.gelu(int(v), c.qb, c.qc, c.q1, c.shift) for v in q]
    assert got.dtype == np.int32


@given(st.lists(st.floats(1e-6, 2e-2), min_size=5, max_size=5), arrays(32, (3, 5)))
def test_gelu_per_channel_constants(scales, q):
    c, _ = C.gelu_consts(np.array(scales), np.array([0, 3, 7, 1, 12]))
    got = golden.gelu(q, c)
    want = [[pyref.gelu(int(v), int(c.qb[j]), int(c.qc[j]), int(c.q1[j]), int(c.shift[j]))
             for j, v in enumerate(row)] for row in q]
    assert got.tolist() == want


def gelu_error(scale):
    shift = C.gelu_shift(scale, 4.0)
    c, out_scale = C.gelu_consts(scale, shift)
    q = np.arange(-round(4 / scale), round(4 / scale) + 1)
    err = golden.gelu(q, c) * out_scale - exact_gelu(q * scale)
    return float(np.sqrt(np.mean(err**2))), float(np.abs(err).max())


@pytest.mark.parametrize("scale", [1e-4, 1.3e-4])
def test_gelu_accuracy_on_minus4_to_4(scale):
    """Every input on [-4, 4] at a dense layer's int32 scale: RMS <= 0.0082, max <= 0.0185
    (I-BERT, Table 1: 0.0082 / 0.018)."""
    rms, mx = gelu_error(scale)
    assert rms <= 0.0082, rms
    assert mx <= 0.0185, mx


def test_gelu_degrades_at_coarse_scales():
    """The >> 14 and the floors need a fine input scale: at 1/64 the error exceeds 1."""
    assert gelu_error(1 / 64)[1] > 1.0


@given(st.floats(1e-6, 2e-2))
def test_gelu_shape_properties(scale):
    c, out_scale = C.gelu_consts(scale, C.gelu_shift(scale, 8.0))
    q = np.arange(-round(6 / scale), round(6 / scale) + 1, max(1, round(0.001 / scale)))
    y = golden.gelu(q, c).astype(np.int64)
    assert np.all(np.diff(y[q >= 0]) >= 0)            # non-decreasing for x >= 0
    assert np.all(y[q < 0] <= 0) and np.all(y[q >= 0] >= 0)  # sign of GELU
    # through the zero crossing: GELU(0) = 0, the nearest negative input is not positive
    assert golden.gelu(np.array([-1]), c)[0] <= 0
    assert golden.gelu(np.array([0]), c).tolist() == [0]


def test_gelu_saturates_to_int32():
    c, _ = C.gelu_consts(1e-4, 0)
    assert golden.gelu(np.array([2**31 - 1]), c).tolist() == [2**31 - 1]


def test_gelu_rejects_bad_constants():
    with pytest.raises(ValueError, match="qb"):
        golden.gelu(np.array([1]), GeluConsts(qb=5, qc=-10, q1=-1, shift=0))
    with pytest.raises(ValueError, match=r"scalar or shape \(3,\)"):
        golden.gelu(np.zeros((2, 3), np.int32), GeluConsts(qb=np.array([-5, -5]), qc=-10, q1=-1, shift=0))
