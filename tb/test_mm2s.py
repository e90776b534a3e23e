"""mm2s: row commands read from an AXI4 memory (cocotbext-axi's slave) come out on m_axis as
exactly the memory's words, in command order, tlast where a command says last; with drawn memory
latency and stalls on AR, R, the commands and m_axis. Bursts keep AXI4's rules (tb.axi_mem checks
them); a SLVERR mid-burst pulses err; cancel at a drawn cycle leaves the next commands exact while
the bursts already raised drain."""

import random

import cocotb
from cocotb.triggers import ReadOnly, RisingEdge
from hypothesis import strategies as st

from .axi_mem import AxiMemory, MasterBench
from .common import for_examples, monitor, parameters, start, within
from .stalls import pause_generator, slowdown, stalls

P = parameters()
MAX_BURST, DEPTH = P.get("MAX_BURST", 64), P.get("DEPTH", 512)
MAX_BEATS = 2 ** P.get("LEN_W", 8) - 1


class TB(MasterBench):
    def __init__(self, dut):
        super().__init__(dut, AxiMemory(dut, read=True, write=False, max_burst=MAX_BURST))
        self.errs, self.out = [], []   # err pulses; (tdata, tlast) taken on m_axis
        monitor(dut, dut.err, lambda: 1, self.errs)
        self.cmd_pause = self.out_pause = pause_generator(())
        cocotb.start_soon(self._take())

    async def _take(self):
        """m_axis's sink: tready paused by the pattern, every beat taken recorded (a plain list, so
        a cancel can forget a packet half taken)."""
        dut = self.dut
        while True:
            await RisingEdge(dut.clk)
            ready = not next(self.out_pause)
            dut.m_axis_tready.value = int(ready)
            await ReadOnly()
            if ready and dut.m_axis_tvalid.value:
                self.out.append((int(dut.m_axis_tdata.value), bool(dut.m_axis_tlast.value)))

    def set_stalls(self, ar=(), r=(), cmd=(), out=()):
        self.axi.set_stalls(ar=ar, r=r)
        self.cmd_pause = pause_generator(tuple(cmd))
        self.out_pause = pause_generator(tuple(out))
        self.slow = max(slowdown(p) for p in (ar, r, cmd, out)) + sum(len(p) for p in (ar, r, cmd, out))

    def sender(self, cmds):
        """A task offering the commands (address, beats, last), paused by the pattern."""
        dut = self.dut

        def drive(_, cmd):
            dut.cmd_addr.value, dut.cmd_beats.value, dut.cmd_last.value = cmd[0], cmd[1], int(cmd[2])

        return self.offering(cmds, drive, dut.cmd_valid, dut.cmd_ready, self.cmd_pause)

    def budget(self, beats: int, bursts: int) -> int:
        return int(300 + (self.axi.mem.latency + 4) * bursts * self.slow + 3 * beats * self.slow)

    async def packets(self, cmds) -> list[list[int]]:
        """Send ``cmds`` and receive one packet per command marked last, within a budget."""
        sender = self.sender(cmds)
        if self.stuck:
            self.fail(self.stuck)
        budget = self.budget(sum(b for _, b, _ in cmds), sum(-(-b // 8) + 1 for _, b, _ in cmds))
        want = sum(last for *_, last in cmds)
        for _ in range(budget):
            if sum(last for _, last in self.out) >= want:
                break
            await RisingEdge(self.dut.clk)
        else:
            self.fail(f"{want} packets with tlast on m_axis not all out in {budget} cycles "
                        f"({len(self.out)} beats taken)")
        await within(sender, budget, "the commands taken", self.dut)
        out, cur = [], []
        for data, last in self.out:
            cur.append(data)
            if last:
                out.append(cur)
                cur = []
        self.out = []
        return out

    async def clean(self) -> None:
        """Reset the DUT and the memory model and forget what the bench saw."""
        await self.reset(self.dut.cmd_valid, self.dut.cancel)
        self.errs.clear()
        self.out.clear()

    async def until_idle(self, cycles: int):
        if self.stuck:
            self.fail(self.stuck)
        for _ in range(cycles):
            await RisingEdge(self.dut.clk)
            await ReadOnly()
            if self.dut.idle.value:
                await RisingEdge(self.dut.clk)
                return
        self.fail(f"mm2s not idle (bursts outstanding) after {cycles} cycles")


def expected(mem, cmds) -> list[list[int]]:
    out, cur = [], []
    for addr, beats, last in cmds:
        cur += mem.get_words(addr, beats)
        if last:
            out.append(cur)
            cur = []
    return out


def commands(max_cmds: int = 6):
    # addresses near 4 KB and burst edges, rows up to a few bursts long
    addr = st.integers(0, (1 << 20) // 8 - 1).map(lambda w: w * 8) | st.integers(1, 40).map(lambda k: 4096 * k - 8 * k)
    cmd = st.tuples(addr, st.integers(1, min(MAX_BEATS, 3 * MAX_BURST)), st.booleans())
    return st.lists(cmd, min_size=1, max_size=max_cmds).map(lambda cs: cs[:-1] + [(cs[-1][0], cs[-1][1], True)])


async def setup(dut) -> TB:
    dut.cmd_valid.value = dut.cancel.value = 0
    dut.cmd_addr.value = dut.cmd_beats.value = dut.cmd_last.value = 0
    tb = TB(dut)
    tb.set_stalls()
    await start(dut)
    return tb


def fill(tb: TB, cmds, seed: int) -> None:
    rng = random.Random(seed)
    for addr, beats, _ in cmds:
        tb.axi.mem.put_words(addr, [rng.getrandbits(64) for _ in range(beats)])


@cocotb.test()
async def mm2s_reads_memory_in_command_order(dut):
    tb = await setup(dut)

    async def check(case):
        cmds, seed, latency, pats = case
        await tb.clean()
        fill(tb, cmds, seed)
        tb.axi.mem.latency = latency
        tb.set_stalls(*pats)
        assert await tb.packets(cmds) == expected(tb.axi.mem, cmds), cmds
        await tb.until_idle(tb.budget(0, 8))
        assert not tb.axi.violations, tb.axi.violations
        assert not tb.errs

    case = st.tuples(commands(), st.integers(0, 2**32), st.integers(0, 40), st.tuples(stalls(), stalls(), stalls(), stalls()))
    await for_examples(case, check, max_examples=40)


@cocotb.test()
async def outstanding_reads_cover_latency(dut):
    """With a 30-cycle latency per burst and no stalls, a long row streams at close to a beat a cycle:
    several bursts are outstanding (one at a time would take latency + length per burst)."""
    tb = await setup(dut)
    beats = min(MAX_BEATS, 4 * MAX_BURST)
    cmds = [(0x10000, beats, True)]
    fill(tb, cmds, 1)
    tb.axi.mem.latency = 30
    t0 = cocotb.utils.get_sim_time("ns")
    assert await tb.packets(cmds) == expected(tb.axi.mem, cmds)
    cycles = (cocotb.utils.get_sim_time("ns") - t0) / 10
    bursts = -(-beats // MAX_BURST)
    assert cycles < beats + 30 * 2 + 20 < beats + 30 * bursts, (cycles, beats, bursts)


@cocotb.test()
async def an_error_mid_burst_pulses_err_and_cancel_recovers(dut):
    """SLVERR on one beat in the middle of a burst: err pulses (once per faulty beat); after a
    cancel the next commands read exactly, the stale beats dropped."""
    tb = await setup(dut)

    async def check(case):
        cmds, seed, pick, latency = case
        await tb.clean()
        fill(tb, cmds, seed)
        addr, beats, _ = cmds[pick % len(cmds)]
        bad = addr + 8 * (beats // 2)
        tb.axi.mem.faults = {bad}
        tb.axi.mem.latency = latency
        sender = tb.sender(cmds)
        await tb.await_err(tb.budget(sum(b for _, b, _ in cmds), 16), bad)
        assert set(tb.axi.mem.faulted) == {bad}, (cmds, bad, tb.axi.mem.faulted)  # commands may share it
        await tb.stop(sender, dut.cmd_valid)
        dut.cancel.value = 1
        await RisingEdge(dut.clk)
        dut.cancel.value = 0
        tb.out.clear()
        tb.axi.mem.faults = set()
        again = [(a + 0x200000, b, last) for a, b, last in cmds]
        fill(tb, again, seed + 1)
        assert await tb.packets(again) == expected(tb.axi.mem, again)
        await tb.until_idle(tb.budget(0, 8))
        assert not tb.axi.violations, tb.axi.violations

    case = st.tuples(commands(4), st.integers(0, 2**32), st.integers(0, 3), st.integers(0, 20))
    await for_examples(case, check, max_examples=15)


@cocotb.test()
async def cancel_at_any_cycle_leaves_the_next_commands_exact(dut):
    """cancel at a drawn cycle of an operation (with memory latency and stalls): the next operation
    reads exactly what memory holds; the bursts raised before the cancel are dropped by count."""
    tb = await setup(dut)

    async def check(case):
        cmds, seed, when, latency, pats = case
        await tb.clean()
        fill(tb, cmds, seed)
        tb.axi.mem.latency = latency
        tb.set_stalls(*pats)
        sender = tb.sender(cmds)
        await tb.cancel_after(when, sender, dut.cmd_valid)
        assert not dut.m_axis_tvalid.value and dut.cmd_ready.value, "cancel must empty mm2s at once"
        await RisingEdge(dut.clk)
        tb.out.clear()
        again = [(a ^ 0x100000, b, last) for a, b, last in cmds]
        fill(tb, again, seed + 1)
        assert await tb.packets(again) == expected(tb.axi.mem, again)
        await tb.until_idle(tb.budget(0, 8))
        assert not tb.axi.violations, tb.axi.violations

    case = st.tuples(commands(4), st.integers(0, 2**32), st.integers(0, 120), st.integers(0, 30),
                     st.tuples(stalls(), stalls(), stalls(), stalls()))
    await for_examples(case, check, max_examples=30)


@cocotb.test()
async def a_stalled_output_holds_the_reads(dut):
    """m_axis held off for longer than the FIFO takes to fill: mm2s raises no more than its FIFO
    holds (the bursts beyond wait), and once m_axis takes again every beat comes out exactly."""
    tb = await setup(dut)
    beats = min(MAX_BEATS, 3 * MAX_BURST, 4 * DEPTH)
    cmds = [(0x4000, beats, False), (0x8000, beats, True)]
    fill(tb, cmds, 7)
    tb.set_stalls(out=(True,) * 400 + (False,) * 4000)
    assert await tb.packets(cmds) == expected(tb.axi.mem, cmds)
    assert not tb.axi.violations, tb.axi.violations
