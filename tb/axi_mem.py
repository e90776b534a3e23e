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

from .common import StuckError, within
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

    def __init__(self, dut, prefix: str = "m_axi", read: bool = True, write: bool = True, max_burst: int = 256,
                 mem: FaultyMemory | None = None):
        self.dut, self.max_burst = dut, max_burst
        self.mem = FaultyMemory(dut.clk) if mem is None else mem
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


class CoreMemory:
    """The memory behind ibert_top's two masters (``m_axi_rd``, ``m_axi_wr``): one
    :class:`FaultyMemory` with the operands placed in regions of their own, as the host places them
    in DDR. ``set_stalls(src, sink)`` (what tb.common.for_examples draws) pauses the read data
    (src) and the write side's W ready (sink)."""

    A, R, W, OUT = 0x0100_0000, 0x0200_0000, 0x0300_0000, 0x0400_0000

    def __init__(self, dut):
        self.mem = FaultyMemory(dut.clk)
        self.rd = AxiMemory(dut, "m_axi_rd", read=True, write=False, max_burst=256, mem=self.mem)
        self.wr = AxiMemory(dut, "m_axi_wr", read=False, write=True, max_burst=256, mem=self.mem)
        self.patterns = ((), ())

    def set_stalls(self, src=(), sink=()) -> None:
        self.patterns = (tuple(src), tuple(sink))
        self.rd.set_stalls(r=src)
        self.wr.set_stalls(w=sink)

    @property
    def violations(self) -> list[str]:
        return self.rd.violations + self.wr.violations

    def place(self, operands: dict) -> dict[str, int]:
        """Write host.accel.operations' operands (``a``, ``r``, ``w``: uint64 beats) into their regions;
        the address and stride registers that describe them (OUT_ADDR included)."""
        regs = {"OUT_ADDR": self.OUT}
        for name, base in (("a", self.A), ("r", self.R), ("w", self.W)):
            if name in operands:
                beats = operands[name]
                self.mem.put_words(base, beats.reshape(-1).tolist())
                regs[f"{name.upper()}_ADDR"] = base
                if beats.ndim == 2:
                    regs[f"{name.upper()}_STRIDE"] = 8 * beats.shape[1]
        return regs


class MasterBench:
    """What the benches of the core's two masters share: a bounded-wait latch (once a wait runs out,
    every later wait fails at once, so hypothesis does not simulate a stuck design again for each
    shrink step), a per-example reset, and a task that offers items on a valid/ready port, paused by
    a pattern, until taken or halted."""

    def __init__(self, dut, axi: AxiMemory):
        self.dut, self.axi = dut, axi
        self.stuck: str | None = None
        self.halt = False

    def fail(self, message: str):
        """Raise StuckError with ``message`` (or the first such message, once one was raised)."""
        self.stuck = self.stuck or message
        raise StuckError(self.stuck)

    async def reset(self, *quiet) -> None:
        """Reset the DUT (``quiet`` signals held low meanwhile) and the memory model's faults and
        records: every example starts from the same state, whatever the previous one left."""
        self.halt = True
        for sig in quiet:
            sig.value = 0
        self.dut.rst.value = 1
        await ClockCycles(self.dut.clk, 3)
        self.dut.rst.value = 0
        await RisingEdge(self.dut.clk)
        self.axi.bursts.clear()
        self.axi.mem.faults, self.axi.mem.faulted = set(), []
        self.axi.violations.clear()

    def offering(self, items, drive, valid, ready, pause):
        """A task offering ``items`` one after another: ``drive(i, item)`` sets the data, ``valid``
        rises, the item is taken at the edge where ``ready`` was high; ``pause`` (a generator of
        booleans) holds valid low first. It stops at the next edge once ``halt`` is set."""
        self.halt = False  # cleared before the task starts, so a halt set right after is not lost

        async def run():
            for i, item in enumerate(items):
                while next(pause):
                    await RisingEdge(self.dut.clk)
                    if self.halt:
                        return
                drive(i, item)
                valid.value = 1
                while True:  # the handshake is what ready was before the edge
                    await ReadOnly()
                    taken = bool(ready.value)
                    await RisingEdge(self.dut.clk)
                    if taken or self.halt:
                        break
                valid.value = 0
                if self.halt:
                    return

        return cocotb.start_soon(run())

    async def stop(self, task, valid) -> None:
        """Halt ``task`` (from :meth:`offering`), wait for it (bounded) and drop ``valid``."""
        self.halt = True
        await within(task, 10, "the offering task to stop", self.dut)
        valid.value = 0

    async def await_err(self, budget: int, bad: int) -> None:
        """Wait (at most ``budget`` cycles) for the DUT's err pulse (``self.errs``, a monitor's list)
        answering the fault injected at ``bad``."""
        for _ in range(budget):
            await RisingEdge(self.dut.clk)
            if self.errs:
                return
        self.fail(f"no err pulse in {budget} cycles for a fault at 0x{bad:x}")

    async def cancel_after(self, cycles: int, task, valid) -> None:
        """``cycles`` cycles on, stop offering (``task``, ``valid``) and pulse the DUT's cancel; returns
        in the ReadOnly phase of the cycle after the pulse, for the caller to look at the DUT."""
        if cycles:
            await ClockCycles(self.dut.clk, cycles)
        await self.stop(task, valid)
        self.dut.cancel.value = 1
        await RisingEdge(self.dut.clk)
        self.dut.cancel.value = 0
        await ReadOnly()
