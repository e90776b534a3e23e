"""Leading-one position: floor(log2 x) of an unsigned integer."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._checks import int_scalar, unsigned_array


def lopd(x: Any, bits: int = 32) -> np.ndarray:
    """Position of the most significant set bit (``floor(log2 x)``), -1 for zero.

    Args:
        x: unsigned ``bits``-bit values, any shape.
        bits: input width, 1..63.

    Returns:
        int8 array of ``x``'s shape, values in [-1, bits - 1].

    Computed as a binary search over the bit positions (shifts and compares only), the same
    decision tree a priority encoder implements.
    """
    bits = int_scalar("bits", bits, 1, 63)
    xa = unsigned_array("x", x, bits)
    pos = np.zeros(xa.shape, dtype=np.int64)
    rest = xa.copy()
    step = 32
    while step:
        hi = rest >> step
        has = hi != 0
        pos = np.where(has, pos + step, pos)
        rest = np.where(has, hi, rest)
        step >>= 1
    return np.where(xa == 0, -1, pos).astype(np.int8)
