"""i-GELU: integer-only GELU through a second-order erf fit (I-BERT, Kim et al. 2021, Alg. 3)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._checks import per_channel, saturate, signed_array
from .params import GeluConsts
from .widths import GELU_ERF_SHIFT, GELU_IN_BITS, GELU_OUT_BITS


def gelu(q: Any, consts: GeluConsts) -> np.ndarray:
    """Integer GELU of ``q * S``.

    ``t = min(|q|, -qb)``; ``erf = floor(sign(q) * ((t + qb)**2 + qc) / 2**14)``;
    ``out = saturate(floor(-(q * (erf + q1)) / 2**shift), 32)``.

    I-BERT writes the product as ``q * (erf + q1)`` with a negative output scale (its erf fit has
    a < 0); the negation here gives the same real value at a positive scale.

    Args:
        q: int32 values (a dense layer's output, bias included), shape (..., C).
        consts: :class:`GeluConsts` at the input scale S, each field a scalar or per channel (C,);
            widths: -2**22 < qb < 0, -2**45 < qc < 0, -2**31 < q1 < 0, 0 <= shift <= 32.

    Returns:
        int32 array of ``q``'s shape at scale ``-S * a * S'**2 * 2**14 / 2 * 2**shift``
        (:func:`golden.constants.gelu_consts`). The product is exact in 64 bits (|q| <= 2**31,
        |erf + q1| < 2**32); the result saturates to int32 (choose ``shift`` with
        :func:`golden.constants.gelu_shift` so that this happens only where the following int8
        requant saturates anyway). Non-decreasing for q >= 0 in real terms, like GELU.
    """
    qa = signed_array("q", q, GELU_IN_BITS)
    channels = qa.shape[-1] if qa.ndim else 1
    qb = per_channel("qb", consts.qb, channels, -(1 << 22) + 1, -1)
    qc = per_channel("qc", consts.qc, channels, -(1 << 45) + 1, -1)
    q1 = per_channel("q1", consts.q1, channels, -(1 << 31) + 1, -1)
    shift = per_channel("shift", consts.shift, channels, 0, 32)
    # In place on int64 temporaries (this is on the golden model's hot path). sign(q) * v is
    # written (v ^ s) - s with s = q >> 63 (0 or -1): it differs from sign(q) * v only at q = 0,
    # where the output q * (erf + q1) is 0 either way.
    t = np.abs(qa)
    np.minimum(t, -qb, out=t)
    t += qb
    np.multiply(t, t, out=t)
    t += qc
    s = qa >> 63
    t ^= s
    t -= s
    t >>= GELU_ERF_SHIFT
    t += q1
    t *= qa
    np.negative(t, out=t)
    t >>= shift
    return saturate(t, GELU_OUT_BITS).astype(np.int32)
