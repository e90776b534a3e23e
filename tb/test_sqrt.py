"""sqrt, pipelined and ITERATIVE: every result equals golden.sqrt, including perfect squares, their
neighbours and the extremes, under drawn stall patterns; and the input handshake keeps to the
header's promise, checked on every cycle: at most one root in flight in the ITERATIVE form, at most
W/2 (one a stage) in the pipelined one, so a beat is never taken while its stage is full."""

import cocotb
import numpy as np
from cocotb.triggers import ReadOnly, RisingEdge
from hypothesis import strategies as st

import golden

from .axis import Streams
from .common import for_examples, parameters, start

W = parameters().get("W", 32)
ITERATIVE = parameters().get("ITERATIVE", 0)
#: Roots the form may hold between taking a value and handing its root over.
IN_FLIGHT = 1 if ITERATIVE else W // 2


@st.composite
def values(draw):
    r = draw(st.integers(0, 2 ** (W // 2) - 1))
    near = [v for v in (r * r - 1, r * r, r * r + 1, (r + 1) ** 2 - 1) if 0 <= v < 2**W]
    return near + draw(st.lists(st.integers(0, 2**W - 1), max_size=12)) + [0, 2**W - 1]


@cocotb.test()
async def sqrt_matches_golden(dut):
    io = Streams(dut, cycles_per_beat=W // 2 + 4)  # the iterative form takes W/2 + 1 per root
    await start(dut)
    flight = {"now": 0, "most": 0}

    async def handshakes() -> None:
        while True:
            await RisingEdge(dut.clk)
            await ReadOnly()
            taken = int(dut.s_axis_tvalid.value and dut.s_axis_tready.value)
            flight["now"] += taken - int(dut.m_axis_tvalid.value and dut.m_axis_tready.value)
            flight["most"] = max(flight["most"], flight["now"])  # held after this edge

    cocotb.start_soon(handshakes())

    async def check(xs):
        await io.send(xs)
        assert await io.recv() == golden.sqrt(np.array(xs), W).tolist()
        assert flight["most"] <= IN_FLIGHT, f"{flight['most']} roots in flight, the form holds {IN_FLIGHT}"

    await for_examples(values(), check, streams=io)
