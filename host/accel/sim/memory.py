"""The board's DDR as the simulated core sees it: buffers at physical addresses, each with two copies
of its bytes, the CPU's (what the host program reads and writes, through its data cache) and the
DDR's (what the core's AXI4 masters read and write over HP0 and HP1, which are not cache-coherent
on the Zynq-7000).
``flush`` copies the CPU's bytes to DDR, ``invalidate`` DDR's to the CPU: a driver that forgets
either gets stale data here as it would on the board.

:class:`Memory` hands out the address ranges; :func:`Memory.allocate` returns a :class:`SimBuffer`
with the interface of pynq's ``PynqBuffer`` (``physical_address``, ``flush``, ``invalidate``,
``freebuffer``, a ``with`` block), for the simulation backend without pynq. With pynq installed,
host/accel/sim/pynq_device.py gives pynq's own ``PynqBuffer`` over the same memory.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Where the simulated DDR's buffers start (the PYNQ-Z2's CMA pool lies in the upper half of its
#: 512 MB DDR), and the alignment of each buffer (pynq's allocations are page-aligned).
BASE = 0x1800_0000
ALIGN = 0x1000
SIZE = 0x0800_0000  # 128 MB


@dataclass
class Allocation:
    handle: int
    address: int
    nbytes: int
    cpu: np.ndarray  # uint8, the CPU's view (the host's array is a view of it)
    ddr: np.ndarray  # uint8, what the core reads and writes
    words: np.ndarray  # uint64, the same DDR bytes as the core's 64-bit beats

    def flush(self, offset: int, nbytes: int) -> None:
        self.ddr[offset:offset + nbytes] = self.cpu[offset:offset + nbytes]

    def invalidate(self, offset: int, nbytes: int) -> None:
        self.cpu[offset:offset + nbytes] = self.ddr[offset:offset + nbytes]


class Memory:
    """The simulated DDR: allocations at physical addresses. ``on_map(address, words)`` and
    ``on_unmap(address)`` are told of each allocation made and freed (the harness maps them)."""

    def __init__(self, on_map=lambda address, words: None, on_unmap=lambda address: None):
        self.on_map, self.on_unmap = on_map, on_unmap
        self._live: dict[int, Allocation] = {}
        self._next_handle = 1
        self.allocations = 0  # how many were ever made (the driver's reuse is tested with it)

    def new(self, nbytes: int) -> Allocation:
        """A new allocation of ``nbytes`` (at least one), zero-filled, at the lowest free address."""
        size = -(-max(int(nbytes), 1) // ALIGN) * ALIGN
        address = BASE
        for a in sorted(self._live.values(), key=lambda a: a.address):
            if address + size <= a.address:
                break
            address = max(address, a.address + -(-a.nbytes // ALIGN) * ALIGN)
        if address + size > BASE + SIZE:
            raise MemoryError(f"the simulated DDR has no {size} contiguous bytes free (as pynq's CMA pool would)")
        # 8-byte aligned backing, so the core's 64-bit beats can be read from it in place
        cpu = np.zeros(-(-size // 8), np.uint64).view(np.uint8)[:nbytes]
        words = np.zeros(-(-size // 8), np.uint64)
        alloc = Allocation(self._next_handle, address, int(nbytes), cpu, words.view(np.uint8)[:nbytes], words)
        self._live[alloc.handle] = alloc
        self.on_map(alloc.address, words)
        self._next_handle += 1
        self.allocations += 1
        return alloc

    def free(self, handle: int) -> None:
        alloc = self._live.pop(handle, None)
        if alloc is not None:
            self.on_unmap(alloc.address)

    @property
    def live(self) -> int:
        """Allocations not freed yet."""
        return len(self._live)

    def find(self, address: int, nbytes: int) -> tuple[Allocation, int] | None:
        """The allocation holding ``nbytes`` from ``address``, and the offset into it; None when no
        one allocation holds the whole range (a decode error on the bus)."""
        for a in self._live.values():
            if a.address <= address and address + nbytes <= a.address + a.nbytes:
                return a, address - a.address
        return None

    def find_handle(self, handle: int) -> Allocation | None:
        """The live allocation ``handle``, or None once freed."""
        return self._live.get(handle)

    def allocate(self, shape, dtype=np.uint64) -> SimBuffer:
        """``pynq.allocate``: a zero-filled buffer the core can reach, as a :class:`SimBuffer`."""
        dtype = np.dtype(dtype)
        count = int(np.prod(shape, dtype=np.int64))
        alloc = self.new(count * dtype.itemsize)
        buf = alloc.cpu[: count * dtype.itemsize].view(dtype).reshape(shape).view(SimBuffer)
        buf._memory, buf._alloc = self, alloc
        return buf


class SimBuffer(np.ndarray):
    """A buffer of the simulated DDR with pynq's ``PynqBuffer`` interface. Views of it (slices)
    keep the address arithmetic; only the whole buffer frees its memory."""

    _memory: Memory | None = None
    _alloc: Allocation | None = None

    def __array_finalize__(self, obj):
        if isinstance(obj, SimBuffer) and obj._alloc is not None:
            self._alloc = obj._alloc
            self._memory = None  # a view does not own the allocation

    @property
    def offset(self) -> int:
        return self.__array_interface__["data"][0] - self._alloc.cpu.__array_interface__["data"][0]

    @property
    def physical_address(self) -> int:
        return self._alloc.address + self.offset

    def flush(self) -> None:
        self._alloc.flush(self.offset, self.nbytes)

    def invalidate(self) -> None:
        self._alloc.invalidate(self.offset, self.nbytes)

    def freebuffer(self) -> None:
        if self._memory is not None:
            self._memory.free(self._alloc.handle)
            self._memory = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.freebuffer()
        return False
