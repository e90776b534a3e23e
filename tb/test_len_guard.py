"""len_guard: the client gets exactly the beats it expects from packets of any length: a short
packet's missing beats as zeros (err_short), a long packet's excess dropped up to its tlast
(err_long), done once per packet, and nothing of one packet leaking into the next; a cancel drains
a packet begun to its tlast. Packets, expected lengths and the stall patterns of the stream and
of the client's enable are drawn by hypothesis (the guard is a data mover: the reference is the
packet, padded or cut). want is high only while the client's next beat would come from the stream."""

import cocotb
from cocotb.triggers import ReadOnly, RisingEdge
from cocotbext.axi import AxiStreamBus, AxiStreamFrame, AxiStreamSource
from hypothesis import strategies as st

from .common import StuckError, for_examples, start, wait_until
from .stalls import pause_generator, slowdown, stalls

word = st.integers(0, 2**64 - 1)


class Client:
    """Drives start / enable / final_beat as a client counting ``expected`` beats, and records
    what it takes and the guard's pulses."""

    def __init__(self, dut):
        self.dut = dut
        self.source = AxiStreamSource(AxiStreamBus.from_prefix(dut, "s_axis"), dut.clk, dut.rst,
                                      byte_size=64)
        dut.start.value = dut.cancel.value = dut.enable.value = dut.final_beat.value = 0

    async def packet(self, words: list[int], expected: int, src: tuple, client: tuple) -> dict:
        """Send ``words`` as one packet to a client expecting ``expected`` beats; return what the
        client took and the pulses seen, once the guard is idle again."""
        dut = self.dut
        self.source.set_pause_generator(pause_generator(src))
        await self.source.send(AxiStreamFrame(list(words), tuser=None))
        pauses = pause_generator(client)
        got, seen = [], {"done": 0, "err_short": 0, "err_long": 0}
        dut.start.value = 1
        budget = int(100 + 4 * (len(words) + expected) * max(slowdown(src), 1) * max(slowdown(client), 1))
        for _ in range(budget):
            dut.enable.value = int(not next(pauses))
            dut.final_beat.value = int(len(got) == expected - 1)
            await ReadOnly()
            step = int(dut.step.value)
            if step:
                got.append(int(dut.data.value))
            for k in seen:
                seen[k] += int(getattr(dut, k).value)
            busy = int(dut.busy.value)
            # want: the client's beat would come from the stream now (so, enabled, taking, busy)
            assert not dut.want.value or (dut.enable.value and dut.s_axis_tready.value and busy), \
                f"want high with enable {dut.enable.value}, s_axis_tready {dut.s_axis_tready.value}, busy {busy}"
            await RisingEdge(dut.clk)
            dut.start.value = 0
            if not busy and len(got) == expected and self.source.empty() and self.source.idle():
                await RisingEdge(dut.clk)  # the error pulses are registered: one more cycle
                await ReadOnly()
                for k in ("err_short", "err_long"):
                    seen[k] += int(getattr(dut, k).value)
                await RisingEdge(dut.clk)
                return {"got": got, **seen}
        raise StuckError(f"waited {budget} cycles for a packet of {len(words)} beats to a client expecting "
                         f"{expected}: took {len(got)}, busy {int(dut.busy.value)}, stalls {src, client}")


@st.composite
def packets(draw):
    """Back-to-back packets, each with the length the client expects and one it may differ by."""
    out = []
    for _ in range(draw(st.integers(1, 3))):
        expected = draw(st.integers(1, 12))
        n = draw(st.sampled_from([expected, max(1, expected - 1), expected + 1]) | st.integers(1, 16))
        out.append((draw(st.lists(word, min_size=n, max_size=n)), expected))
    return out


@cocotb.test()
async def len_guard_pads_and_trims(dut):
    await start(dut)
    client = Client(dut)

    async def check(case):
        example, src, cl = case
        for words, expected in example:
            r = await client.packet(words, expected, src, cl)
            want = (words + [0] * expected)[:expected]
            assert r["got"] == want, (words, expected)
            assert r["done"] == 1
            assert (r["err_short"], r["err_long"]) == (int(len(words) < expected), int(len(words) > expected))

    await for_examples(st.tuples(packets(), stalls(), stalls()), check, max_examples=60)


@cocotb.test()
async def len_guard_cancel_drains_a_packet_begun(dut):
    """Cancel after a few beats of a packet: the rest is taken up to its tlast (busy until then),
    no done; cancel before any beat: idle at once, the packet left on the stream; then a packet
    of the right length goes through whole."""
    await start(dut)
    client = Client(dut)
    words = list(range(1, 9))
    await client.source.send(AxiStreamFrame(words))
    dut.start.value = 1
    dut.enable.value = 1
    await RisingEdge(dut.clk)
    dut.start.value = 0
    await wait_until(dut, lambda: client.source.queue_occupancy_bytes <= 8 * 5, 50, "three beats taken")
    dut.enable.value = 0
    dut.cancel.value = 1
    await RisingEdge(dut.clk)
    dut.cancel.value = 0
    await ReadOnly()
    assert dut.busy.value == 1, "a packet begun is drained"
    await wait_until(dut, lambda: not int(dut.busy.value), 50, "the drain to reach tlast")
    assert client.source.empty()

    dut.start.value = 1  # armed, nothing taken: cancel leaves the packet on the stream
    await RisingEdge(dut.clk)
    dut.start.value = 0
    dut.cancel.value = 1
    await RisingEdge(dut.clk)
    dut.cancel.value = 0
    await ReadOnly()
    assert dut.busy.value == 0
    await RisingEdge(dut.clk)
    r = await client.packet([7, 8, 9], 3, (), ())
    assert r == {"got": [7, 8, 9], "done": 1, "err_short": 0, "err_long": 0}
