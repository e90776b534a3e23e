"""layernorm: every row equals golden.layernorm (folded bias per channel, drawn output shift),
rows back to back under random idle and backpressure: random rows, zero-variance rows, rows that
overflow any fixed variance shift (full int32 range), one-hot rows and a single value."""

import cocotb
import numpy as np
from hypothesis import strategies as st

import golden
from golden.params import LayerNormParams

from .axis import Streams
from .common import for_examples, parameters, start

MAX_C = parameters().get("MAX_C", 768)
i32 = st.integers(-(2**31), 2**31 - 1)


@st.composite
def row(draw):
    c = draw(st.integers(1, MAX_C))
    kind = draw(st.sampled_from(["random", "equal", "full_range", "one_hot", "residual"]))
    if kind == "equal":
        q = [draw(i32)] * c
    elif kind == "full_range":
        q = draw(st.lists(st.sampled_from([-(2**31), 2**31 - 1]), min_size=c, max_size=c))
    elif kind == "one_hot":
        q = [0] * c
        q[draw(st.integers(0, c - 1))] = draw(i32)
    elif kind == "residual":
        q = draw(st.lists(st.integers(-(2**21), 2**21 - 1), min_size=c, max_size=c))
    else:
        q = draw(st.lists(i32, min_size=c, max_size=c))
    bias = draw(st.lists(i32, min_size=c, max_size=c))
    return q, bias


def pack(q, b):
    return ((b & 0xFFFFFFFF) << 32) | (q & 0xFFFFFFFF)


def signed32(v):
    return v - (1 << 32) if v >> 31 else v


@cocotb.test()
async def layernorm_matches_golden(dut):
    io = Streams(dut)
    await start(dut)

    async def check(case):
        shift, rows = case
        dut.shift.value = shift
        for q, b in rows:
            await io.send([pack(v, w) for v, w in zip(q, b)])
        for q, b in rows:
            got = [signed32(v) for v in await io.recv()]
            want = golden.layernorm(np.array([q]), LayerNormParams(np.array(b), shift))[0].tolist()
            assert got == want
        assert dut.err_long.value == 0

    await for_examples(st.tuples(st.integers(0, 31), st.lists(row(), min_size=1, max_size=3)), check,
                       max_examples=40)
