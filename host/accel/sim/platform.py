"""The simulated board: the real RTL top (host/accel/sim/harness.cpp under Verilator) with its AXI4-Lite
control and its two AXI4 masters on a model of the board's DDR (host/accel/sim/ddr.py) holding the host's
buffers (host/accel/sim/memory.py), behind the GP0 address map of the Vivado build (host/accel/overlay.py).
Everything the host does goes through registers and buffers, as on the board.

Two ways to drive it with the same driver lines (host/accel/driver.py):

- :func:`platform`: pynq's own classes (``pynq.DefaultIP``, ``pynq.allocate``) over the simulated
  board, through a pynq ``Device`` (host/accel/sim/pynq_device.py), wherever pynq imports (pynq 3 with
  numpy 1.x, as board images have);
- elsewhere the stand-ins below: :class:`SimIP` (``DefaultIP``'s ``read(offset)`` and
  ``write(offset, value)``) and ``Simulator.allocate`` (``pynq.allocate``: buffers with
  ``physical_address``, ``flush``, ``invalidate``, ``freebuffer``).

The simulated clock runs while the host waits: every register access takes the cycles its AXI4-Lite
handshake takes, and a read of STATUS that follows one which saw the core busy first runs the
simulation until it is not or a bounded number of cycles pass, as time passes on the board while
the host polls (the first read after a start sees the core as it is).
"""

from __future__ import annotations

import ctypes
import time
from pathlib import Path

import numpy as np

from host.accel.overlay import ACCEL_BASE, REG_WINDOW, default_clock_mhz
from host.accel.regmap import REGISTERS
from . import build
from .ddr import Ddr
from .memory import Memory

#: Cycles a register access may take before it is a timeout (the CSR answers in 2 or 3).
MMIO_CYCLES = 1000
#: Cycles one read of a busy core's STATUS may run the simulation before it answers.
POLL_CYCLES = 1 << 16
_STATUS = REGISTERS["STATUS"]
_BUSY = 1 << _STATUS.field("busy").lsb


class SimError(RuntimeError):
    """The simulated bus did not answer (an AXI4-Lite access ran out of cycles, or an address that
    decodes to nothing)."""


def _load(path: Path) -> ctypes.CDLL:
    lib = ctypes.CDLL(str(path))
    vp, u32, u64, p32 = ctypes.c_void_p, ctypes.c_uint32, ctypes.c_uint64, ctypes.POINTER(ctypes.c_uint32)
    sigs = {
        "sim_new": (vp, []), "sim_free": (None, [vp]), "sim_reset": (None, [vp]), "sim_cycles": (u64, [vp]),
        "sim_read_beats": (u64, [vp]), "sim_write_beats": (u64, [vp]),
        "sim_ddr": (None, [vp, ctypes.c_double, u32, u32, u32]),
        "sim_map": (None, [vp, u64, ctypes.c_void_p, u64]), "sim_unmap": (None, [vp, u64]),
        "sim_fault": (None, [vp, u64, ctypes.c_int]), "sim_hold": (None, [vp, ctypes.c_int]),
        "sim_write": (ctypes.c_int, [vp, u32, u32, p32, u64]), "sim_read": (ctypes.c_int, [vp, u32, p32, p32, u64]),
        "sim_wait_clear": (ctypes.c_int, [vp, u32, u32, u64]), "sim_run": (None, [vp, u64]),
    }
    for name, (res, args) in sigs.items():
        fn = getattr(lib, name)
        fn.restype, fn.argtypes = res, args
    return lib


class Simulator:
    """One simulated board, reset and ready: the core and the DDR with the host's buffers, on one
    address map (``read(address)``/``write(address, value)``, physical addresses as the PS sees
    them). ``ddr`` sets the DDR model (host/accel/sim/ddr.py; None: no latency and no bandwidth limit) at
    ``clock_mhz`` (default: the clock the Vivado flow builds at)."""

    def __init__(self, params: dict[str, int] | None = None, announce=lambda: None, ddr: Ddr | None = Ddr(),
                 clock_mhz: float | None = None):
        self.params = build.device_parameters() if params is None else dict(params)
        self._lib = _load(build.library(self.params, announce))
        self._sim = self._lib.sim_new()
        self._mapped: dict[int, np.ndarray] = {}  # the buffers the harness reads, kept alive while mapped
        self.memory = Memory(self._map, self._unmap)
        self.clock_mhz = default_clock_mhz() if clock_mhz is None else float(clock_mhz)
        self.seconds = 0.0  # wall time spent inside the simulation (register accesses and the waits in them)
        self._polling = False  # the last STATUS read saw busy
        self.set_ddr(ddr)
        self._lib.sim_reset(self._sim)

    def __del__(self):
        if getattr(self, "_sim", None):
            self._lib.sim_free(self._sim)
            self._sim = None

    def _map(self, address: int, words: np.ndarray) -> None:
        self._mapped[address] = words
        self._lib.sim_map(self._sim, address, words.ctypes.data, words.nbytes)

    def _unmap(self, address: int) -> None:
        self._lib.sim_unmap(self._sim, address)
        self._mapped.pop(address, None)

    def set_ddr(self, ddr: Ddr | None) -> None:
        """The DDR model from now on (None: memory answers at once, with no bandwidth limit)."""
        self.ddr = ddr
        per_cycle, rd, wr, outstanding = ddr.timing(self.clock_mhz) if ddr else (0.0, 0, 0, 16)
        self._lib.sim_ddr(self._sim, per_cycle, rd, wr, outstanding)

    def fault(self, address: int, on: bool = True) -> None:
        """Make the 8-byte word at ``address`` answer SLVERR (on) or not; ``fault(None)`` clears all."""
        self._lib.sim_fault(self._sim, (1 << 64) - 1 if address is None else int(address), int(on))

    def run(self, cycles: int) -> None:
        """Let ``cycles`` clock cycles pass (the host doing something else)."""
        t0 = time.perf_counter()
        self._lib.sim_run(self._sim, int(cycles))
        self.seconds += time.perf_counter() - t0

    def hold(self, on: bool = True) -> None:
        """Make the memory take and answer nothing (a stuck interconnect), or release it."""
        self._lib.sim_hold(self._sim, int(on))

    @property
    def cycles(self) -> int:
        """Clock cycles simulated since the start."""
        return int(self._lib.sim_cycles(self._sim))

    @property
    def beats(self) -> tuple[int, int]:
        """64-bit beats the core has read and written on its masters since the start."""
        return int(self._lib.sim_read_beats(self._sim)), int(self._lib.sim_write_beats(self._sim))

    def reset(self) -> None:
        """The board's reset of the fabric (buffers stay allocated)."""
        self._lib.sim_reset(self._sim)

    def allocate(self, shape, dtype=np.uint64):
        """``pynq.allocate``: a zero-filled buffer in the simulated DDR (host/accel/sim/memory.py)."""
        return self.memory.allocate(shape, dtype)

    # ------------------------------------------------------------------ the GP0 address map
    def read(self, address: int) -> int:
        return self.core_read(self._decode(address))

    def write(self, address: int, value: int) -> None:
        self.core_write(self._decode(address), value)

    @staticmethod
    def _decode(address: int) -> int:
        if ACCEL_BASE <= address < ACCEL_BASE + REG_WINDOW:
            return address - ACCEL_BASE
        raise SimError(f"no register at 0x{address:08x} (the core is at 0x{ACCEL_BASE:08x}, host/accel/overlay.py)")

    # ------------------------------------------------------------------ the core's AXI4-Lite port
    def core_write(self, offset: int, value: int) -> None:
        self._polling = False  # a write (a start, an abort) ends a run of STATUS reads
        resp = ctypes.c_uint32()
        t0 = time.perf_counter()
        timeout = self._lib.sim_write(self._sim, offset, int(value) & 0xFFFFFFFF, ctypes.byref(resp), MMIO_CYCLES)
        self.seconds += time.perf_counter() - t0
        if timeout:
            raise SimError(f"register write to 0x{offset:02x}: no response in {MMIO_CYCLES} cycles")
        if resp.value:
            raise SimError(f"register write to 0x{offset:02x}: bresp {resp.value}")

    def core_read(self, offset: int) -> int:
        t0 = time.perf_counter()
        if offset == _STATUS.offset and self._polling:  # the host polls: the board's time passes meanwhile
            self._lib.sim_wait_clear(self._sim, offset, _BUSY, POLL_CYCLES)
        data, resp = ctypes.c_uint32(), ctypes.c_uint32()
        timeout = self._lib.sim_read(self._sim, offset, ctypes.byref(data), ctypes.byref(resp), MMIO_CYCLES)
        self.seconds += time.perf_counter() - t0
        if offset == _STATUS.offset:
            self._polling = bool(data.value & _BUSY)  # a second read of a busy core waits
        if timeout:
            raise SimError(f"register read of 0x{offset:02x}: no response in {MMIO_CYCLES} cycles")
        if resp.value:
            raise SimError(f"register read of 0x{offset:02x}: rresp {resp.value}")
        return int(data.value)


class SimIP:
    """The accelerator's register window (pynq: ``overlay.accel``, a ``DefaultIP``)."""

    def __init__(self, sim: Simulator):
        self.sim = sim

    def read(self, offset: int = 0) -> int:
        return self.sim.read(ACCEL_BASE + offset)

    def write(self, offset: int, value: int) -> None:
        self.sim.write(ACCEL_BASE + offset, value)


def platform(sim: Simulator, use_pynq: bool | None = None):
    """``(ip, allocate, what)`` for the driver over ``sim``: pynq's own classes when pynq imports
    (``use_pynq`` None) or is asked for (True), the stand-ins otherwise; and which it is."""
    if use_pynq is not False:
        try:
            from .pynq_device import pynq_platform
        except ImportError:
            if use_pynq:
                raise RuntimeError("pynq's classes over the simulation need pynq 3 (with numpy 1.x) installed") from None
        else:
            return (*pynq_platform(sim), "pynq's DefaultIP and allocate over the simulated board")
    return SimIP(sim), sim.allocate, "the kit's stand-ins for pynq over the simulated board"
