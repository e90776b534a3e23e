"""epilogue in its OP_LINEAR and OP_MM_GELU modes, against the golden pieces it composes: int32
accumulators (m x n) arrive two a beat in the engine's order (per row tile of TR rows,
golden.layout.tile_order on the N1 x N2 array), each tile one packet; int8 rows leave row-major,
eight a beat, each row padded to whole beats, tlast on the operation's last beat:
  gelu = 0: golden.requant(q, m, e, bias)                          (golden.linear's epilogue)
  gelu = 1: golden.requant(golden.gelu(sat32(q + b)), m, e, bias)   (golden.mm_gelu's)
with each channel's constants written through q_we/q_data and g_we/g_data (the header's layouts)
before the values. Drawn: m and n (edge-clipped array tiles, a short last row tile), the
accumulators (up to int32's edges), per-channel constants of either sign, under drawn stalls.
attn = 1 (the context store of OP_ATTENTION): an m x n int8 context written byte by byte through
x_we in a drawn order with drawn gaps, then x_done, leaves as the same rows.
ln = 1 (OP_MM_LN): golden.mm_ln's epilogue on the accumulators golden.matmul(x, W) gives,
  requant(layernorm(residual_add(q, m, e, bias, r, m_r, e_r)), ln_m, ln_e)
with each channel's words "linear" (q_we) and "ln" (l_we), and each row tile's residual rows written
through r_we before its values, as the top writes them: the next tile's as soon as r_free rises
(its values may still be on their way), last row first, so an r_free that rose before the tile's
last value read its residual shows as a wrong row."""

import cocotb
import numpy as np
from cocotb.triggers import ClockCycles, ReadOnly, RisingEdge
from hypothesis import strategies as st

import golden
from golden import constants as C
from golden.layout import const_word, pack_i32, pack_rows, tile_order

from .axis import Streams
from .common import for_examples, parameters, start, wait_until

P = parameters()
N1, N2, TR = P.get("N1", 4), P.get("N2", 4), P.get("TR", P.get("N1", 4))
MAX_M, MAX_N = P.get("MAX_M", 128), P.get("MAX_N", 1024)
MAX_D = P.get("MAX_D", MAX_N // 4)


def q_data(m: int, e: int, bias: int) -> int:
    """The requant's constant word "linear" (golden.layout.CONST_WORDS)."""
    return const_word("linear", m=m, bias=bias, e=e)


def g_data(c, b: int) -> int:
    """The bias and GELU constant word "gelu"."""
    return const_word("gelu", bias=b, qb=c.qb, qc=c.qc, q1=c.q1, shift=c.shift)


@st.composite
def jobs(draw):
    m = draw(st.integers(1, min(MAX_M, 3 * TR)))
    n = draw(st.integers(1, min(MAX_N, 3 * N2 + 3)))
    gelu = draw(st.booleans())
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    q = rng.integers(-(2**31), 2**31, (m, n))
    q[rng.integers(0, m), rng.integers(0, n)] = draw(st.sampled_from([-(2**31), 2**31 - 1, 0]))
    if gelu:  # accumulators at a dense layer's scale, constants as the quantizer makes them
        q = rng.integers(-(2**24), 2**24, (m, n))
        acc = rng.uniform(2e-5, 2e-4, n)
        consts, g_scale = C.gelu_consts(acc, C.gelu_shift(acc, 130 * 0.03))
        rq = C.requant_params(g_scale / 0.03)
        b = rng.integers(-(1 << 20), 1 << 20, n)
        bias = rng.integers(-(1 << 10), 1 << 10, n)
        return q, gelu, (consts, b), (rq.m, rq.e, bias)
    sign = rng.choice([-1, 1], n)
    return q, gelu, None, (sign * rng.integers(1 << 30, 1 << 31, n), rng.integers(30, 50, n),
                           rng.integers(-(1 << 20), 1 << 20, n))


def expected(q, gelu, g, rq) -> list[int]:
    m_, e, bias = rq
    if gelu:
        consts, b = g
        q = golden.gelu(np.clip(q + b, -(2**31), 2**31 - 1), consts)
    return pack_rows(golden.requant(q, np.asarray(m_), np.asarray(e), np.asarray(bias)).astype(np.int8))


async def idle_start(dut) -> None:
    """Every control input low, then the clock and the reset."""
    for name in ("start", "gelu", "ln", "attn", "q_we", "g_we", "l_we", "r_we", "x_we", "x_done"):
        getattr(dut, name).value = 0
    await start(dut)


@cocotb.test()
async def epilogue_linear_and_gelu_match_golden(dut):
    io = Streams(dut, cycles_per_beat=6)
    await idle_start(dut)

    async def check(job):
        q, gelu, g, rq = job
        m, n = q.shape
        for c in range(n):  # the constants, one channel a cycle, as they arrive beside the weights
            dut.c_addr.value, dut.q_we.value = c, 1
            dut.q_data.value = q_data(rq[0][c], rq[1][c], rq[2][c])
            if gelu:
                consts, b = g
                per = type(consts)(*(np.asarray(getattr(consts, f))[c] for f in ("qb", "qc", "q1", "shift")))
                dut.g_we.value, dut.g_data.value = 1, g_data(per, b[c])
            await RisingEdge(dut.clk)
        dut.q_we.value = dut.g_we.value = 0
        dut.m.value, dut.n.value, dut.gelu.value, dut.start.value = m, n, int(gelu), 1
        await RisingEdge(dut.clk)
        dut.start.value = 0
        for r0 in range(0, m, TR):  # one engine job a row tile, its values in tile order
            await io.send(pack_i32(tile_order(q[r0:r0 + TR], N1, N2)))
        got = await io.recv(out_beats=m * -(-n // 8))
        assert got == expected(q, gelu, g, rq)

    await for_examples(jobs(), check, streams=io, max_examples=40)


@st.composite
def contexts(draw):
    """An m x n int8 context, the order its bytes are written in, a gap after each write, and
    whether x_done comes with the last write (else after it)."""
    m, n = draw(st.integers(1, MAX_M)), draw(st.integers(1, MAX_D))
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    ctx = rng.integers(-128, 128, (m, n), dtype=np.int8)
    order = rng.permutation(m * n)
    gaps = rng.choice([0, 0, 0, 1, 3], m * n)
    return ctx, order, gaps, draw(st.booleans())


@cocotb.test()
async def epilogue_attention_context_store(dut):
    io = Streams(dut)
    await idle_start(dut)

    async def check(case):
        ctx, order, gaps, done_with_last = case
        m, n = ctx.shape
        dut.m.value, dut.n.value, dut.attn.value, dut.start.value = m, n, 1, 1
        await RisingEdge(dut.clk)
        dut.start.value = 0
        for k, (i, gap) in enumerate(zip(order, gaps)):
            r, c = divmod(int(i), n)
            dut.x_we.value, dut.x_row.value, dut.x_col.value = 1, r, c
            dut.x_data.value = int(ctx[r, c]) & 0xFF
            last = k == len(order) - 1
            dut.x_done.value = int(last and done_with_last)
            await RisingEdge(dut.clk)
            dut.x_we.value = dut.x_done.value = 0
            if gap and not last:
                await ClockCycles(dut.clk, int(gap))
        if not done_with_last:
            dut.x_done.value = 1
            await RisingEdge(dut.clk)
            dut.x_done.value = 0
        assert await io.recv(out_beats=m * -(-n // 8)) == pack_rows(ctx)

    await for_examples(contexts(), check, streams=io, max_examples=20)


@st.composite
def ln_jobs(draw):
    """golden.mm_ln's operands (host.accel.operands.ln_problem) for m rows of n <= MAX_D channels."""
    from host.accel.operands import ln_problem

    m, n = draw(st.integers(1, min(MAX_M, 3 * TR))), draw(st.integers(1, min(MAX_D, 3 * N2 + 3)))
    k = draw(st.integers(1, 24))
    return ln_problem(m, k, n, np.random.default_rng(draw(st.integers(0, 2**32 - 1))))


def chan(v, c: int, n: int) -> int:
    """Channel ``c`` of a constant given as a scalar or per channel (of ``n``)."""
    return int(np.broadcast_to(np.asarray(v), (n,))[c])


def ln_word(res_rq, ln, ln_rq, c: int, n: int) -> int:
    """Channel ``c``'s word "ln" (golden.layout.pack_ln_consts' fields)."""
    return const_word("ln", m_r=chan(res_rq.m, c, n), bias=chan(ln.bias, c, n), e_r=chan(res_rq.e, c, n),
                      e=chan(ln_rq.e, c, n), shift=int(ln.shift), m=chan(ln_rq.m, c, n))


@cocotb.test()
async def epilogue_residual_and_layernorm_match_golden(dut):
    io = Streams(dut, cycles_per_beat=8)
    await idle_start(dut)
    out_beats = []

    async def count_out() -> None:  # m_axis beats taken, for the residual's write-after-read order
        while True:
            await RisingEdge(dut.clk)
            await ReadOnly()
            if dut.m_axis_tvalid.value and dut.m_axis_tready.value:
                out_beats.append(1)

    cocotb.start_soon(count_out())

    async def check(problem):
        x, dense, rq, r, res_rq, ln, ln_rq = problem
        q = golden.matmul(x, dense.w)
        m, n = q.shape
        nb = -(-n // 8)
        for c in range(n):
            dut.c_addr.value, dut.q_we.value, dut.l_we.value = c, 1, 1
            dut.q_data.value = q_data(chan(rq.m, c, n), chan(rq.e, c, n), chan(dense.bias, c, n))
            dut.l_data.value = ln_word(res_rq, ln, ln_rq, c, n)
            await RisingEdge(dut.clk)
        dut.q_we.value = dut.l_we.value = 0
        dut.m.value, dut.n.value, dut.ln.value, dut.start.value = m, n, 1, 1
        await RisingEdge(dut.clk)
        dut.start.value = 0
        base = len(out_beats)
        for r0 in range(0, m, TR):
            # the tile's residual rows, as soon as r_free says the previous tile's values have read
            # theirs (axis_frame waits for it the same way), last beat of the last row first: the
            # beats the previous tile's last values read are overwritten first
            if r0:
                await wait_until(dut, lambda: dut.r_free.value == 1, io.budget(m * nb),
                                 f"r_free after rows {r0 - TR}..{r0 - 1} of an OP_MM_LN epilogue ({m} x {n})")
            rows = [(row, beat, word) for row in range(min(TR, m - r0))
                    for beat, word in enumerate(pack_rows(r[r0 + row:r0 + row + 1]))]
            for row, beat, word in reversed(rows):
                dut.r_we.value, dut.r_row.value, dut.r_beat.value, dut.r_data.value = 1, row, beat, word
                await RisingEdge(dut.clk)
            dut.r_we.value = 0
            await ReadOnly()
            assert dut.r_free.value == 0, "r_free high with the tile's residual rows written and none of its values in"
            await RisingEdge(dut.clk)
            await io.send(pack_i32(tile_order(q[r0:r0 + TR], N1, N2)))
        got = await io.recv(out_beats=m * nb)
        assert len(out_beats) - base == m * nb
        assert got == pack_rows(golden.mm_ln(x, dense, rq, r, res_rq, ln, ln_rq))
        dut.ln.value = 0

    await for_examples(ln_jobs(), check, streams=io, max_examples=30)
