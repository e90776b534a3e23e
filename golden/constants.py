"""The float side of the kit: integer constants derived from real scales, and dequantization.

This is the only golden module that touches floating point. It runs offline (in the quantizer or a
test), turns scales into the integers of :mod:`golden.params`, and maps integers back to real values
for comparison. Nothing here is part of the datapath the RTL implements.

Every scale must be a finite positive real; anything else raises ``ValueError``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .params import ExpConsts, GeluConsts, LayerNormParams, Rescale, SoftmaxConsts
from .widths import (
    GELU_ERF_SHIFT,
    GELU_OUT_BITS,
    LN_DIV_BITS,
    LN_OUT_BITS,
    REQUANT_E_MAX,
    REQUANT_M_BITS,
)

#: i-exp polynomial, exp(p) ~= a * (p**2 + b*p + c) on (-ln2, 0] (I-BERT's fit 0.3585(p+1.353)^2+0.344).
EXP_A = 0.35815147
EXP_B = 0.96963238 / EXP_A
EXP_C = 1.0 / EXP_A

#: i-GELU's erf fit, erf(x) ~= sign(x) * (a * (min(|x|, -b) + b)**2 + 1).
GELU_A = -0.2888
GELU_B = -1.769


def _scale(name: str, s: Any) -> np.ndarray:
    arr = np.asarray(s, dtype=np.float64)
    if not np.all(np.isfinite(arr)) or np.any(arr <= 0):
        raise ValueError(f"{name}: expected finite positive scale(s), got {s!r}")
    return arr


def _floor_int(x: np.ndarray) -> Any:
    """Floor to Python int (scalar) or int64 array."""
    f = np.floor(x)
    return int(f) if f.ndim == 0 else f.astype(np.int64)


def requant_params(ratio: Any) -> Rescale:
    """``m, e`` with ``ratio ~= m / 2**e``, ``2**30 <= |m| < 2**31``, for :func:`golden.requant`.

    ``ratio`` is ``S_in / S_out`` (scalar or per-channel array), nonzero and finite; it may be
    negative (a LayerNorm gamma below zero). The mantissa is rounded half up; the rounding edge that
    yields exactly 2**31 is renormalized to 2**30 with ``e - 1``. A ratio too small for ``e <= 63``
    keeps ``e = 63`` with a smaller ``m`` (down to 0); a ratio of 2**31 or more raises.
    """
    r = np.asarray(ratio, dtype=np.float64)
    if not np.all(np.isfinite(r)) or np.any(r == 0):
        raise ValueError(f"ratio: expected finite nonzero scale ratio(s), got {ratio!r}")
    ms, es = [], []
    m_max = (1 << (REQUANT_M_BITS - 1)) - 1
    for v in r.reshape(-1):
        mant, ex = math.frexp(abs(float(v)))  # |v| = mant * 2**ex, mant in [0.5, 1)
        m = math.floor(mant * 2**31 + 0.5)
        e = 31 - ex
        if m == 1 << 31:
            m, e = 1 << 30, e - 1
        if e < 0:
            raise ValueError(f"ratio: {v!r} needs a left shift (|ratio| >= 2**31); not supported")
        if e > REQUANT_E_MAX:
            m = math.floor(abs(float(v)) * 2.0**REQUANT_E_MAX + 0.5)
            e = REQUANT_E_MAX
        ms.append(int(math.copysign(min(m, m_max), v)))
        es.append(e)
    if r.ndim == 0:
        return Rescale(ms[0], es[0])
    return Rescale(np.array(ms, dtype=np.int64).reshape(r.shape), np.array(es, dtype=np.int64).reshape(r.shape))


def rescale_ratio(rs: Rescale) -> Any:
    """The real ratio ``m / 2**e`` a :class:`Rescale` stands for."""
    return np.asarray(rs.m, dtype=np.float64) / 2.0 ** np.asarray(rs.e, dtype=np.float64)


def exp_consts(scale: float) -> tuple[ExpConsts, float]:
    """i-exp constants for input scale ``S``, and the output scale ``a * S**2``."""
    s = float(_scale("scale", scale))
    consts = ExpConsts(
        x0=math.floor(-math.log(2.0) / s),
        qb=math.floor(EXP_B / s),
        qc=math.floor(EXP_C / s**2),
    )
    return consts, EXP_A * s**2


#: Finest i-exp input scale whose ``qc = floor(c / S**2)`` fits int32 (with a little margin).
EXP_MIN_SCALE = math.sqrt(EXP_C / 2.0**31) * 1.001


def softmax_consts(scale: float) -> SoftmaxConsts:
    """Softmax constants for scores at ``scale``: the smallest ``in_shift`` that brings the scale
    to at least ``EXP_MIN_SCALE`` (about 3.6e-5), and the i-exp constants at the shifted scale.
    Probabilities come out at the fixed scale 2**-SOFTMAX_OUT_BITS (2**-8)."""
    s = float(_scale("scale", scale))
    shift = max(0, math.ceil(math.log2(EXP_MIN_SCALE / s)))
    return SoftmaxConsts(exp=exp_consts(s * 2.0**shift)[0], in_shift=shift)


def gelu_consts(scale: Any, shift: Any = 0) -> tuple[GeluConsts, Any]:
    """i-GELU constants for input scale(s) ``S`` (scalar or per channel), and the output scale(s).

    ``S' = S / sqrt(2)``; ``qb = floor(b/S')``, ``qc = floor(1/(a*S'**2))``,
    ``q1 = floor(1/(a*S'**2*2**14))``. The datapath negates I-BERT's product so that the output
    scale ``-S * a*S'**2*2**14 / 2 * 2**shift`` is positive (a < 0).
    """
    s = _scale("scale", scale)
    sh = np.asarray(shift, dtype=np.int64)
    sp = s / math.sqrt(2.0)
    consts = GeluConsts(
        qb=_floor_int(GELU_B / sp),
        qc=_floor_int(1.0 / (GELU_A * sp**2)),
        q1=_floor_int(1.0 / (GELU_A * sp**2 * 2.0**GELU_ERF_SHIFT)),
        shift=int(sh) if sh.ndim == 0 else sh,
    )
    out_scale = -s * GELU_A * sp**2 * 2.0**GELU_ERF_SHIFT / 2.0 * 2.0**sh
    return consts, (float(out_scale) if out_scale.ndim == 0 else out_scale)


def gelu_shift(scale: Any, out_max: Any) -> Any:
    """The smallest i-GELU output shift whose int32 range still covers real values up to ``out_max``.

    With it, the int32 GELU output saturates only above ``out_max`` (choose the largest value the
    following int8 requant can represent, so saturation there changes nothing downstream).
    """
    s = _scale("scale", scale)
    out_max = _scale("out_max", out_max)
    sp = s / math.sqrt(2.0)
    base = -s * GELU_A * sp**2 * 2.0**GELU_ERF_SHIFT / 2.0
    need = out_max / ((1 << (GELU_OUT_BITS - 1)) - 1) / base
    sh = np.maximum(0, np.ceil(np.log2(np.maximum(need, 1e-300)))).astype(np.int64)
    return int(sh) if sh.ndim == 0 else sh


def layernorm_norm_scale(channels: int, shift: int) -> float:
    """Real value of one unit of the LayerNorm output before gamma: ``sqrt(C) * 2**shift / 2**31``."""
    return math.sqrt(channels) * 2.0**shift / 2.0**LN_DIV_BITS


def layernorm_consts(gamma: Any, beta: Any) -> tuple[LayerNormParams, np.ndarray]:
    """Folded-bias LayerNorm parameters for real ``gamma``, ``beta`` (C,), and the per-channel
    output scale ``gamma * sqrt(C) * 2**shift / 2**31``.

    The shift is the smallest (>= 1, I-BERT's value) for which the normalized value (at most
    ``2**(31 - shift)`` in magnitude, since |y_i| <= sqrt(C) * std) plus the folded bias
    ``floor((beta/gamma) / S_norm)`` always fits int32, so the output never saturates. A zero gamma
    has no folded form and raises ``ValueError``.
    """
    g = np.asarray(gamma, dtype=np.float64)
    b = np.asarray(beta, dtype=np.float64)
    if g.ndim != 1 or b.shape != g.shape:
        raise ValueError(f"gamma, beta: expected two (C,) vectors, got {g.shape} and {b.shape}")
    if not (np.all(np.isfinite(g)) and np.all(np.isfinite(b))):
        raise ValueError("gamma, beta: expected finite values")
    zero = np.flatnonzero(g == 0)
    if zero.size:
        raise ValueError(f"gamma: channel(s) {zero[:8].tolist()} are zero; the folded bias beta/gamma is undefined")
    c = g.shape[0]
    ratio = b / g
    limit = (1 << (LN_OUT_BITS - 1)) - 1
    for shift in range(1, LN_DIV_BITS):
        s_norm = layernorm_norm_scale(c, shift)
        bias = np.floor(ratio / s_norm)
        if np.max(np.abs(bias)) + 1.01 * 2.0 ** (LN_DIV_BITS - shift) + 2 <= limit:
            return LayerNormParams(bias=bias.astype(np.int64), shift=shift), g * s_norm
    raise ValueError("beta/gamma: too large to fold into an int32 LayerNorm bias at any shift")


def symmetric_scale(max_abs: Any, bits: int) -> Any:
    """Scale mapping ``[-max_abs, max_abs]`` onto signed ``bits`` (``max_abs / (2**(bits-1) - 1)``).

    A zero ``max_abs`` (an all-zero tensor or channel) gets scale 1: zero is exact at any scale.
    """
    m = np.asarray(max_abs, dtype=np.float64)
    if not np.all(np.isfinite(m)) or np.any(m < 0):
        raise ValueError(f"max_abs: expected finite non-negative values, got {max_abs!r}")
    s = np.where(m > 0, m, 2 ** (bits - 1) - 1) / (2 ** (bits - 1) - 1)
    return float(s) if s.ndim == 0 else s


def quantize(x: Any, scale: Any, bits: int) -> np.ndarray:
    """Real ``x`` to signed ``bits`` integers at ``scale``: round half up, saturate; int64 array."""
    s = _scale("scale", scale)
    lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    return np.clip(np.floor(np.asarray(x, dtype=np.float64) / s + 0.5), lo, hi).astype(np.int64)


def dequantize(q: Any, scale: Any) -> np.ndarray:
    """Integers ``q`` at ``scale`` (scalar or broadcasting per channel) as float64 reals."""
    qa = np.asarray(q)
    if qa.dtype.kind not in "iu":
        raise TypeError(f"q: expected an integer array, got dtype {qa.dtype}")
    return qa.astype(np.float64) * _scale("scale", scale)
