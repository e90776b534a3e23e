"""pe: one MAC per cycle; every tile's result equals golden.matmul of its (1 x K)(K x 1) product;
a, b, valid and last pass on registered once (a_out, b_out, out_valid, out_last: what the next PE
of the array sees), every cycle."""

import cocotb
import numpy as np
from cocotb.triggers import ReadOnly, RisingEdge
from hypothesis import strategies as st

import golden

from .common import for_examples, header_latency, monitor, parameters, start

LATENCY = header_latency("pe")
int8 = st.integers(-128, 127)
#: A_W = 9 is mm's operand width: A read as unsigned [0, 255] (golden.matmul's a_unsigned).
A_UNSIGNED = parameters().get("A_W", 8) == 9
a_values = st.integers(0, 255) if A_UNSIGNED else int8
# a tile: K operand pairs, each with the number of idle cycles before it (valid low)
tile = st.lists(st.tuples(a_values, int8, st.integers(0, 2)), min_size=1, max_size=48)


@cocotb.test()
async def pe_matches_golden_dot_products(dut):
    dut.in_valid.value = 0  # before reset ends: the first edge after it samples them
    dut.in_last.value = 0
    await start(dut)
    results = []
    monitor(dut, dut.result_valid, lambda: dut.result.value.to_signed(), results)
    passes = []  # (inputs, outputs) each cycle: the outputs must be the previous cycle's inputs

    async def watch() -> None:
        while True:
            await RisingEdge(dut.clk)
            await ReadOnly()
            v = int(dut.in_valid.value)
            passes.append(((dut.a_in.value.to_signed(), dut.b_in.value.to_signed(), v, v & int(dut.in_last.value)),
                           (dut.a_out.value.to_signed(), dut.b_out.value.to_signed(), int(dut.out_valid.value),
                            int(dut.out_last.value))))

    cocotb.start_soon(watch())

    async def check(tiles):
        results.clear()
        passes.clear()
        for t in tiles:
            for k, (a, b, idle) in enumerate(t):
                for _ in range(idle):
                    dut.in_valid.value = 0
                    await RisingEdge(dut.clk)
                dut.a_in.value, dut.b_in.value = a, b
                dut.in_valid.value = 1
                dut.in_last.value = int(k == len(t) - 1)
                await RisingEdge(dut.clk)
            dut.in_valid.value = 0  # tiles may also follow back to back: covered by idle == 0
        dut.in_valid.value = 0
        dut.in_last.value = 0
        for _ in range(LATENCY + 2):
            await RisingEdge(dut.clk)
        want = [int(golden.matmul(np.array([[a for a, _, _ in t]], np.uint8 if A_UNSIGNED else np.int8),
                                  np.array([[b] for _, b, _ in t], np.int8), a_unsigned=A_UNSIGNED)[0, 0])
                for t in tiles]
        assert results == want, (results, want)
        for (ins, _), (_, outs) in zip(passes, passes[1:]):
            assert outs == ins, (ins, outs)
        passes.clear()

    await for_examples(st.lists(tile, min_size=1, max_size=4), check)


@cocotb.test()
async def pe_extremes(dut):
    """The largest products for the longest tile the bench drives: no wrap inside int32."""
    await start(dut)
    a_top = 255 if A_UNSIGNED else -128  # the largest product magnitude of the operand mode
    for k in range(512):
        dut.a_in.value, dut.b_in.value = a_top, -128
        dut.in_valid.value = 1
        dut.in_last.value = int(k == 511)
        await RisingEdge(dut.clk)
    dut.in_valid.value = 0
    for _ in range(LATENCY - 1):  # the edge that took the last pair counts as the first
        await RisingEdge(dut.clk)
    await ReadOnly()
    assert dut.result_valid.value == 1
    assert dut.result.value.to_signed() == 512 * a_top * -128
