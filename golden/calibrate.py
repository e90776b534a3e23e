"""Post-training quantization of one float encoder layer into :class:`golden.EncoderLayerParams`.

The I-BERT recipe: int8 weights symmetric per output channel, int32 biases at the accumulator
scale, int8 activations symmetric per tensor with scales calibrated by the maximum magnitude seen
on calibration data, 22-bit residual sums, and the nonlinear constants derived at the scale each
operation sees. Float arithmetic is confined here and in :mod:`golden.constants`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import constants as C
from .float_ref import FloatEncoderLayer, encoder_layer as float_encoder_layer
from .params import Dense, EncoderLayerParams
from .widths import ACC_BITS, ACT_BITS, RESID_BITS, SOFTMAX_OUT_BITS


@dataclass(frozen=True)
class QuantizedLayer:
    """The integer parameters, the real scales at the layer's input and output, and every
    intermediate real scale by name (``q``, ``k``, ``v``, ``ctx`` activations; ``*_acc``
    per-channel accumulator scales; ``h1``, ``h2`` residuals; ``a1``, ``g`` activations)."""

    params: EncoderLayerParams
    in_scale: float
    out_scale: float
    scales: dict


def _act_scale(x: np.ndarray, bits: int = ACT_BITS) -> float:
    return C.symmetric_scale(float(np.max(np.abs(x))), bits)


def _dense(w: np.ndarray, b: np.ndarray, in_scale: float) -> tuple[Dense, np.ndarray]:
    """Per-output-channel int8 weights and the int32 bias; returns the accumulator scale (N,)."""
    sw = C.symmetric_scale(np.max(np.abs(w), axis=0), ACT_BITS)
    acc = in_scale * sw
    w_q = C.quantize(w, sw, ACT_BITS).astype(np.int8)
    return Dense(w_q, C.quantize(b, acc, ACC_BITS).astype(np.int32)), acc


def calibration_trace(layer: FloatEncoderLayer, calib) -> dict[str, np.ndarray]:
    """Run ``layer`` on each calibration sequence (T_i, D) and stack every intermediate tensor's
    rows (attention stays within a sequence). ``calib`` is one (T, D) array or a list of them."""
    seqs = [calib] if isinstance(calib, np.ndarray) else list(calib)
    d = layer.wq.shape[0]
    traces = []
    for x in seqs:
        if x.ndim != 2 or x.shape[1] != d:
            raise ValueError(f"calib: expected (T, {d}) activations, got {x.shape}")
        t: dict[str, np.ndarray] = {}
        float_encoder_layer(x.astype(np.float64), layer, trace=t)
        traces.append(t)
    if not traces:
        raise ValueError("calib: expected at least one calibration sequence")
    return {k: np.concatenate([t[k] for t in traces]) for k in traces[0]}


def quantize_layer(layer: FloatEncoderLayer, calib, in_scale: float) -> QuantizedLayer:
    """Quantize ``layer`` with activation ranges taken from running it on ``calib``: one (T, D)
    sequence or a list of them (each sequence attends only to itself).

    ``in_scale`` is the real scale of the int8 input the integer layer will receive.
    """
    t = calibration_trace(layer, calib)
    d = layer.wq.shape[0]
    dh = d // layer.heads
    resid_max = (1 << (RESID_BITS - 1)) - 1

    s_q, s_k, s_v, s_c = (_act_scale(t[n]) for n in ("q", "k", "v", "ctx"))
    q, acc_q = _dense(layer.wq, layer.bq, in_scale)
    k, acc_k = _dense(layer.wk, layer.bk, in_scale)
    v, acc_v = _dense(layer.wv, layer.bv, in_scale)
    softmax = C.softmax_consts(s_q * s_k / math.sqrt(dh))
    ctx_rq = C.requant_params(2.0**-SOFTMAX_OUT_BITS * s_v / s_c)

    s_h1 = float(np.max(np.abs(t["h1"]))) / resid_max
    attn_out, acc_o = _dense(layer.wo, layer.bo, s_c)
    ln1, ln1_scale = C.layernorm_consts(layer.ln1_g, layer.ln1_b)
    s_a1 = _act_scale(t["a1"])

    ffn_in, acc_f = _dense(layer.w1, layer.b1, s_a1)
    s_g = _act_scale(t["g"])
    gelu_shift = C.gelu_shift(acc_f, (2 ** (ACT_BITS - 1)) * s_g)
    gelu, gelu_scale = C.gelu_consts(acc_f, gelu_shift)
    ffn_out, acc_2 = _dense(layer.w2, layer.b2, s_g)
    s_h2 = float(np.max(np.abs(t["h2"]))) / resid_max
    ln2, ln2_scale = C.layernorm_consts(layer.ln2_g, layer.ln2_b)
    s_out = _act_scale(t["out"])

    params = EncoderLayerParams(
        heads=layer.heads,
        q=q, k=k, v=v,
        q_rq=C.requant_params(acc_q / s_q), k_rq=C.requant_params(acc_k / s_k),
        v_rq=C.requant_params(acc_v / s_v),
        softmax=softmax, ctx_rq=ctx_rq,
        attn_out=attn_out, attn_rq=C.requant_params(acc_o / s_h1),
        attn_res=C.requant_params(in_scale / s_h1),
        ln1=ln1, ln1_rq=C.requant_params(ln1_scale / s_a1),
        ffn_in=ffn_in, gelu=gelu, gelu_rq=C.requant_params(gelu_scale / s_g),
        ffn_out=ffn_out, ffn_rq=C.requant_params(acc_2 / s_h2),
        ffn_res=C.requant_params(s_a1 / s_h2),
        ln2=ln2, ln2_rq=C.requant_params(ln2_scale / s_out),
    )
    scales = dict(
        q=s_q, k=s_k, v=s_v, ctx=s_c, h1=s_h1, a1=s_a1, g=s_g, h2=s_h2,
        q_acc=acc_q, k_acc=acc_k, v_acc=acc_v, attn_acc=acc_o, ffn_in_acc=acc_f, ffn_out_acc=acc_2,
    )
    return QuantizedLayer(params=params, in_scale=in_scale, out_scale=s_out, scales=scales)
