"""The memory on the other side of the core's AXI4 masters in the benches: cocotbext-axi's AXI4
slave models (``AxiSlaveRead`` / ``AxiSlaveWrite``) over a sparse memory, with a drawn latency
before each burst, drawn backpressure on every channel, and error responses injected at chosen
addresses mid-burst. A rule checker watches the master's side of the bus.

cocotbext-axi answers SLVERR for a beat whose memory access raises, and itself refuses an INCR
burst that crosses 4 KB; the checker adds what it does not check: bursts of at most ``max_burst``
beats, 8-byte beats, and address channels that hold still while valid and not taken.
"""

from __future__ import annotations

import cocotb
from cocotb.triggers import ClockCycles, ReadOnly, RisingEdge
from cocotbext.axi import AxiReadBus, AxiSlaveRead, AxiSlaveWrite, AxiWriteBus
from cocotbext.axi.memory import Memory

from .stalls import pause_generator


class FaultyMemory(Memory):
    """A sparse memory whose accesses wait ``latency`` cycles where a burst begins (an access that
    does not follow the previous one), and raise at the byte addresses in ``faults`` (the slave
    model answers those beats SLVERR)."""

    def __init__(self, clk, size: int = 2**32):
        super().__init__(size=size)
        self.clk = clk
        self.latency = 0
        self.faults: set[int] = set()
        self.faulted: list[int] = []   # the faulty addresses accessed, in order
        self._next = {"read": None, "write": None}

    async def _wait(self, kind: str, address: int, length: int) -> None:
        if address != self._next[kind] and self.latency:
            await ClockCycles(self.clk, self.latency)
        self._next[kind] = address + length
        if address in self.faults:
            self.faulted.append(address)
            raise OSError(f"injected fault at 0x{address:x}")

    async def read(self, address, length):
        await self._wait("read", address, length)
        return super().read(address, length)

    async def write(self, address, data):
        await self._wait("write", address, len(data))
        super().write(address, data)

    def put_words(self, address: int, words) -> None:
        """64-bit words from ``address`` (little-endian), straight into the memory (no latency, no
        fault: the bench's own access)."""
        data = b"".join(int(w).to_bytes(8, "little") for w in words)
        self.mem[address:address + len(data)] = data

    def get_words(self, address: int, count: int) -> list[int]:
        data = self.mem[address:address + 8 * count]
        return [int.from_bytes(data[8 * i:8 * i + 8], "little") for i in range(count)]


class AxiMemory:
    """``FaultyMemory`` behind the AXI4 master ``prefix`` of ``dut`` (its read side, its write side,
    or both), with stall patterns per channel and a rule checker."""

    def __init__(self, dut, prefix: str = "m_axi", read: bool = True, write: bool = True, max_burst: int = 256):
        self.dut, self.mem, self.max_burst = dut, FaultyMemory(dut.clk), max_burst
        self.violations: list[str] = []
        self.bursts: list[tuple[str, int, int]] = []  # (kind, address, beats) as taken
        self.read_if = self.write_if = None
        if read:
            self.read_if = AxiSlaveRead(AxiReadBus.from_prefix(dut, prefix), dut.clk, dut.rst, target=self.mem)
            cocotb.start_soon(self._check(prefix, "ar"))
        if write:
            self.write_if = AxiSlaveWrite(AxiWriteBus.from_prefix(dut, prefix), dut.clk, dut.rst, target=self.mem)
            cocotb.start_soon(self._check(prefix, "aw"))

    def set_stalls(self, **patterns) -> None:
        """Pause channels by pattern: ``ar``/``aw`` (not ready), ``r``/``b`` (not valid), ``w``
        (not ready); a channel not named never pauses."""
        for ch in ("ar", "r", "aw", "w", "b"):
            side = self.read_if if ch in ("ar", "r") else self.write_if
            if side is not None:
                getattr(side, f"{ch}_channel").set_pause_generator(pause_generator(tuple(patterns.get(ch, ()))))

    async def _check(self, prefix: str, ch: str) -> None:
        sig = {n: getattr(self.dut, f"{prefix}_{ch}{n}") for n in ("valid", "ready", "addr", "len", "size", "burst")}
        held = None
        while True:
            await RisingEdge(self.dut.clk)
            await ReadOnly()
            valid, ready = bool(sig["valid"].value), bool(sig["ready"].value)
            now = (int(sig["addr"].value), int(sig["len"].value)) if valid else None
            if held is not None and now != held:
                self.violations.append(f"{ch}: valid {held} changed to {now} before it was taken")
            if valid and ready:
                addr, beats = now[0], now[1] + 1
                self.bursts.append((ch, addr, beats))
                if beats > self.max_burst:
                    self.violations.append(f"{ch}: a burst of {beats} beats (at most {self.max_burst})")
                if addr % 8 or int(sig["size"].value) != 3 or int(sig["burst"].value) != 1:
                    self.violations.append(f"{ch}: 0x{addr:x} not an aligned INCR burst of 8-byte beats")
                if addr // 4096 != (addr + 8 * beats - 1) // 4096:
                    self.violations.append(f"{ch}: burst 0x{addr:x} + {beats} beats crosses 4 KB")
            held = now if valid and not ready else None
