"""mm2s: int32 values come out two per 64-bit beat (first in the low half), a lone final value
padded with zero, tlast on the beat holding the last value; random input gaps and backpressure."""

import cocotb
from cocotb.triggers import RisingEdge, with_timeout
from cocotbext.axi import AxiStreamBus, AxiStreamSink
from hypothesis import strategies as st

from .axis import pause_generator, stalls
from .common import StuckError, for_examples, start, wait_until


@cocotb.test()
async def mm2s_packs_pairs(dut):
    sink = AxiStreamSink(AxiStreamBus.from_prefix(dut, "m_axis"), dut.clk, dut.rst, byte_size=64)
    dut.in_valid.value = 0
    dut.in_last.value = 0
    await start(dut)

    async def check(case):
        values, gaps, pattern = case
        sink.set_pause_generator(pause_generator(pattern))
        for i, v in enumerate(values):
            dut.in_data.value = v
            dut.in_valid.value = 1
            dut.in_last.value = int(i == len(values) - 1)
            await RisingEdge(dut.clk)
            if not dut.in_ready.value:  # the value was not taken at this edge: wait for one that takes it
                await wait_until(dut, lambda: dut.in_ready.value, 50 * len(values) + 100, "in_ready")
            dut.in_valid.value = 0
            for _ in range(gaps[i % len(gaps)]):
                await RisingEdge(dut.clk)
        dut.in_valid.value = 0
        try:
            frame = await with_timeout(sink.recv(), (50 * len(values) + 100) * 10, "ns")
        except TimeoutError:
            frame = None
        if frame is None:
            raise StuckError("no packet with tlast on m_axis within its budget")
        padded = values + [0] * (len(values) % 2)
        assert list(frame.tdata) == [padded[i] | (padded[i + 1] << 32) for i in range(0, len(padded), 2)]

    case = st.tuples(st.lists(st.integers(0, 2**32 - 1), min_size=1, max_size=20),
                     st.lists(st.integers(0, 2), min_size=1, max_size=5), stalls())
    await for_examples(case, check, max_examples=80)
