"""Cycles per element of a streaming unit at full rate (used by bench/nonlinear_cycles.py): COUNT
inputs back to back, cycles from the first input handshake to the last output handshake, and the
latency of the first result. Writes {"cycles", "latency", "count"} to $BENCH_PERF_OUT."""

import json
import os

import cocotb
from cocotb.triggers import RisingEdge
from cocotbext.axi import AxiStreamBus, AxiStreamFrame, AxiStreamSource

from golden import constants as C
from golden.layout import exp_recip, pack_gelu

from .common import parameters, start

COUNT = 1024
ROW = {"softmax": 128, "layernorm": 256}  # rows of this length


def inputs(top: str) -> list[int]:
    if top == "exp":
        return [(-37 * i) & 0xFFFFFFFF for i in range(COUNT)]
    if top == "softmax":
        return [((i * 7919) % 4001 - 2000) & 0xFFFFFFFF for i in range(COUNT)]
    if top == "layernorm":
        return [((i * 7919) % 2**20 - 2**19) & 0xFFFFFFFF for i in range(COUNT)]
    if top == "gelu":
        c, _ = C.gelu_consts(1e-4, 1)
        return [pack_gelu(1000 * i - 128000, c) for i in range(COUNT)]
    if top == "div":
        return [(((i % 97) + 1) << 32) | (1 << 31) for i in range(COUNT)]
    return [i * 7919 for i in range(COUNT)]


@cocotb.test()
async def stream_cycles(dut):
    top = parameters()["TOP"]
    bus = AxiStreamBus.from_prefix(dut, "s_axis")
    src = AxiStreamSource(bus, dut.clk, dut.rst, byte_size=len(bus.tdata))
    dut.m_axis_tready.value = 1
    if top in ("exp", "softmax"):
        c = C.softmax_consts(1e-3)
        e = c.exp
        dut.x0.value, dut.qb.value, dut.qc.value, dut.x0_recip.value = e.x0, e.qb, e.qc, exp_recip(e.x0)
        if top == "softmax":
            dut.in_shift.value = c.in_shift
    await start(dut)
    data = inputs(top)
    step = ROW.get(top, COUNT)
    if top == "layernorm":
        dut.shift.value = 1
        dut.bias_we.value = 0  # the bias memory's contents do not change the cycle count
    for i in range(0, COUNT, step):
        await src.send(AxiStreamFrame(data[i:i + step]))
    cycle, first_in, first_out, outs = 0, None, None, 0
    while outs < COUNT:
        await RisingEdge(dut.clk)
        cycle += 1
        if first_in is None and dut.s_axis_tvalid.value and dut.s_axis_tready.value:
            first_in = cycle
        if dut.m_axis_tvalid.value and dut.m_axis_tready.value:
            outs += 1
            first_out = first_out or cycle
    with open(os.environ["BENCH_PERF_OUT"], "w") as f:
        json.dump({"cycles": cycle - first_in, "latency": first_out - first_in, "count": COUNT}, f)
