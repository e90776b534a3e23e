"""AXI-stream plumbing for the benches: cocotbext-axi source/sink, stall patterns drawn by
hypothesis, and receives bounded by a cycle budget.

A stall pattern is a tuple of booleans (True = pause this cycle) that cocotbext-axi repeats for
as long as the stream runs; the empty pattern never pauses (always valid / always ready). Patterns
are hypothesis data (``stalls()``), so a failing pattern shrinks and replays like any input.
"""

from __future__ import annotations

from cocotb.utils import get_sim_time
from cocotbext.axi import AxiStreamBus, AxiStreamFrame, AxiStreamSink, AxiStreamSource

from .common import StuckError, within
from .stalls import pause_generator, slowdown


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

    async def send(self, words: list[int], user: list[int] | None = None) -> None:
        """Queue one packet (tlast on its last word), with ``user`` on s_axis_tuser beat by beat if
        given; returns at once."""
        if not words:
            raise ValueError("Streams.send: a packet needs at least one word")
        if user is not None and len(user) != len(words):
            raise ValueError(f"Streams.send: {len(words)} words but {len(user)} tuser values")
        self.beats += len(words)
        self.packets += 1
        await self.source.send(AxiStreamFrame(list(words), tuser=None if user is None else list(user)))

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
