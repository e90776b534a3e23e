"""Requantization: change of scale by a 32-bit multiplier and a shift, round half up, saturate."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._checks import int_scalar, per_channel, saturate, signed_array, signed_dtype
from .widths import ACC_BITS, REQUANT_E_MAX, REQUANT_M_BITS, RESID_BITS, signed_range


def mul_shift_round(x: np.ndarray, m: np.ndarray, e: np.ndarray) -> np.ndarray:
    """floor(x * m / 2**e + 1/2) exactly, for int64 ``x`` with |x| <= 2**32 and |m| < 2**31.

    The product is below 2**63 in magnitude, so it is exact in int64. Round half up is written as
    ``((p >> (e - 1)) + 1) >> 1``: equal to ``(p + 2**(e-1)) >> e`` (floor of a floor of powers of
    two) but without the addition that could leave 64 bits. ``e == 0`` is the product itself.
    Both shifts are arithmetic (numpy ``>>`` on int64 floors towards minus infinity).
    """
    p = x * m
    if not np.any(e):
        return p
    if np.all(e > 0):  # in place on the product: this is on the golden model's hot path
        p >>= e - 1
        p += 1
        p >>= 1
        return p
    rounded = ((p >> np.maximum(e - 1, 0)) + 1) >> 1
    return np.where(e == 0, p, rounded)


def sat_add(a: np.ndarray, b: np.ndarray, bits: int) -> np.ndarray:
    """Saturate ``a + b`` to signed ``bits`` (<= 32) for any int64 ``a``, ``b``, without overflow.

    ``a + b == 2 * h + low`` with ``h = floor((a + b) / 2)`` computed from the halves, which fits
    int64; clamping ``h`` far outside the output range first keeps ``2 * h`` exact.
    """
    h = (a >> 1) + (b >> 1) + ((a & 1) + (b & 1)) // 2
    low = (a ^ b) & 1
    h = np.clip(h, -(1 << 40), 1 << 40)
    return saturate(2 * h + low, bits)


def _requant_args(q: Any, m: Any, e: Any, bias: Any, out_bits: int):
    out_bits = int_scalar("out_bits", out_bits, 2, ACC_BITS)
    qa = signed_array("q", q, ACC_BITS)
    channels = qa.shape[-1] if qa.ndim else 1
    m_lo, m_hi = signed_range(REQUANT_M_BITS)
    ma = per_channel("m", m, channels, m_lo + 1, m_hi)
    ea = per_channel("e", e, channels, 0, REQUANT_E_MAX)
    ba = per_channel("bias", bias, channels, *signed_range(ACC_BITS))
    if qa.ndim == 0 and max(ma.ndim, ea.ndim, ba.ndim) > 0:
        raise ValueError("q: per-channel m/e/bias need q with a channel (last) axis, got a scalar")
    return qa, ma, ea, ba, out_bits


def requant(q: Any, m: Any, e: Any, bias: Any = 0, out_bits: int = 8) -> np.ndarray:
    """Requantize int32 values to a narrower signed width.

    ``out = saturate(round_half_up((q + bias) * m / 2**e), out_bits)``

    Args:
        q: int32 values, any shape (...; C); the last axis is the channel axis.
        m: multiplier, scalar or per channel (C,); signed, |m| <= 2**31 - 1. A scale ratio
            ``S_in / S_out = m / 2**e`` (see :func:`golden.constants.requant_params`).
        e: shift, scalar or per channel, in [0, 63].
        bias: int32 added before scaling (the matmul bias at the accumulator scale), scalar or (C,).
        out_bits: signed output width, 2..32 (8 for activations, 22 for residual sums).

    Returns:
        Same shape as ``q``; int8 for ``out_bits <= 8``, int16 up to 16, else int32.
        Output scale ``S_out``. ``q + bias`` is exact (33 bits) and the product exact (64 bits);
        rounding is half up (ties towards +inf), done in integers; saturation, never wrap-around.
    """
    qa, ma, ea, ba, out_bits = _requant_args(q, m, e, bias, out_bits)
    x = qa + ba if ba.any() else qa
    if ma.ndim == 0 and ma == 1 and not ea.any():  # a bias add in bypass: no product to form
        return saturate(x, out_bits).astype(signed_dtype(out_bits))
    p = mul_shift_round(x, ma, ea)  # a fresh array (or a scalar): saturate it in place
    lo, hi = signed_range(out_bits)
    p = np.clip(p, lo, hi, out=p) if isinstance(p, np.ndarray) else np.clip(p, lo, hi)
    return p.astype(signed_dtype(out_bits))


def residual_add(
    q: Any, m: Any, e: Any, bias: Any, r: Any, m_r: Any, e_r: Any, out_bits: int = RESID_BITS
) -> np.ndarray:
    """Requantize a matmul output and a residual to one common scale and add them, saturating.

    ``out = saturate(requant_unsat(q + bias, m, e) + requant_unsat(r, m_r, e_r), out_bits)``

    Each term is rounded half up on its own (as two requant units feeding one adder), the sum is
    saturated once. Used for the attention-output and FFN-output residuals (``out_bits`` = 22).

    Args:
        q: int32 accumulator (...; C); m, e, bias: per-channel or scalar as in :func:`requant`.
        r: the residual, int32 range (normally the int8 layer input), same shape as ``q``.
        m_r, e_r: multiplier and shift of the residual, scalar or per channel (an input whose
            channels carry their own scale, as a smoothed LayerNorm output does).
        out_bits: signed output width, default 22.

    Returns:
        int32 array of ``q``'s shape at the common output scale.
    """
    qa, ma, ea, ba, out_bits = _requant_args(q, m, e, bias, out_bits)
    ra = signed_array("r", r, ACC_BITS)
    if ra.shape != qa.shape:
        raise ValueError(f"r: expected the shape of q {qa.shape}, got {ra.shape}")
    m_lo, m_hi = signed_range(REQUANT_M_BITS)
    mra = per_channel("m_r", m_r, qa.shape[-1] if qa.ndim else 1, m_lo + 1, m_hi)
    era = per_channel("e_r", e_r, qa.shape[-1] if qa.ndim else 1, 0, REQUANT_E_MAX)
    main = mul_shift_round(qa + ba, ma, ea)
    resid = mul_shift_round(ra, mra, era)
    return sat_add(main, resid, out_bits).astype(signed_dtype(out_bits))
