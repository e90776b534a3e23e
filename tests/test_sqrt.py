import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import golden

from .strategies import arrays


@given(st.sampled_from(range(2, 63, 2)).flatmap(lambda b: st.tuples(st.just(b), arrays(b, (16,), signed=False))))
def test_sqrt_is_floor_sqrt(bits_x):
    bits, x = bits_x
    assert golden.sqrt(x, bits).tolist() == [math.isqrt(int(v)) for v in x]


def test_sqrt_exhaustive_16_bit():
    x = np.arange(1 << 16)
    assert golden.sqrt(x, 16).tolist() == [math.isqrt(v) for v in range(1 << 16)]


@given(st.integers(0, 2**31 - 1))
def test_sqrt_perfect_squares_and_neighbours(r):
    # up to 2**62: float64 sqrt gets these wrong, so this also proves no float is involved
    x = np.array([max(r * r - 1, 0), r * r, r * r + 1, (r + 1) ** 2 - 1])
    x = x[x < 2**62]
    assert golden.sqrt(x, 62).tolist() == [math.isqrt(int(v)) for v in x]


def test_sqrt_32_bit_extremes_and_width():
    x = np.array([0, 1, 2**32 - 1, 65535**2, 65535**2 - 1])
    got = golden.sqrt(x, 32)
    assert got.tolist() == [0, 1, 65535, 65535, 65534]
    assert got.dtype == np.int32
    with pytest.raises(ValueError, match="even"):
        golden.sqrt(x, 31)
