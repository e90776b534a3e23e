"""Integer LayerNorm (I-BERT): exact mean, overflow-safe variance, isqrt, exact division."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._checks import int_scalar, per_channel, row_length, saturate, signed_array
from .div import div
from .lopd import lopd
from .params import LayerNormParams
from .sqrt import sqrt
from .widths import LN_DIV_BITS, LN_IN_BITS, LN_MAX_ROW, LN_OUT_BITS, LN_VAR_BITS


def variance_shift(yabs_max: np.ndarray, channels: int) -> np.ndarray:
    """Per-row shift ``s`` with ``sum(floor(y / 2**s)**2) < 2**31`` for any row of that maximum.

    With ``|y| < 2**k`` (``k = lopd(max|y|) + 1``) each ``|floor(y / 2**s)| <= 2**(k - s)``; with
    ``C <= 2**cb`` the sum is at most ``2**(cb + 2*(k - s))``, so ``s = ceil((cb + 2k - 31) / 2)``
    (at least 0) keeps it within ``2**31``: one bit under the 32-bit isqrt input. The shift follows
    the data, so no input width can overflow it (a fixed shift does for large activations).
    """
    k = lopd(yabs_max, LN_IN_BITS + 1).astype(np.int64) + 1
    cb = int(lopd(channels - 1, 16)) + 1 if channels > 1 else 0
    return np.maximum(0, (cb + 2 * k - LN_VAR_BITS + 1) // 2)


def layernorm(q: Any, params: LayerNormParams) -> np.ndarray:
    """Integer LayerNorm along the last axis (C channels), with I-BERT's folded bias.

    Per row:
      ``mean = floor((sum(q) + C // 2) / C)`` (round half up); ``y = q - mean``;
      ``s = variance_shift(max|y|, C)``; ``var = sum(floor(y / 2**s)**2)`` (< 2**31);
      ``r = isqrt(var)`` (so ``std = r * 2**s``); ``factor = floor(2**31 / r)``, or 0 when r == 0;
      ``out = saturate(floor(y * factor / 2**(s + shift)) + bias, 32)``.

    This is I-BERT's ``(y * floor(2**31 / std)) >> shift`` with the ``2**s`` of ``std`` moved from
    the divisor into the final shift: the same value, but ``factor`` keeps at least 15 significant
    bits (I-BERT's keeps ``31 - log2(std)``: about 8 for a full-range 22-bit residual), and the
    divider sees a 16-bit divisor. The two forms are identical when ``s == 0``.

    A constant row has ``y == 0`` and ``r == 0``: its output is ``bias`` (normalized value 0, so
    the real output is beta), the same as a float LayerNorm with any epsilon > 0.

    Args:
        q: int32 values (the 22-bit residual sum), shape (..., C), 1 <= C <= 4096.
        params: :class:`LayerNormParams`: ``bias`` int32 (C,) or scalar, ``shift`` in [0, 31].

    Returns:
        int32 array of ``q``'s shape at per-channel scale ``gamma * sqrt(C) * 2**shift / 2**31``
        (:func:`golden.constants.layernorm_consts`). Integer arithmetic only; ``|y * factor|`` is
        below ``2**(32 + s)`` <= 2**57.
    """
    qa = signed_array("q", q, LN_IN_BITS)
    c = row_length("q", qa, 1, LN_MAX_ROW)
    bias = per_channel("bias", params.bias, c, -(1 << (LN_OUT_BITS - 1)), (1 << (LN_OUT_BITS - 1)) - 1)
    shift = int_scalar("shift", params.shift, 0, LN_DIV_BITS)
    total = qa.sum(axis=-1, keepdims=True)
    mean = (total + c // 2) // c
    y = qa - mean
    s = variance_shift(np.abs(y).max(axis=-1, keepdims=True), c)
    ys = y >> s
    var = (ys * ys).sum(axis=-1, keepdims=True)
    root = sqrt(var, 32).astype(np.int64)
    factor = np.where(root == 0, 0, div(1 << LN_DIV_BITS, np.maximum(root, 1), bits=LN_DIV_BITS + 1))
    out = ((y * factor) >> (s + shift)) + bias
    return saturate(out, LN_OUT_BITS).astype(np.int32)
