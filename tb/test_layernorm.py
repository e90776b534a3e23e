"""layernorm: every row equals golden.layernorm (folded bias per channel, drawn output shift),
rows of length 1, MAX_C and in between back to back under drawn stall patterns: random rows,
zero-variance rows, rows that overflow any fixed variance shift (full int32 range), one-hot rows;
an over-long row is processed as its first MAX_C values and sets err_long, which stays set while
the next rows come out right."""

import cocotb
import numpy as np
from hypothesis import strategies as st

import golden
from golden.layout import pack_layernorm, to_signed
from golden.params import LayerNormParams

from .axis import Streams
from .common import for_examples, parameters, start

MAX_C = parameters().get("MAX_C", 768)
i32 = st.integers(-(2**31), 2**31 - 1)


@st.composite
def row(draw):
    c = draw(st.sampled_from([1, MAX_C]) | st.integers(1, MAX_C))
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


def expected(q, b, shift) -> list[int]:
    return golden.layernorm(np.array([q]), LayerNormParams(np.array(b), shift))[0].tolist()


@cocotb.test()
async def layernorm_matches_golden(dut):
    io = Streams(dut, cycles_per_beat=4, cycles_per_packet=300)
    await start(dut)

    async def check(case):
        shift, rows = case
        dut.shift.value = shift
        for q, b in rows:
            await io.send([pack_layernorm(v, w) for v, w in zip(q, b)])
        for q, b in rows:
            assert [to_signed(v, 32) for v in await io.recv()] == expected(q, b, shift)
        assert dut.err_long.value == 0

    shifts = st.sampled_from([0, 31]) | st.integers(0, 31)
    await for_examples(st.tuples(shifts, st.lists(row(), min_size=1, max_size=3)), check,
                       max_examples=40, streams=io)


@cocotb.test()
async def layernorm_over_long_row(dut):
    io = Streams(dut, cycles_per_beat=4, cycles_per_packet=300)
    await start(dut)
    dut.shift.value = 3
    rng = np.random.default_rng(2)
    rows = [(rng.integers(-(2**21), 2**21, n).tolist(), rng.integers(-(2**20), 2**20, n).tolist())
            for n in (MAX_C + 3, 1, MAX_C)]
    assert dut.err_long.value == 0
    for q, b in rows:
        await io.send([pack_layernorm(v, w) for v, w in zip(q, b)])
    q, b = rows[0]
    assert [to_signed(v, 32) for v in await io.recv()] == expected(q[:MAX_C], b[:MAX_C], 3)
    assert dut.err_long.value == 1
    for q, b in rows[1:]:
        assert [to_signed(v, 32) for v in await io.recv()] == expected(q, b, 3)
    assert dut.err_long.value == 1, "err_long is sticky until reset"
