"""Post-training quantization of one float encoder layer into :class:`golden.EncoderLayerParams`.

The I-BERT recipe: int8 weights symmetric per output channel, int32 biases at the accumulator
scale, int8 activations symmetric, 22-bit residual sums, and the nonlinear constants derived at the
scale each operation sees. Two refinements, both folded into integer constants offline so the
datapath is unchanged (:class:`Calibration`, measured in ``bench/model_fidelity.py``):

- activation clipping chosen per tensor from calibration data: the maximum magnitude, a
  percentile of it, or the clip that minimises the mean squared quantization error (MSE);
- LayerNorm outputs (the embedding output, LayerNorm-1 and LayerNorm-2) carry one scale per
  channel, ``S_j = S * f_j`` with ``f_j = (max|x_j| / max|x|) ** smooth``: the LayerNorm's
  per-channel requant produces it for free, the next linear layer absorbs ``f_j`` into its weight
  rows (SmoothQuant-style migration) and the residual path into a per-channel residual requant. A
  few outlier channels then no longer set the step of all the others;
- the GELU output, on an asymmetric grid (a zero point: GELU is bounded below), also with one
  step per channel, ``f_j = (span_j / max span) ** gelu_smooth``: its per-channel requant and
  zero point already exist, and the FFN's second projection absorbs ``f_j`` into its weight rows;
- bias correction: each projection's bias absorbs the mean error its rounded weights make on the
  calibration inputs, and the FFN's second bias the mean error of i-GELU and the GELU output's
  grid (Nagel et al., 2019: the mean of a quantization error is a bias, and a bias is free).

Float arithmetic is confined here and in :mod:`golden.constants`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import constants as C
from .float_ref import FloatEncoderLayer, encoder_layer as float_encoder_layer
from .gelu import gelu as int_gelu
from .params import Dense, EncoderLayerParams
from .requant import requant
from .weight_groups import code_max, expand, groups, max_multiplier
from .widths import ACC_BITS, ACT_BITS, RESID_BITS, SOFTMAX_OUT_BITS

METHODS = ("max", "percentile", "mse")
#: The weight widths the quantizer makes (signed, per output channel, in int8).
WEIGHT_BITS = (8, 6, 4)
#: The group sizes (input rows per group scale) the quantizer makes; 0: one scale per channel.
WEIGHT_GROUPS = (0, 32, 64, 128)
#: Bumped whenever the same settings would give other integers (the parameter cache's key has it).
#: 2: the int32 GELU output covers the zero-point grid's top code (it covered 130 steps of 255).
REVISION = 2
#: values drawn from a tensor to choose its clip (every value when it has fewer)
_CLIP_SAMPLE = 1 << 16


@dataclass(frozen=True)
class Calibration:
    """How activation scales are chosen from calibration data.

    ``method``: ``"max"`` (largest magnitude), ``"percentile"`` (the ``percentile``-th percentile of
    the magnitudes) or ``"mse"`` (the clip minimising the squared int8 rounding + clipping error).
    ``smooth``: exponent of the per-channel factor of LayerNorm outputs, 0 (one scale per tensor)
    to 1 (one scale per channel).
    ``gelu_zero``: an asymmetric int8 grid for the GELU output (see :func:`gelu_grid`);
    ``gelu_smooth``: exponent of its per-channel step, 0 (one step for the tensor) to 1.
    ``bias_correction``: fold the mean rounding error of the weights, and of i-GELU with the
    GELU output's grid, measured on the calibration data, into the biases.
    ``weight_bits``: the width of the weights, signed, symmetric per output channel (8, 6 or 4;
    held in int8, so the integer operations and the RTL are unchanged); ``weight_scope``: the
    projections it applies to, ``"all"`` or ``"ffn"`` (the FFN's two, the others at 8 bits).
    ``weight_group``: 0 (one scale per output channel), or 32, 64 or 128: the narrowed weights
    also get one integer multiplier per group of that many input rows and channel
    (:mod:`golden.weight_groups`, :func:`group_multipliers`; the weights stay int8).
    ``error_feedback``: round the weights one input channel at a time, each rounding error fed to
    the channels not yet rounded by the calibration inputs' second moments (:func:`gptq`), instead
    of round to nearest.

    The defaults are the best of the configurations ``bench/model_fidelity.py`` compares.
    """

    method: str = "max"
    percentile: float = 99.99
    smooth: float = 0.75
    gelu_zero: bool = True
    weight_bits: int = 8
    weight_scope: str = "all"
    error_feedback: bool = False
    gelu_smooth: float = 0.25
    bias_correction: bool = True
    weight_group: int = 0

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"method: expected one of {', '.join(METHODS)}, got {self.method!r}")
        if not 50.0 <= self.percentile <= 100.0:
            raise ValueError(f"percentile: expected 50..100, got {self.percentile!r}")
        if not 0.0 <= self.smooth <= 1.0:
            raise ValueError(f"smooth: expected 0..1, got {self.smooth!r}")
        if not 0.0 <= self.gelu_smooth <= 1.0:
            raise ValueError(f"gelu_smooth: expected 0..1, got {self.gelu_smooth!r}")
        if self.weight_bits not in WEIGHT_BITS:
            raise ValueError(f"weight_bits: expected one of {', '.join(map(str, WEIGHT_BITS))}, got {self.weight_bits!r}")
        if self.weight_scope not in ("all", "ffn"):
            raise ValueError(f"weight_scope: expected 'all' or 'ffn', got {self.weight_scope!r}")
        if self.weight_group not in WEIGHT_GROUPS:
            raise ValueError(f"weight_group: expected one of {', '.join(map(str, WEIGHT_GROUPS))}, got {self.weight_group!r}")
        if self.weight_group and self.weight_bits == ACT_BITS:
            raise ValueError(f"weight_group: group scales need weights narrower than {ACT_BITS} bits "
                             f"(an int8 code has no room for a multiplier), got weight_bits={self.weight_bits}")

    def bits(self, projection: str) -> int:
        """The weight width of ``projection`` (q, k, v, o, ffn_in, ffn_out)."""
        return self.weight_bits if self.weight_scope == "all" or projection.startswith("ffn") else ACT_BITS

    def group(self, projection: str) -> int:
        """The group size of ``projection``'s scales (0: one per output channel)."""
        return self.weight_group if self.bits(projection) < ACT_BITS else 0


#: I-BERT's own recipe (max calibration, one scale per tensor): no activation ever saturates on the
#: calibration data, which the derived error bounds of the tests and benches assume.
MAX_CALIBRATION = Calibration(method="max", smooth=0.0, gelu_zero=False, gelu_smooth=0.0, bias_correction=False)


@dataclass(frozen=True)
class QuantizedLayer:
    """The integer parameters, the real scales at the layer's input and output (scalars, or one per
    channel for LayerNorm outputs), and every intermediate real scale by name (``q``, ``k``, ``v``,
    ``ctx`` activations; ``*_acc`` per-channel accumulator scales; ``h1``, ``h2`` residuals;
    ``a1``, ``g`` activations)."""

    params: EncoderLayerParams
    in_scale: Any
    out_scale: Any
    scales: dict


def clip_value(x: np.ndarray, cal: Calibration, bits: int = ACT_BITS) -> float:
    """The magnitude that maps to the largest code of signed ``bits``, chosen by ``cal.method``."""
    a = np.abs(np.asarray(x, dtype=np.float64)).reshape(-1)
    top = float(a.max()) if a.size else 0.0
    if top == 0.0 or cal.method == "max":
        return top
    if cal.method == "percentile":
        return float(np.percentile(a, cal.percentile))
    if a.size > _CLIP_SAMPLE:
        a = np.random.default_rng(0).choice(a, _CLIP_SAMPLE, replace=False)
    levels = (1 << (bits - 1)) - 1
    clips = top * np.linspace(0.05, 1.0, 96)
    steps = clips[:, None] / levels
    err = np.sum((a - np.minimum(np.floor(a / steps + 0.5), levels) * steps) ** 2, axis=1)
    return float(clips[int(np.argmin(err))])


def act_scale(x: np.ndarray, cal: Calibration, bits: int = ACT_BITS) -> float:
    """One symmetric scale for the whole tensor ``x``."""
    return C.symmetric_scale(clip_value(x, cal, bits), bits)


def channel_scales(x: np.ndarray, cal: Calibration, bits: int = ACT_BITS) -> np.ndarray:
    """One scale per channel (last axis) for a LayerNorm output: ``S * f_j`` (module docstring)."""
    m = np.abs(x).reshape(-1, x.shape[-1]).max(axis=0)
    top = float(m.max())
    if top == 0.0:
        return np.ones(x.shape[-1])
    f = (np.maximum(m, top * 1e-6) / top) ** cal.smooth
    return act_scale(x / f, cal, bits) * f


def gelu_grid(g: np.ndarray, cal: Calibration) -> tuple[Any, Any]:
    """The int8 grid of the GELU output: its scale and (real) zero point, ``code = g / S + z``.

    Symmetric (``z = 0``) unless ``cal.gelu_zero``: GELU is bounded below (about -0.17), so the
    255 steps then span [min g, clip] instead of [-clip, clip], the clip chosen on ``g - min g``
    as for a 9-bit symmetric grid (255 positive steps). With ``cal.gelu_smooth`` > 0 the scale
    and zero point are per channel: ``S_j = S * f_j``, ``f_j = (span_j / max span) ** gelu_smooth``
    with each channel's span measured from its own low end, S chosen on ``(g - low) / f``.
    """
    g2 = np.asarray(g, dtype=np.float64).reshape(-1, g.shape[-1])
    per_channel = cal.gelu_smooth > 0
    if not cal.gelu_zero:
        low = 0.0
    else:
        low = np.minimum(g2.min(axis=0), 0.0) if per_channel else min(float(g2.min()), 0.0)
    span = (g2 - low).max(axis=0) if cal.gelu_zero else np.abs(g2).max(axis=0)
    top = float(span.max())
    if top == 0.0:
        return 1.0, 0.0
    f = (np.maximum(span, top * 1e-6) / top) ** cal.gelu_smooth if per_channel else 1.0
    if cal.gelu_zero:
        s = clip_value((g2 - low) / f, cal, ACT_BITS + 1) / (2**ACT_BITS - 1) * f
    else:
        s = act_scale(g2 / f, cal) * f
    return s, -(2 ** (ACT_BITS - 1)) - low / s if cal.gelu_zero else 0.0


def gptq(w_real: np.ndarray, scale: np.ndarray, bits: int, x: np.ndarray, damp: float = 0.01) -> np.ndarray:
    """Weights (K, N) rounded to signed ``bits`` at ``scale``: per output channel (N,), or per
    weight (K, N) for group scales; one input
    channel (row) at a time in order, each row's rounding error spread over the rows not yet
    rounded so that ``x @ W`` moves least (GPTQ, Frantar et al., 2022: optimal brain
    quantization with the inverse Hessian's Cholesky factor). ``x`` (T, K): calibration inputs at
    the integer input's scale; ``damp``: the fraction of the mean diagonal added to it. Float
    arithmetic picks the integers; what golden computes with them stays integer."""
    k = w_real.shape[0]
    h = x.T @ x
    h[np.diag_indices(k)] += damp * max(float(np.mean(np.diag(h))), 1e-12)
    u = np.linalg.cholesky(np.linalg.inv(h)).T  # upper: U^T U = H^-1
    w = np.array(w_real, dtype=np.float64)
    lo, hi = -(2 ** (bits - 1)) + 1, 2 ** (bits - 1) - 1
    q = np.empty(w.shape, dtype=np.int64)
    step = np.broadcast_to(scale, w.shape)
    for i in range(k):
        q[i] = np.clip(np.floor(w[i] / step[i] + 0.5), lo, hi)
        err = (w[i] - q[i] * step[i]) / u[i, i]
        w[i + 1:] -= np.outer(u[i, i + 1:], err)
    return q


def group_multipliers(w_real: np.ndarray, bits: int, group: int) -> tuple[np.ndarray, np.ndarray]:
    """Group scales for real weights (K, N) at signed ``bits``: the unit step per channel (N,), the
    accumulator scale, and the integer multipliers (ceil(K / group), N). The channel's largest group
    gets ``max_multiplier(bits)``; every other group the smallest multiplier whose codes still reach
    its largest magnitude, ``ceil(max_g / (code_max * unit))``, so no weight clips."""
    k, n = w_real.shape
    top, cmax = code_max(bits), max_multiplier(bits)
    unit = C.symmetric_scale(np.max(np.abs(w_real), axis=0), bits) / cmax
    padded = np.zeros((groups(k, group) * group, n))
    padded[:k] = np.abs(w_real)
    g_max = padded.reshape(-1, group, n).max(axis=1)
    need = g_max / (top * unit) * (1 - 1e-12)  # the channel's top group: cmax, not cmax + 1 ulp
    return unit, np.clip(np.ceil(need), 1, cmax).astype(np.int64)


def _dense(w: np.ndarray, b: np.ndarray, in_scale: Any, bits: int = ACT_BITS,
           x: np.ndarray | None = None, mean_in: np.ndarray | None = None,
           group: int = 0) -> tuple[Dense, np.ndarray]:
    """Per-output-channel ``bits``-bit weights (in int8) and the int32 bias for an input at
    ``in_scale`` (scalar or one per input channel, absorbed into the weight rows); returns the
    accumulator scale (N,). With ``group``, each group of that many input rows also has its
    integer multiplier (:func:`group_multipliers`) and the int8 weights are codes times
    multipliers (:func:`golden.weight_groups.expand`). With ``x`` (the real calibration inputs),
    :func:`gptq` rounds them; with ``mean_in`` (their mean, (K,)), the bias absorbs the mean error
    the rounded weights make."""
    s_in = np.reshape(np.asarray(in_scale, dtype=np.float64), (-1, 1))
    w_real = w * s_in
    if group:
        acc, mult = group_multipliers(w_real, bits, group)
        step = np.repeat(mult, group, axis=0)[: w.shape[0]] * acc
    else:
        acc = C.symmetric_scale(np.max(np.abs(w_real), axis=0), bits)
        step = acc
    top = code_max(bits)
    if x is None:
        codes = np.clip(C.quantize(w_real, step, bits), -top, top)
    else:
        codes = gptq(w_real, step, bits, np.asarray(x, dtype=np.float64) / s_in.T)
    w_q = expand(codes, mult, group, bits) if group else codes.astype(np.int8)
    if mean_in is not None:
        b = b - mean_in @ (w_q * acc / s_in - w)
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


def quantize_layer(
    layer: FloatEncoderLayer, calib, in_scale: Any, cal: Calibration = Calibration()
) -> QuantizedLayer:
    """Quantize ``layer`` with activation ranges taken from running it on ``calib``: one (T, D)
    sequence or a list of them (each sequence attends only to itself).

    ``in_scale`` is the real scale of the int8 input the integer layer will receive: a scalar, or
    one per channel (D,) when the input is a LayerNorm output quantized by :func:`channel_scales`.
    """
    t = calibration_trace(layer, calib)
    t["x"] = np.concatenate([calib] if isinstance(calib, np.ndarray) else list(calib))

    def fb(name: str) -> np.ndarray | None:  # a projection's inputs, for the error feedback
        return t[name] if cal.error_feedback else None

    def mu(name: str) -> np.ndarray | None:  # their mean, for the bias correction
        return np.mean(t[name], axis=0) if cal.bias_correction else None
    d = layer.wq.shape[0]
    dh = d // layer.heads
    resid_max = (1 << (RESID_BITS - 1)) - 1

    s_q, s_k, s_v, s_c = (act_scale(t[n], cal) for n in ("q", "k", "v", "ctx"))
    q, acc_q = _dense(layer.wq, layer.bq, in_scale, cal.bits("q"), fb("x"), mu("x"), cal.group("q"))
    k, acc_k = _dense(layer.wk, layer.bk, in_scale, cal.bits("k"), fb("x"), mu("x"), cal.group("k"))
    v, acc_v = _dense(layer.wv, layer.bv, in_scale, cal.bits("v"), fb("x"), mu("x"), cal.group("v"))
    softmax = C.softmax_consts(s_q * s_k / math.sqrt(dh))
    ctx_rq = C.requant_params(2.0**-SOFTMAX_OUT_BITS * s_v / s_c)

    s_h1 = float(np.max(np.abs(t["h1"]))) / resid_max
    attn_out, acc_o = _dense(layer.wo, layer.bo, s_c, cal.bits("o"), fb("ctx"), mu("ctx"), cal.group("o"))
    ln1, ln1_scale = C.layernorm_consts(layer.ln1_g, layer.ln1_b)
    s_a1 = channel_scales(t["a1"], cal)

    ffn_in, acc_f = _dense(layer.w1, layer.b1, s_a1, cal.bits("ffn_in"), fb("a1"), mu("a1"),
                          cal.group("ffn_in"))
    s_g, g_zero = gelu_grid(t["g"], cal)
    # The int32 GELU output covers the real value of the top int8 code and two steps past it
    # (127 - z steps above zero: 255 with the zero point, 127 without), and |gelu_bias| < 2**31.
    top_code = (2 ** (ACT_BITS - 1) - 1) - g_zero
    gelu_shift = C.gelu_shift(acc_f, (top_code + 2) * s_g)
    gelu, gelu_scale = C.gelu_consts(acc_f, gelu_shift)
    gelu_bias = C.quantize(g_zero * s_g / gelu_scale, 1.0, ACC_BITS)
    gelu_rq = C.requant_params(gelu_scale / s_g)
    realized = gelu_bias * gelu_scale / s_g  # the zero point as the integers realize it
    b2 = layer.b2
    if cal.bias_correction:  # the mean error of i-GELU and the int8 grid, on the calibration data
        code = requant(int_gelu(C.quantize(t["f"], acc_f, ACC_BITS), gelu), gelu_rq.m, gelu_rq.e, gelu_bias)
        b2 = b2 - np.mean((code - realized) * s_g - t["g"], axis=0) @ layer.w2
    ffn_out, acc_2 = _dense(layer.w2, b2, s_g, cal.bits("ffn_out"), fb("g"), mu("g"), cal.group("ffn_out"))
    if cal.gelu_zero:  # the realized zero point, summed through W2, leaves the accumulator
        bias = C.quantize(ffn_out.bias - realized @ ffn_out.w.astype(np.float64), 1.0, ACC_BITS)
        ffn_out = Dense(ffn_out.w, bias.astype(np.int32))
    s_h2 = float(np.max(np.abs(t["h2"]))) / resid_max
    ln2, ln2_scale = C.layernorm_consts(layer.ln2_g, layer.ln2_b)
    s_out = channel_scales(t["out"], cal)

    params = EncoderLayerParams(
        heads=layer.heads,
        q=q, k=k, v=v,
        q_rq=C.requant_params(acc_q / s_q), k_rq=C.requant_params(acc_k / s_k),
        v_rq=C.requant_params(acc_v / s_v),
        softmax=softmax, ctx_rq=ctx_rq,
        attn_out=attn_out, attn_rq=C.requant_params(acc_o / s_h1),
        attn_res=C.requant_params(in_scale / s_h1),
        ln1=ln1, ln1_rq=C.requant_params(ln1_scale / s_a1),
        ffn_in=ffn_in, gelu=gelu, gelu_rq=gelu_rq,
        ffn_out=ffn_out, ffn_rq=C.requant_params(acc_2 / s_h2),
        ffn_res=C.requant_params(s_a1 / s_h2),
        ln2=ln2, ln2_rq=C.requant_params(ln2_scale / s_out),
        gelu_bias=gelu_bias.astype(np.int32) if cal.gelu_zero else 0,
    )
    scales = dict(
        q=s_q, k=s_k, v=s_v, ctx=s_c, h1=s_h1, a1=s_a1, g=s_g, g_zero=g_zero, h2=s_h2,
        q_acc=acc_q, k_acc=acc_k, v_acc=acc_v, attn_acc=acc_o, ffn_in_acc=acc_f, ffn_out_acc=acc_2,
    )
    return QuantizedLayer(params=params, in_scale=in_scale, out_scale=s_out, scales=scales)
