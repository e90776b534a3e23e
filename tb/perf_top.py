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

import golden
from golden.layout import (
    attention_registers,
    matmul_order,
    pack_attention,
    pack_linear,
    pack_matmul,
    pack_mm_gelu,
    pack_mm_ln,
    unpack_i32,
    unpack_rows,
)
from host.operands import (
    attention_problem,
    gelu_problem,
    linear_problem,
    ln_problem,
    matrices,
)
from host.regmap import OP_ATTENTION, OP_LINEAR, OP_MATMUL, OP_MM_GELU, OP_MM_LN

from .axis import Streams
from .common import parameters, start, wait_until
from .csr import Csr

P = parameters()
TR = P.get("TILE_ROWS", P["N1"] * ((P["N2"] + 7) // 8))


def operation(op: str, m: int, k: int, n: int, rng):
    """(code, packets, check(output beats), constant registers) of one operation on random operands
    (host/operands.py)."""
    if op == "attention":
        qkv, p = attention_problem(m, n, k, rng)
        want = golden.attention_qkv(qkv, n, p)
        return (OP_ATTENTION, pack_attention(qkv, n), lambda beats: np.array_equal(unpack_rows(beats, m, n * k), want),
                attention_registers(p))
    code, packet, check = _operation(op, m, k, n, rng)
    return code, [packet], check, {}


def _operation(op: str, m: int, k: int, n: int, rng):
    if op == "matmul":
        x, w = matrices(m, k, n, rng)
        want = matmul_order(golden.matmul(x, w), P["N1"], P["N2"], TR)
        return OP_MATMUL, pack_matmul(x, w, TR), lambda beats: unpack_i32(beats, m * n) == want
    if op == "linear":
        x, dense, rq = linear_problem(m, k, n, rng)
        want = golden.linear(x, dense, rq)
        return OP_LINEAR, pack_linear(x, dense, rq, TR), lambda beats: np.array_equal(unpack_rows(beats, m, n), want)
    if op == "mm_ln":
        job = ln_problem(m, k, n, rng)
        want = golden.mm_ln(*job)
        return OP_MM_LN, pack_mm_ln(*job, TR), lambda beats: np.array_equal(unpack_rows(beats, m, n), want)
    x, dense, consts, rq, gelu_bias = gelu_problem(m, k, n, rng)
    want = golden.mm_gelu(x, dense, consts, rq, gelu_bias)
    packet = pack_mm_gelu(x, dense, consts, rq, gelu_bias, TR)
    return OP_MM_GELU, packet, lambda beats: np.array_equal(unpack_rows(beats, m, n), want)


@cocotb.test()
async def top_cycles(dut):
    await start(dut)
    csr, io = Csr(dut), Streams(dut)
    rng = np.random.default_rng(0)
    results = []
    for spec in os.environ["BENCH_OPS"].split(","):
        op, shape = spec.split(":")
        m, k, n = (int(v) for v in shape.split("x"))
        code, packets, check, consts = operation(op, m, k, n, rng)
        for reg, values in consts.items():
            await csr.write(reg, **values)
        await csr.write("OP", code=code)
        for reg, v in (("DIM_M", m), ("DIM_K", k), ("DIM_N", n)):
            await csr.write(reg, value=v)
        for packet in packets:
            await io.send(packet)  # queued: the source waits for tready
        in_beats = sum(len(pk) for pk in packets)
        await csr.write("CTRL", start=1)
        cycles = await wait_until(dut, lambda: bool(dut.m_axis_tvalid.value and dut.m_axis_tready.value
                                                   and dut.m_axis_tlast.value),
                                  4 * in_beats + 8 * m * k * n * (m if op == "attention" else 1) + 100_000,
                                  f"the end of {spec}")
        assert check(await io.recv(budget=1000)), spec
        results.append({"op": op, "shape": [m, k, n], "cycles": cycles, "in_beats": in_beats,
                        "busy": await csr.read("CYCLES_BUSY"), "starved": await csr.read("CYCLES_STARVED"),
                        "stalled": await csr.read("CYCLES_STALLED")})
        await RisingEdge(dut.clk)
    with open(os.environ["BENCH_PERF_OUT"], "w") as f:
        json.dump(results, f)
