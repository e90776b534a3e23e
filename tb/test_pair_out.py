"""pair_out: int32 values come out two per 64-bit beat (first in the low half), a lone final value
padded with zero, tlast on the beat holding the last value; the values come in one or two a beat
(tuser: pair), split as hypothesis draws; drawn stall patterns on both streams (a data mover: the
reference is this packing, golden.layout's two-per-beat order)."""

import cocotb
from hypothesis import strategies as st

from golden.layout import pack_i32

from .axis import Streams
from .common import for_examples, start


@st.composite
def packets(draw):
    """Packets of values, each cut into input beats of one or two values."""
    out = []
    for _ in range(draw(st.integers(1, 3))):
        values = draw(st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=20))
        beats, i = [], 0
        while i < len(values):
            two = i + 1 < len(values) and draw(st.booleans())
            beats.append((values[i] | (values[i + 1] << 32 if two else 0), int(two)))
            i += 1 + two
        out.append((values, beats))
    return out


@cocotb.test()
async def pair_out_packs_pairs(dut):
    io = Streams(dut, cycles_per_beat=2)
    await start(dut)

    async def check(case):
        want = []
        for values, beats in case:
            await io.send([w for w, _ in beats], user=[u for _, u in beats])
            want.append(pack_i32(values))
        assert [await io.recv() for _ in case] == want

    await for_examples(packets(), check, max_examples=80, streams=io)
