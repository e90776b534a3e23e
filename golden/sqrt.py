"""Exact integer square root (floor), digit by digit."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._checks import int_scalar, signed_dtype, unsigned_array


def sqrt(x: Any, bits: int = 32) -> np.ndarray:
    """``floor(sqrt(x))`` of unsigned integers, exact.

    Args:
        x: unsigned ``bits``-bit values, any shape.
        bits: input width, an even number in 2..62 (LayerNorm uses 32).

    Returns:
        Array of ``x``'s shape holding ``bits // 2``-bit results, in the narrowest signed dtype
        that holds them (int32 for 32-bit input).

    The restoring digit-by-digit algorithm: ``bits // 2`` steps, each deciding one result bit by a
    compare and a subtract, which is exactly what one pipeline stage of ``rtl/sqrt.sv`` does.
    """
    bits = int_scalar("bits", bits, 2, 62)
    if bits % 2:
        raise ValueError(f"bits: expected an even width, got {bits}")
    xa = unsigned_array("x", x, bits)
    rem = xa.copy()
    res = np.zeros_like(xa)
    one = 1 << (bits - 2)
    while one:
        trial = res + one
        take = rem >= trial
        rem = np.where(take, rem - trial, rem)
        res = np.where(take, (res >> 1) + one, res >> 1)
        one >>= 2
    return res.astype(signed_dtype(bits // 2 + 1))
