"""The matmul with its fused epilogues, as the accelerator runs them: ``linear`` (requant),
``mm_gelu`` (bias, GELU, requant) and ``mm_ln`` (residual, LayerNorm, requant)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._checks import signed_array
from .gelu import gelu
from .layernorm import layernorm
from .matmul import matmul
from .params import Dense, GeluConsts, LayerNormParams, Rescale
from .requant import requant, residual_add
from .widths import ACC_BITS, ACT_BITS, RESID_BITS


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


def mm_ln(
    x: Any, dense: Dense, rq: Rescale, r: Any, res_rq: Rescale, ln: LayerNormParams, ln_rq: Rescale
) -> np.ndarray:
    """A projection with its residual and LayerNorm: the attention output and the FFN's second half.

    ``h = residual_add(x @ W, rq, b, r, res_rq)`` (22-bit), ``out = requant(layernorm(h, ln), ln_rq)``.

    Args:
        x: int8 activations (M, K); r: the int8 residual (M, N), N the hidden size.
        dense: int8 weights (K, N) and the int32 bias (N,); rq: the accumulator's requant into the
            22-bit residual scale; res_rq: the residual's (scalar or per channel).
        ln: :class:`LayerNormParams` over the N channels; ln_rq: its per-channel requant to int8.

    Returns:
        int8 (M, N). The accelerator's planned ``OP_MM_LN`` computes exactly this.
    """
    xa = signed_array("x", x, ACT_BITS, as_int64=False)
    h = residual_add(matmul(xa, dense.w), rq.m, rq.e, dense.bias, r, res_rq.m, res_rq.e, RESID_BITS)
    return requant(layernorm(h, ln), ln_rq.m, ln_rq.e)
