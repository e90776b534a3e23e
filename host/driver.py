"""The accelerator driver: numpy in, numpy out, one operation at a time, over a platform with the
pynq interface (host/platform.py: the board, or the RTL in simulation behind the same objects).

An operation is what the top's register map says (docs/registers.md): write OP and DIM_*, write
CTRL.start, send one packet (golden.layout), receive one packet. The DMA is driven as pynq 3's
simple-mode channels expect (``transfer`` to start, the channel's status register polled with a
deadline), and its registers are read through the DMA's own ``read`` (host/axi_dma.py, PG021): the
bytes received from S2MM's LENGTH, the error bits by name.

Every transfer has a deadline: a core that does not finish raises TimeoutError with its status
registers; a DMA error raises :class:`AcceleratorError` naming it. Either way the core is aborted,
awaited (bounded) until it reports idle, and the DMA reset and restarted, so the next operation
starts clean. The core's ERROR bits are read after every operation and raised as
:class:`AcceleratorError`. Dimensions over the synthesis maxima (read from the core) are refused
before anything is sent. One DMA buffer per direction is allocated and grown as needed, and
freed by :meth:`Accelerator.close` (or leaving a ``with`` block).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from golden.layout import (
    check_residual,
    linear_weights,
    mm_gelu_weights,
    mm_ln_weights,
    packet,
    weight_beats,
)
from golden.params import Dense, GeluConsts, LayerNormParams, Rescale

from . import axi_dma as dma_regs
from .operations import BY_NAME, OPERATIONS
from .overlay import default_clock_mhz
from .regmap import OP_ATTENTION, OP_LINEAR, OP_MATMUL, OP_MM_GELU, OP_MM_LN, REGISTERS

ID_VALUE = 0x49425254  # "IBRT"
ERROR_BITS = [f.name for f in REGISTERS["ERROR"].fields]


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
    in_beats: int = 0   # the design's own traffic: what the packets carried (the weights once per row tile, ...)
    out_beats: int = 0

    def roofline(self, pes: int) -> float:
        """The operation's first-principles lower bound in cycles (host/roofline.py: every byte it
        needs once); the design's traffic, ``in_beats``, is reported beside it, not inside."""
        from .roofline import work

        return work(self.op, *self.shape).cycles(pes)

    def board_ms(self, clock_mhz: float) -> float:
        return self.cycles / (clock_mhz * 1e3)


def timing_table(calls: list[CallTiming], clock_mhz: float) -> str:
    """The calls as a table: per call the core's time at ``clock_mhz`` apart from the host's."""
    lines = [f"{'operation':<14}{'M x K x N':>18}{'cycles':>11}{'board ms':>10}{'beats in':>10}{'transfer s':>12}"
             f"{'pack ms':>9}{'copy ms':>9}"]
    for c in calls:
        lines.append(f"{c.op:<14}{' x '.join(map(str, c.shape)):>18}{c.cycles:>11,}{c.board_ms(clock_mhz):>10.3f}"
                     f"{c.in_beats:>10,}{c.transfer_s:>12.3f}{c.pack_s * 1e3:>9.2f}{c.copy_s * 1e3:>9.2f}")
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
    max_heads: int              # 0: this core has no OP_ATTENTION
    rows: int
    cols: int
    tile_rows: int


def _field(reg: str, name: str, word: int) -> int:
    return REGISTERS[reg].field(name).get(word)


#: Seconds the core may take to report idle after an abort (it drains an input packet already
#: begun, which the DMA finishes sending), and the DMA to come out of its reset.
RECOVER_S = 10.0


class Accelerator:
    """One I-BERT core behind ``ip`` (pynq's ``DefaultIP``: ``read(offset)``, ``write(offset,
    value)``), ``dma`` (pynq's ``DMA``: ``read``/``write`` of its registers, ``sendchannel`` and
    ``recvchannel`` with ``transfer(array, start, nbytes)`` and ``start()``) and
    ``allocate(shape, dtype)`` (``pynq.allocate``).

    ``timeout`` (seconds) bounds each operation's transfers. ``cycles`` after an operation is the
    core's own CYCLES_BUSY count of it; ``clock_mhz`` is the core's clock, which turns cycles into
    board time (default: the clock vivado/defaults.tcl builds at; the board backend passes the
    clock the overlay set). Use it in a ``with`` block, or call :meth:`close`, to free
    its DMA buffers.
    """

    def __init__(self, ip, dma, allocate, timeout: float = 60.0, clock_mhz: float | None = None):
        self.ip, self.dma, self.allocate, self.timeout = ip, dma, allocate, timeout
        self.clock_mhz = default_clock_mhz() if clock_mhz is None else float(clock_mhz)
        if not self.clock_mhz > 0:
            raise ValueError(f"clock_mhz: expected a positive frequency in MHz, got {clock_mhz!r}")
        self._buffers: dict[str, object] = {}
        ident = self.read("ID")
        if ident != ID_VALUE:
            raise AcceleratorError(f"no I-BERT core: the ID register reads 0x{ident:08x}, expected 0x{ID_VALUE:08x}")
        major = _field("VERSION", "major", self.read("VERSION"))
        speaks = REGISTERS["VERSION"].field("major").reset
        if major != speaks:
            raise AcceleratorError(f"register map version {major}: this driver speaks version {speaks}")
        arr = self.read("ARRAY")
        self.limits = Limits(self.read("MAX_M"), self.read("MAX_K"), self.read("MAX_N"), self.read("MAX_D"),
                             self.read("MAX_DH"), self.read("MAX_HEADS"), _field("ARRAY", "rows", arr),
                             _field("ARRAY", "cols", arr),
                             _field("ARRAY", "tile_rows", arr))
        self.cycles = 0
        self.calls: list[CallTiming] = []  # one per operation run (timing_table)
        self._recover("opening the core")  # idle, whatever a previous program left running
        self.write("ERROR", (1 << len(ERROR_BITS)) - 1)

    def close(self) -> None:
        """Free the DMA buffers (the board's CMA pool is small)."""
        for buf in self._buffers.values():
            buf.freebuffer()
        self._buffers.clear()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

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
        """Refuse (ValueError, one line) dimensions the core would refuse (host/operations.py)."""
        BY_NAME[op].check(m, k, n, self.limits)

    def run(self, code: int, m: int, k: int, n: int, beats: np.ndarray, out_beats: int, pack_s: float = 0.0,
            sends: int = 1) -> np.ndarray:
        """One operation: registers, start, ``beats`` (uint64) out as ``sends`` packets of equal
        length (OP_ATTENTION takes one packet per head), ``out_beats`` beats back."""
        operation = OPERATIONS.get(REGISTERS["OP"].field("code").get(code))
        op = operation.name if operation else f"operation {code}"
        what = f"{op} {m}x{k}x{n}"
        if operation:
            operation.check(m, k, n, self.limits)
        if sends < 1 or beats.size % sends:
            raise ValueError(f"{what}: {beats.size} beats do not split into {sends} equal packets")
        t0 = time.perf_counter()
        self.write("OP", code)
        self.write("DIM_M", m)
        self.write("DIM_K", k)
        self.write("DIM_N", n)
        src = self._buffer("send", beats.size)
        dst = self._buffer("receive", out_beats + 1)  # a beat of room: a packet one beat long is measured
        src[:beats.size] = beats
        copy_s = time.perf_counter() - t0
        self.write("ERROR", (1 << len(ERROR_BITS)) - 1)  # sticky: only this operation's bits count
        self.write("CTRL", REGISTERS["CTRL"].pack(start=1))
        errors = self.read("ERROR")
        if errors:
            self.write("ERROR", errors)
            raise AcceleratorError(f"{what} refused: {self._error_names(errors)}")
        t0 = time.perf_counter()
        deadline = time.monotonic() + self.timeout
        self.dma.recvchannel.transfer(dst, 0, dst.nbytes)
        each = beats.size // sends * 8
        for i in range(sends if beats.size else 0):
            self.dma.sendchannel.transfer(src, i * each, each)  # flushes that part of src
            self._wait(dma_regs.MM2S, deadline, what)
        self._wait(dma_regs.S2MM, deadline, what)
        transfer_s = time.perf_counter() - t0
        got = self.dma.read(dma_regs.S2MM + dma_regs.LENGTH)  # the bytes the packet had (PG021)
        t0 = time.perf_counter()
        dst.invalidate()  # the DMA wrote DDR behind the CPU's cache
        out = np.array(dst[:out_beats], dtype=np.uint64)
        copy_s += time.perf_counter() - t0
        if got != out_beats * 8:
            raise AcceleratorError(f"{what}: received {got} bytes, expected {out_beats * 8}")
        errors = self.read("ERROR")
        if errors:
            self.write("ERROR", errors)
            raise AcceleratorError(f"{what}: the core reported {self._error_names(errors)}")
        self.cycles = self.read("CYCLES_BUSY")
        self.calls.append(CallTiming(op, (m, k, n), pack_s, copy_s, transfer_s, self.cycles, beats.size, out_beats))
        return out

    def _buffer(self, direction: str, beats: int):
        """The DMA buffer for ``direction``, of at least ``beats`` 64-bit beats: the one kept from
        before, or a larger one in its place."""
        buf = self._buffers.get(direction)
        if buf is None or buf.size < beats:
            if buf is not None:
                buf.freebuffer()
            buf = self._buffers[direction] = self.allocate((max(beats, 1),), np.uint64)
        return buf

    def _wait(self, channel: int, deadline: float, what: str) -> None:
        """Poll ``channel``'s status register until its transfer completes. An error on either
        channel raises at once (a receive channel stopped by an error holds the core's output, and
        so its input: the send would otherwise just time out); so does the deadline; both after
        recovering."""
        other = dma_regs.S2MM if channel == dma_regs.MM2S else dma_regs.MM2S
        while True:
            status = {channel: self.dma.read(channel + dma_regs.DMASR)}
            if status[channel] & dma_regs.SR_IDLE:
                self.dma.write(channel + dma_regs.DMASR, dma_regs.SR_IOC_IRQ)  # acknowledged: the intc's line falls
                return
            status[other] = self.dma.read(other + dma_regs.DMASR)
            for base, word in status.items():
                if word & dma_regs.SR_ERRORS:
                    state = self.status()
                    self._recover(what)
                    raise AcceleratorError(f"{what}: the DMA's {dma_regs.CHANNELS[base]} channel stopped on a "
                                           f"{' and '.join(dma_regs.error_names(word))} error (DMASR 0x{word:x}; "
                                           f"core aborted, DMA reset; {state})")
            if time.monotonic() > deadline:
                state = self.status()
                self._recover(what)
                raise TimeoutError(f"{what}: the {dma_regs.CHANNELS[channel]} transfer did not finish in "
                                   f"{self.timeout:g} s (core aborted, DMA reset; {state})")

    def _recover(self, what: str) -> None:
        """Core and DMA back to idle: abort the core and wait until it reports idle (an input
        packet it had begun drains as the DMA finishes sending it; polling the send channel's
        status is what lets the simulation run meanwhile), then reset the DMA (whichever transfer
        is left is dropped) and start both channels again."""
        self.write("CTRL", REGISTERS["CTRL"].pack(abort=1))
        busy = REGISTERS["STATUS"].field("busy")
        deadline = time.monotonic() + RECOVER_S
        while busy.get(self.read("STATUS")):
            if time.monotonic() > deadline:
                raise AcceleratorError(f"{what}: the core still reports busy {RECOVER_S:g} s after an abort "
                                       f"({self.status()}); reload the overlay")
            self.dma.read(dma_regs.MM2S + dma_regs.DMASR)
        self.dma.write(dma_regs.MM2S + dma_regs.DMACR, dma_regs.CR_RESET)
        deadline = time.monotonic() + RECOVER_S
        while self.dma.read(dma_regs.MM2S + dma_regs.DMACR) & dma_regs.CR_RESET:
            if time.monotonic() > deadline:
                raise AcceleratorError(f"{what}: the DMA did not come out of its reset in {RECOVER_S:g} s")
        for base, channel in ((dma_regs.MM2S, self.dma.sendchannel), (dma_regs.S2MM, self.dma.recvchannel)):
            status = self.dma.read(base + dma_regs.DMASR)
            if status & dma_regs.SR_ERRORS:  # a halted channel with an error never runs: pynq's start() would spin
                raise AcceleratorError(f"{what}: the DMA's {dma_regs.CHANNELS[base]} channel still reports a "
                                       f"{' and '.join(dma_regs.error_names(status))} error after its reset")
            channel.start()

    @staticmethod
    def _error_names(word: int) -> str:
        return ", ".join(n for i, n in enumerate(ERROR_BITS) if word >> i & 1)

    def _rows(self, code: int, x: np.ndarray, n: int, weights: np.ndarray, resid: np.ndarray | None = None) -> np.ndarray:
        x = _int8_rows("x", x)
        m, k = x.shape
        t0 = time.perf_counter()
        beats = packet(x, weights, self.limits.tile_rows, resid)
        op = OPERATIONS[code]
        out = self.run(code, m, k, n, beats, op.out_beats(m, k, n), pack_s=time.perf_counter() - t0)
        return op.decode(out, m, k, n, self.limits)

    def matmul(self, a, b) -> np.ndarray:
        """golden.matmul on the core (OP_MATMUL): A int8, or uint8 (OP.a_unsigned: the softmax's
        probabilities), B int8 (K, N); the int32 product (M, N)."""
        a = np.asarray(a)
        if a.dtype not in (np.int8, np.uint8) or a.ndim != 2:
            raise ValueError(f"a: expected a 2-D int8 or uint8 array (rows, K), got {a.ndim}-D {a.dtype}")
        b = _int8_rows("b", b)
        if b.shape[0] != a.shape[1]:
            raise ValueError(f"b: expected {a.shape[1]} rows (a's K), got {b.shape[0]}")
        (m, k), n = a.shape, b.shape[1]
        lim = self.limits
        t0 = time.perf_counter()
        beats = packet(np.ascontiguousarray(a).view(np.int8), weight_beats(b, [[] for _ in range(n)]), lim.tile_rows)
        op = OPERATIONS[OP_MATMUL]
        out = self.run(op.op_word(a, b), m, k, n, beats, op.out_beats(m, k, n), pack_s=time.perf_counter() - t0)
        return op.decode(out, m, k, n, lim)

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
        """golden.attention on the core (OP_ATTENTION): the fused QKV (T, 3D) in
        golden.qkv_columns order, sent head-major, one packet per head (golden.layout.attention_beats);
        ``p`` has the ``softmax`` constants and the per-tensor ``ctx_rq``. Returns the int8 context (T, D)."""
        qkv = _int8_rows("qkv", qkv)
        t = qkv.shape[0]
        if heads < 1 or qkv.shape[1] % (3 * heads):
            raise ValueError(f"qkv: expected (T, 3 x heads x d_head) columns for {heads} heads, got {qkv.shape[1]}")
        dh = qkv.shape[1] // (3 * heads)
        op = OPERATIONS[OP_ATTENTION]
        op.check(t, dh, heads, self.limits)
        for reg, values in op.constants(qkv, heads, p).items():
            self.write(reg, REGISTERS[reg].pack(**values))
        t0 = time.perf_counter()
        beats = np.concatenate(op.packets(qkv, heads, p, tile_rows=self.limits.tile_rows))
        out = self.run(OP_ATTENTION, t, dh, heads, beats, op.out_beats(t, dh, heads), pack_s=time.perf_counter() - t0,
                       sends=heads)
        return op.decode(out, t, dh, heads, self.limits)


def _int8_rows(name: str, x) -> np.ndarray:
    a = np.asarray(x)
    if a.dtype != np.int8 or a.ndim != 2:
        raise ValueError(f"{name}: expected a 2-D int8 array (rows, K), got {a.ndim}-D {a.dtype}")
    return np.ascontiguousarray(a)
