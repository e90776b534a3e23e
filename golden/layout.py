"""How integers travel on the accelerator's streams: the beat packing of every unit, the matmul
engine's tile order, the accelerator top's operation packets, and the constants the host derives
for the RTL (``exp_recip``).

One source for the testbenches (``tb/``), the benchmarks and the host driver. Python ints in and
out (a beat can be wider than 64 bits); two's complement fields, lowest field in the low bits.
"""

from __future__ import annotations

import numpy as np

from .params import Dense, GeluConsts, Rescale

#: rtl/exp.sv divides by x0 as a multiply by floor(2**EXP_RECIP_SHIFT / -x0).
EXP_RECIP_SHIFT = 22


def field(value: int, bits: int) -> int:
    """``value`` as a ``bits``-wide two's complement field; raises if it does not fit."""
    v = int(value)
    if not -(1 << (bits - 1)) <= v < (1 << bits):
        raise ValueError(f"field: {v} does not fit {bits} bits")
    return v & ((1 << bits) - 1)


def to_signed(value: int, bits: int) -> int:
    """The two's complement reading of the low ``bits`` of ``value``."""
    v = int(value) & ((1 << bits) - 1)
    return v - (1 << bits) if v >> (bits - 1) else v


def pack_fields(fields: list[tuple[int, int]]) -> int:
    """(value, bits) pairs, first pair in the lowest bits, as one beat."""
    beat, at = 0, 0
    for value, bits in fields:
        beat |= field(value, bits) << at
        at += bits
    return beat


def exp_recip(x0: int) -> int:
    """R = floor(2**22 / |x0|), with which rtl/exp.sv turns floor(u / |x0|) into a multiply."""
    if x0 >= 0:
        raise ValueError(f"exp_recip: x0 must be negative, got {x0}")
    return (1 << EXP_RECIP_SHIFT) // -int(x0)


def pack_requant(q: int, bias: int, m: int, e: int) -> int:
    """A requant beat: {e[5:0], m[31:0], bias[31:0], q[31:0]}."""
    if not 0 <= e < 64:
        raise ValueError(f"pack_requant: e must be in [0, 63], got {e}")
    return pack_fields([(q, 32), (bias, 32), (m, 32), (e, 6)])


def pack_gelu(q: int, c: GeluConsts) -> int:
    """A gelu beat: {shift[5:0], q1[31:0], qc[45:0], qb[22:0], q[31:0]}."""
    if not 0 <= c.shift < 64:
        raise ValueError(f"pack_gelu: shift must be in [0, 63], got {c.shift}")
    return pack_fields([(q, 32), (c.qb, 23), (c.qc, 46), (c.q1, 32), (c.shift, 6)])


def pack_rows(x: np.ndarray) -> list[int]:
    """int8 or uint8 rows as 64-bit beats: each row padded to a multiple of 8, byte 0 in bits 7:0."""
    x = np.asarray(x)
    if x.ndim != 2 or x.dtype not in (np.int8, np.uint8):
        raise ValueError(f"pack_rows: a 2-D int8 or uint8 array expected, got {x.ndim}-D {x.dtype}")
    kb = -(-x.shape[1] // 8)
    padded = np.zeros((x.shape[0], kb * 8), x.dtype)
    padded[:, : x.shape[1]] = x
    return padded.view("<u8").reshape(-1).tolist()


def unpack_i32(beats: list[int], count: int) -> list[int]:
    """The first ``count`` int32 of 64-bit beats holding two each (first in the low half)."""
    words = np.array(beats, dtype=np.uint64).view("<i4").tolist()
    if len(words) < count:
        raise ValueError(f"unpack_i32: {count} values expected, the beats hold {len(words)}")
    return words[:count]


def tile_order(d: np.ndarray, n1: int, n2: int) -> list[int]:
    """D flattened in rtl/mm.sv's output order: column tiles of ``n2``, row tiles of ``n1``,
    row-major inside each edge-clipped tile."""
    m, n = d.shape
    out: list[int] = []
    for c0 in range(0, n, n2):
        for r0 in range(0, m, n1):
            out += d[r0:r0 + n1, c0:c0 + n2].reshape(-1).tolist()
    return out


#: Beats of per-channel constants ahead of each weight row in an OP_LINEAR packet.
LINEAR_CONST_BEATS = 2


def pack_linear_consts(m: int, e: int, bias: int) -> list[int]:
    """One channel's requant constants as OP_LINEAR sends them: {bias, m} then {e}."""
    if not 0 <= int(e) < 64:
        raise ValueError(f"pack_linear_consts: e must be in [0, 63], got {e}")
    return [pack_fields([(m, 32), (bias, 32)]), int(e)]


def pack_linear(x: np.ndarray, dense: Dense, rq: Rescale, rows_per_tile: int) -> list[int]:
    """The input packet of OP_LINEAR (``golden.linear(x, dense, rq)``) on an array of
    ``rows_per_tile`` PE rows: for each tile of that many rows of ``x`` (the last may be shorter),
    the tile's rows, then for each output channel its constants (:func:`pack_linear_consts`) and
    its weights (a row of W transposed); every row padded to whole beats (:func:`pack_rows`). The
    weights cross the stream once per row tile; the host builds the weight part once per layer."""
    if rows_per_tile < 1:
        raise ValueError(f"pack_linear: rows_per_tile must be >= 1, got {rows_per_tile}")
    n = dense.w.shape[1]
    m = np.broadcast_to(np.asarray(rq.m), (n,))
    e = np.broadcast_to(np.asarray(rq.e), (n,))
    bias = np.broadcast_to(np.asarray(dense.bias), (n,))
    wt = pack_rows(np.ascontiguousarray(dense.w.T))
    kb = len(wt) // n
    weights: list[int] = []
    for c in range(n):
        weights += pack_linear_consts(int(m[c]), int(e[c]), int(bias[c])) + wt[c * kb:(c + 1) * kb]
    beats: list[int] = []
    for r0 in range(0, x.shape[0], rows_per_tile):
        beats += pack_rows(x[r0:r0 + rows_per_tile]) + weights
    return beats


def unpack_rows(beats: list[int], rows: int, cols: int, dtype=np.int8) -> np.ndarray:
    """int8 (or uint8) rows from beats in :func:`pack_rows` layout; the padding must be zero."""
    kb = -(-cols // 8)
    if len(beats) != rows * kb:
        raise ValueError(f"unpack_rows: {rows} rows of {kb} beats expected, got {len(beats)} beats")
    data = np.array(beats, dtype=np.uint64).view(dtype).reshape(rows, kb * 8)
    if np.any(data[:, cols:]):
        raise ValueError("unpack_rows: nonzero bytes in the row padding")
    return np.ascontiguousarray(data[:, :cols])
