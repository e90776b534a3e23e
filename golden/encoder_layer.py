"""One BERT encoder layer in integers, composed of the golden pieces in dataflow order."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._checks import signed_array
from .attn_head import attention_core
from .linear import linear, mm_gelu, mm_ln
from .params import EncoderLayerParams
from .widths import ACT_BITS


def _all_heads(x: np.ndarray, p: EncoderLayerParams) -> np.ndarray:
    """``concat_h attn_head(x, p.head(h))``, computed for all heads at once.

    The projections are per output column and softmax is per row, so projecting all D columns in
    one matmul and running the attention core with a leading head axis is bit-identical to the
    per-head composition (``tests/test_encoder_layer.py`` checks it); only the batching differs.
    """
    t, d = x.shape
    dh = d // p.heads

    def heads(a: np.ndarray) -> np.ndarray:  # (T, D) -> (H, T, dh)
        return a.reshape(t, p.heads, dh).transpose(1, 0, 2)

    q, k, v = (heads(linear(x, dense, rq)) for dense, rq in ((p.q, p.q_rq), (p.k, p.k_rq), (p.v, p.v_rq)))
    ctx = attention_core(q, k, v, p.head(0))  # the core reads only the head-independent constants
    return ctx.transpose(1, 0, 2).reshape(t, d)


def encoder_layer(x: Any, p: EncoderLayerParams) -> np.ndarray:
    """Integer BERT encoder layer (post-LayerNorm, HF ``BertLayer`` wiring).

    1. ``ctx = concat_h attn_head(x, p.head(h))`` (int8, T x D; all heads in one batch);
    2. ``a1 = mm_ln(ctx, attn_out, attn_rq, x, attn_res, ln1, ln1_rq)``:
       ``h1 = residual_add(ctx @ Wo, attn_rq, bo, x, attn_res)`` (22-bit),
       ``a1 = requant(layernorm(h1, ln1), ln1_rq)`` (int8);
    3. ``g = mm_gelu(a1, ffn_in, gelu, gelu_rq, gelu_bias)``: ``f = gelu(sat32(a1 @ W1 + b1))``,
       ``g = requant(f + gelu_bias, gelu_rq)`` (int8);
    4. ``out = mm_ln(g, ffn_out, ffn_rq, a1, ffn_res, ln2, ln2_rq)`` (int8).

    Args:
        x: int8 (T, D) layer input.
        p: :class:`EncoderLayerParams`, D divisible by ``p.heads``.

    Returns:
        int8 (T, D) layer output at the scale ``p.ln2_rq`` targets.
    """
    xa = signed_array("x", x, ACT_BITS, as_int64=False)
    if xa.ndim != 2 or xa.shape[1] != p.hidden:
        raise ValueError(f"x: expected (T, {p.hidden}) token activations, got shape {xa.shape}")
    if p.heads < 1 or p.hidden % p.heads:
        raise ValueError(f"heads: expected a divisor of the hidden size {p.hidden}, got {p.heads}")
    ctx = _all_heads(xa, p)
    a1 = mm_ln(ctx, p.attn_out, p.attn_rq, xa, p.attn_res, p.ln1, p.ln1_rq)
    g = mm_gelu(a1, p.ffn_in, p.gelu, p.gelu_rq, p.gelu_bias)
    return mm_ln(g, p.ffn_out, p.ffn_rq, a1, p.ffn_res, p.ln2, p.ln2_rq)
