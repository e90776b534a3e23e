import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import golden

from .strategies import arrays


@given(st.integers(1, 63).flatmap(lambda b: st.tuples(st.just(b), arrays(b, (16,), signed=False))))
def test_lopd_is_floor_log2(bits_x):
    bits, x = bits_x
    assert golden.lopd(x, bits).tolist() == [int(v).bit_length() - 1 for v in x]


def test_lopd_every_power_of_two_and_neighbours():
    x = np.array([v for b in range(63) for v in ((1 << b) - 1, 1 << b, (1 << b) + 1) if v < 1 << 63])
    assert golden.lopd(x, 63).tolist() == [int(v).bit_length() - 1 for v in x]


def test_lopd_rejects_out_of_width():
    with pytest.raises(ValueError, match="uint8"):
        golden.lopd(np.array([256]), 8)
    with pytest.raises(ValueError, match="uint8"):
        golden.lopd(np.array([-1]), 8)
