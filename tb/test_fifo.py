"""fifo: packets come out whole and in order under random idle and backpressure (no golden
counterpart: the reference is the identity)."""

import cocotb
from hypothesis import strategies as st

from .axis import Streams
from .common import for_examples, parameters, start

W = parameters().get("W", 8)


@cocotb.test()
async def fifo_preserves_packets(dut):
    io = Streams(dut, cycles_per_beat=2)
    await start(dut)

    async def check(packets):
        assert await io.exchange(packets) == packets

    words = st.lists(st.integers(0, 2**W - 1), min_size=1, max_size=40)
    await for_examples(st.lists(words, min_size=1, max_size=4), check, max_examples=80, streams=io)
