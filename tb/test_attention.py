"""attention (OP_ATTENTION) on its own: the engine it drives is modelled here from rtl/mm.sv's header
(a job per mm_start, A then B^T in, D out in mm's tile order, busy until its last beat is taken),
so every job the unit asks for is checked against the golden pieces: the S job's operands are a
query tile of Q_h and K_h, the C job's are the tile's golden.softmax probabilities (unsigned) and
V_h^T. The context it writes equals golden.attention, each byte once, before x_done. Drawn
shapes and stall patterns on the input, the engine's input and the engine's output; packets one
beat short (err_short, the rest zeros) and one beat long (err_long, the excess dropped); cancel
with a head's packet half sent."""

from __future__ import annotations

from collections import Counter

import cocotb
import numpy as np
from cocotb.triggers import ReadOnly, RisingEdge
from cocotbext.axi import AxiStreamBus, AxiStreamFrame, AxiStreamSink, AxiStreamSource
from hypothesis import strategies as st

import golden
from golden.layout import attention_registers, matmul_order, pack_attention, pack_i32, unpack_rows
from host.accel.operands import attention_problem

from .common import for_examples, monitor, parameters, start, wait_until
from .stalls import pause_generator, slowdown, stalls

P = parameters()
N1, N2, TR = P.get("N1", 4), P.get("N2", 4), P.get("TR", 4)
MAX_T, MAX_DH, MAX_HEADS = P.get("MAX_T", 64), P.get("MAX_DH", 64), P.get("MAX_HEADS", 16)


class Engine:
    """The engine as attention sees it; ``expect`` holds the jobs the unit may still ask for, keyed by
    their operands, and each job is checked against it."""

    def __init__(self, dut):
        self.dut = dut
        self.sink = AxiStreamSink(AxiStreamBus.from_prefix(dut, "e"), dut.clk, dut.rst, byte_size=64)
        self.source = AxiStreamSource(AxiStreamBus.from_prefix(dut, "d"), dut.clk, dut.rst, byte_size=64)
        self.expect: Counter = Counter()
        self.error: str | None = None
        dut.mm_busy.value = 0
        cocotb.start_soon(self.run())

    def set_stalls(self, e: tuple[bool, ...], d: tuple[bool, ...]) -> None:
        self.sink.set_pause_generator(pause_generator(e))
        self.source.set_pause_generator(pause_generator(d))

    async def run(self) -> None:
        dut = self.dut
        while True:
            await RisingEdge(dut.clk)
            await ReadOnly()
            if not dut.mm_start.value:
                continue
            m, k, n, unsigned = (int(dut.mm_m.value), int(dut.mm_k.value), int(dut.mm_n.value),
                                 int(dut.mm_unsigned.value))
            await RisingEdge(dut.clk)
            dut.mm_busy.value = 1
            # rtl/mm.sv's input: rows of k bytes, each in whole beats, the padding zero
            a = unpack_rows((await self.sink.recv()).tdata, m, k, np.uint8 if unsigned else np.int8)
            bt = unpack_rows((await self.sink.recv()).tdata, n, k, np.int8)
            key = ("C" if unsigned else "S", a.tobytes(), bt.tobytes())
            if self.expect[key] < 1 and self.error is None:
                self.error = (f"a {'C' if unsigned else 'S'} job ({m} x {k} x {n}) whose operands are no query "
                              f"tile's golden ones (or were asked for twice)")
            self.expect[key] -= 1
            d = golden.matmul(a, bt.T, a_unsigned=bool(unsigned))
            await self.source.send(AxiStreamFrame(pack_i32(matmul_order(d, N1, N2, TR))))
            await self.source.wait()
            await RisingEdge(dut.clk)
            dut.mm_busy.value = 0


def expected_jobs(qkv: np.ndarray, heads: int, p) -> Counter:
    """Every job of the operation, keyed as Engine keys them: per head and query tile, S = Q K^T
    and C = P V with P golden's softmax of the tile's scores."""
    t, dh = qkv.shape[0], qkv.shape[1] // (3 * heads)
    jobs: Counter = Counter()
    for h in range(heads):
        q, k, v = (qkv[:, (3 * h + i) * dh:(3 * h + i + 1) * dh] for i in range(3))
        prob = golden.softmax(golden.matmul(q, k.T), p.softmax)
        for r0 in range(0, t, TR):
            jobs["S", np.ascontiguousarray(q[r0:r0 + TR]).tobytes(), np.ascontiguousarray(k).tobytes()] += 1
            jobs["C", np.ascontiguousarray(prob[r0:r0 + TR]).astype(np.uint8).tobytes(),
                 np.ascontiguousarray(v.T).tobytes()] += 1
    return jobs


class TB:
    def __init__(self, dut):
        self.dut = dut
        self.source = AxiStreamSource(AxiStreamBus.from_prefix(dut, "s_axis"), dut.clk, dut.rst, byte_size=64)
        self.engine = Engine(dut)
        self.writes: list[tuple[int, int, int]] = []
        self.done: list[int] = []
        self.errors: list[str] = []
        monitor(dut, dut.x_we, lambda: (int(dut.x_row.value), int(dut.x_col.value), dut.x_data.value.to_signed()),
                self.writes)
        monitor(dut, dut.x_done, lambda: len(self.writes), self.done)
        for flag in ("err_short", "err_long"):
            monitor(dut, getattr(dut, flag), lambda f=flag: f, self.errors)
        dut.start.value = dut.cancel.value = 0
        self.slow = 1.0

    def set_stalls(self, src, e, d) -> None:
        self.source.set_pause_generator(pause_generator(src))
        self.engine.set_stalls(e, d)
        self.slow = max(slowdown(x) for x in (src, e, d))

    async def begin(self, t: int, dh: int, heads: int, p) -> None:
        dut = self.dut
        regs = attention_registers(p)
        dut.t.value, dut.dh.value, dut.heads.value = t, dh, heads
        dut.x0.value, dut.in_shift.value = regs["SOFTMAX_X0"]["x0"], regs["SOFTMAX_X0"]["in_shift"]
        dut.qb.value, dut.qc.value = regs["SOFTMAX_QB"]["value"], regs["SOFTMAX_QC"]["value"]
        dut.x0_recip.value = regs["SOFTMAX_RECIP"]["value"]
        dut.ctx_m.value, dut.ctx_e.value = regs["CTX_M"]["value"], regs["CTX_E"]["value"]
        self.writes.clear()
        self.done.clear()
        self.errors.clear()
        await RisingEdge(dut.clk)
        dut.start.value = 1
        await RisingEdge(dut.clk)
        dut.start.value = 0

    def budget(self, t: int, dh: int, heads: int) -> int:
        """Cycles for the whole operation at the slowest stall pattern: per head its packet, and
        per tile the two jobs through this model (which takes a job's whole input before
        answering) and a softmax pass of about three cycles a score."""
        tiles = -(-t // TR)
        per_tile = 4 * TR * t + 2 * (TR + t + dh) * -(-max(t, dh) // 8) + TR * max(t, dh) + 400
        return int(2000 + self.slow * 4 * heads * (t * 3 * dh // 8 + tiles * per_tile))

    async def run(self, qkv: np.ndarray, heads: int, p, packets: list[list[int]], expect: np.ndarray) -> None:
        """One operation: the context written equals ``expect``, each byte once, then x_done; the
        engine saw exactly the golden jobs; busy falls."""
        dut = self.dut
        t, dh = qkv.shape[0], qkv.shape[1] // (3 * heads)
        self.engine.expect = expected_jobs(qkv, heads, p)
        self.engine.error = None
        await self.begin(t, dh, heads, p)
        for words in packets:
            await self.source.send(AxiStreamFrame(words))
        await wait_until(dut, lambda: bool(self.done) or self.engine.error is not None,
                         self.budget(t, dh, heads), f"x_done of a {t} x {dh} x {heads}-head attention")
        assert self.engine.error is None, self.engine.error
        left = +self.engine.expect
        assert not left, f"{sum(left.values())} golden jobs never asked for"
        assert self.done == [t * heads * dh], f"x_done after {self.done} writes, expected one after {t * heads * dh}"
        got = np.full((t, heads * dh), 999, np.int32)
        for row, col, value in self.writes:
            assert got[row, col] == 999, f"context ({row}, {col}) written twice"
            got[row, col] = value
        np.testing.assert_array_equal(got, expect)
        await wait_until(dut, lambda: not dut.busy.value, 100, "busy to fall after x_done")


@st.composite
def problems(draw):
    t = draw(st.integers(1, MAX_T))
    dh = 8 * draw(st.integers(1, MAX_DH // 8))
    heads = draw(st.integers(1, min(MAX_HEADS, 3)))
    qkv, p = attention_problem(t, heads, dh, np.random.default_rng(draw(st.integers(0, 2**32 - 1))))
    return qkv, heads, p


@cocotb.test()
async def attention_matches_golden(dut):
    await start(dut)
    tb = TB(dut)

    async def check(example):
        (qkv, heads, p), src, e, d = example
        tb.set_stalls(src, e, d)
        await tb.run(qkv, heads, p, pack_attention(qkv, heads), golden.attention(qkv, heads, p))
        assert tb.errors == []

    await for_examples(st.tuples(problems(), stalls(), stalls(), stalls()), check, max_examples=12)


@cocotb.test()
async def attention_bad_packet_lengths(dut):
    """The first head's packet one beat short: err_short, the missing beat read as zeros (V's last
    eight columns of the last row); one beat long: err_long, the excess dropped. Both results
    otherwise exact."""
    await start(dut)
    tb = TB(dut)
    t, dh, heads = min(MAX_T, TR + 3), min(MAX_DH, 16), min(MAX_HEADS, 2)
    qkv, p = attention_problem(t, heads, dh, np.random.default_rng(5))
    packets = pack_attention(qkv, heads)
    short = qkv.copy()
    short[t - 1, 3 * dh - 8:3 * dh] = 0  # head 0's last beat: the last row's last eight V columns
    await tb.run(short, heads, p, [packets[0][:-1], *packets[1:]], golden.attention(short, heads, p))
    assert tb.errors == ["err_short"], tb.errors
    await tb.run(qkv, heads, p, [packets[0] + [0x0123456789ABCDEF], *packets[1:]], golden.attention(qkv, heads, p))
    assert tb.errors == ["err_long"], tb.errors


@cocotb.test()
async def attention_cancel_mid_packet(dut):
    """cancel with a head's packet half sent: no more context is written, busy holds until the
    packet's tlast has been drained, then falls; the next operation is exact."""
    await start(dut)
    tb = TB(dut)
    t, dh, heads = min(MAX_T, 2 * TR), min(MAX_DH, 16), 1
    qkv, p = attention_problem(t, heads, dh, np.random.default_rng(6))
    packet = pack_attention(qkv, heads)[0]
    tb.set_stalls((True, False), (), ())  # the input at half rate: the cancel lands mid-packet
    await tb.begin(t, dh, heads, p)
    await tb.source.send(AxiStreamFrame(packet))
    await wait_until(dut, lambda: tb.source.queue_occupancy_bytes * 2 < len(packet), 4 * len(packet) + 100,
                     "half the packet to be taken")
    dut.cancel.value = 1
    await RisingEdge(dut.clk)
    dut.cancel.value = 0
    await wait_until(dut, lambda: tb.source.idle(), 4 * len(packet) + 100, "the cancelled packet to be drained")
    await wait_until(dut, lambda: not dut.busy.value, 100, "busy to fall after the drain")
    assert not tb.writes and not tb.done, f"cancelled, yet {len(tb.writes)} context bytes written, x_done {tb.done}"
    assert tb.engine.error is None, tb.engine.error
    tb.set_stalls((), (), ())
    await tb.run(qkv, heads, p, [packet], golden.attention(qkv, heads, p))
