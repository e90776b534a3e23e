"""The first-principles roofline of the accelerator's operations: an operation takes at least
max(MACs / PEs, bytes in / 8, bytes out / 8) cycles on the 64-bit streams, where bytes in counts
every byte the computation needs once (activations, weights, residual rows, per-channel constants
as golden.layout packs them) and bytes out what it produces. What a design chooses to send again
(the weights once per row tile) is its own cost: reported
beside the bound as the design's traffic, never inside it. Used by bench/top_cycles.py, the
driver's CallTiming and the notebook's plot."""

from __future__ import annotations

from dataclasses import dataclass

from golden.layout import GELU_CONST_BEATS, LINEAR_CONST_BEATS, LN_CONST_BEATS

#: Bytes of per-channel constants each operation needs (golden.layout's packing).
CONST_BYTES = {"matmul": 0, "linear": 8 * LINEAR_CONST_BEATS, "mm_gelu": 8 * (LINEAR_CONST_BEATS + GELU_CONST_BEATS),
               "mm_ln": 8 * (LINEAR_CONST_BEATS + LN_CONST_BEATS)}
OPERATIONS = (*CONST_BYTES, "attention")


@dataclass(frozen=True)
class Work:
    """What an operation needs done: multiply-accumulates and the bytes it must read and write once."""

    macs: int
    bytes_in: int
    bytes_out: int

    def cycles(self, pes: int) -> float:
        """The roofline: the larger of the compute on ``pes`` PEs and either stream at a beat a cycle."""
        return max(self.macs / pes, self.bytes_in / 8, self.bytes_out / 8)

    def bound(self, pes: int) -> str:
        """Which limit the roofline is: compute, stream in or stream out."""
        c = {"compute": self.macs / pes, "stream in": self.bytes_in / 8, "stream out": self.bytes_out / 8}
        return max(c, key=c.get)


def work(op: str, m: int, k: int, n: int) -> Work:
    """The work of operation ``op`` (``linear`` or ``OP_LINEAR``, ...) at the register map's
    dimensions: (M, K, N) for the matmuls; for ``attention`` (T, d_head, heads): the scores and the
    context, 2 T^2 d_head MACs a head, the fused QKV rows (T x 3D int8) once, the context (T x D)
    out."""
    name = op.lower().removeprefix("op_")
    if name == "attention":
        d = k * n
        return Work(2 * m * m * d, m * 3 * d, m * d)
    if name not in CONST_BYTES:
        raise ValueError(f"op: expected one of {', '.join(OPERATIONS)}, got {op!r}")
    if name == "matmul":
        return Work(m * k * n, m * k + k * n, 4 * m * n)
    residual = m * n if name == "mm_ln" else 0
    return Work(m * k * n, m * k + k * n + n * CONST_BYTES[name] + residual, m * n)
