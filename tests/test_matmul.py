import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import golden
from golden.matmul import FLOAT32_EXACT_K

from .strategies import arrays


def int64_matmul(a, b):
    """numpy's integer matmul: exact, slow, independent of the BLAS path."""
    return np.matmul(a.astype(np.int64), b.astype(np.int64))


@given(st.data(), st.integers(1, 9), st.integers(1, 40), st.integers(1, 9))
def test_matmul_is_the_exact_integer_product(data, m, k, n):
    a = data.draw(arrays(8, (m, k)))
    b = data.draw(arrays(8, (k, n)))
    got = golden.matmul(a, b)
    assert got.dtype == np.int32
    assert np.array_equal(got, int64_matmul(a, b))


SIGNED_K = FLOAT32_EXACT_K[False]
UNSIGNED_K = FLOAT32_EXACT_K[True]


@pytest.mark.parametrize("k", [SIGNED_K - 1, SIGNED_K, SIGNED_K + 1, 3 * SIGNED_K + 7])
def test_matmul_exact_at_the_extremes(k):
    # All -128: every product is +2**14, the largest; sums hit 2**24 exactly at K = 1024 and
    # would lose bits in one float32 sum beyond it, so K > 1024 exercises the chunking.
    a = np.full((3, k), -128, np.int8)
    b = np.full((k, 2), -128, np.int8)
    b[:, 1] = 127
    got = golden.matmul(a, b)
    assert got[:, 0].tolist() == [k * 2**14] * 3
    assert got[:, 1].tolist() == [-k * 128 * 127] * 3


@given(st.data(), st.integers(1, 9), st.integers(1, 40), st.integers(1, 9))
def test_matmul_unsigned_a_is_the_exact_integer_product(data, m, k, n):
    """The P x V operand mode: A in [0, 255] read as unsigned."""
    a = np.array(data.draw(st.lists(st.integers(0, 255), min_size=m * k, max_size=m * k)), np.uint8).reshape(m, k)
    b = data.draw(arrays(8, (k, n)))
    got = golden.matmul(a, b, a_unsigned=True)
    assert got.dtype == np.int32
    assert np.array_equal(got, int64_matmul(a, b))


@pytest.mark.parametrize("k", [UNSIGNED_K - 1, UNSIGNED_K, UNSIGNED_K + 1, 3 * UNSIGNED_K + 7, 65793])
def test_matmul_unsigned_a_exact_at_the_extremes(k):
    """255 x -128 is the largest unsigned-mode product: chunks of 514 keep float32 exact, and
    K = 65793 is the longest sum inside int32."""
    a = np.full((2, k), 255, np.uint8)
    b = np.full((k, 2), -128, np.int8)
    b[:, 1] = 127
    got = golden.matmul(a, b, a_unsigned=True)
    assert got[:, 0].tolist() == [-k * 255 * 128] * 2
    assert got[:, 1].tolist() == [k * 255 * 127] * 2


def test_matmul_alternating_signs_do_not_cancel_wrongly():
    rng = np.random.default_rng(1)
    a = rng.choice(np.array([-128, 127], np.int8), (8, 4096))
    b = rng.choice(np.array([-128, 127], np.int8), (4096, 8))
    assert np.array_equal(golden.matmul(a, b), int64_matmul(a, b))


def test_matmul_broadcasts_leading_axes():
    rng = np.random.default_rng(2)
    a = rng.integers(-128, 128, (3, 5, 7))
    b = rng.integers(-128, 128, (7, 4))
    assert np.array_equal(golden.matmul(a, b), int64_matmul(a, b))


def test_matmul_rejects_bad_operands():
    with pytest.raises(ValueError, match="inner dimensions"):
        golden.matmul(np.zeros((2, 3), np.int8), np.zeros((4, 2), np.int8))
    with pytest.raises(ValueError, match=r"a \(int8\)"):
        golden.matmul(np.full((2, 3), 128), np.zeros((3, 2), np.int8))
    with pytest.raises(TypeError, match="integer array"):
        golden.matmul(np.zeros((2, 3), np.float32), np.zeros((3, 2), np.int8))
    with pytest.raises(ValueError, match="exceeds"):
        golden.matmul(np.zeros((1, 131072), np.int8), np.zeros((131072, 1), np.int8))
    with pytest.raises(ValueError, match="exceeds"):
        golden.matmul(np.zeros((1, 65794), np.uint8), np.zeros((65794, 1), np.int8), a_unsigned=True)
    with pytest.raises(ValueError, match=r"a \(uint8\)"):
        golden.matmul(np.full((2, 3), -1), np.zeros((3, 2), np.int8), a_unsigned=True)
    with pytest.raises(TypeError, match="a_unsigned"):
        golden.matmul(np.zeros((2, 3), np.int8), np.zeros((3, 2), np.int8), a_unsigned=1)
