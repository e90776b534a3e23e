import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import golden

from .strategies import arrays


@given(st.integers(1, 62).flatmap(lambda b: st.tuples(st.just(b), arrays(b, (16,), signed=False),
                                                    arrays(b, (16,), signed=False))))
def test_div_is_floor_division(args):
    bits, n, d = args
    d = np.maximum(d, 1)
    assert golden.div(n, d, bits).tolist() == [int(a) // int(b) for a, b in zip(n, d)]


@given(st.integers(0, 2**62 - 1), st.integers(1, 2**62 - 1))
def test_div_edges(n, d):
    # dividend < divisor, divisor 1, divisor = dividend, and 62-bit values float64 cannot hold
    cases = [(n, d), (min(n, d - 1), d), (n, 1), (d, d), (2**62 - 1, d)]
    nn = np.array([c[0] for c in cases])
    dd = np.array([c[1] for c in cases])
    assert golden.div(nn, dd, 62).tolist() == [a // b for a, b in cases]


def test_div_by_zero_raises():
    with pytest.raises(ValueError, match="divisor"):
        golden.div(np.array([4, 5]), np.array([1, 0]))


def test_div_broadcasts():
    assert golden.div(np.array(1 << 31), np.array([[1], [3]]), 32).tolist() == [[2**31], [715827882]]
