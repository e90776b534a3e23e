"""ln_tail: the end of OP_MM_LN, checked against the golden pieces it composes: every row of 22-bit
residual sums becomes golden.requant(golden.layernorm(h), ln_m, ln_e) per channel, as int8 packed
eight to a beat, each row padded to whole beats, tlast on the operation's last beat. The per-channel
constants ({shift, ln_e, ln_m, bias}) are written through c_we/c_addr/c_data before the rows, as the
top writes them beside the weights. Drawn: the row length (1 to MAX_C), the row count (1 to MAX_M),
the constants (requant shifts that spread the outputs from saturation at both ends to a few LSB,
biases up to int32's edges) and the rows (random 22-bit, equal, one-hot), under drawn stalls."""

import cocotb
import numpy as np
from cocotb.triggers import RisingEdge
from hypothesis import strategies as st

import golden
from golden.params import LayerNormParams
from golden.widths import RESID_BITS

from .axis import Streams
from .common import for_examples, parameters, start

P = parameters()
MAX_C, MAX_M = P.get("MAX_C", 768), P.get("MAX_M", 128)
HI = 1 << (RESID_BITS - 1)


def pack_constants(shift: int, ln_e: int, ln_m: int, bias: int) -> int:
    """c_data: {shift[4:0], ln_e[5:0], ln_m[31:0], bias[31:0]} (the header's layout)."""
    return (shift << 70) | (ln_e << 64) | ((ln_m & 0xFFFFFFFF) << 32) | (bias & 0xFFFFFFFF)


def expected_beats(h: np.ndarray, bias, shift, ln_m, ln_e) -> list[int]:
    y = golden.layernorm(h, LayerNormParams(np.asarray(bias, np.int32), shift))
    out = golden.requant(y, np.asarray(ln_m), np.asarray(ln_e)).astype(np.int8)
    c = h.shape[1]
    padded = np.zeros((h.shape[0], -(-c // 8) * 8), np.int8)
    padded[:, :c] = out
    return padded.view(np.uint64).reshape(-1).tolist()


@st.composite
def jobs(draw):
    c = draw(st.sampled_from([1, MAX_C]) | st.integers(1, MAX_C))
    m = draw(st.integers(1, min(MAX_M, 6)))
    seed = draw(st.integers(0, 2**16))
    kind = draw(st.sampled_from(["random", "equal", "one_hot"]))
    shift = draw(st.integers(0, 2))
    rng = np.random.default_rng(seed)
    h = rng.integers(-HI, HI, (m, c))
    if kind == "equal":
        h[:] = h[:, :1]
    elif kind == "one_hot":
        h[:] = 0
        h[np.arange(m), rng.integers(0, c, m)] = rng.integers(-HI, HI, m)
    bias = rng.integers(-(1 << 28), 1 << 28, c)
    bias[rng.integers(0, c)] = draw(st.sampled_from([-(2**31), 2**31 - 1, 0]))
    ln_m = rng.choice([-1, 1], c) * rng.integers(1 << 30, 1 << 31, c)
    ln_e = rng.integers(52, 60, c)
    return h, bias, shift, ln_m, ln_e


@cocotb.test()
async def ln_tail_matches_golden(dut):
    io = Streams(dut, cycles_per_beat=4)
    dut.start.value = dut.c_we.value = 0
    await start(dut)

    async def check(job):
        h, bias, shift, ln_m, ln_e = job
        m, c = h.shape
        for ch in range(c):  # the constants, one channel a cycle
            dut.c_we.value, dut.c_addr.value = 1, ch
            dut.c_data.value = pack_constants(shift, int(ln_e[ch]), int(ln_m[ch]), int(bias[ch]))
            await RisingEdge(dut.clk)
        dut.c_we.value = 0
        dut.m.value, dut.start.value = m, 1
        await RisingEdge(dut.clk)
        dut.start.value = 0
        for row in h:
            await io.send([int(v) & 0xFFFFFFFF for v in row])
        got = await io.recv(out_beats=m * -(-c // 8))
        assert got == expected_beats(h, bias, shift, ln_m, ln_e)

    await for_examples(jobs(), check, streams=io, max_examples=40)
