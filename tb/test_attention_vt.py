"""attention_vt: V's rows written a beat a cycle read back as V^T's rows, a beat (eight rows of one
column) a cycle, the header's latency after each read: exact against numpy's transpose for drawn V
(T rows, d_head columns) in a drawn bank, with another V written into the other bank after it, and
a drawn order of reads issued back to back."""

import cocotb
import numpy as np
from cocotb.clock import Clock
from cocotb.triggers import FallingEdge, ReadOnly, RisingEdge
from hypothesis import strategies as st

from golden.layout import rows_beats

from .common import for_examples, header_latency, parameters

P = parameters()
MAX_T, MAX_DH = P.get("MAX_T", 64), P.get("MAX_DH", 64)
LATENCY = header_latency("attention_vt")


@st.composite
def problems(draw):
    t = draw(st.integers(1, MAX_T))
    dh = 8 * draw(st.integers(1, MAX_DH // 8))
    seed = draw(st.integers(0, 2**32 - 1))
    v = np.random.default_rng(seed).integers(-128, 128, (t, dh), dtype=np.int8)
    groups = -(-t // 8)
    reads = draw(st.lists(st.tuples(st.integers(0, groups - 1), st.integers(0, dh - 1)), min_size=1, max_size=40))
    other = np.random.default_rng(seed + 1).integers(-128, 128, (MAX_T, 8 * (MAX_DH // 8)), dtype=np.int8)
    return v, draw(st.integers(0, 1)), other, reads


async def write(dut, v: np.ndarray, bank: int) -> None:
    beats = rows_beats(v)
    dut.we.value, dut.w_bank.value = 1, bank
    for row in range(v.shape[0]):
        for b in range(beats.shape[1]):
            dut.w_row.value, dut.w_beat.value, dut.w_data.value = row, b, int(beats[row, b])
            await RisingEdge(dut.clk)
    dut.we.value = 0


def column_bytes(bits: str) -> list[int | None]:
    """r_data's eight signed bytes, byte l from bits 8l+7..8l; None for a byte holding X or Z
    (a row never written, on Icarus)."""
    out = []
    for lane in range(8):
        b = bits[64 - 8 * (lane + 1):64 - 8 * lane]
        out.append(int(b, 2) - 256 * (b[0] == "1") if set(b) <= {"0", "1"} else None)
    return out


async def read(dut, bank: int, reads: list[tuple[int, int]]) -> list[list[int | None]]:
    """Issue every read on consecutive cycles; collect r_data LATENCY cycles after each."""
    got = []
    dut.r_bank.value = bank
    for i in range(len(reads) + LATENCY - 1):
        await FallingEdge(dut.clk)
        if i < len(reads):
            dut.r_row0.value, dut.r_col.value = 8 * reads[i][0], reads[i][1]
        await RisingEdge(dut.clk)
        await ReadOnly()
        if i >= LATENCY - 1:  # read i - (LATENCY - 1), asked LATENCY edges before this one
            got.append(column_bytes(str(dut.r_data.value)))
    await RisingEdge(dut.clk)
    return got


@cocotb.test()
async def attn_vt_transposes(dut):
    dut.we.value = dut.w_bank.value = dut.r_bank.value = 0
    dut.r_row0.value = dut.r_col.value = 0
    cocotb.start_soon(Clock(dut.clk, 10, unit="ns").start())  # no reset: the unit holds no state
    await RisingEdge(dut.clk)

    async def check(case):
        v, bank, other, reads = case
        await write(dut, v, bank)
        await write(dut, other, 1 - bank)  # the other bank: must not disturb this one
        got = await read(dut, bank, reads)
        t = v.shape[0]
        for (g, c), column in zip(reads, got):
            rows = range(8 * g, min(8 * g + 8, t))  # rows past T read whatever the memories hold
            assert [column[r - 8 * g] for r in rows] == v[list(rows), c].tolist(), (g, c)

    await for_examples(problems(), check, max_examples=40)
