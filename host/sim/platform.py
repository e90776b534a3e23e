"""The simulated board: the real RTL top (host/sim/harness.cpp under Verilator) with its AXI4-Lite
control, a register-level model of the AXI DMA (host/sim/axi_dma.py) and the DDR's buffers
(host/sim/memory.py), behind the GP0 address map of the Vivado build (host/overlay.py).
Everything the host does goes through registers, as on the board.

Two ways to drive it with the same driver lines (host/driver.py):

- :func:`platform`: pynq's own classes (``pynq.DefaultIP``, ``pynq.lib.dma.DMA`` with its
  simple-mode channels, ``pynq.allocate``) over the simulated board, through a pynq ``Device``
  (host/sim/pynq_device.py), wherever pynq imports (pynq 3 with numpy 1.x, as board images have);
  elsewhere the stand-ins below, which follow pynq 3.0.1's protocol register by register;
- :class:`SimIP` (``DefaultIP``'s ``read(offset)``/``write(offset, value)``), :class:`SimDMA`
  (``DMA``: its register window and ``sendchannel``/``recvchannel``) and ``Simulator.allocate``
  (``pynq.allocate``: buffers with ``physical_address``, ``flush``, ``invalidate``,
  ``freebuffer``).

The simulated clock runs while the host waits: every register access takes the cycles its AXI4-Lite
handshake takes, and a read of a DMA channel's status register runs the simulation until that
channel's transfer completes or a bounded number of cycles pass (host/sim/axi_dma.py).
"""

from __future__ import annotations

import ctypes
import time
from pathlib import Path

import numpy as np

from .. import axi_dma as r
from ..overlay import ACCEL_BASE, DMA_BASE, DMA_LENGTH_BITS, REG_WINDOW
from . import build
from .axi_dma import AxiDma
from .memory import Memory

#: Cycles a register access may take before it is a timeout (the CSR answers in 2 or 3).
MMIO_CYCLES = 1000


class SimError(RuntimeError):
    """The simulated bus did not answer (an AXI4-Lite access ran out of cycles, or an address that
    decodes to nothing)."""


def _load(path: Path) -> ctypes.CDLL:
    lib = ctypes.CDLL(str(path))
    vp, u32, u64, p32 = ctypes.c_void_p, ctypes.c_uint32, ctypes.c_uint64, ctypes.POINTER(ctypes.c_uint32)
    p64 = ctypes.POINTER(ctypes.c_uint64)
    sigs = {
        "sim_new": (vp, []), "sim_free": (None, [vp]), "sim_reset": (None, [vp]), "sim_cycles": (u64, [vp]),
        "sim_write": (ctypes.c_int, [vp, u32, u32, p32, u64]), "sim_read": (ctypes.c_int, [vp, u32, p32, p32, u64]),
        "sim_send": (None, [vp, p64, u64]), "sim_recv": (None, [vp, p64, u64]),
        "sim_stop": (None, [vp, ctypes.c_int]),
        "sim_send_idle": (ctypes.c_int, [vp]), "sim_recv_idle": (ctypes.c_int, [vp]),
        "sim_recv_count": (u64, [vp]), "sim_recv_overflow": (ctypes.c_int, [vp]),
        "sim_run": (ctypes.c_int, [vp, ctypes.c_int, u64]),
    }
    for name, (res, args) in sigs.items():
        fn = getattr(lib, name)
        fn.restype, fn.argtypes = res, args
    return lib


class Simulator:
    """One simulated board, reset and ready: the core, the DMA and the DDR, on one address map
    (``read(address)``/``write(address, value)``, physical addresses as the PS sees them)."""

    def __init__(self, params: dict[str, int] | None = None, announce=lambda: None):
        self.params = build.device_parameters() if params is None else dict(params)
        self._lib = _load(build.library(self.params, announce))
        self._sim = self._lib.sim_new()
        self._lib.sim_reset(self._sim)
        self.memory = Memory()
        self.dma = AxiDma(self, self.memory, DMA_LENGTH_BITS)

    def __del__(self):
        if getattr(self, "_sim", None):
            self._lib.sim_free(self._sim)
            self._sim = None

    @property
    def cycles(self) -> int:
        """Clock cycles simulated since the start."""
        return int(self._lib.sim_cycles(self._sim))

    def reset(self) -> None:
        """The board's reset: the core and the DMA (buffers stay allocated)."""
        self.dma.reset()
        self._lib.sim_reset(self._sim)

    def allocate(self, shape, dtype=np.uint64):
        """``pynq.allocate``: a zero-filled buffer in the simulated DDR (host/sim/memory.py)."""
        return self.memory.allocate(shape, dtype)

    # ------------------------------------------------------------------ the GP0 address map
    def read(self, address: int) -> int:
        dev, offset = self._decode(address)
        return dev.read(offset) if dev is self.dma else self.core_read(offset)

    def write(self, address: int, value: int) -> None:
        dev, offset = self._decode(address)
        if dev is self.dma:
            dev.write(offset, value)
        else:
            self.core_write(offset, value)

    def _decode(self, address: int):
        for base, dev in ((ACCEL_BASE, self), (DMA_BASE, self.dma)):
            if base <= address < base + REG_WINDOW:
                return dev, address - base
        raise SimError(f"no register at 0x{address:08x} (the core is at 0x{ACCEL_BASE:08x}, the DMA at "
                       f"0x{DMA_BASE:08x}, host/overlay.py)")

    # ------------------------------------------------------------------ the core's AXI4-Lite port
    def core_write(self, offset: int, value: int) -> None:
        resp = ctypes.c_uint32()
        if self._lib.sim_write(self._sim, offset, int(value) & 0xFFFFFFFF, ctypes.byref(resp), MMIO_CYCLES):
            raise SimError(f"register write to 0x{offset:02x}: no response in {MMIO_CYCLES} cycles")
        if resp.value:
            raise SimError(f"register write to 0x{offset:02x}: bresp {resp.value}")

    def core_read(self, offset: int) -> int:
        data, resp = ctypes.c_uint32(), ctypes.c_uint32()
        if self._lib.sim_read(self._sim, offset, ctypes.byref(data), ctypes.byref(resp), MMIO_CYCLES):
            raise SimError(f"register read of 0x{offset:02x}: no response in {MMIO_CYCLES} cycles")
        if resp.value:
            raise SimError(f"register read of 0x{offset:02x}: rresp {resp.value}")
        return int(data.value)


class _Window:
    """A register window of the simulated board, as pynq's ``DefaultIP`` reads and writes it."""

    def __init__(self, sim: Simulator, base: int):
        self.sim, self.base = sim, base

    def read(self, offset: int = 0) -> int:
        return self.sim.read(self.base + offset)

    def write(self, offset: int, value: int) -> None:
        self.sim.write(self.base + offset, value)


class SimIP(_Window):
    """The accelerator's register window (pynq: ``overlay.accel``, a ``DefaultIP``)."""

    def __init__(self, sim: Simulator):
        super().__init__(sim, ACCEL_BASE)


class _Channel:
    """One simple-mode DMA channel, driven through the DMA's registers the way pynq 3.0.1's
    ``_SDMAChannel`` drives them (the pynq-in-the-loop tests run that class itself): ``transfer``
    refuses a stopped channel, and a busy one after the first transfer; it flushes a send buffer,
    then writes the address and LENGTH; ``wait`` raises the error bits by name, invalidates a
    receive buffer and only then reads LENGTH into ``transferred``. Unlike pynq's, ``wait`` gives up
    after ``timeout`` seconds."""

    def __init__(self, regs: _Window, base: int, max_size: int):
        self._regs, self._base, self._max_size = regs, base, max_size
        self._active = None
        self._first_transfer = True
        self.transferred = 0
        self.start()

    def _status(self) -> int:
        return self._regs.read(self._base + r.DMASR)

    @property
    def running(self) -> bool:
        return not self._status() & r.SR_HALTED

    @property
    def idle(self) -> bool:
        return bool(self._status() & r.SR_IDLE)

    @property
    def error(self) -> bool:
        return bool(self._status() & r.SR_ERRORS)

    def start(self) -> None:
        self._regs.write(self._base + r.DMACR, r.CR_RS)
        if not self.running:
            raise RuntimeError(f"the DMA's {r.CHANNELS[self._base]} channel did not start (DMASR "
                               f"0x{self._status():x})")
        self._first_transfer = True

    def stop(self) -> None:
        self._regs.write(self._base + r.DMACR, 0)

    def transfer(self, array, start: int = 0, nbytes: int = 0) -> None:
        if not self.running:
            raise RuntimeError("DMA channel not started")
        if not self.idle and not self._first_transfer:
            raise RuntimeError("DMA channel not idle")
        if nbytes == 0:
            nbytes = array.nbytes - start
        if nbytes > self._max_size:
            raise ValueError(f"Transfer size is {nbytes} bytes, which exceeds the maximum DMA buffer size "
                             f"{self._max_size}.")
        if (array.physical_address + start) % 8:
            raise RuntimeError("DMA does not support unaligned transfers; Starting address must be aligned to 8 bytes.")
        if self._base == r.MM2S:
            array.flush()
        self.transferred = 0
        address = array.physical_address + start
        self._regs.write(self._base + r.ADDR, address & 0xFFFFFFFF)
        self._regs.write(self._base + r.ADDR_MSB, address >> 32)
        self._regs.write(self._base + r.LENGTH, nbytes)
        self._active = array
        self._first_transfer = False

    def wait(self, timeout: float = 60.0) -> None:
        if not self.running and not self._status() & r.SR_ERRORS:
            raise RuntimeError("DMA channel not started")
        deadline = time.monotonic() + timeout
        while True:
            status = self._status()
            if status & r.SR_ERRORS:
                raise RuntimeError(f"DMA {', '.join(r.error_names(status))} error")
            if status & r.SR_IDLE:
                break
            if time.monotonic() > deadline:
                raise TimeoutError(f"the simulated DMA's {r.CHANNELS[self._base]} channel was not idle after "
                                   f"{timeout:g} s")
        if self._base == r.S2MM:
            self._active.invalidate()
        self.transferred = self._regs.read(self._base + r.LENGTH)


class SimDMA(_Window):
    """The AXI DMA (pynq: ``overlay.dma``, a ``pynq.lib.dma.DMA``): its register window and a send
    (MM2S) and a receive (S2MM) channel."""

    def __init__(self, sim: Simulator):
        super().__init__(sim, DMA_BASE)
        max_size = (1 << DMA_LENGTH_BITS) - 1
        self.sendchannel = _Channel(self, r.MM2S, max_size)
        self.recvchannel = _Channel(self, r.S2MM, max_size)


def platform(sim: Simulator, use_pynq: bool | None = None):
    """``(ip, dma, allocate)`` for the driver over ``sim``: pynq's own classes when pynq imports
    (``use_pynq`` None) or is asked for (True), the stand-ins otherwise; and which it is."""
    if use_pynq is not False:
        try:
            from .pynq_device import pynq_platform
        except ImportError:
            if use_pynq:
                raise RuntimeError("pynq's classes over the simulation need pynq 3 (with numpy 1.x) installed") from None
        else:
            return (*pynq_platform(sim), "pynq's DefaultIP, DMA and allocate over the simulated board")
    return SimIP(sim), SimDMA(sim), sim.allocate, "the kit's stand-ins for pynq over the simulated board"
