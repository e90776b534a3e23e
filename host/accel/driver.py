"""The accelerator driver: numpy in, numpy out, one operation at a time, over a platform with the
pynq interface (host/accel/platform.py: the board, or the RTL in simulation behind the same objects).

The core moves its own data (docs/registers.md): an operation is its registers (OP, DIM_*, the
operands' addresses and row strides, OUT_ADDR), CTRL.start and a wait for STATUS.done; the core
reads its operands from DDR and writes its output back itself. So the host's work per operation is
the register writes and the wait, and the CPU copies only what it hands over or reads back:

- :class:`DeviceRows`: int8 rows resident in DDR (a ``pynq.allocate`` buffer), each padded to
  whole 8-byte beats. An operation's output stays there (``out=``) as the next one's input; the CPU
  reads it (:meth:`DeviceRows.numpy`) only when asked.
- :meth:`Accelerator.load_weights`: every weight part of a model (golden.layout.weight_beats)
  packed once into one buffer; an operation then names its weights by address.
- Numpy arrays are accepted everywhere too: they are copied into a buffer (and the output read
  back) for that call.

Every byte the CPU writes into or reads from the buffers is counted (``cpu_written``, ``cpu_read``,
per call in :class:`CallTiming`). Every wait has a deadline: a core that does not finish raises
TimeoutError with its status registers; an error bit raises :class:`AcceleratorError` naming it.
Either way the core is aborted and awaited (bounded: STATUS.busy falls within 2 cycles of an
abort) so the next operation starts clean. Dimensions over the synthesis maxima (read from the
core) are refused before anything is written. Buffers are freed by :meth:`Accelerator.close` (or
leaving a ``with`` block).
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass

import numpy as np

from golden.params import Dense, GeluConsts, LayerNormParams, Rescale

from .operations import BY_NAME, OPERATIONS
from .overlay import default_clock_mhz
from .regmap import OP_ATTENTION, OP_LINEAR, OP_MATMUL, OP_MM_GELU, OP_MM_LN, REGISTERS

ID_VALUE = 0x49425254  # "IBRT"
ERROR_BITS = [f.name for f in REGISTERS["ERROR"].fields]
ALL_ERRORS = (1 << len(ERROR_BITS)) - 1
# what every operation touches, looked up once (the host's time per operation is the product)
_OFFSET = {name: reg.offset for name, reg in REGISTERS.items()}
_START = REGISTERS["CTRL"].pack(start=1)
_BUSY = 1 << REGISTERS["STATUS"].field("busy").lsb
_DONE = 1 << REGISTERS["STATUS"].field("done").lsb
_CODE = REGISTERS["OP"].field("code")
#: the ERROR bits a refused start sets (the operation never ran)
_REFUSED = sum(1 << REGISTERS["ERROR"].field(n).lsb for n in ("bad_dims", "bad_op", "start_busy"))


@dataclass
class CallTiming:
    """Where one operation's time went: the host's own work (``pack_s``: building operands it was
    handed as arrays; ``copy_s``: CPU copies into and out of the buffers; register writes), the wait
    from start to done (wall clock: on ``sim`` the simulation's own speed), the core's CYCLES_BUSY,
    and the bytes: what the core read (``in_beats``: the design's own traffic, the weights once per
    row tile), what it wrote, and what the CPU copied in and out (``cpu_written``, ``cpu_read``)."""

    op: str
    shape: tuple[int, int, int]
    pack_s: float
    copy_s: float
    transfer_s: float
    cycles: int
    in_beats: int = 0
    out_beats: int = 0
    cpu_written: int = 0
    cpu_read: int = 0

    def roofline(self, pes: int) -> float:
        """The operation's first-principles lower bound in cycles (host/accel/roofline.py: every byte it
        needs once); the design's traffic, ``in_beats``, is reported beside it, not inside."""
        from .roofline import work

        return work(self.op, *self.shape).cycles(pes)

    def board_ms(self, clock_mhz: float) -> float:
        return self.cycles / (clock_mhz * 1e3)


def timing_table(calls: list[CallTiming], clock_mhz: float) -> str:
    """The calls as a table: per call the core's time at ``clock_mhz`` apart from the host's, and
    the bytes the core read and the CPU copied."""
    lines = [f"{'operation':<14}{'M x K x N':>18}{'cycles':>11}{'board ms':>10}{'beats in':>10}{'wait s':>9}"
             f"{'host ms':>9}{'CPU in B':>10}{'CPU out B':>10}"]
    for c in calls:
        lines.append(f"{c.op:<14}{' x '.join(map(str, c.shape)):>18}{c.cycles:>11,}{c.board_ms(clock_mhz):>10.3f}"
                     f"{c.in_beats:>10,}{c.transfer_s:>9.3f}{(c.pack_s + c.copy_s) * 1e3:>9.2f}"
                     f"{c.cpu_written:>10,}{c.cpu_read:>10,}")
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


#: Seconds the core may take to report idle after an abort (the register map promises 2 cycles).
RECOVER_S = 10.0


class _Named:
    """A buffer kept under a name and grown as needed; ``generation`` counts its reuses, so a view
    of an earlier use knows it is stale."""

    def __init__(self, buf, generation: int = 0):
        self.buf, self.generation = buf, generation
        self.address = int(buf.physical_address)  # the buffer's first beat, read once


class DeviceRows:
    """``rows`` int8 (or uint8) rows of ``cols`` bytes resident in DDR: a view of a buffer from beat
    ``offset``, each row padded to whole 8-byte beats (golden.layout.rows_beats), so its row stride
    is :attr:`stride` bytes. :meth:`numpy` reads it back (once; counted)."""

    def __init__(self, acc: "Accelerator", named: _Named, offset: int, rows: int, cols: int, dtype=np.int8,
                 host: np.ndarray | None = None):
        self.acc, self._named, self._generation = acc, named, named.generation
        self.offset, self.rows, self.cols, self.dtype = offset, rows, cols, np.dtype(dtype)
        self._host = host

    @property
    def shape(self) -> tuple[int, int]:
        return self.rows, self.cols

    @property
    def row_beats(self) -> int:
        return -(-self.cols // 8)

    @property
    def stride(self) -> int:
        return 8 * self.row_beats

    @property
    def view(self):
        """The buffer's beats this array occupies (a slice of the pynq buffer)."""
        return self._named.buf[self.offset:self.offset + self.rows * self.row_beats]

    @property
    def address(self) -> int:
        return self._named.address + 8 * self.offset

    def row_slice(self, start: int, stop: int) -> "DeviceRows":
        """Rows ``start`` to ``stop`` (a view, no copy)."""
        if not 0 <= start <= stop <= self.rows:
            raise ValueError(f"row_slice: rows {start}..{stop} of {self.rows}")
        host = None if self._host is None else self._host[start:stop]
        return DeviceRows(self.acc, self._named, self.offset + start * self.row_beats, stop - start, self.cols,
                          self.dtype, host)

    def numpy(self) -> np.ndarray:
        """The rows as a numpy array: read from DDR the first time (the CPU's read, counted), the
        same array after."""
        if self._host is None:
            if self._named.generation != self._generation:
                raise RuntimeError("this device array's buffer has been reused since: read it before the next "
                                   "operation that writes there")
            t0 = time.perf_counter()
            view = self.view
            view.invalidate()  # the core wrote DDR behind the CPU's cache
            words = np.array(view, dtype=np.uint64)
            self.acc._count(read=words.nbytes, seconds=time.perf_counter() - t0)
            self._host = np.ascontiguousarray(words.view(self.dtype).reshape(self.rows, -1)[:, :self.cols])
        return self._host

    def __array__(self, dtype=None, copy=None):
        a = self.numpy()
        return a if dtype is None else a.astype(dtype)


@dataclass(frozen=True)
class DeviceWeights:
    """An operation's weight part resident in DDR (golden.layout.weight_beats), at ``address``."""

    address: int
    beats: int


@dataclass
class Started:
    """An operation the core is running (:meth:`Accelerator.start`)."""

    code: int
    shape: tuple[int, int, int]
    what: str
    out: DeviceRows
    out_beats: int
    host_s: float


class Accelerator:
    """One I-BERT core behind ``ip`` (pynq's ``DefaultIP``: ``read(offset)``, ``write(offset,
    value)``) and ``allocate(shape, dtype)`` (``pynq.allocate``).

    ``timeout`` (seconds) bounds each operation's wait. ``cycles`` after an operation is the core's
    own CYCLES_BUSY count of it; ``clock_mhz`` is the core's clock, which turns cycles into board
    time (default: the clock vivado/defaults.tcl builds at; the board backend passes the clock the
    overlay set). Use it in a ``with`` block, or call :meth:`close`, to free its buffers.
    """

    def __init__(self, ip, allocate, timeout: float = 60.0, clock_mhz: float | None = None):
        self.ip, self.allocate, self.timeout = ip, allocate, timeout
        self.clock_mhz = default_clock_mhz() if clock_mhz is None else float(clock_mhz)
        if not self.clock_mhz > 0:
            raise ValueError(f"clock_mhz: expected a positive frequency in MHz, got {clock_mhz!r}")
        self._named: dict[str, _Named] = {}
        self._weights: list = []  # the weight buffers (load_weights)
        self._constants: dict[int, tuple] = {}  # OP_ATTENTION's constant registers by parameters
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
        self.cpu_written = self.cpu_read = 0  # bytes the CPU copied into and out of the buffers
        self.load_written = 0  # of which, the weights loaded once (load_weights)
        self._call_bytes = [0, 0, 0.0]  # this call's written, read, copy seconds
        self._recover("opening the core")  # idle, whatever a previous program left running
        self.write("ERROR", ALL_ERRORS)
        self._errors_set = False  # ERROR is clear: the next start need not clear it

    def close(self) -> None:
        """Free the buffers (the board's CMA pool is small) and the board's lock, if it holds one
        (host/accel/board_lock.py: the pynq backend takes it)."""
        for named in self._named.values():
            named.buf.freebuffer()
        for buf in self._weights:
            buf.freebuffer()
        self._named.clear()
        self._weights.clear()
        lock, self.lock = getattr(self, "lock", None), None
        if lock is not None:
            lock.release()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def read(self, name: str) -> int:
        return int(self.ip.read(_OFFSET[name]))

    def write(self, name: str, value: int) -> None:
        if name == "CTRL":  # a start or abort not the driver's own: ERROR may hold anything after it
            self._errors_set = True
        self.ip.write(_OFFSET[name], int(value))

    def status(self) -> str:
        """The status registers in one line (for error messages)."""
        names = ("STATUS", "ERROR", "OP", "DIM_M", "DIM_K", "DIM_N", "OUT_BEATS", "CYCLES_BUSY", "CYCLES_STARVED",
                 "CYCLES_STALLED")
        return ", ".join(f"{n}=0x{self.read(n):x}" for n in names)

    # ------------------------------------------------------------------ buffers
    def _count(self, written: int = 0, read: int = 0, seconds: float = 0.0) -> None:
        """CPU copies: a write counts to the next operation (its input), a read to the last one
        (its output)."""
        self.cpu_written += written
        self.cpu_read += read
        if read and self.calls:
            self.calls[-1].cpu_read += read
            self.calls[-1].copy_s += seconds
        else:
            self._call_bytes[0] += written
            self._call_bytes[2] += seconds

    def rows(self, name: str, rows: int, cols: int, dtype=np.int8) -> DeviceRows:
        """A ``rows`` x ``cols`` device array in the buffer kept under ``name`` (grown as needed):
        views taken of it before are stale from now on."""
        beats = max(rows * -(-cols // 8), 1)
        named = self._named.get(name)
        if named is None or named.buf.size < beats:
            generation = 0
            if named is not None:
                named.buf.freebuffer()
                generation = named.generation
            named = self._named[name] = _Named(self.allocate((beats,), np.uint64), generation)
        named.generation += 1
        return DeviceRows(self, named, 0, rows, cols, dtype)

    def to_device(self, x, name: str = "in") -> DeviceRows:
        """int8 (or uint8) rows copied into the buffer ``name`` (the CPU's write, counted)."""
        if isinstance(x, DeviceRows):
            return x
        a = np.asarray(x)
        if a.ndim != 2 or a.dtype not in (np.int8, np.uint8):
            raise ValueError(f"{name}: expected a 2-D int8 or uint8 array (rows, columns), got {a.ndim}-D {a.dtype}")
        t0 = time.perf_counter()
        dev = self.rows(name, *a.shape, a.dtype)
        kb = dev.row_beats
        padded = np.zeros((a.shape[0], kb * 8), a.dtype)
        padded[:, :a.shape[1]] = a
        view = dev.view
        view[:] = padded.view("<u8").reshape(-1)
        view.flush()  # the core reads DDR, not the CPU's cache
        self._count(written=padded.nbytes, seconds=time.perf_counter() - t0)
        dev._host = np.ascontiguousarray(a)
        return dev

    def load_weights(self, parts: dict) -> dict:
        """Every weight part of ``parts`` (key -> uint64 beats, golden.layout.weight_beats) packed
        into one buffer, once: key -> :class:`DeviceWeights`. Where one buffer of that size cannot
        be had (the CMA pool is small), one per part."""
        arrays = {k: np.ascontiguousarray(v, dtype=np.uint64).reshape(-1) for k, v in parts.items()}
        total = sum(a.size for a in arrays.values())
        t0 = time.perf_counter()
        try:
            bufs = [(self.allocate((max(total, 1),), np.uint64), list(arrays))]
        except (MemoryError, RuntimeError):
            bufs = [(self.allocate((max(a.size, 1),), np.uint64), [k]) for k, a in arrays.items()]
        out = {}
        for buf, keys in bufs:
            at = 0
            for k in keys:
                a = arrays[k]
                buf[at:at + a.size] = a
                out[k] = DeviceWeights(int(buf[at:].physical_address), a.size)
                at += a.size
            buf.flush()
            self._weights.append(buf)
        self.cpu_written += 8 * total
        self.load_written += 8 * total
        self.load_s = time.perf_counter() - t0
        return out

    def place_weights(self, weights) -> tuple[int, int]:
        """(address, beats) of a weight part: resident, or copied into the scratch buffer."""
        if isinstance(weights, DeviceWeights):
            return weights.address, weights.beats
        w = np.ascontiguousarray(weights, dtype=np.uint64).reshape(-1)
        t0 = time.perf_counter()
        named = self._named.get("w")
        if named is None or named.buf.size < max(w.size, 1):
            if named is not None:
                named.buf.freebuffer()
            named = self._named["w"] = _Named(self.allocate((max(w.size, 1),), np.uint64))
        named.buf[:w.size] = w
        named.buf.flush()
        self._count(written=w.nbytes, seconds=time.perf_counter() - t0)
        return int(named.buf.physical_address), w.size

    # ------------------------------------------------------------------ one operation
    def check_dims(self, op: str, m: int, k: int, n: int) -> None:
        """Refuse (ValueError, one line) dimensions the core would refuse (host/accel/operations.py)."""
        BY_NAME[op].check(m, k, n, self.limits)

    def execute(self, code: int, m: int, k: int, n: int, a: DeviceRows, out: DeviceRows | None = None,
                w: tuple[int, int] | None = None, r: DeviceRows | None = None, op_word: int | None = None,
                constants: dict | None = None, out_name: str = "out", pack_s: float = 0.0) -> DeviceRows:
        """One operation on operands resident in DDR: registers, start, wait for done (:meth:`start`
        then :meth:`finish`); the output, a DeviceRows. Interrupted (Ctrl-C), it leaves the core idle
        for the next call before the KeyboardInterrupt goes on."""
        try:
            started = self.start(code, m, k, n, a, out, w, r, op_word, constants, out_name)
        except KeyboardInterrupt:
            self._recover("an interrupted start")
            raise
        return self.finish(started, pack_s)

    def start(self, code: int, m: int, k: int, n: int, a: DeviceRows, out: DeviceRows | None = None,
              w: tuple[int, int] | None = None, r: DeviceRows | None = None, op_word: int | None = None,
              constants: dict | None = None, out_name: str = "out") -> "Started":
        """Write an operation's registers and start it: ``a`` (A's rows, or OP_ATTENTION's fused
        QKV), ``w`` (the weight part's address and beats), ``r`` (OP_MM_LN's residual rows); the
        output goes to ``out`` (or the buffer ``out_name``): int8 rows, or OP_MATMUL's int32 pairs
        as rows of 8 bytes. A start the core refuses raises AcceleratorError naming why."""
        operation = OPERATIONS.get(_CODE.get(code))
        what = f"{operation.name if operation else f'operation {code}'} {m}x{k}x{n}"
        if operation:
            operation.check(m, k, n, self.limits)
        out_beats = operation.out_beats(m, k, n) if operation else 1
        if out is None:
            out = self.rows(out_name, out_beats, 8, np.uint8) if code == OP_MATMUL or not operation else \
                self.rows(out_name, m, k * n if code == OP_ATTENTION else n)
        if out.rows * out.row_beats != out_beats:
            raise ValueError(f"{what}: the output takes {out_beats} beats, out= has {out.rows * out.row_beats}")
        t0 = time.perf_counter()
        regs = {"OP": code if op_word is None else op_word, "DIM_M": m, "DIM_K": k, "DIM_N": n,
                "A_ADDR": a.address, "A_STRIDE": a.stride, "OUT_ADDR": out.address}
        if w is not None:
            regs["W_ADDR"] = w[0]
        if r is not None:
            regs.update(R_ADDR=r.address, R_STRIDE=r.stride)
        write = self.ip.write
        for name, value in regs.items():
            write(_OFFSET[name], int(value))
        for reg, value in (constants or {}).items():  # field values, or the register's word
            write(_OFFSET[reg], value if isinstance(value, int) else REGISTERS[reg].pack(**value))
        if self._errors_set:  # sticky: only this operation's bits may count
            write(_OFFSET["ERROR"], ALL_ERRORS)
            self._errors_set = False
        write(_OFFSET["CTRL"], _START)
        # a refused start is neither busy nor done at the first read of STATUS (finish reads it)
        return Started(code, (m, k, n), what, out, out_beats, time.perf_counter() - t0)

    def finish(self, started: "Started", pack_s: float = 0.0) -> DeviceRows:
        """Wait (within the deadline) for a started operation to be done, check what the core
        reports, and record its timing; its output."""
        t0 = time.perf_counter()
        try:
            status = self._wait(started.what)
        except KeyboardInterrupt:  # Ctrl-C mid-operation: the core aborted, idle for the next call
            self._recover(f"{started.what}, interrupted")
            raise
        transfer_s = time.perf_counter() - t0
        errors = self.read("ERROR")
        if errors:
            self.write("ERROR", errors)
            if errors & _REFUSED:
                raise AcceleratorError(f"{started.what} refused: {self._error_names(errors)}")
            raise AcceleratorError(f"{started.what}: the core reported {self._error_names(errors)}")
        if not status & _DONE:
            raise AcceleratorError(f"{started.what}: the core went idle without done ({self.status()})")
        wrote = self.read("OUT_BEATS")
        if wrote != started.out_beats:
            raise AcceleratorError(f"{started.what}: the core wrote {wrote} output beats, expected {started.out_beats}")
        self.cycles = self.read("CYCLES_BUSY")
        code, (m, k, n) = started.code, started.shape
        operation = OPERATIONS.get(REGISTERS["OP"].field("code").get(code))
        in_beats = _read_beats(code, m, k, n, self.limits.tile_rows) if operation else 0
        written, _, copy_s = self._call_bytes
        self._call_bytes = [0, 0, 0.0]
        self.calls.append(CallTiming(operation.name if operation else started.what, started.shape, pack_s,
                                     copy_s + started.host_s, transfer_s, self.cycles, in_beats, started.out_beats,
                                     written, 0))
        return started.out

    def abort(self) -> None:
        """Abort whatever the core runs and wait (bounded) until it reports idle."""
        self._recover("abort")

    def _wait(self, what: str) -> int:
        """Poll STATUS until busy falls, within the deadline (past it, abort and raise); the last
        STATUS read."""
        read, status_at = self.ip.read, _OFFSET["STATUS"]
        deadline = time.monotonic() + self.timeout
        while (status := int(read(status_at))) & _BUSY:
            if time.monotonic() > deadline:
                state = self.status()
                self._recover(what)
                raise TimeoutError(f"{what}: the core did not finish in {self.timeout:g} s (core aborted; {state})")
        return status

    def _recover(self, what: str) -> None:
        """The core back to idle: abort it and wait (bounded) until it reports idle; the bursts it
        had raised finish on the bus by themselves."""
        self.write("CTRL", REGISTERS["CTRL"].pack(abort=1))
        self._errors_set = True  # ERROR.aborted, maybe
        busy = REGISTERS["STATUS"].field("busy")
        deadline = time.monotonic() + RECOVER_S
        while busy.get(self.read("STATUS")):
            if time.monotonic() > deadline:
                raise AcceleratorError(f"{what}: the core still reports busy {RECOVER_S:g} s after an abort "
                                       f"({self.status()}); reload the overlay")

    @staticmethod
    def _error_names(word: int) -> str:
        return ", ".join(n for i, n in enumerate(ERROR_BITS) if word >> i & 1)

    # ------------------------------------------------------------------ the operations
    # Each takes numpy arrays or DeviceRows for its activations and, for ``weights``, the weight
    # part (golden.layout.*_weights, uint64) or a DeviceWeights; with ``out`` (a DeviceRows) the
    # output stays in DDR and is returned as it, otherwise it is read back as numpy.
    def _result(self, dev: DeviceRows, out):
        return dev if out is not None else dev.numpy()

    def _rows(self, code: int, x, args: tuple, weights, out, r=None):
        t0 = time.perf_counter()
        op = OPERATIONS[code]
        w = self.place_weights(op.weights(*args) if weights is None else weights)
        pack_s = time.perf_counter() - t0
        a = self.to_device(_int8_rows("x", x), "x")
        rr = None if r is None else self.to_device(r, "r")
        m, k, n = a.rows, a.cols, np.shape(args[1].w)[1]
        return self._result(self.execute(code, m, k, n, a, out, w, rr, pack_s=pack_s), out)

    def matmul(self, a, b) -> np.ndarray:
        """golden.matmul on the core (OP_MATMUL): A int8, or uint8 (OP.a_unsigned: the softmax's
        probabilities), B int8 (K, N); the int32 product (M, N)."""
        a_arr = a.numpy() if isinstance(a, DeviceRows) else np.asarray(a)
        if a_arr.dtype not in (np.int8, np.uint8) or a_arr.ndim != 2:
            raise ValueError(f"a: expected a 2-D int8 or uint8 array (rows, K), got {a_arr.ndim}-D {a_arr.dtype}")
        b = _int8_rows("b", b)
        if b.shape[0] != a_arr.shape[1]:
            raise ValueError(f"b: expected {a_arr.shape[1]} rows (a's K), got {b.shape[0]}")
        (m, k), n = a_arr.shape, b.shape[1]
        op = OPERATIONS[OP_MATMUL]
        t0 = time.perf_counter()
        w = self.place_weights(op.weights(a_arr, b))
        pack_s = time.perf_counter() - t0
        dev = self.execute(OP_MATMUL, m, k, n, self.to_device(a_arr, "x"), w=w, op_word=op.op_word(a_arr, b),
                           pack_s=pack_s)
        return op.decode(dev.numpy().view("<u8").reshape(-1), m, k, n, self.limits)

    def linear(self, x, dense: Dense, rq: Rescale, weights=None, out: DeviceRows | None = None):
        """golden.linear on the core (OP_LINEAR)."""
        return self._rows(OP_LINEAR, x, (x, dense, rq), weights, out)

    def mm_gelu(self, x, dense: Dense, consts: GeluConsts, rq: Rescale, gelu_bias=0, weights=None,
                out: DeviceRows | None = None):
        """golden.mm_gelu on the core (OP_MM_GELU)."""
        return self._rows(OP_MM_GELU, x, (x, dense, consts, rq, gelu_bias), weights, out)

    def mm_ln(self, x, dense: Dense, rq: Rescale, r, res_rq: Rescale, ln: LayerNormParams, ln_rq: Rescale,
              weights=None, out: DeviceRows | None = None):
        """golden.mm_ln on the core (OP_MM_LN)."""
        rows = x.rows if isinstance(x, DeviceRows) else np.shape(x)[0]
        n = dense.w.shape[1]
        if isinstance(r, DeviceRows):
            if r.shape != (rows, n) or r.dtype != np.int8:
                raise ValueError(f"the residual r must be int8 {(rows, n)}, got {r.dtype} {r.shape}")
        else:
            r = np.asarray(r)
            if r.dtype != np.int8 or r.shape != (rows, n):
                raise ValueError(f"the residual r must be int8 {(rows, n)}, got {r.dtype} {r.shape}")
        return self._rows(OP_MM_LN, x, (x, dense, rq, r, res_rq, ln, ln_rq), weights, out, r=r)

    def attention(self, qkv, heads: int, p, out: DeviceRows | None = None):
        """golden.attention on the core (OP_ATTENTION): the fused QKV (T, 3D) in golden.qkv_columns
        order, read in place head by head; ``p`` has the ``softmax`` constants and the per-tensor
        ``ctx_rq``. Returns the int8 context (T, D)."""
        a = self.to_device(_int8_rows("qkv", qkv), "x")
        t = a.rows
        if heads < 1 or a.cols % (3 * heads):
            raise ValueError(f"qkv: expected (T, 3 x heads x d_head) columns for {heads} heads, got {a.cols}")
        dh = a.cols // (3 * heads)
        op = OPERATIONS[OP_ATTENTION]
        op.check(t, dh, heads, self.limits)
        kept = self._constants.get(id(p))
        if kept is None or kept[0] is not p:  # the softmax and context registers, once per parameters
            kept = self._constants[id(p)] = (p, {reg: REGISTERS[reg].pack(**values)
                                                 for reg, values in op.constants(None, heads, p).items()})
        dev = self.execute(OP_ATTENTION, t, dh, heads, a, out, constants=kept[1])
        return self._result(dev, out)


@functools.lru_cache(maxsize=256)
def _read_beats(code: int, m: int, k: int, n: int, tile_rows: int) -> int:
    """The beats the core reads for an operation (golden.read_plan's, summed once per shape)."""
    return sum(b for _, b, _ in OPERATIONS[code].plan(m, k, n, tile_rows))


def _int8_rows(name: str, x):
    if isinstance(x, DeviceRows):
        if x.dtype != np.int8:
            raise ValueError(f"{name}: expected int8 rows, got {x.dtype}")
        return x
    a = np.asarray(x)
    if a.dtype != np.int8 or a.ndim != 2:
        raise ValueError(f"{name}: expected a 2-D int8 array (rows, K), got {a.ndim}-D {a.dtype}")
    return np.ascontiguousarray(a)
