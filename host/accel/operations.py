"""The accelerator's operations, defined once: each one's code (host.accel.regmap, from the SystemRDL map),
name, golden function, the dimension rules the core checks at start (rtl/ibert_top.sv's dims_ok:
anything else is refused with ERROR.bad_dims), how golden's arguments become the DIM registers,
the operands as memory holds them (``operands``, golden.layout) and the core's reads of them
(``plan``, golden.read_plan), and how the output becomes golden's result. The driver, the top's
bench (tb/test_ibert_top.py) and bench/top_cycles.py use it;
tests/test_operations.py drives the simulated core at every edge of every rule and requires the
core's verdict to be this table's."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable

import numpy as np

import golden
from golden import layout

from . import regmap
from .regmap import OP_ATTENTION, OP_MATMUL, REGISTERS


@dataclass(frozen=True)
class Geometry:
    """What the output order depends on: the array's rows and columns and the rows of a tile (the
    core's ARRAY register; host.accel.driver.Limits has the same fields)."""

    rows: int
    cols: int
    tile_rows: int


@dataclass(frozen=True)
class Operation:
    key: str            # its one name: golden.<key>, the driver's method, host/accel/roofline.py's; OP_<KEY> in the map
    golden: Callable    # the golden function the operation computes, on the same arguments as below
    dims: Callable      # golden's arguments -> (DIM_M, DIM_K, DIM_N)
    weights: Callable | None = None  # golden's arguments -> the packet's weight part (built once a layer)
    n_max: str = "max_n"  # the Limits field bounding N (OP_MM_LN: whole LayerNorm rows, max_d)
    side: int = 0       # the constant beats ahead of each weight row (golden.layout.CONST_WORDS)

    @functools.cached_property
    def name(self) -> str:
        """The register map's name of its code, ``OP_<KEY>``."""
        return "OP_" + self.key.upper()

    @functools.cached_property
    def code(self) -> int:
        """The OP register's code (host.accel.regmap, generated from the SystemRDL map)."""
        return getattr(regmap, self.name)

    def op_word(self, *args) -> int:
        """The OP register for golden's arguments (OP_MATMUL reads a uint8 A as unsigned)."""
        unsigned = self.code == OP_MATMUL and np.asarray(args[0]).dtype == np.uint8
        return REGISTERS["OP"].pack(code=self.code, a_unsigned=int(unsigned))

    def operands(self, *args) -> dict[str, np.ndarray]:
        """The operation's operands as memory holds them for the core's read side (uint64 beats):
        ``a``, A's rows (OP_ATTENTION: the fused QKV's), ``rows x beats``, each row zero-padded
        to whole beats (golden.layout.rows_beats); ``r``, OP_MM_LN's residual rows, the same way;
        ``w``, the weight part (golden.layout.weight_beats), packed once per model. The core reads
        them as golden.read_plan plans, from the addresses and row strides the caller chooses."""
        a = np.asarray(args[0])
        out = {"a": layout.rows_beats(a)}
        if self.code != OP_ATTENTION:
            out["w"] = self.weights(*args)
        if self.code == regmap.OP_MM_LN:
            out["r"] = layout.rows_beats(layout.check_residual(args[3], a.shape[0], np.shape(args[1].w)[1]))
        return out

    def plan(self, m: int, k: int, n: int, tile_rows: int) -> list[tuple[int, int, bool]]:
        """golden.read_plan of the operation for DIM_M, DIM_K, DIM_N (every operand at address 0):
        the reads the core makes, the weights once per row tile (its traffic, beside the
        roofline's every-byte-once)."""
        if self.code == OP_ATTENTION:
            return layout.read_plan(rows=m, kb=3 * k // 8, n=n, attn=True)
        kb = -(-k // 8)
        return layout.read_plan(rows=m, kb=kb, n=n, wb=kb + self.side, tile_rows=tile_rows,
                                rb=-(-n // 8) if self.code == regmap.OP_MM_LN else 0)

    def constants(self, *args) -> dict[str, dict[str, int]]:
        """The constant registers the operation reads (OP_ATTENTION's softmax and context requant)."""
        return layout.attention_registers(args[2]) if self.code == OP_ATTENTION else {}

    def out_beats(self, m: int, k: int, n: int) -> int:
        """The output packet's length in 64-bit beats for DIM_M, DIM_K, DIM_N."""
        if self.code == OP_MATMUL:
            return -(-m * n // 2)
        if self.code == OP_ATTENTION:
            return m * k * n // 8
        return m * -(-n // 8)

    def decode(self, beats, m: int, k: int, n: int, geometry) -> np.ndarray:
        """golden's result from the output packet: OP_MATMUL's int32 (M, N) put back from the
        array's tile order (``geometry``: rows, cols, tile_rows), the others' int8 rows."""
        words = np.asarray(beats, dtype=np.uint64)
        if words.size != self.out_beats(m, k, n):
            raise ValueError(f"{self.name}: {words.size} output beats, expected {self.out_beats(m, k, n)}")
        if self.code == OP_MATMUL:
            order = layout.matmul_order(np.arange(m * n).reshape(m, n), geometry.rows, geometry.cols,
                                        geometry.tile_rows)
            d = np.empty(m * n, np.int32)
            d[order] = words.view("<i4")[:m * n]
            return d.reshape(m, n)
        if self.code == OP_ATTENTION:
            return words.view(np.int8).reshape(m, k * n).copy()
        return words.view(np.int8).reshape(m, -1)[:, :n].copy()

    def check(self, m: int, k: int, n: int, limits) -> None:
        """Raise ValueError naming the first dimension the core would refuse (ERROR.bad_dims), or
        the operation itself when this core was built without it."""
        if self.code == OP_ATTENTION:
            _check_attention(m, k, n, limits)
            return
        hi = getattr(limits, self.n_max)
        for label, v, top in (("M (rows)", m, limits.max_m), ("K", k, limits.max_k), ("N", n, hi)):
            if not 1 <= v <= top:
                raise ValueError(f"{self.name}: {label} = {v} is outside this core's 1..{top}")


def _check_attention(t: int, dh: int, heads: int, limits) -> None:
    if not limits.max_dh or not limits.max_heads:
        raise ValueError("OP_ATTENTION: this core was built without it (MAX_DH or MAX_HEADS reads 0)")
    if not (1 <= t <= limits.max_m and 8 <= dh <= limits.max_dh and dh % 8 == 0 and 1 <= heads <= limits.max_heads
            and heads * dh <= limits.max_d):
        raise ValueError(f"OP_ATTENTION: T = {t}, d_head = {dh}, heads = {heads} are outside this core's T "
                         f"1..{limits.max_m}, d_head a multiple of 8 up to {limits.max_dh}, 1..{limits.max_heads} heads of "
                         f"at most {limits.max_d} columns in all")


def _rows_dims(x, dense, *_):
    return (*np.shape(x), np.shape(dense.w)[1])


def _attention_dims(qkv, heads, _p):
    return np.shape(qkv)[0], np.shape(qkv)[1] // (3 * heads), heads


OPERATIONS = {op.code: op for op in (
    Operation("matmul",
              lambda a, b: golden.matmul(a, b, a_unsigned=np.asarray(a).dtype == np.uint8),
              lambda a, b: (*np.shape(a), np.shape(b)[1]),
              weights=lambda a, b: layout.weight_beats(b, [[] for _ in range(np.shape(b)[1])])),
    Operation("linear", golden.linear, _rows_dims,
              weights=lambda x, dense, rq: layout.linear_weights(dense, rq), side=layout.LINEAR_CONST_BEATS),
    Operation("mm_gelu", golden.mm_gelu, _rows_dims,
              weights=lambda x, dense, consts, rq, gelu_bias: layout.mm_gelu_weights(dense, consts, rq, gelu_bias),
              side=layout.LINEAR_CONST_BEATS + layout.GELU_CONST_BEATS),
    Operation("mm_ln", golden.mm_ln, _rows_dims,
              weights=lambda x, dense, rq, r, res_rq, ln, ln_rq: layout.mm_ln_weights(dense, rq, res_rq, ln, ln_rq),
              n_max="max_d", side=layout.LINEAR_CONST_BEATS + layout.LN_CONST_BEATS),
    Operation("attention", golden.attention, _attention_dims),
)}
BY_NAME = {op.name: op for op in OPERATIONS.values()}
BY_KEY = {op.key: op for op in OPERATIONS.values()}
