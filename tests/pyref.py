"""Scalar Python-integer oracles: each golden formula written directly, one element at a time.

Python ints never overflow and ``>>``/``//`` floor, so these follow the formulas in
``docs/numerics.md`` literally (for example requant's ``(p + 2**(e-1)) >> e``), independently of the
vectorized int64 forms in ``golden/`` that avoid 64-bit overflow.
"""

from __future__ import annotations

import math


def clamp(v: int, bits: int) -> int:
    lo, hi = -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    return max(lo, min(hi, v))


def round_shift(p: int, e: int) -> int:
    """round half up of p / 2**e."""
    return p if e == 0 else (p + (1 << (e - 1))) >> e


def requant(q: int, m: int, e: int, bias: int, out_bits: int) -> int:
    return clamp(round_shift((q + bias) * m, e), out_bits)


def residual_add(q, m, e, bias, r, m_r, e_r, out_bits) -> int:
    return clamp(round_shift((q + bias) * m, e) + round_shift(r * m_r, e_r), out_bits)


def exp(x: int, x0: int, qb: int, qc: int) -> int:
    x = max(x, 30 * x0)
    z = x // x0
    p = x - z * x0
    return ((p + qb) * p + qc) >> z


def softmax(row: list[int], x0: int, qb: int, qc: int, in_shift: int) -> list[int]:
    top = max(row)
    xs = [round_shift(max(v - top, -(1 << 31)), in_shift) for v in row]
    es = max(0, qc.bit_length() - 16)
    e = [exp(x, x0, qb, qc) >> es for x in xs]
    factor = (1 << 31) // sum(e)
    return [min(round_shift(v * factor, 23), 255) for v in e]


def gelu(q: int, qb: int, qc: int, q1: int, shift: int) -> int:
    t = min(abs(q), -qb)
    sign = (q > 0) - (q < 0)
    erf = (sign * ((t + qb) ** 2 + qc)) >> 14
    return clamp((-(q * (erf + q1))) >> shift, 32)


def variance_shift(sumsq: int) -> int:
    """The smallest s >= 0 with sumsq >> 2s < 2**47."""
    return max(0, -(-(sumsq.bit_length() - 47) // 2))


def layernorm(row: list[int], bias: list[int], shift: int) -> list[int]:
    c = len(row)
    mean = (sum(row) + c // 2) // c
    y = [v - mean for v in row]
    sumsq = sum(v * v for v in y)
    s = variance_shift(sumsq)
    var = sumsq >> (2 * s)
    assert var < 1 << 47
    root = math.isqrt(var)
    factor = (1 << 47) // root if root else 0
    return [clamp(((v * factor) >> (s + shift + 16)) + b, 32) for v, b in zip(y, bias)]
