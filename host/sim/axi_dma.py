"""A register-level model of the AXI DMA (PG021 v7.1) in direct register mode, the hardware behind
the DMA's register window in the simulation: whatever drives these registers (pynq's own
``_SDMAChannel`` through pynq's MMIO, host/sim/pynq_device.py, or the stand-in channels of
host/sim/platform.py) moves data between the simulated DDR (host/sim/memory.py) and the simulated
core's streams (the C++ harness's MM2S and S2MM ends), as the board's DMA would.

What it models, per channel (host/axi_dma.py names the bits):

- DMACR: RS starts the channel (DMASR.Halted falls) or stops it (Halted rises, a transfer under way
  is abandoned); Reset resets the whole DMA, both channels, whichever channel's register it is
  written to: transfers are dropped, every register returns to its reset value (halted, not idle).
- LENGTH: written while running, it starts a transfer of that many bytes from (MM2S) or to (S2MM)
  the address in SA/DA; written while halted it does nothing. A zero length is an internal error,
  an address range outside every buffer a decode error; either halts the channel.
- DMASR: Idle is 0 while halted and before the first transfer, and rises when the transfer
  completes (MM2S: all bytes sent, tlast on the last beat; S2MM: tlast received); IOC_Irq then
  rises (write 1 to clear). An S2MM packet longer than LENGTH is an internal error (PG021: "the
  incoming packet is bigger than what is specified in the DMA length register"); here its excess
  is discarded up to its tlast.
- S2MM LENGTH reads back the bytes the packet had, once the transfer has completed.

Time: the simulated clock runs while the host waits on the hardware. Reading a channel's DMASR
first runs the simulation until that channel's transfer completes or ``POLL_CYCLES`` pass, so a host
that polls the status register, as every driver does, sees the transfer progress; register
accesses to the core advance the clock too. Data moves a 64-bit beat per cycle when the core takes
it: the board's DMA is as fast on the stream side (PG021), and DDR bandwidth is not modelled.
"""

from __future__ import annotations

import ctypes

from .. import axi_dma as r
from .memory import Memory

#: Cycles one DMASR read may run the simulation before it answers.
POLL_CYCLES = 1 << 16


class _Channel:
    def __init__(self, base: int):
        self.base = base
        self.reset()

    def reset(self) -> None:
        self.cr = 0
        self.halted, self.idle, self.errors, self.irq = True, False, 0, 0
        self.addr = 0
        self.length = 0
        self.busy = False       # a transfer under way
        self.target = None      # the ddr bytes it reads or writes (kept alive while busy)

    def status(self) -> int:
        return (r.SR_HALTED * self.halted) | (r.SR_IDLE * (self.idle and not self.halted)) | self.errors | self.irq

    def fail(self, bit: int) -> None:
        self.errors |= bit
        self.irq |= r.SR_ERR_IRQ
        self.cr &= ~r.CR_RS
        self.halted, self.busy, self.target = True, False, None


class AxiDma:
    """The DMA's registers (``read(offset)``, ``write(offset, value)``, offsets from its base)
    over ``sim`` (a host.sim.platform.Simulator) and ``memory``."""

    def __init__(self, sim, memory: Memory, length_bits: int = 26):
        self.sim, self.memory, self.length_bits = sim, memory, length_bits
        self.channels = {r.MM2S: _Channel(r.MM2S), r.S2MM: _Channel(r.S2MM)}

    # ------------------------------------------------------------------ the register window
    def read(self, offset: int) -> int:
        ch, reg = self._decode(offset)
        if ch is None:
            return 0
        if reg == r.DMACR:
            return ch.cr
        if reg == r.DMASR:
            self._advance(ch)
            return ch.status()
        if reg == r.ADDR:
            return ch.addr & 0xFFFF_FFFF
        if reg == r.ADDR_MSB:
            return ch.addr >> 32
        if reg == r.LENGTH:
            self._settle(ch)
            return ch.length
        return 0

    def write(self, offset: int, value: int) -> None:
        ch, reg = self._decode(offset)
        if ch is None:
            return
        value = int(value) & 0xFFFF_FFFF
        if reg == r.DMACR:
            if value & r.CR_RESET:
                self.reset()
                return
            ch.cr = value
            if value & r.CR_RS:
                if not ch.errors:
                    ch.halted = False
            else:
                self._drop(ch)
                ch.halted, ch.busy, ch.target = True, False, None
        elif reg == r.DMASR:
            ch.irq &= ~(value & (r.SR_IOC_IRQ | r.SR_ERR_IRQ))
        elif reg == r.ADDR:
            ch.addr = (ch.addr & ~0xFFFF_FFFF) | value
        elif reg == r.ADDR_MSB:
            ch.addr = (ch.addr & 0xFFFF_FFFF) | value << 32
        elif reg == r.LENGTH:
            self._start(ch, value & ((1 << self.length_bits) - 1))

    def reset(self) -> None:
        """DMACR.Reset: both channels to their reset state, transfers dropped."""
        for ch in self.channels.values():
            self._drop(ch)
            ch.reset()

    # ------------------------------------------------------------------ transfers
    def _decode(self, offset: int):
        base = r.S2MM if offset >= r.S2MM else r.MM2S
        return self.channels.get(base), offset - base

    def _start(self, ch: _Channel, nbytes: int) -> None:
        if ch.halted:
            return  # PG021: writing LENGTH while halted has no effect
        if nbytes == 0:
            ch.fail(r.SR_INT_ERR)
            return
        found = self.memory.find(ch.addr, nbytes)
        if found is None:
            ch.fail(r.SR_DEC_ERR)
            return
        if ch.addr % 8:  # no DRE: PG021 leaves unaligned transfers undefined; here a slave error
            ch.fail(r.SR_SLV_ERR)
            return
        alloc, offset = found
        beats = -(-nbytes // 8)
        # the bytes as 64-bit beats, in place in the simulated DDR (a partial last beat carries the
        # bytes after it: the core reads whole beats)
        words = alloc.words[offset // 8: offset // 8 + beats]
        ch.length, ch.busy, ch.idle, ch.target = nbytes, True, False, words
        ptr = words.ctypes.data_as(ctypes.POINTER(ctypes.c_uint64))
        lib, handle = self.sim._lib, self.sim._sim
        if ch.base == r.MM2S:
            lib.sim_send(handle, ptr, beats)
        else:
            lib.sim_recv(handle, ptr, beats)

    def _drop(self, ch: _Channel) -> None:
        if ch.busy:
            self.sim._lib.sim_stop(self.sim._sim, 0 if ch.base == r.MM2S else 1)

    def _advance(self, ch: _Channel) -> None:
        if ch.busy:
            self.sim._lib.sim_run(self.sim._sim, 0 if ch.base == r.MM2S else 1, POLL_CYCLES)
        for c in self.channels.values():
            self._settle(c)

    def _settle(self, ch: _Channel) -> None:
        """Complete ``ch``'s transfer if the harness has finished it."""
        lib, handle = self.sim._lib, self.sim._sim
        if not ch.busy:
            return
        if ch.base == r.MM2S:
            if not lib.sim_send_idle(handle):
                return
        else:
            if not lib.sim_recv_idle(handle):
                return
            if lib.sim_recv_overflow(handle):
                ch.fail(r.SR_INT_ERR)
                return
            ch.length = int(lib.sim_recv_count(handle)) * 8
        ch.busy, ch.idle, ch.target = False, True, None
        ch.irq |= r.SR_IOC_IRQ
