"""lopd: the position equals golden.lopd for every drawn value (and every power of two and neighbour)."""

import cocotb
import numpy as np
from cocotb.triggers import Timer
from hypothesis import strategies as st

import golden

from .common import for_examples, parameters

W = parameters().get("W", 32)


@cocotb.test()
async def lopd_matches_golden(dut):
    edges = sorted({v for b in range(W) for v in ((1 << b) - 1, 1 << b, (1 << b) + 1) if v < 1 << W})

    async def check(xs):
        for x in xs:
            dut.x.value = x
            await Timer(1, unit="ns")
            assert dut.pos.value.to_signed() == int(golden.lopd(np.array([x]), W)[0]), x

    await check(edges + [0, (1 << W) - 1])
    await for_examples(st.lists(st.integers(0, (1 << W) - 1), min_size=1, max_size=32), check)
