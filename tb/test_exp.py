"""exp: every output equals golden.exp for constants derived from a drawn scale, over the edges of
every segment, the range limit 30 * x0 and either side of it, and random inputs down to -2**31,
under drawn stall patterns; and every input of the clamp range at the finest scale, in batches
(the exhaustive check that the multiply-by-reciprocal division is exact there)."""

import cocotb
import numpy as np
from cocotb.triggers import RisingEdge
from hypothesis import strategies as st

import golden
from golden import constants as C
from golden.layout import exp_recip

from .axis import Streams
from .common import for_examples, start

BATCH = 4096  # inputs per packet of the exhaustive sweep


async def set_consts(dut, c) -> None:
    """Drive the constants and wait the one cycle the header asks before the first input."""
    dut.x0.value, dut.qb.value, dut.qc.value, dut.x0_recip.value = c.x0, c.qb, c.qc, exp_recip(c.x0)
    await RisingEdge(dut.clk)


@st.composite
def case(draw):
    c, _ = C.exp_consts(draw(st.floats(C.EXP_MIN_SCALE, 5e-2)))
    joins = [z * c.x0 + dz for z in range(31) for dz in (-1, 0, 1) if z * c.x0 + dz <= 0]
    limit = [30 * c.x0 - 1, 30 * c.x0, 30 * c.x0 + 1]
    xs = draw(st.lists(st.sampled_from(joins) | st.integers(-(2**31), 0), min_size=1, max_size=40))
    return c, limit + xs + [0, -1, -(2**31)]


@cocotb.test()
async def exp_matches_golden(dut):
    io = Streams(dut, cycles_per_beat=2)
    await start(dut)

    async def check(cx):
        c, xs = cx
        await set_consts(dut, c)
        await io.send([x & 0xFFFFFFFF for x in xs])
        assert await io.recv() == golden.exp(np.array(xs), c).tolist()

    await for_examples(case(), check, streams=io)


@cocotb.test()
async def exp_exhaustive_at_the_finest_scale(dut):
    """Every input from 30 * x0 - 2 to 0 at the finest supported scale (largest |x0| and qc), on
    Verilator (about 25 s); Icarus, ten times slower, takes every 61st input and every segment join."""
    io = Streams(dut, cycles_per_beat=2)
    await start(dut)
    c, _ = C.exp_consts(C.EXP_MIN_SCALE)
    await set_consts(dut, c)
    xs = np.arange(30 * c.x0 - 2, 1, dtype=np.int64)
    if cocotb.SIM_NAME.lower().startswith("icarus"):
        joins = np.array([z * c.x0 + dz for z in range(31) for dz in (-1, 0, 1)], np.int64)
        xs = np.unique(np.concatenate([xs[::61], joins[joins <= 0]]))
    want = golden.exp(xs, c)
    words = (xs & 0xFFFFFFFF).tolist()
    for i in range(0, len(xs), BATCH):
        await io.send(words[i:i + BATCH])
        got = await io.recv()
        assert got == want[i:i + BATCH].tolist(), f"inputs {xs[i]}..{xs[min(i + BATCH, len(xs)) - 1]}"
