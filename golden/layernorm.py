"""Integer LayerNorm (I-BERT): exact mean, exact sum of squares shifted by the row's own need,
isqrt, exact division."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._checks import int_scalar, per_channel, row_length, saturate, signed_array
from .div import div
from .lopd import lopd
from .params import LayerNormParams
from .sqrt import sqrt
from .widths import LN_DIV_BITS, LN_FACTOR_BITS, LN_IN_BITS, LN_MAX_ROW, LN_OUT_BITS, LN_VAR_BITS


def sum_of_squares(y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The exact ``sum(y**2)`` along the last axis as ``(hi, lo)`` with ``sum = hi * 2**32 + lo``,
    ``lo < 2**32``: each ``|y| < 2**32`` squares within uint64, and the halves sum without overflow
    for rows up to 2**20 values."""
    sq = np.abs(y).astype(np.uint64) ** 2
    hi = (sq >> np.uint64(32)).sum(axis=-1, keepdims=True, dtype=np.uint64)
    lo = (sq & np.uint64(0xFFFFFFFF)).sum(axis=-1, keepdims=True, dtype=np.uint64)
    return (hi + (lo >> np.uint64(32))).astype(np.int64), (lo & np.uint64(0xFFFFFFFF)).astype(np.int64)


def variance_shift(hi: np.ndarray, lo: np.ndarray) -> np.ndarray:
    """The smallest ``s >= 0`` with ``sum(y**2) >> 2s < 2**LN_VAR_BITS`` for each row's exact sum
    ``hi * 2**32 + lo`` (:func:`sum_of_squares`): ``s = max(0, ceil((bits - 47) / 2))`` where
    ``bits`` is the sum's bit length, found by leading-one detection (``lopd``) as in the RTL."""
    bits = np.where(hi > 0, lopd(np.maximum(hi, 1), 63).astype(np.int64) + 33,
                    lopd(lo, 63).astype(np.int64) + 1)  # lopd(0) = -1: bit length 0
    return np.maximum(0, (bits - LN_VAR_BITS + 1) // 2)


def shifted_variance(hi: np.ndarray, lo: np.ndarray, s: np.ndarray) -> np.ndarray:
    """``(hi * 2**32 + lo) >> 2s``, below ``2**LN_VAR_BITS`` for ``s = variance_shift(hi, lo)``.

    The sum is below ``2**76`` (rows up to 4096 of 33-bit y), so ``s <= 15``: the bits of ``hi``
    the shift moves down (``hi mod 2**2s < 2**30``) join ``lo`` within int64."""
    two_s = 2 * s
    moved = hi & ((1 << two_s) - 1)
    return ((hi >> two_s) << 32) + (((moved << 32) + lo) >> two_s)


def layernorm(q: Any, params: LayerNormParams) -> np.ndarray:
    """Integer LayerNorm along the last axis (C channels), with I-BERT's folded bias.

    Per row:
      ``mean = floor((sum(q) + C // 2) / C)`` (round half up); ``y = q - mean``;
      ``S = sum(y**2)`` (exact); ``s`` = the smallest shift with ``S >> 2s < 2**47`` (from the
      bit length of S); ``var = S >> 2s``; ``r = isqrt(var)`` (48-bit input: at least 23
      significant bits, ``std ~= r * 2**s``); ``factor = floor(2**47 / r)``, or 0 when r == 0;
      ``out = saturate(floor(y * factor / 2**(s + shift + 16)) + bias, 32)``.

    This is I-BERT's ``(y * floor(2**31 / std)) >> shift`` with the ``2**s`` of ``std`` moved from
    the divisor into the final shift and 16 more bits in ``factor``: the same value to within the
    floors, but I-BERT's ``floor(2**31 / std)`` keeps ``31 - log2(std)`` bits (about 8 for a
    full-range 22-bit residual) where ours keeps at least 23. The shift is the row's own: ``S`` is
    summed exactly and shifted once, so the root's precision does not depend on the row's shape (a
    shift from the worst case ``C * max|y|**2`` leaves 11 to 13 bits on rows with one outlier
    channel), and no input width can overflow it.

    A constant row has ``y == 0`` and ``r == 0``: its output is ``bias`` (normalized value 0, so
    the real output is beta), the same as a float LayerNorm with any epsilon > 0.

    Args:
        q: int32 values (the 22-bit residual sum), shape (..., C), 1 <= C <= 4096.
        params: :class:`LayerNormParams`: ``bias`` int32 (C,) or scalar, ``shift`` in [0, 31].

    Returns:
        int32 array of ``q``'s shape at per-channel scale ``gamma * sqrt(C) * 2**shift / 2**31``
        (:func:`golden.constants.layernorm_consts`). Integer arithmetic only; ``|y * factor|`` is
        below ``2**(33 + 25)``.
    """
    qa = signed_array("q", q, LN_IN_BITS)
    c = row_length("q", qa, 1, LN_MAX_ROW)
    bias = per_channel("bias", params.bias, c, -(1 << (LN_OUT_BITS - 1)), (1 << (LN_OUT_BITS - 1)) - 1)
    shift = int_scalar("shift", params.shift, 0, LN_DIV_BITS)
    total = qa.sum(axis=-1, keepdims=True)
    mean = (total + c // 2) // c
    y = qa - mean
    hi, lo = sum_of_squares(y)
    s = variance_shift(hi, lo)
    var = shifted_variance(hi, lo, s)
    root = sqrt(var, LN_VAR_BITS + 1).astype(np.int64)
    factor = np.where(root == 0, 0, div(1 << LN_FACTOR_BITS, np.maximum(root, 1), bits=LN_FACTOR_BITS + 1))
    out = ((y * factor) >> (s + shift + LN_FACTOR_BITS - LN_DIV_BITS)) + bias
    return saturate(out, LN_OUT_BITS).astype(np.int32)
