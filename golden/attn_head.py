"""One attention head in integers: projections, scores, integer softmax, context."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._checks import signed_array
from .linear import linear
from .matmul import matmul
from .params import AttnHeadParams
from .requant import requant
from .softmax import softmax
from .widths import ACT_BITS


def attention_core(q: np.ndarray, k: np.ndarray, v: np.ndarray, p: AttnHeadParams) -> np.ndarray:
    """The attention core on int8 Q, K, V of shape (..., T, d_head); leading axes are heads.

    ``requant(softmax(Q @ K.T) @ V, ctx_rq)``: the same operations for every head, so an encoder
    layer can run all heads in one call (bit-identical to one :func:`attn_head` per head).
    """
    scores = matmul(q, np.swapaxes(k, -1, -2))
    prob = softmax(scores, p.softmax)
    return requant(matmul(prob, v, a_unsigned=True), p.ctx_rq.m, p.ctx_rq.e)


def qkv_columns(heads: int, d_head: int) -> np.ndarray:
    """The column order of the fused QKV projection the accelerator's attention reads: head by head,
    each head's Q, K and V columns side by side (``[Q_0 K_0 V_0 Q_1 K_1 V_1 ...]``), as indices into
    ``[Q | K | V]`` (3D columns)."""
    d = heads * d_head
    return np.concatenate([np.arange(h * d_head, (h + 1) * d_head) + i * d for h in range(heads) for i in range(3)])


def attention(qkv: Any, heads: int, p: AttnHeadParams) -> np.ndarray:
    """All heads of the attention core on the fused projection's int8 output (T, 3D) in
    :func:`qkv_columns` order: the context (T, D), head h in columns ``h*d_head .. (h+1)*d_head``.
    The accelerator's ``OP_ATTENTION`` computes exactly this."""
    qa = signed_array("qkv", qkv, ACT_BITS, as_int64=False)
    if qa.ndim != 2 or heads < 1 or qa.shape[1] % (3 * heads):
        raise ValueError(f"qkv: expected (T, 3 * heads * d_head) with {heads} heads, got shape {qa.shape}")
    t, dh = qa.shape[0], qa.shape[1] // (3 * heads)
    per = qa.reshape(t, heads, 3, dh).transpose(2, 1, 0, 3)  # (3, H, T, dh)
    ctx = attention_core(per[0], per[1], per[2], p)
    return ctx.transpose(1, 0, 2).reshape(t, heads * dh)


def attn_head(x: Any, p: AttnHeadParams) -> np.ndarray:
    """Integer self-attention of one head.

    ``Q, K, V = requant(x @ W + b)`` (int8, per-channel weights, per-tensor activations);
    ``S = Q @ K.T`` (int32; 1/sqrt(d_head) lives in the softmax constants' scale);
    ``P = softmax(S)`` (uint8 in [0, 255], scale 2**-8); ``out = requant(P @ V)`` (int8), the
    product taking P as an unsigned operand.

    Args:
        x: int8 (T, D) token activations.
        p: :class:`AttnHeadParams` with (D, d_head) projections.

    Returns:
        int8 (T, d_head) context at the scale ``p.ctx_rq`` targets.
    """
    xa = signed_array("x", x, ACT_BITS, as_int64=False)
    if xa.ndim != 2:
        raise ValueError(f"x: expected (T, D) token activations, got shape {xa.shape}")
    return attention_core(linear(xa, p.q, p.q_rq), linear(xa, p.k, p.k_rq), linear(xa, p.v, p.v_rq), p)
