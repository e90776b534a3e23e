"""Integer parameter bundles consumed by the golden datapath (and, field for field, by the hardware).

Every field is an integer or an integer array: the float scales they were derived from live in
:mod:`golden.constants` and never reach the datapath.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class ExpConsts:
    """i-exp constants for an input scale S: ``x0 = floor(-ln2/S)``, ``qb = floor(b/S)``,
    ``qc = floor(c/S**2)``. Output scale ``a * S**2``."""

    x0: int
    qb: int
    qc: int


@dataclass(frozen=True)
class SoftmaxConsts:
    """Integer softmax constants: the scores are first divided by ``2**in_shift`` (round half up) so
    that i-exp sees a scale ``S * 2**in_shift`` its int32 form supports, then ``exp`` applies."""

    exp: ExpConsts
    in_shift: int = 0


@dataclass(frozen=True)
class GeluConsts:
    """i-GELU constants (scalars or per-channel vectors) for an input scale S, S' = S/sqrt(2):
    ``qb = floor(b/S')``, ``qc = floor(1/(a*S'**2))``, ``q1 = floor(1/(a*S'**2*2**14))``, and the
    output ``shift``. Output scale ``-S*a*S'**2*2**14/2 * 2**shift`` (positive)."""

    qb: Any
    qc: Any
    q1: Any
    shift: Any


@dataclass(frozen=True)
class Rescale:
    """A requant multiplier and shift (scalars or per-channel vectors): ratio ``m / 2**e``."""

    m: Any
    e: Any


@dataclass(frozen=True)
class Dense:
    """A linear layer in integers: int8 weights (K, N), int32 bias (N,) at the accumulator scale."""

    w: np.ndarray
    bias: np.ndarray

    def cols(self, sl: slice) -> "Dense":
        """The output columns ``sl`` of this layer (one attention head's slice)."""
        return Dense(self.w[:, sl], self.bias[sl])


@dataclass(frozen=True)
class LayerNormParams:
    """Integer LayerNorm: folded bias ``floor((beta/gamma)/S_ln)`` per channel (C,) and the output
    shift (I-BERT uses 1); output scale ``gamma * sqrt(C) * 2**shift / 2**31`` per channel."""

    bias: np.ndarray
    shift: int = 1


def _slice_rescale(r: Rescale, sl: slice) -> Rescale:
    def cut(v: Any) -> Any:
        a = np.asarray(v)
        return a[sl] if a.ndim else v

    return Rescale(cut(r.m), cut(r.e))


@dataclass(frozen=True)
class AttnHeadParams:
    """One attention head: Q/K/V projections (D, d_head) each with its int8 requant, the softmax
    (i-exp) constants at the score scale (1/sqrt(d_head) folded in), and the context requant."""

    q: Dense
    k: Dense
    v: Dense
    q_rq: Rescale
    k_rq: Rescale
    v_rq: Rescale
    softmax: SoftmaxConsts
    ctx_rq: Rescale


@dataclass(frozen=True)
class EncoderLayerParams:
    """One BERT encoder layer in integers (HF ``BertLayer`` wiring, post-LayerNorm).

    Attention: ``q, k, v`` (D, D) with per-channel ``*_rq`` to int8, ``softmax`` constants,
    ``ctx_rq`` (per-tensor) to int8, ``attn_out`` (D, D) with ``attn_rq`` (per channel) and
    ``attn_res`` (the int8 input's requant) into the 22-bit residual, ``ln1`` and ``ln1_rq``
    (per channel) to int8. FFN: ``ffn_in`` (D, F), ``gelu`` (per channel), ``gelu_rq`` and the
    int32 ``gelu_bias`` (per channel: the zero point of an asymmetric GELU-output grid) to int8,
    ``ffn_out`` (F, D) with ``ffn_rq`` and ``ffn_res`` into the 22-bit residual, ``ln2``,
    ``ln2_rq`` to the int8 layer output.
    """

    heads: int
    q: Dense
    k: Dense
    v: Dense
    q_rq: Rescale
    k_rq: Rescale
    v_rq: Rescale
    softmax: SoftmaxConsts
    ctx_rq: Rescale
    attn_out: Dense
    attn_rq: Rescale
    attn_res: Rescale
    ln1: LayerNormParams
    ln1_rq: Rescale
    ffn_in: Dense
    gelu: GeluConsts
    gelu_rq: Rescale
    ffn_out: Dense
    ffn_rq: Rescale
    ffn_res: Rescale
    ln2: LayerNormParams
    ln2_rq: Rescale
    gelu_bias: Any = 0

    @property
    def hidden(self) -> int:
        return int(self.q.w.shape[0])

    def head(self, h: int) -> AttnHeadParams:
        """The parameters of head ``h``: its column slice of Q/K/V and their requants."""
        if not 0 <= h < self.heads:
            raise ValueError(f"head: expected 0 <= h < {self.heads}, got {h}")
        dh = self.hidden // self.heads
        sl = slice(h * dh, (h + 1) * dh)
        return AttnHeadParams(
            q=self.q.cols(sl), k=self.k.cols(sl), v=self.v.cols(sl),
            q_rq=_slice_rescale(self.q_rq, sl), k_rq=_slice_rescale(self.k_rq, sl),
            v_rq=_slice_rescale(self.v_rq, sl), softmax=self.softmax, ctx_rq=self.ctx_rq,
        )

