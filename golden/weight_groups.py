"""Group-scaled narrow weights, as the int8 weights the array multiplies.

A projection's weights (K, N) at ``bits`` < 8 carry, besides their signed codes
``|q| <= 2**(bits-1) - 1``, one unsigned integer multiplier ``c`` per output channel and group of
``group`` consecutive input rows: group ``g`` of channel ``n`` has step ``c[g, n]`` times the
channel's unit step (the accumulator scale the requant already divides out). The weight the
dot product sees is the integer ``q * c``. With ``c <= max_multiplier(bits)`` it fits int8
(4-bit codes: ``7 * 18 = 126``), so the int8 array, its int32 accumulators and every requant are
unchanged; only the weight stream would carry ``bits + multiplier_bits / group`` bits per weight
(an expander of one small product per lane in front of the array, see docs/numerics.md).

Expanding first and multiplying the group's partial sum by ``c`` afterwards are the same integer:
``sum_k a_k (q_kn c_gn) = sum_g c_gn sum_{k in g} a_k q_kn``. tests/test_weight_groups.py checks
both against Python integers.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ._checks import int_array, signed_array
from .widths import ACT_BITS


def code_max(bits: int) -> int:
    """The largest code magnitude of signed symmetric ``bits``-bit weights."""
    return (1 << (bits - 1)) - 1


def max_multiplier(bits: int) -> int:
    """The largest group multiplier that keeps ``code * multiplier`` inside int8 (8 bits: 1)."""
    return code_max(ACT_BITS) // code_max(bits)


def multiplier_bits(bits: int) -> int:
    """Bits an unsigned multiplier in [1, max_multiplier(bits)] takes in the weight stream."""
    return max(1, max_multiplier(bits).bit_length())


def groups(k: int, group: int) -> int:
    """Groups along K (the last one shorter when ``group`` does not divide ``k``)."""
    return -(-k // group)


def expand(codes: Any, mult: Any, group: int, bits: int) -> np.ndarray:
    """The int8 weights (K, N) ``codes[k, n] * mult[k // group, n]``.

    Args:
        codes: signed codes (K, N), ``|code| <= 2**(bits-1) - 1``.
        mult: unsigned multipliers (ceil(K / group), N), each in [1, max_multiplier(bits)].
        group: input rows per group (>= 1).
        bits: the codes' width, 2..8.
    """
    if isinstance(bits, bool) or not isinstance(bits, (int, np.integer)) or not 2 <= bits <= ACT_BITS:
        raise ValueError(f"bits: expected an integer in [2, {ACT_BITS}], got {bits!r}")
    if isinstance(group, bool) or not isinstance(group, (int, np.integer)) or group < 1:
        raise ValueError(f"group: expected a positive integer, got {group!r}")
    top = code_max(bits)
    q = int_array(f"codes (int{bits}, symmetric)", codes, -top, top)
    c = int_array("mult", mult, 1, max_multiplier(bits))
    if q.ndim != 2:
        raise ValueError(f"codes: expected shape (K, N), got {q.shape}")
    want = (groups(q.shape[0], group), q.shape[1])
    if c.shape != want:
        raise ValueError(f"mult: expected shape {want} (one per group of {group} rows and channel), got {c.shape}")
    w = q * np.repeat(c, group, axis=0)[: q.shape[0]]
    return signed_array("expanded weights", w, ACT_BITS).astype(np.int8)
