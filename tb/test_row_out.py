"""row_out: whatever the caller issues against the credits comes out on m_axis in order, whole,
with its tlast, for any fixed caller latency up to the FIFO depth and beyond, under drawn sink
stalls and random issue gaps; nothing is lost, so the credits never let the FIFO overflow. A
building block (no golden function): the reference is the identity."""

import cocotb
from cocotb.triggers import FallingEdge, RisingEdge
from cocotbext.axi import AxiStreamBus, AxiStreamSink
from hypothesis import strategies as st

from .common import for_examples, parameters, start, within
from .stalls import pause_generator, stalls

W = parameters().get("W", 8)


@cocotb.test()
async def row_out_keeps_every_element(dut):
    sink = AxiStreamSink(AxiStreamBus.from_prefix(dut, "m_axis"), dut.clk, dut.rst, byte_size=W)
    dut.issue.value = 0
    dut.in_valid.value = 0
    dut.in_last.value = 0
    dut.in_data.value = 0
    await start(dut)

    async def check(case):
        values, latency, gaps, pattern = case
        sink.set_pause_generator(pause_generator(pattern))
        pipe = [None] * latency  # what the caller's pipeline holds, oldest last
        pending = list(enumerate(values))
        for cycle in range(100 * len(values) + 20 * latency + 100):
            await FallingEdge(dut.clk)
            go = bool(pending) and dut.can_issue.value == 1 and gaps[cycle % len(gaps)]
            dut.issue.value = int(go)
            pipe.insert(0, pending.pop(0) if go else None)
            out = pipe.pop()
            dut.in_valid.value = int(out is not None)
            if out is not None:
                i, v = out
                dut.in_data.value, dut.in_last.value = v, int(i == len(values) - 1)
            if not pending and not any(pipe):
                break
        await RisingEdge(dut.clk)
        dut.issue.value = dut.in_valid.value = 0
        frame = await within(sink.recv(), 60 * len(values) + 200, "the packet on m_axis", dut)
        assert list(frame.tdata) == values

    values = st.lists(st.integers(0, 2**W - 1), min_size=1, max_size=40)
    gaps = st.lists(st.booleans(), min_size=1, max_size=6).filter(any)
    await for_examples(st.tuples(values, st.integers(1, 12), gaps, stalls()), check, max_examples=60)
