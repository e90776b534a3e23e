"""gelu: every output equals golden.gelu, for constants from drawn scales and shifts and for the
extreme constants golden allows, over the zero crossing, the clip point and the int32 extremes,
under random idle and backpressure."""

import cocotb
import numpy as np
from hypothesis import strategies as st

import golden
from golden import constants as C
from golden.params import GeluConsts

from .axis import Streams
from .common import for_examples, start


def pack(q, c):
    f = lambda v, bits: int(v) & ((1 << bits) - 1)  # noqa: E731
    return (f(c.shift, 6) << 133) | (f(c.q1, 32) << 101) | (f(c.qc, 46) << 55) | (f(c.qb, 23) << 32) | f(q, 32)


EXTREME = GeluConsts(qb=-(2**22) + 1, qc=-(2**45) + 1, q1=-(2**31) + 1, shift=31)
consts = st.builds(lambda s, sh: C.gelu_consts(s, sh)[0], st.floats(1e-6, 2e-2), st.integers(0, 20))


@st.composite
def case(draw):
    c = draw(consts | st.just(EXTREME))
    edges = [0, 1, -1, c.qb, -c.qb, c.qb - 1, -c.qb + 1, 2**31 - 1, -(2**31)]
    return c, edges + draw(st.lists(st.integers(-(2**31), 2**31 - 1), max_size=20))


@cocotb.test()
async def gelu_matches_golden(dut):
    io = Streams(dut)
    await start(dut)

    async def check(cq):
        c, qs = cq
        await io.send([pack(q, c) for q in qs])
        got = [v - (1 << 32) if v >> 31 else v for v in await io.recv()]
        assert got == golden.gelu(np.array(qs), c).tolist()

    await for_examples(case(), check)
