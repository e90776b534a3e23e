"""requant: every output equals golden.requant of its beat's (q, bias, m, e), under random stalls."""

import cocotb
import numpy as np
from hypothesis import strategies as st

import golden

from .axis import Streams
from .common import for_examples, parameters, start

OUT_W = parameters().get("OUT_W", 8)
i32 = st.integers(-(2**31), 2**31 - 1)
beat = st.tuples(i32, i32, st.integers(-(2**31) + 1, 2**31 - 1), st.integers(0, 63))
# per-channel use: one (m, e, bias) per channel, q cycling over channels
per_channel = st.integers(1, 6).flatmap(
    lambda c: st.tuples(st.lists(st.tuples(i32, st.integers(-(2**31) + 1, 2**31 - 1), st.integers(0, 63)),
                                 min_size=c, max_size=c),
                        st.lists(i32, min_size=c, max_size=4 * c)))


def pack(q, bias, m, e):
    mask = 2**32 - 1
    return (e << 96) | ((m & mask) << 64) | ((bias & mask) << 32) | (q & mask)


def signed(v, bits):
    return v - (1 << bits) if v >> (bits - 1) else v


@cocotb.test()
async def requant_matches_golden(dut):
    io = Streams(dut)
    await start(dut)

    async def check(beats):
        await io.send([pack(*b) for b in beats])
        got = [signed(v, OUT_W) for v in await io.recv()]
        want = [int(golden.requant(np.array([q]), m, e, bias, OUT_W)[0]) for q, bias, m, e in beats]
        assert got == want

    await for_examples(st.lists(beat, min_size=1, max_size=24), check)


@cocotb.test()
async def requant_per_channel_matches_golden(dut):
    io = Streams(dut, seed=7)
    await start(dut)

    async def check(case):
        consts, qs = case
        c = len(consts)
        rows = len(qs) // c
        if rows == 0:
            return
        q = np.array(qs[: rows * c]).reshape(rows, c)
        bias, m, e = (np.array([k[i] for k in consts]) for i in range(3))
        await io.send([pack(int(q[r, j]), int(bias[j]), int(m[j]), int(e[j])) for r in range(rows) for j in range(c)])
        got = [signed(v, OUT_W) for v in await io.recv()]
        assert got == golden.requant(q, m, e, bias, OUT_W).reshape(-1).tolist()

    await for_examples(per_channel, check, max_examples=60)
