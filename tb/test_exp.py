"""exp: every output equals golden.exp for constants derived from a drawn scale, over the edges of
every segment and random inputs down to -2**31, under random idle and backpressure. This is the
proof that the multiply-by-reciprocal division is exact over the whole input range."""

import cocotb
import numpy as np
from hypothesis import strategies as st

import golden
from golden import constants as C

from .axis import Streams
from .common import for_examples, start

RECIP_SHIFT = 22


def recip(x0: int) -> int:
    """R = floor(2**22 / |x0|), the constant the host computes for rtl/exp.sv."""
    return (1 << RECIP_SHIFT) // -x0


@st.composite
def case(draw):
    c, _ = C.exp_consts(draw(st.floats(C.EXP_MIN_SCALE, 5e-2)))
    joins = [z * c.x0 + dz for z in range(31) for dz in (-1, 0, 1) if z * c.x0 + dz <= 0]
    xs = draw(st.lists(st.sampled_from(joins) | st.integers(-(2**31), 0), min_size=1, max_size=40))
    return c, xs + [0, -(2**31)]


@cocotb.test()
async def exp_matches_golden(dut):
    io = Streams(dut)
    await start(dut)

    async def check(cx):
        c, xs = cx
        dut.x0.value, dut.qb.value, dut.qc.value, dut.x0_recip.value = c.x0, c.qb, c.qc, recip(c.x0)
        await io.send([x & 0xFFFFFFFF for x in xs])
        assert await io.recv() == golden.exp(np.array(xs), c).tolist()

    await for_examples(case(), check)


@cocotb.test()
async def exp_exhaustive_at_the_finest_scale(dut):
    """Every input of the clamp range at the finest supported scale (largest x0 and qc)."""
    io = Streams(dut, seed=2)
    await start(dut)
    c, _ = C.exp_consts(C.EXP_MIN_SCALE)
    dut.x0.value, dut.qb.value, dut.qc.value, dut.x0_recip.value = c.x0, c.qb, c.qc, recip(c.x0)
    xs = np.arange(30 * c.x0 - 2, 1, 997).tolist() + [30 * c.x0 + k for k in range(-3, 4)]
    await io.send([x & 0xFFFFFFFF for x in xs])
    assert await io.recv() == golden.exp(np.array(xs), c).tolist()
