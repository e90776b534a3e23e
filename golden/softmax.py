"""Integer softmax over rows: i-exp, narrowing, exact division, int8 probabilities."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._checks import int_scalar, row_length, signed_array
from .div import div
from .exp import check_exp_consts, exp
from .lopd import lopd
from .params import SoftmaxConsts
from .requant import mul_shift_round
from .widths import ACC_BITS, SOFTMAX_EXP_BITS, SOFTMAX_M, SOFTMAX_MAX_ROW, SOFTMAX_OUT_BITS


def softmax_exp_shift(qc: int) -> int:
    """Right shift that narrows i-exp outputs (at most ``qc``) to ``SOFTMAX_EXP_BITS`` unsigned bits."""
    return max(0, int(lopd(qc, 32)) + 1 - SOFTMAX_EXP_BITS)


def softmax(s: Any, consts: SoftmaxConsts) -> np.ndarray:
    """Integer softmax along the last axis.

    1. ``x = max(s - rowmax(s), -2**31)`` (<= 0; the clamp is below i-exp's own clamp, so it
       changes nothing but the width), then ``x = round_half_up(x / 2**in_shift)``;
    2. ``e = exp(x, consts.exp) >> es`` with ``es = max(0, lopd(qc) + 1 - 16)``: every narrowed exp is
       below 2**16, the row maximum is ``qc >> es``;
    3. ``sum = sum(e)`` (< 2**31 for rows up to 32768);
       ``factor = floor(2**31 / sum)`` (exact, :func:`golden.div`);
    4. ``out = min(round_half_up(e * factor / 2**23), 255)``.

    Args:
        s: int32 scores (..., N), at scale S (for attention, ``S_q * S_k / sqrt(d_head)``).
        consts: :class:`SoftmaxConsts` from :func:`golden.constants.softmax_consts` at scale S.

    Returns:
        uint8 array of ``s``'s shape, probabilities in [0, 255] at scale 2**-8 (the unsigned A
        operand of the P x V matmul, ``matmul(p, v, a_unsigned=True)``). A probability of one
        (255.5 or more) saturates to 255. Each output is within 1/2 LSB (+2**-8 from the floored
        factor) of ``256 * e_i / sum`` before saturation; see ``docs/numerics.md`` for the bound
        against float.
    """
    if not isinstance(consts, SoftmaxConsts):
        raise TypeError(f"consts: expected SoftmaxConsts, got {type(consts).__name__}")
    _, _, qc = check_exp_consts(consts.exp)
    in_shift = np.int64(int_scalar("in_shift", consts.in_shift, 0, ACC_BITS - 1))
    sa = signed_array("s", s, ACC_BITS)
    row_length("s", sa, 1, SOFTMAX_MAX_ROW)
    x = np.maximum(sa - sa.max(axis=-1, keepdims=True), -(1 << (ACC_BITS - 1)))
    x = mul_shift_round(x, np.int64(1), in_shift)
    e = exp(x, consts.exp).astype(np.int64) >> softmax_exp_shift(qc)
    total = e.sum(axis=-1, keepdims=True)
    factor = div(1 << SOFTMAX_M, total, bits=SOFTMAX_M + 1)
    out = mul_shift_round(e, factor, np.int64(SOFTMAX_M - SOFTMAX_OUT_BITS))
    return np.minimum(out, (1 << SOFTMAX_OUT_BITS) - 1).astype(np.uint8)
