"""mm2s: int32 values come out two per 64-bit beat (first in the low half), a lone final value
padded with zero, tlast on the beat holding the last value; drawn stall patterns on both streams
(a data mover: the reference is this packing, golden.layout's two-per-beat order)."""

import cocotb
from hypothesis import strategies as st

from .axis import Streams
from .common import for_examples, start


@cocotb.test()
async def mm2s_packs_pairs(dut):
    io = Streams(dut, cycles_per_beat=2)
    await start(dut)

    async def check(packets):
        want = []
        for values in packets:
            padded = values + [0] * (len(values) % 2)
            want.append([padded[i] | (padded[i + 1] << 32) for i in range(0, len(padded), 2)])
        assert await io.exchange(packets) == want

    packet = st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=20)
    await for_examples(st.lists(packet, min_size=1, max_size=3), check, max_examples=80, streams=io)
