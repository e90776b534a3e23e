"""The simulation backend's platform: the real RTL top (host/sim/harness.cpp under Verilator)
behind objects with the interface of the pynq objects the driver uses, so the same driver lines
run on the board and here:

- ``SimIP.read(offset)`` / ``SimIP.write(offset, value)``: pynq's ``DefaultIP`` MMIO access;
- ``SimDMA.sendchannel`` / ``recvchannel``: ``transfer(buffer)``, ``idle``, ``wait()`` as
  ``pynq.lib.dma.DMA``'s channels; ``recvchannel.transferred``: bytes received (the length
  register pynq reads after an S2MM transfer);
- ``allocate(shape, dtype)``: ``pynq.allocate``'s contiguous buffer (a numpy array here).

Reading ``idle`` runs the simulation for a bounded number of cycles first: a driver polling it
with a deadline is a driver with a timeout, whatever the hardware does.
"""

from __future__ import annotations

import ctypes
import time
from pathlib import Path

import numpy as np

from . import build

#: Cycles a poll of ``idle`` may run before it answers.
POLL_CYCLES = 1 << 20
#: Cycles a register access may take before it is a timeout (the CSR answers in 2 or 3).
MMIO_CYCLES = 1000


class SimError(RuntimeError):
    """The simulated bus did not answer (an AXI4-Lite access ran out of cycles)."""


def _load(path: Path) -> ctypes.CDLL:
    lib = ctypes.CDLL(str(path))
    vp, u32, u64, p32 = ctypes.c_void_p, ctypes.c_uint32, ctypes.c_uint64, ctypes.POINTER(ctypes.c_uint32)
    p64 = ctypes.POINTER(ctypes.c_uint64)
    sigs = {
        "sim_new": (vp, []), "sim_free": (None, [vp]), "sim_reset": (None, [vp]), "sim_cycles": (u64, [vp]),
        "sim_write": (ctypes.c_int, [vp, u32, u32, p32, u64]), "sim_read": (ctypes.c_int, [vp, u32, p32, p32, u64]),
        "sim_send": (None, [vp, p64, u64]), "sim_recv": (None, [vp, p64, u64]),
        "sim_send_idle": (ctypes.c_int, [vp]), "sim_recv_idle": (ctypes.c_int, [vp]),
        "sim_recv_count": (u64, [vp]), "sim_recv_overflow": (ctypes.c_int, [vp]),
        "sim_run": (ctypes.c_int, [vp, ctypes.c_int, u64]),
    }
    for name, (res, args) in sigs.items():
        fn = getattr(lib, name)
        fn.restype, fn.argtypes = res, args
    return lib


class Simulator:
    """One instance of the simulated top, reset and ready."""

    def __init__(self, params: dict[str, int] | None = None, announce=lambda: None):
        self.params = build.device_parameters() if params is None else dict(params)
        self._lib = _load(build.library(self.params, announce))
        self._sim = self._lib.sim_new()
        self._lib.sim_reset(self._sim)

    def __del__(self):
        if getattr(self, "_sim", None):
            self._lib.sim_free(self._sim)
            self._sim = None

    @property
    def cycles(self) -> int:
        """Clock cycles simulated since the start."""
        return int(self._lib.sim_cycles(self._sim))

    def reset(self) -> None:
        self._lib.sim_reset(self._sim)


def allocate(shape, dtype=np.uint64) -> np.ndarray:
    """``pynq.allocate``: a buffer the DMA can read and write (a C-contiguous numpy array)."""
    return np.zeros(shape, dtype=dtype)


class SimIP:
    """The accelerator's register window, as pynq's ``DefaultIP``."""

    def __init__(self, sim: Simulator):
        self.sim = sim

    def write(self, offset: int, value: int) -> None:
        resp = ctypes.c_uint32()
        if self.sim._lib.sim_write(self.sim._sim, offset, int(value) & 0xFFFFFFFF, ctypes.byref(resp), MMIO_CYCLES):
            raise SimError(f"register write to 0x{offset:02x}: no response in {MMIO_CYCLES} cycles")
        if resp.value:
            raise SimError(f"register write to 0x{offset:02x}: bresp {resp.value}")

    def read(self, offset: int) -> int:
        data, resp = ctypes.c_uint32(), ctypes.c_uint32()
        if self.sim._lib.sim_read(self.sim._sim, offset, ctypes.byref(data), ctypes.byref(resp), MMIO_CYCLES):
            raise SimError(f"register read of 0x{offset:02x}: no response in {MMIO_CYCLES} cycles")
        if resp.value:
            raise SimError(f"register read of 0x{offset:02x}: rresp {resp.value}")
        return int(data.value)


def _beats(buffer: np.ndarray) -> np.ndarray:
    if not (isinstance(buffer, np.ndarray) and buffer.flags.c_contiguous and buffer.nbytes % 8 == 0):
        raise ValueError("a DMA buffer must be a C-contiguous array of whole 64-bit beats (allocate())")
    return buffer.reshape(-1).view(np.uint64)


class _Channel:
    def __init__(self, sim: Simulator, which: int):
        self.sim, self.which = sim, which
        self._buffer: np.ndarray | None = None  # kept alive while the channel runs

    def transfer(self, buffer: np.ndarray) -> None:
        beats = _beats(buffer)
        ptr = beats.ctypes.data_as(ctypes.POINTER(ctypes.c_uint64))
        self._buffer = beats
        lib, sim = self.sim._lib, self.sim._sim
        if self.which == 0:
            lib.sim_send(sim, ptr, beats.size)
        else:
            lib.sim_recv(sim, ptr, beats.size)

    @property
    def idle(self) -> bool:
        """Runs up to POLL_CYCLES cycles, or until the transfer is done; then whether it is."""
        return bool(self.sim._lib.sim_run(self.sim._sim, self.which, POLL_CYCLES))

    @property
    def transferred(self) -> int:
        """Bytes written by the last receive transfer (the DMA's S2MM length register)."""
        return int(self.sim._lib.sim_recv_count(self.sim._sim)) * 8

    @property
    def overflowed(self) -> bool:
        return bool(self.sim._lib.sim_recv_overflow(self.sim._sim))

    def wait(self, timeout: float = 60.0) -> None:
        """Returns when idle, as pynq's; unlike pynq's, gives up after ``timeout`` seconds with
        TimeoutError (the driver polls ``idle`` with its own deadline instead)."""
        deadline = time.monotonic() + timeout
        while not self.idle:
            if time.monotonic() > deadline:
                name = "send (MM2S)" if self.which == 0 else "receive (S2MM)"
                raise TimeoutError(f"the simulated DMA's {name} channel was not idle after {timeout:g} s")


class SimDMA:
    """The AXI DMA, as ``pynq.lib.dma.DMA``: a send (MM2S) and a receive (S2MM) channel."""

    def __init__(self, sim: Simulator):
        self.sendchannel = _Channel(sim, 0)
        self.recvchannel = _Channel(sim, 1)
