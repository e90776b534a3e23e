"""Cycles of OP_MATMUL operations through ibert_top, at full stream rate (used by bench/top_cycles.py;
not a pass/fail test beyond checking each result against golden). Reads the shapes from
$BENCH_SHAPES ("MxKxN,..."), writes [{"shape", "cycles", "busy", "starved", "stalled"}] to
$BENCH_PERF_OUT: cycles from the start write's handshake to the last output beat, and the top's own
counters."""

import json
import os

import cocotb
import numpy as np
from cocotb.triggers import RisingEdge

import golden
from golden.layout import matmul_order, pack_matmul, unpack_i32
from host.regmap import OP_MATMUL

from .axis import Streams
from .common import parameters, start, wait_until
from .csr import Csr

P = parameters()
TR = P.get("TILE_ROWS", P["N1"] * ((P["N2"] + 7) // 8))


@cocotb.test()
async def top_cycles(dut):
    await start(dut)
    csr, io = Csr(dut), Streams(dut)
    rng = np.random.default_rng(0)
    results = []
    for shape in os.environ["BENCH_SHAPES"].split(","):
        m, k, n = (int(v) for v in shape.split("x"))
        a = rng.integers(-128, 128, (m, k), dtype=np.int8)
        b = rng.integers(-128, 128, (k, n), dtype=np.int8)
        await csr.write("OP", code=OP_MATMUL)
        for reg, v in (("DIM_M", m), ("DIM_K", k), ("DIM_N", n)):
            await csr.write(reg, value=v)
        await io.send(pack_matmul(a, b, TR))  # queued: the source waits for tready
        await csr.write("CTRL", start=1)
        cycles = await wait_until(dut, lambda: bool(dut.m_axis_tvalid.value and dut.m_axis_tready.value
                                                   and dut.m_axis_tlast.value),
                                  4 * m * k * n // (P["N1"] * P["N2"]) + 100_000, "the last output beat")
        got = unpack_i32(await io.recv(budget=1000), m * n)
        assert got == matmul_order(golden.matmul(a, b), P["N1"], P["N2"], TR), shape
        results.append({"shape": [m, k, n], "cycles": cycles, "busy": await csr.read("CYCLES_BUSY"),
                        "starved": await csr.read("CYCLES_STARVED"), "stalled": await csr.read("CYCLES_STALLED")})
        await RisingEdge(dut.clk)
    with open(os.environ["BENCH_PERF_OUT"], "w") as f:
        json.dump(results, f)
