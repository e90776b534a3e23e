"""Exact int8 x int8 -> int32 matrix product, computed with BLAS where that is provably exact."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._checks import signed_array
from .widths import ACT_BITS, MATMUL_MAX_K

#: Longest dot product that float32 BLAS sums exactly: every product is at most 2**14 in magnitude
#: (-128 * -128), so every partial sum, in whatever order BLAS adds, is an integer of magnitude
#: <= K * 2**14 <= 2**24, and float32 represents all integers up to 2**24 exactly.
FLOAT32_EXACT_K = 2**24 // 2 ** (2 * (ACT_BITS - 1))


def matmul(a: Any, b: Any) -> np.ndarray:
    """Integer matrix product of int8 operands, accumulated exactly in int32.

    Args:
        a: int8 values, shape (..., M, K).
        b: int8 values, shape (..., K, N); leading axes broadcast as in ``numpy.matmul``.

    Returns:
        int32 array (..., M, N): ``sum_k a[..., m, k] * b[..., k, n]``, exact (no saturation is
        needed: K <= 131071 keeps every sum inside int32; a longer K raises ``ValueError``).

    The arithmetic is float32 BLAS on chunks of at most ``FLOAT32_EXACT_K`` = 1024 along K, each
    chunk exact by the bound above, converted to integers and summed in int32. This is an
    implementation of the integer product, not an approximation of it: ``tests`` check it against
    Python-integer sums at the extremes (all -128, K on both sides of the chunk size).
    """
    aa = signed_array("a", a, ACT_BITS, as_int64=False)
    ba = signed_array("b", b, ACT_BITS, as_int64=False)
    if aa.ndim < 2 or ba.ndim < 2:
        raise ValueError(f"matmul: expected a (..., M, K) and b (..., K, N), got {aa.shape} and {ba.shape}")
    k = aa.shape[-1]
    if ba.shape[-2] != k:
        raise ValueError(f"matmul: inner dimensions differ: a {aa.shape} has K={k}, b {ba.shape} has {ba.shape[-2]}")
    if k > MATMUL_MAX_K:
        raise ValueError(f"matmul: K={k} exceeds {MATMUL_MAX_K}, the longest sum that fits int32")
    af = aa.astype(np.float32)
    bf = ba.astype(np.float32)
    out = None
    for k0 in range(0, max(k, 1), FLOAT32_EXACT_K):
        part = np.matmul(af[..., k0 : k0 + FLOAT32_EXACT_K], bf[..., k0 : k0 + FLOAT32_EXACT_K, :])
        part = part.astype(np.int32)
        out = part if out is None else out + part
    return out
