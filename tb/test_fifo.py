"""fifo: packets come out whole and in order under random idle and backpressure (no golden
counterpart: the reference is the identity)."""

import itertools

import cocotb
import pytest
from cocotb.utils import get_sim_time
from hypothesis import strategies as st

from .axis import Streams
from .common import StuckError, for_examples, parameters, start

W = parameters().get("W", 8)


@cocotb.test()
async def fifo_preserves_packets(dut):
    io = Streams(dut, cycles_per_beat=2)
    await start(dut)

    async def check(packets):
        assert await io.exchange(packets) == packets

    words = st.lists(st.integers(0, 2**W - 1), min_size=1, max_size=40)
    await for_examples(st.lists(words, min_size=1, max_size=4), check, max_examples=80, streams=io)


@cocotb.test()
async def a_held_output_fails_within_its_budget(dut):
    """The harness itself: with m_axis_tready held low forever, a receive fails with StuckError
    naming the wait and the handshake state within its cycle budget, and every later receive of
    the bench fails at once."""
    io = Streams(dut, cycles_per_beat=2)
    await start(dut)
    io.sink.set_pause_generator(itertools.repeat(True))  # never ready
    await io.send([1, 2, 3])
    budget = io.budget()
    t0 = get_sim_time("ns")
    with pytest.raises(StuckError, match=r"m_axis_tready=0 m_axis_tvalid=1") as err:
        await io.recv()
    waited = round((get_sim_time("ns") - t0) / 10)
    assert budget <= waited <= budget + 1, (waited, budget)
    assert "a packet with tlast on m_axis" in str(err.value)
    with pytest.raises(StuckError):
        await io.recv()
    assert get_sim_time("ns") - t0 <= (budget + 1) * 10, "a second receive must not wait again"
