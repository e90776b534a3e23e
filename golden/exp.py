"""i-exp: integer-only exponential of non-positive inputs (I-BERT, Kim et al. 2021, Alg. 2)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ._checks import int_array, int_scalar
from .params import ExpConsts
from .widths import ACC_BITS, EXP_OUT_BITS, EXP_SEGMENTS


def check_exp_consts(c: ExpConsts) -> tuple[int, int, int]:
    """Validate i-exp constants; returns ``(x0, qb, qc)`` as ints.

    Beyond the widths, the constants must make the polynomial well behaved on ``p in (x0, 0]``:
    ``qb >= -2*x0`` puts its vertex at or left of ``x0`` (so ``L`` increases with ``p``) and
    ``qc >= |x0| * (qb - |x0|)`` keeps ``L(x0) >= 0``; then ``0 <= L(p) <= qc < 2**31``. Constants
    derived from any scale ``S`` above about 3.6e-5 satisfy all of them (``qc`` sets the limit).
    """
    if not isinstance(c, ExpConsts):
        raise TypeError(f"consts: expected ExpConsts, got {type(c).__name__}")
    x0 = int_scalar("x0", c.x0, -(1 << 16), -1)
    qb = int_scalar("qb", c.qb, -2 * x0, 1 << 20)
    qc = int_scalar("qc", c.qc, -x0 * (qb + x0), (1 << (EXP_OUT_BITS - 1)) - 1)
    return x0, qb, qc


def exp(x: Any, consts: ExpConsts) -> np.ndarray:
    """Integer exponential of ``x * S`` for ``x <= 0``.

    ``x = max(x, 30*x0)``; ``z = floor(x / x0)`` in [0, 30]; ``p = x - z*x0`` in (x0, 0];
    ``L = (p + qb) * p + qc``; ``out = L >> z`` (floor).

    Args:
        x: int32 values <= 0 (scores minus their row maximum), any shape.
        consts: :class:`ExpConsts` from :func:`golden.constants.exp_consts` at the input scale S.

    Returns:
        int32 array of ``x``'s shape, values in [0, qc]; output scale ``a * S**2`` with
        a = 0.35815147 (so ``qc`` represents exp(0) = 1 up to the polynomial's error).
        Inputs below ``30 * x0`` (exp < 2**-30) give ``qc >> 30``.

    Monotonicity: non-decreasing within each segment (``L`` increases on (x0, 0]); at each segment
    join the output may step *down* by at most ``(out >> 15) + 1``: the fit gives
    exp(-ln2) ~= 0.499990 instead of 1/2 (a relative 2**-15.6), plus one floor LSB.
    """
    x0, qb, qc = check_exp_consts(consts)
    xa = int_array(f"x (int{ACC_BITS}, <= 0)", x, -(1 << (ACC_BITS - 1)), 0)
    xa = np.maximum(xa, EXP_SEGMENTS * x0)
    z = xa // x0
    p = z * x0
    np.subtract(xa, p, out=p)
    poly = p + qb
    poly *= p
    poly += qc
    poly >>= z
    return poly.astype(np.int32)
