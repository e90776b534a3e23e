"""AXI-stream plumbing for the benches: cocotbext-axi source/sink, stall patterns drawn by
hypothesis, and receives bounded by a cycle budget.

A stall pattern is a tuple of booleans (True = pause this cycle) that cocotbext-axi repeats for
as long as the stream runs; the empty pattern never pauses (always valid / always ready). Patterns
are hypothesis data (``stalls()``), so a failing pattern shrinks and replays like any input.
"""

from __future__ import annotations

import itertools

from cocotb.utils import get_sim_time
from cocotbext.axi import AxiStreamBus, AxiStreamFrame, AxiStreamSink, AxiStreamSource
from hypothesis import strategies as st

from .common import StuckError, within

#: The longest pause run a pattern holds: longer than every internal FIFO (OUT_DEPTH 8, the
#: systolic skew) so a stalled sink fills them all and backs up into the source.
LONG_STALL = 40


def _expand(runs: list[tuple[int, int]]) -> tuple[bool, ...]:
    """(pause, go) cycle counts as one pattern: it always lets data through every cycle it is not
    paused, and it moves data at least once per repetition."""
    out: list[bool] = []
    for pause, go in runs:
        out += [True] * pause + [False] * go
    return tuple(out)


def stalls() -> st.SearchStrategy[tuple[bool, ...]]:
    """One stream's stall pattern: none (the always-ready / always-valid extreme), short bursts,
    or one long stall (longer than every internal FIFO) followed by a longer run that lets data
    through. Shrinks towards no stalls. At worst a pattern slows a stream 7x (short bursts) or
    about 2x (long stalls), so even the longest rows stay affordable on Icarus."""
    bursts = st.lists(st.tuples(st.integers(1, 6), st.integers(1, 6)), min_size=1, max_size=8)
    long = st.tuples(st.sampled_from([17, LONG_STALL]), st.integers(LONG_STALL, 2 * LONG_STALL)).map(lambda r: [r])
    return st.one_of(st.just(()), bursts.map(_expand), long.map(_expand))


#: The stall patterns of the directed tests (the drawn ones cover the rest): bursts on the source, a
#: long stall that fills every FIFO on the sink.
DIRECTED_STALLS = (_expand([(2, 3), (1, 5), (4, 1)]), _expand([(LONG_STALL, LONG_STALL + 7)]))


def slowdown(pattern: tuple[bool, ...]) -> float:
    """How many cycles a pattern takes per beat it lets through, at worst."""
    return len(pattern) / pattern.count(False) if pattern else 1.0


def pause_generator(pattern: tuple[bool, ...]):
    return itertools.cycle(pattern) if pattern else itertools.repeat(False)


class Streams:
    """A source on ``s_axis_*`` and a sink on ``m_axis_*`` of ``dut`` with stall patterns, and a
    receive bounded by a cycle budget derived from what was sent.

    ``cycles_per_beat`` and ``cycles_per_packet`` describe the module's own speed at full rate (a
    generous upper bound, not a latency promise); the budget multiplies them by the stall patterns'
    slowdown and adds ``BASE_CYCLES``.
    """

    BASE_CYCLES = 2000

    def __init__(self, dut, cycles_per_beat: float = 4, cycles_per_packet: int = 200, period_ns: int = 10):
        """The streams have no tkeep and a beat carries one word: a cocotbext-axi "byte" is the
        whole tdata (its default of 8-bit lanes does not divide widths like 102 or 22)."""
        if cycles_per_beat <= 0 or cycles_per_packet < 0:
            raise ValueError(f"Streams: cycles_per_beat > 0 and cycles_per_packet >= 0 expected, "
                             f"got {cycles_per_beat}, {cycles_per_packet}")
        self.dut = dut
        buses = [AxiStreamBus.from_prefix(dut, p) for p in ("s_axis", "m_axis")]
        kw = [{"byte_size": len(b.tdata)} for b in buses]
        self.source = AxiStreamSource(buses[0], dut.clk, dut.rst, **kw[0])
        self.sink = AxiStreamSink(buses[1], dut.clk, dut.rst, **kw[1])
        self.cycles_per_beat, self.cycles_per_packet, self.period_ns = cycles_per_beat, cycles_per_packet, period_ns
        self.beats = self.packets = 0   # sent since the last receive
        self.stuck: str | None = None
        self.set_stalls((), ())

    def set_stalls(self, src: tuple[bool, ...], sink: tuple[bool, ...]) -> None:
        """Pause the source (valid low) and the sink (ready low) by these patterns from now on."""
        self.patterns = (tuple(src), tuple(sink))
        self.source.set_pause_generator(pause_generator(self.patterns[0]))
        self.sink.set_pause_generator(pause_generator(self.patterns[1]))

    async def send(self, words: list[int]) -> None:
        """Queue one packet (tlast on its last word); returns at once."""
        if not words:
            raise ValueError("Streams.send: a packet needs at least one word")
        self.beats += len(words)
        self.packets += 1
        await self.source.send(AxiStreamFrame(list(words)))

    def abandon(self) -> None:
        """Forget what was sent and not yet answered (an aborted operation that the DUT drained and
        will never answer), so the next receive's budget counts only what comes after."""
        self.beats = self.packets = 0

    def budget(self, out_beats: int = 0) -> int:
        """Cycles allowed for what was sent (plus ``out_beats`` expected out) to come back."""
        slow = max(slowdown(p) for p in self.patterns)
        work = self.cycles_per_beat * (self.beats + out_beats) + self.cycles_per_packet * self.packets
        return int(self.BASE_CYCLES + slow * work)

    async def recv(self, budget: int | None = None, out_beats: int = 0) -> list[int]:
        """The next output packet, waiting at most ``budget`` cycles (default: ``budget()``, for
        everything sent and not yet received).

        A timeout raises ``StuckError`` naming the wait and the DUT's handshake state; from then on
        every receive of this bench fails at once, so hypothesis does not simulate a stuck design
        again for each shrink step.
        """
        if self.stuck is None:
            cycles = self.budget(out_beats) if budget is None else budget
            what = (f"a packet with tlast on m_axis ({self.beats} beats in {self.packets} packets sent and "
                    f"not yet answered, all taken by the DUT: {self.source.empty()}; stalls {self.patterns}; "
                    f"at {get_sim_time('ns')} ns)")
            try:
                frame = await within(self.sink.recv(), cycles, what, self.dut, self.period_ns)
            except StuckError as e:
                self.stuck = str(e)
        if self.stuck is not None:
            raise StuckError(self.stuck)
        self.packets = max(0, self.packets - 1)
        self.beats = max(0, self.beats - len(frame.tdata)) if self.packets else 0
        return list(frame.tdata)

    async def exchange(self, packets: list[list[int]]) -> list[list[int]]:
        """Send every packet back to back (so the DUT overlaps them), then receive as many."""
        for p in packets:
            await self.send(p)
        return [await self.recv() for _ in packets]
