"""mm: for run-time (M, K, N), the output stream equals golden.matmul(A, B) in the documented tile
order; random idle and backpressure on both streams; bad packet lengths flag and recover."""

import cocotb
import numpy as np
from cocotb.triggers import RisingEdge
from hypothesis import strategies as st

import golden

from .axis import Streams
from .common import for_examples, parameters, start

P = parameters()
N1, N2 = P.get("N1", 4), P.get("N2", 4)
MAX_M, MAX_K, MAX_N = P.get("MAX_M", 128), P.get("MAX_K", 768), P.get("MAX_N", 1024)


def pack_rows(x: np.ndarray) -> list[int]:
    """Rows of int8 as 64-bit beats: each row padded to a multiple of 8, byte 0 in bits 7:0."""
    kb = -(-x.shape[1] // 8)
    padded = np.zeros((x.shape[0], kb * 8), np.int8)
    padded[:, : x.shape[1]] = x
    return padded.view("<u8").reshape(-1).tolist()


def tile_order(d: np.ndarray) -> list[int]:
    """D flattened in mm's output order: column tiles, row tiles, row-major inside a tile."""
    m, n = d.shape
    out = []
    for c0 in range(0, n, N2):
        for r0 in range(0, m, N1):
            out += d[r0:r0 + N1, c0:c0 + N2].reshape(-1).tolist()
    return out


def unpack(beats: list[int], count: int) -> list[int]:
    words = np.array(beats, dtype=np.uint64).view("<i4").tolist()
    return words[:count]


class TB:
    def __init__(self, dut, seed=5):
        self.dut = dut
        self.io = Streams(dut, seed=seed)

    async def job(self, a: np.ndarray, b: np.ndarray, a_beats=None, b_beats=None) -> list[int]:
        dut = self.dut
        m, k = a.shape
        n = b.shape[1]
        dut.cfg_m.value, dut.cfg_k.value, dut.cfg_n.value = m, k, n
        dut.start.value = 1
        await RisingEdge(dut.clk)
        dut.start.value = 0
        await self.io.send(pack_rows(a) if a_beats is None else a_beats)
        await self.io.send(pack_rows(b.T) if b_beats is None else b_beats)
        return unpack(await self.io.recv(), m * n)


@st.composite
def problem(draw):
    m = draw(st.integers(1, min(MAX_M, 3 * N1 + 1)))
    k = draw(st.integers(1, min(MAX_K, 40)))
    n = draw(st.integers(1, min(MAX_N, 3 * N2 + 1)))
    a = draw(st.lists(st.integers(-128, 127), min_size=m * k, max_size=m * k))
    b = draw(st.lists(st.integers(-128, 127), min_size=k * n, max_size=k * n))
    return np.array(a, np.int8).reshape(m, k), np.array(b, np.int8).reshape(k, n)


async def reset(dut):
    dut.start.value = 0
    dut.cfg_m.value = dut.cfg_k.value = dut.cfg_n.value = 1
    await start(dut)


@cocotb.test()
async def mm_matches_golden(dut):
    await reset(dut)
    tb = TB(dut)

    async def check(ab):
        a, b = ab
        got = await tb.job(a, b)
        assert got == tile_order(golden.matmul(a, b))
        assert dut.err_short.value == 0 and dut.err_long.value == 0

    await for_examples(problem(), check, max_examples=40)


@cocotb.test()
async def mm_extremes(dut):
    """All -128 at the largest K the bench allows: every sum is K * 2**14."""
    await reset(dut)
    tb = TB(dut)
    k = min(MAX_K, 96)
    a = np.full((N1 + 1, k), -128, np.int8)
    b = np.full((k, N2 + 1), -128, np.int8)
    assert await tb.job(a, b) == tile_order(golden.matmul(a, b))


@cocotb.test()
async def mm_bad_lengths_flag_and_recover(dut):
    """A packet one beat short is zero-filled (err_short); one beat long has the excess dropped
    (err_long); the next job is correct either way."""
    await reset(dut)
    tb = TB(dut, seed=9)
    rng = np.random.default_rng(0)
    a = rng.integers(-128, 128, (N1 + 1, 20), dtype=np.int8)
    b = rng.integers(-128, 128, (20, N2 + 1), dtype=np.int8)
    short = pack_rows(a)[:-1]
    got = await tb.job(a, b, a_beats=short)
    a0 = a.copy()
    a0[-1, 16:] = 0  # the missing last beat of A's last row reads as zeros
    assert got == tile_order(golden.matmul(a0, b))
    assert dut.err_short.value == 1 and dut.err_long.value == 0
    assert await tb.job(a, b) == tile_order(golden.matmul(a, b))
    assert dut.err_short.value == 0

    long_b = pack_rows(b.T) + [0x0123456789ABCDEF]
    assert await tb.job(a, b, b_beats=long_b) == tile_order(golden.matmul(a, b))
    assert dut.err_long.value == 1
    assert await tb.job(a, b) == tile_order(golden.matmul(a, b))
    assert dut.err_long.value == 0
