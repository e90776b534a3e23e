"""An int8 linear layer in integers: the matmul with its requant epilogue (bias, per-channel scale)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._checks import signed_array
from .matmul import matmul
from .params import Dense, Rescale
from .requant import requant
from .widths import ACT_BITS


def linear(x: Any, dense: Dense, rq: Rescale) -> np.ndarray:
    """``requant(matmul(x, w), m, e, bias)``: int8 (..., K) in, int8 (..., N) out.

    Args:
        x: int8 activations (..., M, K).
        dense: :class:`Dense` with int8 weights (K, N) and the int32 bias (N,) at the accumulator scale.
        rq: :class:`Rescale` from the accumulator scale to the output's, scalar or per channel (N,).

    Returns:
        int8 (..., M, N). The accelerator's ``OP_LINEAR`` computes exactly this.
    """
    xa = signed_array("x", x, ACT_BITS, as_int64=False)
    return requant(matmul(xa, dense.w), rq.m, rq.e, dense.bias)
