"""The accelerator driver: numpy in, numpy out, one operation at a time, over a platform with the
pynq interface (host/platform.py: the board, or the RTL in simulation behind the same objects).

An operation is what the top's register map says (docs/registers.md): write OP and DIM_*, write
CTRL.start, send one packet (golden.layout), receive one packet. Every transfer has a deadline:
a core that does not finish raises TimeoutError with its status registers, after an abort that
returns it to idle; the ERROR bits are read after every operation and raised as
:class:`AcceleratorError`. Dimensions over the synthesis maxima (read from the core) are refused
before anything is sent.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from golden.layout import (
    attention_registers,
    check_residual,
    linear_weights,
    mm_gelu_weights,
    mm_ln_weights,
    packet,
    rows_beats,
)
from golden.params import Dense, GeluConsts, LayerNormParams, Rescale

from .regmap import OP_ATTENTION, OP_LINEAR, OP_MM_GELU, OP_MM_LN, REGISTERS

ID_VALUE = 0x49425254  # "IBRT"
#: OP_ATTENTION's most heads (rtl/ibert_top.sv's MAX_HEADS; the core refuses more with bad_dims).
MAX_HEADS = 16
ERROR_BITS = [f.name for f in REGISTERS["ERROR"].fields]
OP_NAMES = {OP_LINEAR: "OP_LINEAR", OP_MM_GELU: "OP_MM_GELU", OP_MM_LN: "OP_MM_LN", OP_ATTENTION: "OP_ATTENTION"}


@dataclass
class CallTiming:
    """Where one operation's time went (FINN-style): host packing of the input packet, copies into
    and out of the DMA buffers, the transfer (start to both channels idle, wall clock: on ``sim``
    the simulation's own speed), and the core's CYCLES_BUSY with what it means on the board."""

    op: str
    shape: tuple[int, int, int]
    pack_s: float
    copy_s: float
    transfer_s: float
    cycles: int
    in_beats: int = 0
    out_beats: int = 0

    def roofline(self, pes: int) -> float:
        """The operation's lower bound in cycles: max(MACs / PEs, input beats, output beats)."""
        m, k, n = self.shape
        return max(m * k * n / pes, self.in_beats, self.out_beats)

    def board_ms(self, clock_mhz: float = 100.0) -> float:
        return self.cycles / (clock_mhz * 1e3)


def timing_table(calls: list[CallTiming], clock_mhz: float = 100.0) -> str:
    """The calls as a table: per call the core's time at ``clock_mhz`` apart from the host's."""
    lines = [f"{'operation':<12}{'M x K x N':>18}{'cycles':>11}{'board ms':>10}{'transfer s':>12}"
             f"{'pack ms':>9}{'copy ms':>9}"]
    for c in calls:
        lines.append(f"{c.op:<12}{' x '.join(map(str, c.shape)):>18}{c.cycles:>11,}{c.board_ms(clock_mhz):>10.3f}"
                     f"{c.transfer_s:>12.3f}{c.pack_s * 1e3:>9.2f}{c.copy_s * 1e3:>9.2f}")
    return "\n".join(lines)


class AcceleratorError(RuntimeError):
    """The core reported an error (its ERROR bits), or answered something no core would."""


@dataclass(frozen=True)
class Limits:
    """What the core says of itself: its synthesis maxima and array."""

    max_m: int
    max_k: int
    max_n: int
    max_d: int
    max_dh: int                 # 0: this core has no OP_ATTENTION
    rows: int
    cols: int
    tile_rows: int


def _field(reg: str, name: str, word: int) -> int:
    return REGISTERS[reg].field(name).get(word)


class Accelerator:
    """One I-BERT core behind ``ip`` (MMIO ``read``/``write``), ``dma`` (``sendchannel`` /
    ``recvchannel``: ``transfer``, ``idle``) and ``allocate(shape, dtype)``.

    ``timeout`` (seconds) bounds each transfer. ``cycles`` after an operation is the core's own
    CYCLES_BUSY count of it.
    """

    def __init__(self, ip, dma, allocate, timeout: float = 60.0):
        self.ip, self.dma, self.allocate, self.timeout = ip, dma, allocate, timeout
        ident = self.read("ID")
        if ident != ID_VALUE:
            raise AcceleratorError(f"no I-BERT core: the ID register reads 0x{ident:08x}, expected 0x{ID_VALUE:08x}")
        major = _field("VERSION", "major", self.read("VERSION"))
        speaks = REGISTERS["VERSION"].field("major").reset
        if major != speaks:
            raise AcceleratorError(f"register map version {major}: this driver speaks version {speaks}")
        arr = self.read("ARRAY")
        self.limits = Limits(self.read("MAX_M"), self.read("MAX_K"), self.read("MAX_N"), self.read("MAX_D"),
                             self.read("MAX_DH"), _field("ARRAY", "rows", arr), _field("ARRAY", "cols", arr),
                             _field("ARRAY", "tile_rows", arr))
        self.cycles = 0
        self.calls: list[CallTiming] = []  # one per operation run (timing_table)
        self.write("CTRL", REGISTERS["CTRL"].pack(abort=1))  # idle, whatever came before
        self.write("ERROR", (1 << len(ERROR_BITS)) - 1)

    def read(self, name: str) -> int:
        return int(self.ip.read(REGISTERS[name].offset))

    def write(self, name: str, value: int) -> None:
        self.ip.write(REGISTERS[name].offset, int(value))

    def status(self) -> str:
        """The status registers in one line (for error messages)."""
        names = ("STATUS", "ERROR", "OP", "DIM_M", "DIM_K", "DIM_N", "CYCLES_BUSY", "CYCLES_STARVED", "CYCLES_STALLED")
        return ", ".join(f"{n}=0x{self.read(n):x}" for n in names)

    # ------------------------------------------------------------------ one operation
    def check_dims(self, op: str, m: int, k: int, n: int) -> None:
        lim = self.limits
        if op == "OP_ATTENTION":
            if not lim.max_dh:
                raise ValueError("OP_ATTENTION: this core was built without it (MAX_DH reads 0)")
            if not (1 <= m <= lim.max_m and 8 <= k <= lim.max_dh and k % 8 == 0 and 1 <= n <= MAX_HEADS
                    and n * k <= lim.max_d):
                raise ValueError(f"OP_ATTENTION: T = {m}, d_head = {k}, heads = {n} are outside this core's T "
                                 f"1..{lim.max_m}, d_head a multiple of 8 up to {lim.max_dh}, 1..{MAX_HEADS} heads of "
                                 f"at most {lim.max_d} columns in all")
            return
        max_n = lim.max_d if op == "OP_MM_LN" else lim.max_n
        for name, v, hi in (("M (rows)", m, lim.max_m), ("K", k, lim.max_k), ("N", n, max_n)):
            if not 1 <= v <= hi:
                raise ValueError(f"{op}: {name} = {v} is outside this core's 1..{hi}")

    def run(self, code: int, m: int, k: int, n: int, beats: np.ndarray, out_beats: int, pack_s: float = 0.0,
            sends: int = 1) -> np.ndarray:
        """One operation: registers, start, ``beats`` (uint64) out (``sends`` times: OP_ATTENTION
        takes its packet once per head), ``out_beats`` beats back."""
        op = OP_NAMES.get(code, f"operation {code}")
        self.check_dims(op, m, k, n)
        t0 = time.perf_counter()
        self.write("OP", code)
        self.write("DIM_M", m)
        self.write("DIM_K", k)
        self.write("DIM_N", n)
        src = self.allocate((beats.size,), np.uint64)
        src[:] = beats
        dst = self.allocate((out_beats,), np.uint64)
        for buf in (src, dst):
            if hasattr(buf, "flush"):
                buf.flush()
        copy_s = time.perf_counter() - t0
        self.write("ERROR", (1 << len(ERROR_BITS)) - 1)  # sticky: only this operation's bits count
        self.write("CTRL", REGISTERS["CTRL"].pack(start=1))
        errors = self.read("ERROR")
        if errors:
            self.write("ERROR", errors)
            raise AcceleratorError(f"{op} {m}x{k}x{n} refused: {self._error_names(errors)}")
        self.dma.recvchannel.transfer(dst)
        t0 = time.perf_counter()
        deadline = time.monotonic() + self.timeout

        def wait(name: str, channel) -> None:
            while not channel.idle:
                if time.monotonic() > deadline:
                    state = self.status()
                    self.write("CTRL", REGISTERS["CTRL"].pack(abort=1))
                    raise TimeoutError(f"{op} {m}x{k}x{n}: the {name} transfer did not finish in {self.timeout:g} s "
                                       f"(aborted; {state})")

        for _ in range(sends):
            self.dma.sendchannel.transfer(src)
            wait("send (MM2S)", self.dma.sendchannel)
        wait("receive (S2MM)", self.dma.recvchannel)
        transfer_s = time.perf_counter() - t0
        for name, channel in (("send (MM2S)", self.dma.sendchannel), ("receive (S2MM)", self.dma.recvchannel)):
            if getattr(channel, "error", False):  # pynq: the DMA's status register has an error bit set
                raise AcceleratorError(f"{op} {m}x{k}x{n}: the DMA's {name} channel reports an error ({self.status()})")
        got = _received_bytes(self.dma.recvchannel, out_beats * 8)
        if getattr(self.dma.recvchannel, "overflowed", False) or got != out_beats * 8:
            raise AcceleratorError(f"{op} {m}x{k}x{n}: received {got} bytes, expected {out_beats * 8}")
        errors = self.read("ERROR")
        if errors:
            self.write("ERROR", errors)
            raise AcceleratorError(f"{op} {m}x{k}x{n}: the core reported {self._error_names(errors)}")
        self.cycles = self.read("CYCLES_BUSY")
        t0 = time.perf_counter()
        if hasattr(dst, "invalidate"):
            dst.invalidate()
        out = np.array(dst, dtype=np.uint64)
        copy_s += time.perf_counter() - t0
        self.calls.append(CallTiming(op, (m, k, n), pack_s, copy_s, transfer_s, self.cycles, sends * beats.size, out_beats))
        return out

    @staticmethod
    def _error_names(word: int) -> str:
        return ", ".join(n for i, n in enumerate(ERROR_BITS) if word >> i & 1)

    def _rows(self, code: int, x: np.ndarray, n: int, weights: np.ndarray, resid: np.ndarray | None = None) -> np.ndarray:
        x = _int8_rows("x", x)
        m, k = x.shape
        t0 = time.perf_counter()
        beats = packet(x, weights, self.limits.tile_rows, resid)
        out = self.run(code, m, k, n, beats, m * -(-n // 8), pack_s=time.perf_counter() - t0)
        return out.view(np.int8).reshape(m, -1)[:, :n].copy()

    # ------------------------------------------------------------------ the fused operations
    # ``weights``: the operation's weight part (golden.layout.*_weights), built once per layer.
    def linear(self, x, dense: Dense, rq: Rescale, weights: np.ndarray | None = None) -> np.ndarray:
        """golden.linear on the core (OP_LINEAR)."""
        w = linear_weights(dense, rq) if weights is None else weights
        return self._rows(OP_LINEAR, x, dense.w.shape[1], w)

    def mm_gelu(self, x, dense: Dense, consts: GeluConsts, rq: Rescale, gelu_bias=0,
                weights: np.ndarray | None = None) -> np.ndarray:
        """golden.mm_gelu on the core (OP_MM_GELU)."""
        w = mm_gelu_weights(dense, consts, rq, gelu_bias) if weights is None else weights
        return self._rows(OP_MM_GELU, x, dense.w.shape[1], w)

    def mm_ln(self, x, dense: Dense, rq: Rescale, r, res_rq: Rescale, ln: LayerNormParams, ln_rq: Rescale,
              weights: np.ndarray | None = None) -> np.ndarray:
        """golden.mm_ln on the core (OP_MM_LN)."""
        x = _int8_rows("x", x)
        n = dense.w.shape[1]
        r = check_residual(r, x.shape[0], n)
        w = mm_ln_weights(dense, rq, res_rq, ln, ln_rq) if weights is None else weights
        return self._rows(OP_MM_LN, x, n, w, r)

    def attention(self, qkv, heads: int, p) -> np.ndarray:
        """golden.attention_qkv on the core (OP_ATTENTION): the fused QKV (T, 3D) in
        golden.qkv_columns order, sent once per head; ``p`` has the ``softmax`` constants and the
        per-tensor ``ctx_rq``. Returns the int8 context (T, D)."""
        qkv = _int8_rows("qkv", qkv)
        t = qkv.shape[0]
        if heads < 1 or qkv.shape[1] % (3 * heads):
            raise ValueError(f"qkv: expected (T, 3 x heads x d_head) columns for {heads} heads, got {qkv.shape[1]}")
        dh = qkv.shape[1] // (3 * heads)
        self.check_dims("OP_ATTENTION", t, dh, heads)
        for reg, values in attention_registers(p).items():
            self.write(reg, REGISTERS[reg].pack(**values))
        t0 = time.perf_counter()
        beats = rows_beats(qkv).reshape(-1)
        d = heads * dh
        out = self.run(OP_ATTENTION, t, dh, heads, beats, t * d // 8, pack_s=time.perf_counter() - t0, sends=heads)
        return out.view(np.int8).reshape(t, d).copy()


#: The AXI DMA's LENGTH register, from its channel's base (MM2S 0x00, S2MM 0x30: 0x28 and 0x58):
#: after an S2MM transfer it holds the bytes the packet had.
DMA_LENGTH_OFFSET = 0x28


def _received_bytes(channel, expected: int) -> int:
    """Bytes the receive channel wrote: the simulation says it; pynq 3's channel has no accessor, so
    its LENGTH register is read through the channel's own MMIO (pynq's private ``_mmio`` and
    ``_offset``); ``expected`` when neither is there."""
    if hasattr(channel, "transferred"):
        return int(channel.transferred)
    mmio, offset = getattr(channel, "_mmio", None), getattr(channel, "_offset", None)
    if mmio is not None and offset is not None:
        return int(mmio.read(offset + DMA_LENGTH_OFFSET))
    return expected


def _int8_rows(name: str, x) -> np.ndarray:
    a = np.asarray(x)
    if a.dtype != np.int8 or a.ndim != 2:
        raise ValueError(f"{name}: expected a 2-D int8 array (rows, K), got {a.ndim}-D {a.dtype}")
    return np.ascontiguousarray(a)
