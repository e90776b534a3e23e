"""layernorm: every row equals golden.layernorm (the folded bias written once per channel through
the bias port, drawn output shift), rows of length 1, MAX_C and in between back to back under
drawn stall patterns: random rows, zero-variance rows, rows that overflow any fixed variance shift
(full int32 range), one-hot rows; a new bias between row groups takes effect; an over-long row is
processed as its first MAX_C values and sets err_long, which stays set while the next rows come
out right."""

import math

import cocotb
import numpy as np
from cocotb.triggers import RisingEdge
from hypothesis import strategies as st

import golden
from golden.layout import to_signed
from golden.params import LayerNormParams

from .axis import Streams
from .common import for_examples, parameters, start
from .stalls import DIRECTED_STALLS

MAX_C = parameters().get("MAX_C", 768)
i32 = st.integers(-(2**31), 2**31 - 1)


@st.composite
def row(draw):
    c = draw(st.sampled_from([1, MAX_C]) | st.integers(1, MAX_C))
    kind = draw(st.sampled_from(["random", "equal", "full_range", "one_hot", "residual"]))
    if kind == "equal":
        return [draw(i32)] * c
    if kind == "full_range":
        return draw(st.lists(st.sampled_from([-(2**31), 2**31 - 1]), min_size=c, max_size=c))
    if kind == "one_hot":
        q = [0] * c
        q[draw(st.integers(0, c - 1))] = draw(i32)
        return q
    if kind == "residual":
        return draw(st.lists(st.integers(-(2**21), 2**21 - 1), min_size=c, max_size=c))
    return draw(st.lists(i32, min_size=c, max_size=c))


@st.composite
def biases(draw) -> list[int]:
    """MAX_C per-channel biases: drawn edges in front, the rest from a drawn seed (or all zero)."""
    head = draw(st.lists(st.sampled_from([-(2**31), 2**31 - 1, 0, -1, 1]) | i32, max_size=8))
    seed = draw(st.integers(0, 2**16) | st.none())
    rest = [0] * MAX_C if seed is None else np.random.default_rng(seed).integers(-(2**31), 2**31, MAX_C).tolist()
    return (head + rest)[:MAX_C]


async def load_bias(dut, bias: list[int]) -> None:
    """Write bias[c] for every channel through the bias port, one per cycle."""
    if len(bias) > MAX_C:
        raise ValueError(f"load_bias: at most {MAX_C} channels, got {len(bias)}")
    for c, b in enumerate(bias):
        dut.bias_we.value, dut.bias_addr.value, dut.bias_data.value = 1, c, b & 0xFFFFFFFF
        await RisingEdge(dut.clk)
    dut.bias_we.value = 0


def expected(q, bias, shift) -> list[int]:
    return golden.layernorm(np.array([q]), LayerNormParams(np.array(bias[: len(q)]), shift))[0].tolist()


async def reset(dut) -> None:
    dut.bias_we.value = 0
    dut.bias_addr.value = 0
    dut.bias_data.value = 0
    await start(dut)


@cocotb.test()
async def layernorm_matches_golden(dut):
    io = Streams(dut, cycles_per_beat=4, cycles_per_packet=300)
    await reset(dut)

    async def check(case):
        shift, groups = case
        dut.shift.value = shift
        for bias, rows in groups:
            await load_bias(dut, bias)
            got = await io.exchange([[v & 0xFFFFFFFF for v in q] for q in rows])
            assert [[to_signed(v, 32) for v in g] for g in got] == [expected(q, bias, shift) for q in rows]
        assert dut.err_long.value == 0

    shifts = st.sampled_from([0, 31]) | st.integers(0, 31)
    groups = st.lists(st.tuples(biases(), st.lists(row(), min_size=1, max_size=3)), min_size=1, max_size=2)
    await for_examples(st.tuples(shifts, groups), check, max_examples=40, streams=io)


@cocotb.test()
async def layernorm_over_long_row(dut):
    io = Streams(dut, cycles_per_beat=4, cycles_per_packet=300)
    await reset(dut)
    io.set_stalls(*DIRECTED_STALLS)
    dut.shift.value = 3
    rng = np.random.default_rng(2)
    bias = rng.integers(-(2**20), 2**20, MAX_C).tolist()
    await load_bias(dut, bias)
    rows = [rng.integers(-(2**21), 2**21, n).tolist() for n in (MAX_C + 3, 1, MAX_C)]
    # the widest spread a row can have: alternating extremes, so S = sum of squared deviations reaches
    # its most bits and the variance's scaling shift (P_SHIFT) is exercised at its edge
    rows.append([2**21 - 1 if i % 2 else -(2**21) for i in range(MAX_C)])
    assert dut.err_long.value == 0
    for q in rows:
        await io.send([v & 0xFFFFFFFF for v in q])
    assert [to_signed(v, 32) for v in await io.recv()] == expected(rows[0][:MAX_C], bias, 3)
    assert dut.err_long.value == 1
    for q in rows[1:]:
        assert [to_signed(v, 32) for v in await io.recv()] == expected(q, bias, 3)
    assert dut.err_long.value == 1, "err_long is sticky until reset"


@cocotb.test()
async def layernorm_every_variance_width(dut):
    """Rows whose S = sum((q - mean)^2) has each bit count from 20 to 62, at shift 0 (where the
    output keeps the most of the root's bits). The variance's scaling shift s (P_SHIFT) is
    ceil((bits - 47) / 2) above 47 bits and 0 below, so each parity of the bit count and each side
    of 47 bits takes its own branch. Each row's root r = isqrt(S >> 2s) is odd, so an s one too large
    gives the root floor(r / 2), which is not r / 2: 2^47 / r moves, and the outputs with it (with an
    even root the outputs can come out the same, and such a mutant would pass)."""
    io = Streams(dut, cycles_per_beat=4, cycles_per_packet=300)
    await reset(dut)
    io.set_stalls(*DIRECTED_STALLS)
    dut.shift.value = 0
    bias = [0] * MAX_C
    await load_bias(dut, bias)
    base = [3, -1, -2]  # mean 0, S = 14 k^2 for the row k * base
    rows = []
    for bits in range(20, 63):
        k = math.isqrt(3 * 2 ** (bits - 2) // 14)  # S about 3/4 of the way to the next bit
        while True:
            s = 14 * k * k
            if math.isqrt(s >> 2 * max(0, -(-(bits - 47) // 2))) % 2:
                break
            k += 1
        assert s.bit_length() == bits, (bits, k)
        rows.append([k * v for v in base])
    for q in rows:
        await io.send([v & 0xFFFFFFFF for v in q])
    for q in rows:
        assert [to_signed(v, 32) for v in await io.recv()] == expected(q, bias, 0), q
