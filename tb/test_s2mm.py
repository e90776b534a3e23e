"""s2mm: a section of rows x kb beats becomes exactly rows x kb writes: the data when the packet
length is right, zero-filled and err_short when short, truncated and err_long (excess dropped up to
tlast) when long; the next section is unaffected. Random idle, backpressure and enable gaps."""

import random

import cocotb
from cocotb.triggers import ReadOnly, RisingEdge
from cocotbext.axi import AxiStreamBus, AxiStreamFrame, AxiStreamSource
from hypothesis import strategies as st

from .common import for_examples, start, wait_until
from .stalls import pause_generator, stalls

section = st.tuples(st.integers(1, 5), st.integers(1, 4), st.integers(-3, 3))  # rows, kb, length error


@cocotb.test()
async def s2mm_sections(dut):
    src = AxiStreamSource(AxiStreamBus.from_prefix(dut, "s_axis"), dut.clk, dut.rst, byte_size=64)
    dut.arm.value = 0
    dut.enable.value = 1
    await start(dut)
    rng = random.Random(3)
    writes, errs = [], {"short": 0, "long": 0}

    async def monitor():
        while True:
            await RisingEdge(dut.clk)
            await ReadOnly()
            if dut.wr_en.value:
                writes.append(int(dut.wr_data.value))
            errs["short"] += int(dut.err_short.value)
            errs["long"] += int(dut.err_long.value)

    async def toggle_enable():
        while True:
            await RisingEdge(dut.clk)
            dut.enable.value = int(rng.random() < 0.7)

    cocotb.start_soon(monitor())
    cocotb.start_soon(toggle_enable())

    async def check(case):
        sections, pattern = case
        src.set_pause_generator(pause_generator(pattern))
        for rows, kb, delta in sections:
            n = rows * kb
            sent = max(1, n + delta)
            data = [rng.getrandbits(64) for _ in range(sent)]
            writes.clear()
            errs.update(short=0, long=0)
            dut.rows.value, dut.kb.value = rows, kb
            dut.arm.value = 1
            await RisingEdge(dut.clk)
            dut.arm.value = 0
            await src.send(AxiStreamFrame(data))
            await RisingEdge(dut.clk)
            await wait_until(dut, lambda: not dut.busy.value and src.empty(), 200 * (sent + n + 8),
                             f"the section of {n} beats to complete (busy low, every beat taken)")
            await RisingEdge(dut.clk)
            assert writes == (data + [0] * n)[:n]
            assert errs == {"short": int(sent < n), "long": int(sent > n)}

    await for_examples(st.tuples(st.lists(section, min_size=1, max_size=4), stalls()), check, max_examples=60)
