"""section_in: a section of rows x kb beats becomes exactly rows x kb writes: the data when the packet
length is right, zero-filled and err_short when short, truncated and err_long (excess dropped up to
tlast) when long; the next section is unaffected. Random idle, backpressure and enable gaps; and
enable held low while a packet waits and while a short packet's zeros are pending."""

import random

import cocotb
from cocotb.triggers import ReadOnly, RisingEdge
from cocotbext.axi import AxiStreamBus, AxiStreamFrame, AxiStreamSource
from hypothesis import strategies as st

from .common import for_examples, monitor, start, wait_until
from .stalls import pause_generator, stalls

section = st.tuples(st.integers(1, 5), st.integers(1, 4), st.integers(-3, 3))  # rows, kb, length error


@cocotb.test()
async def section_in_sections(dut):
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


@cocotb.test()
async def section_in_enable_held_low_while_data_waits(dut):
    """enable low for many cycles while a packet is offered: nothing is taken and nothing written;
    raised, the section completes exactly. The same while a short packet's zeros are pending: no
    zero is written while it is low."""
    src = AxiStreamSource(AxiStreamBus.from_prefix(dut, "s_axis"), dut.clk, dut.rst, byte_size=64)
    dut.arm.value = 0
    dut.enable.value = 0
    await start(dut)
    writes = []
    monitor(dut, dut.wr_en, lambda: int(dut.wr_data.value), writes)

    async def section(rows, kb, data):
        dut.rows.value, dut.kb.value = rows, kb
        dut.arm.value = 1
        await RisingEdge(dut.clk)
        dut.arm.value = 0
        await src.send(AxiStreamFrame(data))
        for _ in range(30):  # held low: the packet waits in the source
            await RisingEdge(dut.clk)
            await ReadOnly()
            assert not dut.s_axis_tready.value and not dut.wr_en.value
        await RisingEdge(dut.clk)

    data = [0x1111 * (i + 1) for i in range(6)]
    await section(2, 3, data)
    assert writes == [] and not src.idle()  # the packet still offered, not a beat taken
    dut.enable.value = 1
    await wait_until(dut, lambda: not dut.busy.value and src.idle(), 64, "the section to complete once enabled")
    assert writes == data
    # a short packet: its two beats are taken while enabled, then enable falls with zeros pending
    writes.clear()
    dut.rows.value, dut.kb.value = 4, 3
    dut.arm.value = 1
    await RisingEdge(dut.clk)
    dut.arm.value = 0
    await src.send(AxiStreamFrame(data[:2]))
    await wait_until(dut, lambda: len(writes) == 2, 64, "the short packet's two beats")
    dut.enable.value = 0
    await RisingEdge(dut.clk)
    held = len(writes)
    for _ in range(30):
        await RisingEdge(dut.clk)
    assert len(writes) == held and dut.busy.value, "zeros written while enable was low"
    dut.enable.value = 1
    await wait_until(dut, lambda: not dut.busy.value, 64, "the zero fill to finish once enabled")
    await RisingEdge(dut.clk)
    assert writes == data[:2] + [0] * 10
