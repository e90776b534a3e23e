"""pynq's own classes over the simulated board (host/accel/sim/platform.py): a pynq ``Device`` whose
registers are the simulation's and whose memory is the simulated DDR, so that ``pynq.MMIO``,
``pynq.DefaultIP``, ``pynq.allocate`` and ``PynqBuffer`` run as they are, and only the hardware
under them is modelled.

pynq's MMIO reaches a device with the ``REGISTER_RW`` capability through its ``read_registers``
and ``write_registers`` (pynq 3's hook for devices without /dev/mem); its buffers flush and
invalidate through the device and free through ``return_to.return_pointer``. Importing this module
needs pynq 3 (which pins numpy 1.x: build/pynq-env, docs/testing.md).

What is not pynq's here: ``pynq.Overlay`` (it needs a bitstream and its .hwh, which only Vivado
makes), so the IP objects are built from the descriptions the .hwh would give them
(:func:`descriptions`, from host/accel/overlay.py); interrupts (the driver polls, and a simulated device
has no interrupt controller).
"""

from __future__ import annotations

import numpy as np
import pynq
from pynq.buffer import PynqBuffer
from pynq.pl_server.device import Device

from host.accel.overlay import ACCEL_BASE, ACCEL_CELL, ACCEL_VLNV, REG_WINDOW


class SimDevice(Device):
    """The simulated board as pynq sees a device: registers by address, buffers in its DDR."""

    def __init__(self, sim):
        super().__init__("ibert-kit-simulation")
        self.sim = sim
        self.capabilities = {"REGISTER_RW": True}

    # pynq.MMIO's hook: little-endian bytes, whole 32-bit registers
    def read_registers(self, address: int, length: int) -> bytes:
        return b"".join(self.sim.read(address + i).to_bytes(4, "little") for i in range(0, length, 4))

    def write_registers(self, address: int, data: bytes) -> None:
        for i in range(0, len(data), 4):
            self.sim.write(address + i, int.from_bytes(data[i:i + 4], "little"))

    # pynq.allocate's target and PynqBuffer's device
    def allocate(self, shape, dtype, **kwargs) -> PynqBuffer:
        dtype = np.dtype(dtype)
        count = int(np.prod(shape, dtype=np.int64))
        alloc = self.sim.memory.new(count * dtype.itemsize)
        buf = PynqBuffer(shape, dtype, buffer=alloc.cpu, device_address=alloc.address, device=self,
                         bo=alloc.handle, coherent=False)
        # freebuffer() returns the pointer to its owner (pynq's path for pooled buffers); and
        # ``freed``: there is no XRT buffer object to unmap and free, which pynq's other path (taken
        # on a second call, from __del__) would do to numpy's memory
        buf.memory, buf.pointer, buf.return_to, buf.freed = self, alloc.handle, self, True
        return buf

    def return_pointer(self, pointer: int) -> None:
        self.sim.memory.free(pointer)

    def flush(self, bo, offset, ptr, size) -> None:
        alloc = self.sim.memory.find_handle(bo)
        if alloc is not None:  # a freed buffer flushes into memory nobody reads, as on the board
            alloc.flush(offset, size)

    def invalidate(self, bo, offset, ptr, size) -> None:
        alloc = self.sim.memory.find_handle(bo)
        if alloc is not None:
            alloc.invalidate(offset, size)


def descriptions(device: Device) -> dict[str, dict]:
    """The IP descriptions pynq's Overlay builds from the .hwh of vivado/build.tcl's design."""
    return {
        ACCEL_CELL: {"phys_addr": ACCEL_BASE, "addr_range": REG_WINDOW, "device": device,
                     "fullpath": ACCEL_CELL, "type": ACCEL_VLNV},
    }


def pynq_platform(sim):
    """``(ip, allocate)``: pynq's DefaultIP over ``sim``, and pynq.allocate, which allocates on
    the simulated device (made pynq's active device)."""
    device = SimDevice(sim)
    Device.active_device = device
    return pynq.DefaultIP(descriptions(device)[ACCEL_CELL]), pynq.allocate
