"""The matmul with its fused epilogues, as the accelerator runs them: ``linear`` (requant) and
``mm_gelu`` (bias, GELU, requant)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._checks import signed_array
from .gelu import gelu
from .matmul import matmul
from .params import Dense, GeluConsts, Rescale
from .requant import requant
from .widths import ACC_BITS, ACT_BITS


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


def mm_gelu(x: Any, dense: Dense, consts: GeluConsts, rq: Rescale, gelu_bias: Any = 0) -> np.ndarray:
    """The FFN's first half: ``requant(gelu(sat32(x @ W + b)), m, e, gelu_bias)``, int8 out.

    Args:
        x: int8 activations (..., M, K).
        dense: int8 weights (K, N) and the int32 bias (N,) at the accumulator scale.
        consts: :class:`GeluConsts` at the accumulator scale (per channel).
        rq: the requant from GELU's output scale to the int8 output's, scalar or per channel.
        gelu_bias: int32 added before that requant (the output grid's zero point), scalar or (N,).

    Returns:
        int8 (..., M, N). The bias add is a requant in bypass (m = 1, e = 0: an exact sum saturated
        to int32). The accelerator's ``OP_MM_GELU`` computes exactly this.
    """
    xa = signed_array("x", x, ACT_BITS, as_int64=False)
    f = gelu(requant(matmul(xa, dense.w), 1, 0, dense.bias, ACC_BITS), consts)
    return requant(f, rq.m, rq.e, gelu_bias)
