"""mul_pipe: every product equals a * b exactly (Python integers: a building block of requant, exp
and gelu, with no golden function of its own), values at the chunk boundaries and the extremes,
with ce held low at random cycles (a stalled pipeline holds its contents)."""

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import ReadOnly, RisingEdge, Timer
from hypothesis import strategies as st

from golden.layout import to_signed

from .common import for_examples, header_latency, parameters

P = parameters()
A_W, B_W = P["A_W"], P["B_W"]
LATENCY = header_latency("mul_pipe")


def operand(bits: int) -> st.SearchStrategy[int]:
    lo, hi = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
    edges = [lo, hi, 0, -1, 1] + [s * 2**k + d for k in (16, 17, 23, 24) if k < bits - 1
                                  for s in (1, -1) for d in (-1, 0, 1)]
    return st.sampled_from(edges) | st.integers(lo, hi)


@cocotb.test()
async def mul_pipe_is_exact(dut):
    dut.ce.value = 0
    cocotb.start_soon(Clock(dut.clk, 10, unit="ns").start())  # no reset: a datapath without state
    await RisingEdge(dut.clk)
    out = []

    async def check(case):
        pairs, holds = case
        out.clear()
        # feed one pair per enabled cycle; a product leaves LATENCY enabled cycles later
        seq = list(pairs) + [(0, 0)] * LATENCY
        for i, (a, b) in enumerate(seq):
            for _ in range(holds[i % len(holds)]):
                dut.ce.value = 0
                await RisingEdge(dut.clk)
            dut.a.value, dut.b.value, dut.ce.value = a, b, 1
            await RisingEdge(dut.clk)
            await ReadOnly()
            if i >= LATENCY - 1 and i - (LATENCY - 1) < len(pairs):
                out.append(to_signed(int(dut.p.value), A_W + B_W))
            await Timer(1, unit="ns")  # leave the read-only phase before driving again
        dut.ce.value = 0
        assert out == [a * b for a, b in pairs]

    pairs = st.lists(st.tuples(operand(A_W), operand(B_W)), min_size=1, max_size=20)
    await for_examples(st.tuples(pairs, st.lists(st.integers(0, 2), min_size=1, max_size=4)), check)
