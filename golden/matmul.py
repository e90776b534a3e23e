"""Exact 8-bit x int8 -> int32 matrix product (A signed or, per call, unsigned), computed with BLAS
where that is provably exact."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._checks import signed_array, unsigned_array
from .widths import ACC_BITS, ACT_BITS, MATMUL_MAX_K

#: The largest product magnitude: -128 * -128 signed, 255 * -128 with an unsigned A.
MAX_PRODUCT = {False: 2 ** (2 * (ACT_BITS - 1)), True: (2**ACT_BITS - 1) * 2 ** (ACT_BITS - 1)}
#: Longest dot product that float32 BLAS sums exactly: every partial sum, in whatever order BLAS
#: adds, is an integer of magnitude <= K * MAX_PRODUCT <= 2**24, which float32 represents exactly.
FLOAT32_EXACT_K = {u: 2**24 // p for u, p in MAX_PRODUCT.items()}
#: Longest sum inside int32.
MAX_K = {u: (2 ** (ACC_BITS - 1) - 1) // p for u, p in MAX_PRODUCT.items()}
assert MAX_K[False] == MATMUL_MAX_K


def matmul(a: Any, b: Any, a_unsigned: bool = False) -> np.ndarray:
    """Integer matrix product of 8-bit operands, accumulated exactly in int32.

    Args:
        a: int8 values, or with ``a_unsigned`` uint8 values in [0, 255] (softmax probabilities, the
            P of P x V), shape (..., M, K).
        b: int8 values, shape (..., K, N); leading axes broadcast as in ``numpy.matmul``.
        a_unsigned: read A as unsigned 8-bit (the RTL's per-job operand mode: 9-bit signed into
            the DSP48E1).

    Returns:
        int32 array (..., M, N): ``sum_k a[..., m, k] * b[..., k, n]``, exact (no saturation is
        needed: K <= 131071 signed, 65793 unsigned, keeps every sum inside int32; a longer K raises
        ``ValueError``).

    The arithmetic is float32 BLAS on chunks of at most ``FLOAT32_EXACT_K`` (1024 signed, 514
    unsigned) along K, each chunk exact by the bound above, converted to integers and summed in
    int32. This is an implementation of the integer product, not an approximation of it: ``tests``
    check it against Python-integer sums at the extremes (K on both sides of the chunk size).
    """
    if not isinstance(a_unsigned, (bool, np.bool_)):
        raise TypeError(f"a_unsigned: expected a bool, got {type(a_unsigned).__name__}")
    a_unsigned = bool(a_unsigned)
    aa = unsigned_array("a", a, ACT_BITS) if a_unsigned else signed_array("a", a, ACT_BITS, as_int64=False)
    ba = signed_array("b", b, ACT_BITS, as_int64=False)
    if aa.ndim < 2 or ba.ndim < 2:
        raise ValueError(f"matmul: expected a (..., M, K) and b (..., K, N), got {aa.shape} and {ba.shape}")
    k = aa.shape[-1]
    if ba.shape[-2] != k:
        raise ValueError(f"matmul: inner dimensions differ: a {aa.shape} has K={k}, b {ba.shape} has {ba.shape[-2]}")
    if k > MAX_K[a_unsigned]:
        raise ValueError(f"matmul: K={k} exceeds {MAX_K[a_unsigned]}, the longest sum that fits int32")
    af = aa.astype(np.float32)
    bf = ba.astype(np.float32)
    out = None
    step = FLOAT32_EXACT_K[a_unsigned]
    for k0 in range(0, max(k, 1), step):
        part = np.matmul(af[..., k0 : k0 + step], bf[..., k0 : k0 + step, :])
        part = part.astype(np.int32)
        out = part if out is None else out + part
    return out
