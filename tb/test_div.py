"""div: every quotient equals golden.div, including dividend < divisor, divisor 1, equal operands
and the extremes, under random idle and backpressure; d = 0 gives the documented all-ones."""

import cocotb
import numpy as np
from hypothesis import strategies as st

import golden

from .axis import Streams
from .common import for_examples, parameters, start

W = parameters().get("W", 32)
u = st.integers(0, 2**W - 1)


@st.composite
def pairs(draw):
    n, d = draw(u), draw(st.integers(1, 2**W - 1))
    edge = [(n, d), (min(n, d - 1), d), (n, 1), (d, d), (2**W - 1, d), (2**W - 1, 1), (0, d)]
    return edge + draw(st.lists(st.tuples(u, st.integers(1, 2**W - 1)), max_size=6))


@cocotb.test()
async def div_matches_golden(dut):
    io = Streams(dut, cycles_per_beat=W + 4)
    await start(dut)

    async def check(ps):
        await io.send([(d << W) | n for n, d in ps])
        got = await io.recv()
        assert got == golden.div(np.array([n for n, _ in ps]), np.array([d for _, d in ps]), W).tolist()

    await for_examples(pairs(), check, streams=io)
    io.set_stalls((), ())
    await io.send([(0 << W) | (2**W // 3), (0 << W) | 0])  # d = 0
    assert await io.recv() == [2**W - 1, 2**W - 1]
