import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import golden
from golden import constants as C
from golden.params import ExpConsts

from . import pyref

#: The paper's i-exp error (1.9e-3) with the margin the issue allows.
EXP_MAX_ABS_ERR = 1.95e-3

valid_scales = st.floats(C.EXP_MIN_SCALE, 5e-2)


@given(valid_scales, st.lists(st.integers(-(2**31), 0), min_size=1, max_size=24))
def test_exp_matches_python_ints(scale, xs):
    c, _ = C.exp_consts(scale)
    xs = xs + [0, -1, c.x0, c.x0 + 1, 30 * c.x0, 30 * c.x0 - 1, -(2**31)]
    got = golden.exp(np.array(xs), c)
    assert got.tolist() == [pyref.exp(x, c.x0, c.qb, c.qc) for x in xs]
    assert got.dtype == np.int32


@pytest.mark.parametrize("scale", [C.EXP_MIN_SCALE, 4e-5, 1e-4, 3e-4, 1e-3])
def test_exp_accuracy_and_monotonicity_exhaustive(scale):
    """Every input from 30*x0 to 0 at scales up to 1e-3: max |i-exp - exp| <= 1.95e-3; the output
    is non-decreasing but for the documented step at segment joins, at most (out >> 15) + 1."""
    c, out_scale = C.exp_consts(scale)
    x = np.arange(30 * c.x0 - 5, 1)
    e = golden.exp(x, c).astype(np.int64)
    err = np.abs(e * out_scale - np.exp(x * scale))
    assert err.max() <= EXP_MAX_ABS_ERR, err.max()
    step = np.diff(e)
    assert np.all(step >= -((e[:-1] >> 15) + 1))
    z = x // c.x0
    same_segment = z[1:] == z[:-1]
    assert np.all(step[same_segment] >= 0)
    assert 0 <= e.min() and e.max() == c.qc


def test_exp_degrades_at_coarse_scales():
    """Documented, not hidden: at int8-like scales the floors of x0/qb/qc dominate."""
    c, out_scale = C.exp_consts(1 / 16)
    x = np.arange(30 * c.x0, 1)
    assert np.abs(golden.exp(x, c) * out_scale - np.exp(x / 16)).max() > EXP_MAX_ABS_ERR


def test_exp_rejects_bad_input():
    c, _ = C.exp_consts(1e-3)
    with pytest.raises(ValueError, match="<= 0"):
        golden.exp(np.array([1]), c)
    with pytest.raises(TypeError, match="integer array"):
        golden.exp(np.array([-1.0]), c)
    with pytest.raises(ValueError, match="x0"):  # a scale too fine for int32 constants
        golden.exp(np.array([0]), C.exp_consts(1e-5)[0])
    with pytest.raises(ValueError, match="qb"):
        golden.exp(np.array([0]), ExpConsts(x0=-100, qb=50, qc=10**6))
    with pytest.raises(ValueError, match="scale"):
        C.exp_consts(0.0)
    with pytest.raises(ValueError, match="scale"):
        C.exp_consts(-math.log(2))
