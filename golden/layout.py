"""How integers travel on the accelerator's streams: the beat packing of every unit, the matmul
engine's tile order, the accelerator top's operation packets, and the constants the host derives
for the RTL (``exp_recip``).

One source for the testbenches (``tb/``), the benchmarks and the host driver. Python ints in and
out (a beat can be wider than 64 bits); two's complement fields, lowest field in the low bits.
"""

from __future__ import annotations

import numpy as np

from .params import Dense, GeluConsts, LayerNormParams, Rescale

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


def pack_residual_add(q: int, bias: int, m: int, e: int, r: int, m_r: int, e_r: int) -> int:
    """A residual_add beat: {e_r[5:0], m_r[31:0], r[31:0], e[5:0], m[31:0], bias[31:0], q[31:0]}."""
    if not (0 <= e < 64 and 0 <= e_r < 64):
        raise ValueError(f"pack_residual_add: e and e_r must be in [0, 63], got {e}, {e_r}")
    return pack_fields([(q, 32), (bias, 32), (m, 32), (e, 6), (r, 32), (m_r, 32), (e_r, 6)])


def pack_gelu(q: int, c: GeluConsts) -> int:
    """A gelu beat: {shift[5:0], q1[31:0], qc[45:0], qb[22:0], q[31:0]}."""
    if not 0 <= c.shift < 64:
        raise ValueError(f"pack_gelu: shift must be in [0, 63], got {c.shift}")
    return pack_fields([(q, 32), (c.qb, 23), (c.qc, 46), (c.q1, 32), (c.shift, 6)])


def rows_beats(x: np.ndarray) -> np.ndarray:
    """int8 or uint8 rows as 64-bit beats (uint64, rows x ceil(cols / 8)): each row padded with
    zeros to a multiple of 8 bytes, byte 0 in bits 7:0."""
    x = np.asarray(x)
    if x.ndim != 2 or x.dtype not in (np.int8, np.uint8):
        raise ValueError(f"pack_rows: a 2-D int8 or uint8 array expected, got {x.ndim}-D {x.dtype}")
    kb = -(-x.shape[1] // 8)
    padded = np.zeros((x.shape[0], kb * 8), x.dtype)
    padded[:, : x.shape[1]] = x
    return padded.view("<u8").reshape(x.shape[0], kb)


def pack_rows(x: np.ndarray) -> list[int]:
    """:func:`rows_beats` flattened, as Python ints."""
    return rows_beats(x).reshape(-1).tolist()


def pack_i32(values) -> list[int]:
    """int32 values as 64-bit beats holding two each (first in the low half), an odd last one
    beside a zero: the engine's output layout (rtl/pair_out.sv), the inverse of :func:`unpack_i32`."""
    v = np.asarray(values, dtype=np.int64)
    if v.ndim != 1 or np.any(v < -2**31) or np.any(v >= 2**32):
        raise ValueError("pack_i32: a 1-D list of int32 (or uint32) values expected")
    words = np.zeros(len(v) + len(v) % 2, np.uint32)
    words[:len(v)] = v & 0xFFFFFFFF
    return words.view("<u8").tolist()


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


#: The per-channel constants ahead of each weight row, as words of fields from bit 0, each word
#: padded to whole 64-bit beats: OP_LINEAR's requant ("linear"), then (OP_MM_GELU) the matmul bias
#: and the GELU constants ("gelu"), or (OP_MM_LN) the residual's and the LayerNorm's ("ln"). The one
#: description of these layouts: the packers below read it, and golden.svpkg generates from it the
#: <WORD>_<FIELD>_LSB / _W and <WORD>_CONST_BEATS localparams of rtl/ibert_pkg.sv that the RTL
#: unpacks with.
CONST_WORDS: dict[str, tuple[tuple[str, int], ...]] = {
    "linear": (("m", 32), ("bias", 32), ("e", 6)),
    "gelu": (("bias", 32), ("qb", 23), ("qc", 46), ("q1", 32), ("shift", 6)),
    "ln": (("m_r", 32), ("bias", 32), ("e_r", 8), ("e", 8), ("shift", 16), ("m", 32)),
}


def const_beats(word: str) -> int:
    """The 64-bit beats of constant word ``word`` (:data:`CONST_WORDS`)."""
    return -(-sum(bits for _, bits in CONST_WORDS[word]) // 64)


LINEAR_CONST_BEATS = const_beats("linear")
GELU_CONST_BEATS = const_beats("gelu")
LN_CONST_BEATS = const_beats("ln")


def const_word(word: str, **values: int) -> int:
    """Constant word ``word`` (:data:`CONST_WORDS`) from its fields by name, as one integer (the
    RTL's RAM word)."""
    fields = CONST_WORDS[word]
    if set(values) != {name for name, _ in fields}:
        raise ValueError(f"const_word: {word} takes {[n for n, _ in fields]}, got {sorted(values)}")
    return pack_fields([(values[name], bits) for name, bits in fields])


def pack_const_word(word: str, **values: int) -> list[int]:
    """Constant word ``word`` (:data:`CONST_WORDS`) from its fields by name, as its beats."""
    packed = const_word(word, **values)
    return [(packed >> (64 * i)) & ((1 << 64) - 1) for i in range(const_beats(word))]


def pack_linear_consts(m: int, e: int, bias: int) -> list[int]:
    """One channel's requant constants as the top reads them: {bias, m} then {e}."""
    if not 0 <= int(e) < 64:
        raise ValueError(f"pack_linear_consts: e must be in [0, 63], got {e}")
    return pack_const_word("linear", m=m, bias=bias, e=e)


def pack_gelu_consts(bias: int, qb: int, qc: int, q1: int, shift: int) -> list[int]:
    """One channel's bias and i-GELU constants: {shift, q1, qc, qb, bias} (139 bits) in 3 beats."""
    if not 0 <= int(shift) < 64:
        raise ValueError(f"pack_gelu_consts: shift must be in [0, 63], got {shift}")
    return pack_const_word("gelu", bias=bias, qb=qb, qc=qc, q1=q1, shift=shift)


def pack_ln_consts(m_r: int, e_r: int, ln_bias: int, ln_m: int, ln_e: int, shift: int) -> list[int]:
    """One channel's residual and LayerNorm constants (OP_MM_LN, after :func:`pack_linear_consts`):
    {ln_bias, m_r}, then {ln_m, shift[20:16], ln_e[13:8], e_r[5:0]}."""
    for name, v, hi in (("e_r", e_r, 64), ("ln_e", ln_e, 64), ("shift", shift, 32)):
        if not 0 <= int(v) < hi:
            raise ValueError(f"pack_ln_consts: {name} must be in [0, {hi - 1}], got {v}")
    return pack_const_word("ln", m_r=m_r, bias=ln_bias, e_r=e_r, e=ln_e, shift=shift, m=ln_m)


def _per_channel(v, n: int) -> np.ndarray:
    return np.broadcast_to(np.asarray(v), (n,))


def weight_beats(w: np.ndarray, consts: list[list[int]]) -> np.ndarray:
    """The weight part of an operation's packet (uint64 beats): for each output channel its
    constant beats then its weights (a row of W transposed). The host builds it once per layer."""
    n = w.shape[1]
    wt = rows_beats(np.ascontiguousarray(w.T))
    if len(consts) != n or len({len(c) for c in consts}) > 1:
        raise ValueError(f"weight_beats: one equal-length list of constant beats per channel ({n}) expected")
    side = np.array(consts, dtype=np.uint64).reshape(n, -1)
    return np.concatenate([side, wt], axis=1).reshape(-1)


def packet(x: np.ndarray, weights: np.ndarray, rows_per_tile: int, resid: np.ndarray | None = None) -> np.ndarray:
    """An operation's input packet (uint64 beats): for each tile of ``rows_per_tile`` rows of
    ``x`` (the last may be shorter), the tile's rows, its rows of ``resid`` (OP_MM_LN), then
    ``weights`` (:func:`weight_beats`)."""
    if rows_per_tile < 1:
        raise ValueError(f"rows_per_tile must be >= 1, got {rows_per_tile}")
    xb = rows_beats(x)
    rb = None if resid is None else rows_beats(resid)
    parts: list[np.ndarray] = []
    for r0 in range(0, x.shape[0], rows_per_tile):
        parts.append(xb[r0:r0 + rows_per_tile].reshape(-1))
        if rb is not None:
            parts.append(rb[r0:r0 + rows_per_tile].reshape(-1))
        parts.append(weights)
    return np.concatenate(parts)


def linear_weights(dense: Dense, rq: Rescale) -> np.ndarray:
    """OP_LINEAR's weight part: per output channel :func:`pack_linear_consts` then its weights."""
    n = dense.w.shape[1]
    m, e, b = (_per_channel(v, n) for v in (rq.m, rq.e, dense.bias))
    return weight_beats(dense.w, [pack_linear_consts(int(m[c]), int(e[c]), int(b[c])) for c in range(n)])


def mm_gelu_weights(dense: Dense, consts: GeluConsts, rq: Rescale, gelu_bias) -> np.ndarray:
    """OP_MM_GELU's weight part: each channel's constants are the output requant's
    (:func:`pack_linear_consts`, its bias ``gelu_bias``) then the matmul bias and the GELU
    constants (:func:`pack_gelu_consts`)."""
    n = dense.w.shape[1]
    m, e, gb, b = (_per_channel(v, n) for v in (rq.m, rq.e, gelu_bias, dense.bias))
    qb, qc, q1, sh = (_per_channel(v, n) for v in (consts.qb, consts.qc, consts.q1, consts.shift))
    per = [pack_linear_consts(int(m[c]), int(e[c]), int(gb[c]))
           + pack_gelu_consts(int(b[c]), int(qb[c]), int(qc[c]), int(q1[c]), int(sh[c])) for c in range(n)]
    return weight_beats(dense.w, per)


def mm_ln_weights(dense: Dense, rq: Rescale, res_rq: Rescale, ln: LayerNormParams, ln_rq: Rescale) -> np.ndarray:
    """OP_MM_LN's weight part: each channel's constants are :func:`pack_linear_consts` (the
    projection's requant into the residual scale) then :func:`pack_ln_consts`."""
    n = dense.w.shape[1]
    m, e, b, mr, er, lb, lm, le = (_per_channel(v, n) for v in (
        rq.m, rq.e, dense.bias, res_rq.m, res_rq.e, ln.bias, ln_rq.m, ln_rq.e))
    per = [pack_linear_consts(int(m[c]), int(e[c]), int(b[c]))
           + pack_ln_consts(int(mr[c]), int(er[c]), int(lb[c]), int(lm[c]), int(le[c]), int(ln.shift))
           for c in range(n)]
    return weight_beats(dense.w, per)


def pack_linear(x: np.ndarray, dense: Dense, rq: Rescale, rows_per_tile: int) -> list[int]:
    """The input packet of OP_LINEAR (``golden.linear(x, dense, rq)``) on an array of
    ``rows_per_tile`` PE rows: per row tile, the tile's rows of ``x``, then per output channel
    :func:`pack_linear_consts` and the channel's weights; every row padded to whole beats
    (:func:`pack_rows`). The weights cross the stream once per row tile; the host builds the
    weight part (:func:`linear_weights`) once per layer. Python ints (:func:`packet` gives uint64)."""
    return packet(x, linear_weights(dense, rq), rows_per_tile).tolist()


def pack_mm_gelu(x: np.ndarray, dense: Dense, consts: GeluConsts, rq: Rescale, gelu_bias, rows_per_tile: int) -> list[int]:
    """The input packet of OP_MM_GELU (``golden.mm_gelu``): as :func:`pack_linear`, with
    :func:`mm_gelu_weights`."""
    return packet(x, mm_gelu_weights(dense, consts, rq, gelu_bias), rows_per_tile).tolist()


def check_residual(r: np.ndarray, rows: int, n: int) -> np.ndarray:
    r = np.asarray(r)
    if r.dtype != np.int8 or r.shape != (rows, n):
        raise ValueError(f"the residual r must be int8 {(rows, n)}, got {r.dtype} {r.shape}")
    return r


def pack_mm_ln(x: np.ndarray, dense: Dense, rq: Rescale, r: np.ndarray, res_rq: Rescale,
               ln: LayerNormParams, ln_rq: Rescale, rows_per_tile: int) -> list[int]:
    """The input packet of OP_MM_LN (``golden.mm_ln``): as :func:`pack_linear`, with each tile's
    rows of the int8 residual ``r`` after its rows of ``x``, and :func:`mm_ln_weights`."""
    r = check_residual(r, x.shape[0], dense.w.shape[1])
    return packet(x, mm_ln_weights(dense, rq, res_rq, ln, ln_rq), rows_per_tile, r).tolist()


def pack_matmul(a: np.ndarray, b: np.ndarray, rows_per_tile: int) -> list[int]:
    """The input packet of OP_MATMUL (``golden.matmul(a, b)``): per row tile of ``a``, the tile's
    rows, then B transposed (no constants)."""
    return packet(a, weight_beats(b, [[] for _ in range(b.shape[1])]), rows_per_tile).tolist()


def attention_beats(qkv: np.ndarray, heads: int) -> np.ndarray:
    """OP_ATTENTION's input, head-major: (heads, T x 3 d_head / 8) uint64 beats, row h the packet
    of head h. The fused QKV projection (T x 3D int8, in golden.qkv_columns order) holds head h in
    its columns ``3 h d_head .. 3 (h + 1) d_head``; head h's packet is those columns' T rows, as
    :func:`rows_beats` (Q_h, K_h and V_h side by side, d_head a multiple of 8). Each byte of the
    projection crosses the stream once."""
    qkv = np.asarray(qkv)
    if qkv.ndim != 2 or heads < 1 or qkv.shape[1] % (24 * heads):
        raise ValueError(f"qkv: expected (T, 3 x heads x d_head) with d_head a multiple of 8 for {heads} heads, "
                         f"got shape {qkv.shape}")
    t, w = qkv.shape[0], qkv.shape[1] // heads
    per_head = np.ascontiguousarray(qkv.reshape(t, heads, w).transpose(1, 0, 2)).reshape(heads * t, w)
    return rows_beats(per_head).reshape(heads, -1)


def pack_attention(qkv: np.ndarray, heads: int) -> list[list[int]]:
    """The input packets of OP_ATTENTION, one per head (:func:`attention_beats`), as Python ints."""
    return attention_beats(qkv, heads).tolist()


def attention_registers(p) -> dict[str, dict[str, int]]:
    """OP_ATTENTION's constant registers (host.accel.regmap field values) for ``p`` (its ``softmax`` and
    ``ctx_rq``, as golden.AttnHeadParams has them): the softmax's i-exp constants at the score
    scale and the context's requant."""
    e = p.softmax.exp
    m, sh = int(np.asarray(p.ctx_rq.m)), int(np.asarray(p.ctx_rq.e))
    if np.asarray(p.ctx_rq.m).ndim or np.asarray(p.ctx_rq.e).ndim:
        raise ValueError("attention_registers: the context requant must be per tensor (scalar m and e)")
    return {"SOFTMAX_X0": {"x0": field(e.x0, 17), "in_shift": int(p.softmax.in_shift)},
            "SOFTMAX_QB": {"value": field(e.qb, 21)}, "SOFTMAX_QC": {"value": field(e.qc, 31)},
            "SOFTMAX_RECIP": {"value": exp_recip(e.x0)}, "CTX_M": {"value": field(m, 32)},
            "CTX_E": {"value": sh}}


def matmul_order(d: np.ndarray, n1: int, n2: int, rows_per_tile: int) -> list[int]:
    """OP_MATMUL's output order on an ``n1`` x ``n2`` array: per row tile of ``rows_per_tile``
    rows, :func:`tile_order` of the tile."""
    if rows_per_tile < 1:
        raise ValueError(f"rows_per_tile must be >= 1, got {rows_per_tile}")
    tiles = range(0, d.shape[0], rows_per_tile)
    return [v for r0 in tiles for v in tile_order(d[r0:r0 + rows_per_tile], n1, n2)]


def unpack_rows(beats: list[int], rows: int, cols: int, dtype=np.int8) -> np.ndarray:
    """int8 (or uint8) rows from beats in :func:`pack_rows` layout; the padding must be zero."""
    kb = -(-cols // 8)
    if len(beats) != rows * kb:
        raise ValueError(f"unpack_rows: {rows} rows of {kb} beats expected, got {len(beats)} beats")
    data = np.array(beats, dtype=np.uint64).view(dtype).reshape(rows, kb * 8)
    if np.any(data[:, cols:]):
        raise ValueError("unpack_rows: nonzero bytes in the row padding")
    return np.ascontiguousarray(data[:, :cols])


#: Byte addresses are ADDR_BITS wide (the core's AXI4 masters, rtl/read_plan.sv).
ADDR_BITS = 32


def read_plan(*, rows: int, kb: int, n: int, wb: int = 0, rb: int = 0, tile_rows: int = 1, a_addr: int = 0,
              a_stride: int = 0, r_addr: int = 0, r_stride: int = 0, w_addr: int = 0,
              attn: bool = False) -> list[tuple[int, int, bool]]:
    """The row commands (byte address, 64-bit beats, last) with which the core's read side
    (rtl/read_plan.sv, then rtl/mm2s.sv) reads an operation's input packet from memory: read in
    order, they are :func:`packet` (or, ``attn``, :func:`attention_beats`' packets one after
    another, ``last`` ending each head's).

    Tiled operations: per row tile of ``tile_rows`` rows of the ``rows`` A rows, the tile's A rows
    (``kb`` beats each, ``a_stride`` bytes apart from ``a_addr``), its rows of the residual
    (``rb`` beats, ``r_stride`` apart from ``r_addr``; none when ``rb`` is 0), then the ``n`` weight
    rows of ``wb`` beats back to back from ``w_addr`` (:func:`weight_beats`); ``last`` on the
    final one. Attention: per head h < ``n``, the ``rows`` token rows of its Q, K and V columns,
    ``kb`` beats each at ``a_addr + t a_stride + 8 h kb``. Addresses wrap at :data:`ADDR_BITS`."""
    for name, v in (("rows", rows), ("kb", kb), ("n", n), ("tile_rows", tile_rows)):
        if int(v) < 1:
            raise ValueError(f"read_plan: {name} must be >= 1, got {v}")
    if not attn and int(wb) < 1:
        raise ValueError(f"read_plan: wb must be >= 1, got {wb}")
    mask = (1 << ADDR_BITS) - 1
    out: list[tuple[int, int, bool]] = []
    if attn:
        for h in range(n):
            out += [((a_addr + t * a_stride + 8 * h * kb) & mask, kb, t == rows - 1) for t in range(rows)]
        return out
    for r0 in range(0, rows, tile_rows):
        now = min(tile_rows, rows - r0)
        out += [((a_addr + (r0 + i) * a_stride) & mask, kb, False) for i in range(now)]
        if rb:
            out += [((r_addr + (r0 + i) * r_stride) & mask, rb, False) for i in range(now)]
        final = r0 + now >= rows
        out += [((w_addr + 8 * j * wb) & mask, wb, final and j == n - 1) for j in range(n)]
    return out
