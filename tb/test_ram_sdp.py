"""ram_sdp: a drawn sequence of cycles, each with or without a write, with a read, and with ce
high or low, against a dictionary: rdata is the word read at the header's latency's-th enabled
cycle before, as it was before that cycle's write (read-first), and holds while ce is low;
addresses never written are not checked. With BLOCK small the words span several blocks, so every
block's write enable and the block selection are used (a memory has no golden counterpart)."""

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import ReadOnly, RisingEdge, Timer
from hypothesis import strategies as st

from .common import for_examples, header_latency, parameters

P = parameters()
W, DEPTH = P.get("W", 8), P.get("DEPTH", 1024)
LATENCY = header_latency("ram_sdp")
addr = st.integers(0, DEPTH - 1)
# we, waddr, wdata, raddr, ce
cycle = st.tuples(st.booleans(), addr, st.integers(0, 2**W - 1), addr, st.sampled_from([1, 1, 1, 0]))


@cocotb.test()
async def ram_sdp_reads_what_was_written(dut):
    dut.we.value = dut.waddr.value = dut.wdata.value = dut.raddr.value = 0
    dut.ce.value = 1
    cocotb.start_soon(Clock(dut.clk, 10, unit="ns").start())  # no reset: a memory has none
    await RisingEdge(dut.clk)
    mem: dict[int, int] = {}

    async def check(cycles):
        reads: list[int | None] = []  # the word each enabled cycle's read captured
        steps = cycles + [(False, 0, 0, 0, 1)] * LATENCY
        for i, (we, wa, wd, ra, ce) in enumerate(steps):
            dut.we.value, dut.waddr.value, dut.wdata.value, dut.raddr.value = int(we), wa, wd, ra
            dut.ce.value = ce
            if ce:
                reads.append(mem.get(ra))
            if we:
                mem[wa] = wd
            await RisingEdge(dut.clk)
            await ReadOnly()
            want = reads[-LATENCY] if len(reads) >= LATENCY else None
            if want is not None:
                assert dut.rdata.value.is_resolvable and int(dut.rdata.value) == want, (
                    f"cycle {i}: rdata {dut.rdata.value} != {want}")
            await Timer(1, unit="ns")

    await for_examples(st.lists(cycle, min_size=1, max_size=60), check, max_examples=40)
