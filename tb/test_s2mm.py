"""s2mm: a packet on s_axis lands in an AXI4 memory (cocotbext-axi's slave) word for word from the
armed address, and `done` pulses only once all of it is there (checked at the pulse); with drawn
memory latency and stalls on s_axis, AW, W and B. Bursts keep AXI4's rules (tb.axi_mem checks
them); a SLVERR pulses err; cancel at a drawn cycle finishes the raised bursts without writing and
leaves the next packet exact."""

import random

import cocotb
from cocotb.triggers import ReadOnly, RisingEdge
from cocotb.utils import get_sim_time
from hypothesis import strategies as st

from .axi_mem import AxiMemory, MasterBench
from .common import for_examples, monitor, parameters, start, within
from .stalls import pause_generator, slowdown, stalls

P = parameters()
MAX_BURST, DEPTH = P.get("MAX_BURST", 16), P.get("DEPTH", 64)
SENTINEL = 0x5A5A_5A5A_5A5A_5A5A


class TB(MasterBench):
    def __init__(self, dut):
        super().__init__(dut, AxiMemory(dut, read=False, write=True, max_burst=MAX_BURST))
        self.errs, self.bs = [], []   # err pulses; write responses taken
        monitor(dut, dut.err, lambda: 1, self.errs)
        monitor(dut, dut.m_axi_bvalid, lambda: 1, self.bs)  # bready is always high
        self.ws = []  # (time, wstrb) of each W beat taken
        monitor(dut, dut.m_axi_wvalid, lambda: (get_sim_time("ns"), int(dut.m_axi_wstrb.value))
                if dut.m_axi_wready.value else None, self.ws)
        self.in_pause = pause_generator(())
        self.slow = 1.0

    def set_stalls(self, src=(), aw=(), w=(), b=()):
        self.axi.set_stalls(aw=aw, w=w, b=b)
        self.in_pause = pause_generator(tuple(src))
        self.slow = max(slowdown(p) for p in (src, aw, w, b)) + sum(len(p) for p in (src, aw, w, b)) / 8

    async def clean(self) -> None:
        """Reset the DUT and the memory model and forget what the bench saw."""
        await self.reset(self.dut.start, self.dut.cancel, self.dut.s_axis_tvalid)
        self.errs.clear()
        self.bs.clear()

    async def arm(self, addr: int) -> None:
        self.dut.addr.value = addr
        self.dut.start.value = 1
        await RisingEdge(self.dut.clk)
        self.dut.start.value = 0

    def sender(self, words):
        """A task offering ``words`` on s_axis (tlast on the last), paused by the pattern."""
        dut = self.dut

        def drive(i, word):
            dut.s_axis_tdata.value, dut.s_axis_tlast.value = word, int(i == len(words) - 1)

        return self.offering(words, drive, dut.s_axis_tvalid, dut.s_axis_tready, self.in_pause)

    def budget(self, beats: int) -> int:
        return int(300 + self.slow * (3 * beats + (self.axi.mem.latency + 6) * (beats // 2 + 2)))

    async def write(self, addr: int, words) -> None:
        """Arm at ``addr``, send ``words`` and wait for done; at the done pulse memory must hold the
        words (and the word after them be untouched)."""
        if self.stuck:
            self.fail(self.stuck)
        bursts0, bs0 = len(self.axi.bursts), len(self.bs)  # s2mm is idle: nothing else is outstanding
        await self.arm(addr)
        sender = self.sender(words)
        budget = self.budget(len(words))
        for _ in range(budget):
            await RisingEdge(self.dut.clk)
            await ReadOnly()
            if self.dut.done.value:
                break
        else:
            self.fail(f"no done pulse {budget} cycles after a packet of {len(words)} beats to 0x{addr:x}")
        raised, answered = len(self.axi.bursts) - bursts0, len(self.bs) - bs0
        assert answered == raised, f"done with {raised - answered} of {raised} bursts not acknowledged"
        got = self.axi.mem.get_words(addr, len(words) + 1)
        assert got[:-1] == list(words), f"memory at done differs from the packet (at 0x{addr:x})"
        assert got[-1] == SENTINEL, "s2mm wrote past its packet"
        assert int(self.dut.beats.value) == len(words)
        await RisingEdge(self.dut.clk)
        await within(sender, 10, "the sender to finish", self.dut)

    async def until_idle(self, cycles: int) -> None:
        for _ in range(cycles):
            await RisingEdge(self.dut.clk)
            await ReadOnly()
            if self.dut.idle.value and not self.dut.busy.value:
                await RisingEdge(self.dut.clk)
                return
        self.fail(f"s2mm not idle (bursts outstanding) after {cycles} cycles")

    def prepare(self, addr: int, count: int) -> None:
        self.axi.mem.put_words(addr, [SENTINEL] * (count + 1))


def packets():
    addr = st.integers(0, (1 << 20) // 8 - 1).map(lambda w: w * 8) | st.integers(1, 40).map(lambda k: 4096 * k - 8 * k)
    return st.tuples(addr, st.integers(1, 5 * MAX_BURST), st.integers(0, 2**32))


async def setup(dut) -> TB:
    dut.start.value = dut.cancel.value = dut.s_axis_tvalid.value = 0
    dut.addr.value = dut.s_axis_tdata.value = dut.s_axis_tlast.value = 0
    tb = TB(dut)
    await start(dut)
    return tb


def words_for(count: int, seed: int) -> list[int]:
    rng = random.Random(seed)
    return [rng.getrandbits(64) for _ in range(count)]


@cocotb.test()
async def s2mm_writes_the_packet_before_done(dut):
    tb = await setup(dut)

    async def check(case):
        batch, latency, pats = case
        await tb.clean()
        tb.axi.mem.latency = latency
        tb.set_stalls(*pats)
        for addr, count, seed in batch:
            tb.prepare(addr, count)
            await tb.write(addr, words_for(count, seed))
        await tb.until_idle(tb.budget(4))
        assert not tb.axi.violations, tb.axi.violations
        assert not tb.errs

    case = st.tuples(st.lists(packets(), min_size=1, max_size=3), st.integers(0, 30),
                     st.tuples(stalls(), stalls(), stalls(), stalls()))
    await for_examples(case, check, max_examples=40)


@cocotb.test()
async def a_write_error_pulses_err_and_cancel_recovers(dut):
    """SLVERR on one beat mid-packet: err pulses; after a cancel the next packet lands exactly."""
    tb = await setup(dut)

    async def check(case):
        (addr, count, seed), latency = case
        await tb.clean()
        tb.axi.mem.latency = latency
        bad = addr + 8 * (count // 2)
        tb.axi.mem.faults = {bad}
        tb.prepare(addr, count)
        await tb.arm(addr)
        sender = tb.sender(words_for(count, seed))
        await tb.await_err(tb.budget(count), bad)
        assert tb.axi.mem.faulted == [bad]
        await tb.stop(sender, dut.s_axis_tvalid)
        dut.cancel.value = 1
        await RisingEdge(dut.clk)
        dut.cancel.value = 0
        tb.axi.mem.faults = set()
        await tb.until_idle(tb.budget(count))
        again = addr ^ 0x100000
        tb.prepare(again, count)
        await tb.write(again, words_for(count, seed + 1))
        await tb.until_idle(tb.budget(4))
        assert not tb.axi.violations, tb.axi.violations

    await for_examples(st.tuples(packets(), st.integers(0, 20)), check, max_examples=15)


@cocotb.test()
async def cancel_at_any_cycle_writes_nothing_more(dut):
    """cancel at a drawn cycle of a packet: busy falls at once; the bursts raised finish with their
    strobes off, so every word of the cancelled packet's range holds either what it held before or
    the packet's own word; the next packet lands exactly."""
    tb = await setup(dut)

    async def check(case):
        (addr, count, seed), when, latency, pats = case
        await tb.clean()
        tb.axi.mem.latency = latency
        tb.set_stalls(*pats)
        words = words_for(count, seed)
        tb.prepare(addr, count)
        await tb.arm(addr)
        sender = tb.sender(words)
        await tb.cancel_after(when, sender, dut.s_axis_tvalid)
        assert not dut.busy.value and not dut.s_axis_tready.value
        cancelled = get_sim_time("ns")
        await RisingEdge(dut.clk)
        await tb.until_idle(tb.budget(count))  # the raised bursts finish first
        late = [w for w in tb.ws if w is not None and w[0] > cancelled and w[1]]
        assert not late, f"W beats with strobes on after the cancel: {late}"
        again = addr ^ 0x100000
        tb.prepare(again, count)
        await tb.write(again, words_for(count, seed + 1))
        await tb.until_idle(tb.budget(count))
        got = tb.axi.mem.get_words(addr, count + 1)
        assert all(g in (SENTINEL, w) for g, w in zip(got, words + [SENTINEL])), "a cancelled burst wrote garbage"
        assert not tb.axi.violations, tb.axi.violations

    case = st.tuples(packets(), st.integers(0, 100), st.integers(0, 20), st.tuples(stalls(), stalls(), stalls(), stalls()))
    await for_examples(case, check, max_examples=30)
