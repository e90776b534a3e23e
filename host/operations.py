"""The accelerator's operations, defined once: each one's code (host.regmap, from the SystemRDL map),
name, golden function and the dimension rules the core checks at start (rtl/ibert_top.sv's
dims_ok: anything else is refused with ERROR.bad_dims). The driver checks against this table
before it sends anything; tests/test_operations.py drives the simulated core at every edge of
every rule and requires the core's verdict to be this table's."""

from __future__ import annotations

from dataclasses import dataclass

import golden

from .regmap import OP_ATTENTION, OP_LINEAR, OP_MATMUL, OP_MM_GELU, OP_MM_LN

#: OP_ATTENTION's most heads: rtl/ibert_top.sv's MAX_HEADS parameter, which no register reports
#: (tests/test_operations.py checks that the core takes this many and refuses one more).
MAX_HEADS = 16


@dataclass(frozen=True)
class Operation:
    code: int
    name: str
    golden: object  # the golden function the operation computes
    n_max: str = "max_n"  # the Limits field bounding N (OP_MM_LN: whole LayerNorm rows, max_d)

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
    if not limits.max_dh:
        raise ValueError("OP_ATTENTION: this core was built without it (MAX_DH reads 0)")
    if not (1 <= t <= limits.max_m and 8 <= dh <= limits.max_dh and dh % 8 == 0 and 1 <= heads <= MAX_HEADS
            and heads * dh <= limits.max_d):
        raise ValueError(f"OP_ATTENTION: T = {t}, d_head = {dh}, heads = {heads} are outside this core's T "
                         f"1..{limits.max_m}, d_head a multiple of 8 up to {limits.max_dh}, 1..{MAX_HEADS} heads of "
                         f"at most {limits.max_d} columns in all")


OPERATIONS = {op.code: op for op in (
    Operation(OP_MATMUL, "OP_MATMUL", golden.matmul),
    Operation(OP_LINEAR, "OP_LINEAR", golden.linear),
    Operation(OP_MM_GELU, "OP_MM_GELU", golden.mm_gelu),
    Operation(OP_MM_LN, "OP_MM_LN", golden.mm_ln, n_max="max_d"),
    Operation(OP_ATTENTION, "OP_ATTENTION", golden.attention_qkv),
)}
BY_NAME = {op.name: op for op in OPERATIONS.values()}
