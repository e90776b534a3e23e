"""Exact unsigned integer division (floor)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._checks import int_scalar, unsigned_array


def div(n: Any, d: Any, bits: int = 32) -> np.ndarray:
    """``floor(n / d)`` of unsigned integers, exact.

    Args:
        n: unsigned ``bits``-bit dividends.
        d: unsigned ``bits``-bit divisors, every one >= 1; broadcasts against ``n``.
        bits: operand width, 1..62 (LayerNorm and softmax divide 2**31 by a value below 2**32).

    Returns:
        int64 array of the broadcast shape, values in [0, 2**bits - 1].

    Raises ``ValueError`` for a zero divisor: callers decide what a zero means (LayerNorm defines
    its zero-variance result before it divides).
    """
    bits = int_scalar("bits", bits, 1, 62)
    na = unsigned_array("n", n, bits)
    da = unsigned_array("d", d, bits)
    if da.size and int(da.min()) == 0:
        raise ValueError("d: expected divisors >= 1, got a zero")
    try:
        shape = np.broadcast_shapes(na.shape, da.shape)
    except ValueError:
        raise ValueError(f"div: shapes {na.shape} and {da.shape} do not broadcast") from None
    return np.broadcast_to(na // da, shape).astype(np.int64)
