"""gelu: every output equals golden.gelu with constants that differ on every beat (per-channel
use: each beat carries its own channel's constants), drawn from scales and shifts and from the
extreme constants golden allows; each beat's q at and either side of its own clip point
(|q| = -qb), around zero and at the int32 extremes (where the output saturates), under drawn
stall patterns; and the output exactly at each int32 bound and one past it."""

import cocotb
import numpy as np
from hypothesis import strategies as st

import golden
from golden import constants as C
from golden.layout import pack_gelu, to_signed
from golden.params import GeluConsts

from .axis import Streams
from .common import for_examples, start

EXTREME = GeluConsts(qb=-(2**22) + 1, qc=-(2**45) + 1, q1=-(2**31) + 1, shift=31)
LEAST = GeluConsts(qb=-1, qc=-1, q1=-1, shift=0)
consts = st.builds(lambda s, sh: C.gelu_consts(s, sh)[0], st.floats(1e-6, 2e-2), st.integers(0, 20))


def edges(c: GeluConsts) -> list[int]:
    """q at and either side of the clip point, around zero, and the int32 extremes."""
    clip = -int(c.qb)
    return [v for v in (0, 1, -1, clip - 1, clip, clip + 1, -clip + 1, -clip, -clip - 1,
                        2**31 - 1, -(2**31), -(2**31) + 1) if -(2**31) <= v < 2**31]


@st.composite
def beats(draw):
    """(q, consts) per beat: consecutive beats have different constants."""
    pool = draw(st.lists(consts | st.sampled_from([EXTREME, LEAST]), min_size=2, max_size=4))
    out = []
    for i in range(draw(st.integers(1, 40))):
        c = pool[i % len(pool)]
        out.append((draw(st.sampled_from(edges(c)) | st.integers(-(2**31), 2**31 - 1)), c))
    return out


def expected(bs) -> list[int]:
    vec = lambda f: np.array([int(getattr(c, f)) for _, c in bs])  # noqa: E731
    per_channel = GeluConsts(qb=vec("qb"), qc=vec("qc"), q1=vec("q1"), shift=vec("shift"))
    return golden.gelu(np.array([[q for q, _ in bs]]), per_channel)[0].tolist()


@cocotb.test()
async def gelu_matches_golden(dut):
    io = Streams(dut, cycles_per_beat=2)
    await start(dut)

    async def check(bs):
        await io.send([pack_gelu(q, c) for q, c in bs])
        assert [to_signed(v, 32) for v in await io.recv()] == expected(bs)

    await for_examples(beats(), check, streams=io)


@cocotb.test()
async def gelu_every_edge_of_every_constant_set(dut):
    """All edges of a drawn constant set and of the extremes, each beat alternating sets."""
    io = Streams(dut, cycles_per_beat=2)
    await start(dut)

    async def check(c):
        bs = [(q, s) for q in edges(c) for s in (c, EXTREME, LEAST)]
        await io.send([pack_gelu(q, s) for q, s in bs])
        assert [to_signed(v, 32) for v in await io.recv()] == expected(bs)

    await for_examples(consts, check, max_examples=20, streams=io)


#: The output saturation exactly at each int32 bound and one past it. With qb = qc = -1 and shift 0,
#: erf is -1 for q > 0 and 0 for q < 0, so out = q (1 - q1) for q > 0 and -|q| |q1| for q < 0
#: (2**31 - 1 is prime: q = 1 is the only way to land on it).
AT_THE_BOUNDS = [
    (1, -(2**31 - 2), 2**31 - 1),      # 2**31 - 1: the largest int32, not saturated
    (1, -(2**31 - 1), 2**31 - 1),      # 2**31: one past, saturated (a wrap would give -2**31)
    (-2, -(2**30), -(2**31)),          # -2**31: the smallest int32, not saturated
    (-3, -715_827_883, -(2**31)),      # -2**31 - 1: one past, saturated (a wrap would give 2**31 - 1)
]


@cocotb.test()
async def gelu_saturates_exactly_at_the_int32_bounds(dut):
    io = Streams(dut, cycles_per_beat=2)
    await start(dut)
    bs = [(q, GeluConsts(qb=-1, qc=-1, q1=q1, shift=0)) for q, q1, _ in AT_THE_BOUNDS]
    assert [q * (1 - q1) if q > 0 else -abs(q) * abs(q1) for q, q1, _ in AT_THE_BOUNDS] == \
        [2**31 - 1, 2**31, -(2**31), -(2**31) - 1]  # the values before saturation, by hand
    assert expected(bs) == [want for _, _, want in AT_THE_BOUNDS]
    await io.send([pack_gelu(q, c) for q, c in bs])
    assert [to_signed(v, 32) for v in await io.recv()] == [want for _, _, want in AT_THE_BOUNDS]
