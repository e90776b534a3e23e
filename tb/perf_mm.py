"""mm cycle count for one job at full stream rate (used by bench/mm_cycles.py, not a pass/fail test
beyond checking the result against golden). Writes {"cycles": ...} to $BENCH_PERF_OUT."""

import json
import os

import cocotb
import numpy as np
from cocotb.triggers import RisingEdge
from cocotbext.axi import AxiStreamBus, AxiStreamFrame, AxiStreamSink, AxiStreamSource

import golden
from golden.layout import pack_rows, tile_order, unpack_i32

from .common import parameters, start

N1, N2 = parameters().get("N1", 4), parameters().get("N2", 4)


@cocotb.test()
async def mm_cycles(dut):
    m, k, n = (int(os.environ[v]) for v in ("BENCH_M", "BENCH_K", "BENCH_N"))
    src = AxiStreamSource(AxiStreamBus.from_prefix(dut, "s_axis"), dut.clk, dut.rst, byte_size=64)
    sink = AxiStreamSink(AxiStreamBus.from_prefix(dut, "m_axis"), dut.clk, dut.rst, byte_size=64)
    dut.start.value = 0
    await start(dut)
    rng = np.random.default_rng(0)
    a = rng.integers(-128, 128, (m, k), dtype=np.int8)
    b = rng.integers(-128, 128, (k, n), dtype=np.int8)
    await src.send(AxiStreamFrame(pack_rows(a)))
    await src.send(AxiStreamFrame(pack_rows(b.T)))
    dut.cfg_m.value, dut.cfg_k.value, dut.cfg_n.value = m, k, n
    dut.cfg_a_unsigned.value = 0
    dut.start.value = 1
    cycles = 0
    await RisingEdge(dut.clk)
    dut.start.value = 0
    while True:
        await RisingEdge(dut.clk)
        cycles += 1
        if dut.m_axis_tvalid.value and dut.m_axis_tready.value and dut.m_axis_tlast.value:
            break
    got = unpack_i32(list((await sink.recv()).tdata), m * n)
    assert got == tile_order(golden.matmul(a, b), N1, N2)
    with open(os.environ["BENCH_PERF_OUT"], "w") as f:
        json.dump({"cycles": cycles}, f)
