"""Cycles of operations through ibert_top at full stream rate (used by bench/top_cycles.py; not a
pass/fail test beyond checking each result against golden). Reads $BENCH_OPS
("op:MxKxN,...", op one of matmul, linear, mm_gelu, mm_ln, or attention:TxDHxHEADS), writes [{"op", "shape", "cycles", "busy",
"starved", "stalled"}] to $BENCH_PERF_OUT: cycles from the start write's handshake to the last
output beat, and the top's own counters."""

import json
import os

import cocotb
import numpy as np
from cocotb.triggers import RisingEdge

from host.operands import (
    attention_problem,
    gelu_problem,
    linear_problem,
    ln_problem,
    matrices,
)
from host.operations import BY_KEY, Geometry

from .axis import Streams
from .common import parameters, start, wait_until
from .csr import Csr

P = parameters()
TR = P.get("TILE_ROWS", P["N1"] * ((P["N2"] + 7) // 8))


def operands(op: str, m: int, k: int, n: int, rng) -> tuple:
    """golden's arguments of one operation on random operands (host/operands.py); attention's
    (m, k, n) are (T, d_head, heads)."""
    if op == "attention":
        qkv, p = attention_problem(m, n, k, rng)
        return qkv, n, p
    if op == "matmul":
        return matrices(m, k, n, rng)
    if op == "linear":
        return linear_problem(m, k, n, rng)
    if op == "mm_ln":
        return ln_problem(m, k, n, rng)
    return gelu_problem(m, k, n, rng)


@cocotb.test()
async def top_cycles(dut):
    await start(dut)
    csr, io = Csr(dut), Streams(dut)
    rng = np.random.default_rng(0)
    results = []
    for spec in os.environ["BENCH_OPS"].split(","):
        op, shape = spec.split(":")
        m, k, n = (int(v) for v in shape.split("x"))
        operation = BY_KEY[op]
        args = operands(op, m, k, n, rng)
        for reg, values in operation.constants(*args).items():
            await csr.write(reg, **values)
        await csr.write("OP", operation.op_word(*args))
        for reg, v in zip(("DIM_M", "DIM_K", "DIM_N"), operation.dims(*args)):
            await csr.write(reg, value=v)
        packets = operation.packets(*args, tile_rows=TR)
        for packet in packets:
            await io.send([int(b) for b in packet])  # queued: the source waits for tready
        in_beats = sum(len(pk) for pk in packets)
        await csr.write("CTRL", start=1)
        cycles = await wait_until(dut, lambda: bool(dut.m_axis_tvalid.value and dut.m_axis_tready.value
                                                   and dut.m_axis_tlast.value),
                                  4 * in_beats + 8 * m * k * n * (m if op == "attention" else 1) + 100_000,
                                  f"the end of {spec}")
        got = operation.decode(await io.recv(budget=1000), m, k, n, Geometry(P["N1"], P["N2"], TR))
        assert np.array_equal(got, operation.golden(*args)), spec
        results.append({"op": op, "shape": [m, k, n], "cycles": cycles, "in_beats": in_beats,
                        "busy": await csr.read("CYCLES_BUSY"), "starved": await csr.read("CYCLES_STARVED"),
                        "stalled": await csr.read("CYCLES_STALLED")})
        await RisingEdge(dut.clk)
    with open(os.environ["BENCH_PERF_OUT"], "w") as f:
        json.dump(results, f)
