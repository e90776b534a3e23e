"""systolic: every tile's d_out equals golden.matmul(A, B), for back-to-back tiles with gaps."""

import cocotb
import numpy as np
from cocotb.triggers import RisingEdge
from hypothesis import strategies as st

import golden

from .common import for_examples, header_latency, monitor, parameters, start

P = parameters()
N1, N2 = P.get("N1", 4), P.get("N2", 4)
K_MIN = N1 + N2 - 1
#: A_W = 9 is mm's operand width: A read as unsigned [0, 255] (golden.matmul's a_unsigned).
A_W = P.get("A_W", 8)
A_UNSIGNED = A_W == 9
A_RANGE = (0, 255) if A_UNSIGNED else (-128, 127)


def pack(values, bits):
    """Element i in bits i*bits +: bits (two's complement)."""
    return sum((int(v) & ((1 << bits) - 1)) << (i * bits) for i, v in enumerate(values))


def unpack(word, bits, count):
    vals = [(word >> (i * bits)) & ((1 << bits) - 1) for i in range(count)]
    return [v - (1 << bits) if v >> (bits - 1) else v for v in vals]


@st.composite
def tiles(draw):
    out = []
    for _ in range(draw(st.integers(1, 3))):
        k = draw(st.integers(K_MIN, K_MIN + 24))
        a = draw(st.lists(st.lists(st.integers(*A_RANGE), min_size=N1, max_size=N1), min_size=k, max_size=k))
        b = draw(st.lists(st.lists(st.integers(-128, 127), min_size=N2, max_size=N2), min_size=k, max_size=k))
        gaps = draw(st.lists(st.integers(0, 2), min_size=k, max_size=k))
        out.append((np.array(a, np.uint8 if A_UNSIGNED else np.int8).T, np.array(b, np.int8), gaps))  # A: N1 x K
    return out


@cocotb.test()
async def systolic_matches_golden_matmul(dut):
    dut.in_valid.value = 0  # before reset ends: the first edge after it samples them
    dut.in_last.value = 0
    await start(dut)
    got = []
    monitor(dut, dut.d_valid, lambda: unpack(int(dut.d_out.value), 32, N1 * N2), got)

    async def check(ts):
        got.clear()
        for a, b, gaps in ts:
            for k in range(a.shape[1]):
                dut.in_valid.value = 0
                for _ in range(gaps[k]):
                    await RisingEdge(dut.clk)
                dut.a_in.value = pack(a[:, k], A_W)
                dut.b_in.value = pack(b[k, :], 8)
                dut.in_valid.value = 1
                dut.in_last.value = int(k == a.shape[1] - 1)
                await RisingEdge(dut.clk)
        dut.in_valid.value = 0
        dut.in_last.value = 0
        for _ in range(N1 + N2 + header_latency("pe") + 2):  # the skew, the PEs, the snapshot, slack
            await RisingEdge(dut.clk)
        want = [golden.matmul(a, b, a_unsigned=A_UNSIGNED).reshape(-1).tolist() for a, b, _ in ts]
        assert got == want

    await for_examples(tiles(), check, max_examples=60)
