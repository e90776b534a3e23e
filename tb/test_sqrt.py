"""sqrt, pipelined and ITERATIVE: every result equals golden.sqrt, including perfect squares, their
neighbours and the extremes, under drawn stall patterns."""

import cocotb
import numpy as np
from hypothesis import strategies as st

import golden

from .axis import Streams
from .common import for_examples, parameters, start

W = parameters().get("W", 32)


@st.composite
def values(draw):
    r = draw(st.integers(0, 2 ** (W // 2) - 1))
    near = [v for v in (r * r - 1, r * r, r * r + 1, (r + 1) ** 2 - 1) if 0 <= v < 2**W]
    return near + draw(st.lists(st.integers(0, 2**W - 1), max_size=12)) + [0, 2**W - 1]


@cocotb.test()
async def sqrt_matches_golden(dut):
    io = Streams(dut, cycles_per_beat=W // 2 + 4)  # the iterative form takes W/2 + 1 per root
    await start(dut)

    async def check(xs):
        await io.send(xs)
        assert await io.recv() == golden.sqrt(np.array(xs), W).tolist()

    await for_examples(values(), check, streams=io)
