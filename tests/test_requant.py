import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import golden
from golden import constants as C

from . import pyref
from .strategies import arrays, ints

M = st.integers(-(2**31) + 1, 2**31 - 1)
E = st.integers(0, 63)


@given(q=arrays(32, (3, 5)), m=M, e=E, bias=ints(32), out_bits=st.integers(2, 32))
@example(q=np.full((3, 5), 2**31 - 1), m=2**31 - 1, e=0, bias=2**31 - 1, out_bits=32)
@example(q=np.full((3, 5), -(2**31)), m=-(2**31) + 1, e=63, bias=-(2**31), out_bits=8)
def test_requant_matches_python_ints(q, m, e, bias, out_bits):
    got = golden.requant(q, m, e, bias, out_bits)
    want = [[pyref.requant(int(v), m, e, bias, out_bits) for v in row] for row in q]
    assert got.tolist() == want


@given(q=arrays(32, (4, 6)), m=arrays(31, (6,)), e=arrays(6, (6,), signed=False), bias=arrays(32, (6,)))
def test_requant_per_channel(q, m, e, bias):
    got = golden.requant(q, m, e, bias)
    want = [[pyref.requant(int(v), int(m[c]), int(e[c]), int(bias[c]), 8) for c, v in enumerate(row)] for row in q]
    assert got.tolist() == want


def test_requant_ties_round_half_up():
    # q * 1 / 2: exact halves go up, towards +inf, for either sign.
    q = np.array([-5, -3, -1, 1, 3, 5])
    assert golden.requant(q, 1, 1).tolist() == [-2, -1, 0, 1, 2, 3]
    # a half reached through a large shift: (2**40 + 2**39) / 2**40 = 1.5 -> 2
    assert golden.requant(np.array([3 * 2**20]), 2**20, 41).tolist() == [2]


def test_requant_saturates_never_wraps():
    q = np.array([2**31 - 1, -(2**31), 200, -200])
    assert golden.requant(q, 2**30, 30).tolist() == [127, -128, 127, -128]
    assert golden.requant(q, 2**30, 30, out_bits=22).tolist() == [2**21 - 1, -(2**21), 200, -200]


def test_requant_output_dtype_follows_width():
    q = np.zeros(3, np.int32)
    assert golden.requant(q, 1, 0, out_bits=8).dtype == np.int8
    assert golden.requant(q, 1, 0, out_bits=16).dtype == np.int16
    assert golden.requant(q, 1, 0, out_bits=22).dtype == np.int32


@given(q=arrays(32, (2, 4)), m=M, e=E, bias=ints(32), r=arrays(32, (2, 4)), m_r=M, e_r=E, out_bits=st.integers(2, 32))
@example(q=np.full((2, 4), 2**31 - 1), m=2**31 - 1, e=0, bias=2**31 - 1,
         r=np.full((2, 4), 2**31 - 1), m_r=2**31 - 1, e_r=0, out_bits=32)
@example(q=np.full((2, 4), 2**31 - 1), m=2**31 - 1, e=0, bias=2**31 - 1,
         r=np.full((2, 4), 2**31 - 1), m_r=-(2**31) + 1, e_r=0, out_bits=22)
def test_residual_add_matches_python_ints(q, m, e, bias, r, m_r, e_r, out_bits):
    got = golden.residual_add(q, m, e, bias, r, m_r, e_r, out_bits)
    want = [[pyref.residual_add(int(a), m, e, bias, int(b), m_r, e_r, out_bits) for a, b in zip(ra, rb)]
            for ra, rb in zip(q, r)]
    assert got.tolist() == want


@given(ratio=st.floats(2.0**-32, 2.0**30) | st.floats(-(2.0**30), -(2.0**-32)))
def test_requant_params_represent_the_ratio(ratio):
    rs = C.requant_params(ratio)
    assert 2**30 <= abs(rs.m) < 2**31 and 0 <= rs.e <= 63
    assert abs(C.rescale_ratio(rs) / ratio - 1) <= 2.0**-30


def test_requant_params_rounding_edge_renormalizes():
    # a mantissa that rounds up to exactly 2**31 must come back as 2**30 with e - 1
    ratio = (2**31 - 0.25) / 2**31
    rs = C.requant_params(ratio)
    assert (rs.m, rs.e) == (2**30, 30)


def test_requant_params_tiny_ratio_keeps_max_shift():
    rs = C.requant_params(2.0**-70)
    assert rs.e == 63 and 0 <= rs.m < 2**30


@pytest.mark.parametrize("bad", [0.0, float("nan"), float("inf"), 2.0**31])
def test_requant_params_rejects_unrepresentable_ratios(bad):
    with pytest.raises(ValueError, match="ratio"):
        C.requant_params(bad)


def test_requant_of_scalars():
    """Scalar q (Python int or numpy scalar) gives a scalar of the output width, same rounding."""
    assert golden.requant(5, 1 << 30, 31) == 3  # 2.5 rounds half up
    got = golden.requant(np.int32(-7), 1 << 30, 1, 3, 16)  # (-7 + 3) * 2**30 / 2 = -2**31 -> 16 bits
    assert got == -(1 << 15) and got.dtype == np.int16
    assert golden.requant(-5, 1 << 30, 31) == -2  # -2.5 rounds half up, towards +inf
