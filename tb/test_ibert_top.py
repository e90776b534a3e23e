"""ibert_top, through AXI only (cocotbext-axi's AXI4-Lite master for the registers, its AXI4 slave
models as the memory behind the two masters, with drawn stalls): the register map as generated
from rtl/regs/ibert_regs.rdl, every operation against golden for hypothesis-drawn shapes, its
operands read from memory and its output written back; misprogramming: every ERROR bit, each
leaving the core usable; abort at a drawn cycle and error responses mid-burst, each followed by an
exact operation."""

import cocotb
import numpy as np
from cocotb.triggers import ClockCycles
from hypothesis import strategies as st

import golden
from golden import constants as C
from golden.params import Dense, Rescale
from host.accel.operands import (
    attention_problem,
    gelu_problem,
    linear_problem,
    ln_problem,
    matrices,
    small_layer,
)
from host.accel.operations import OPERATIONS, Geometry
from host.accel.regmap import (
    OP_ATTENTION,
    OP_LINEAR,
    OP_MATMUL,
    OP_MM_GELU,
    OP_MM_LN,
    REGISTERS,
)

from .axi_mem import CoreMemory
from .common import StuckError, for_examples, parameters, start
from .csr import Csr
from .stalls import DIRECTED_STALLS, slowdown

P = parameters()
N1, N2 = P.get("N1", 8), P.get("N2", 8)
MAX_M, MAX_K, MAX_N = P.get("MAX_M", 128), P.get("MAX_K", 768), P.get("MAX_N", 1024)
MAX_D = P.get("MAX_D", MAX_N // 4)
TR = P.get("TILE_ROWS", N1 * ((N2 + 7) // 8))  # rows per tile; the ARRAY register reports it
MAX_DH, MAX_HEADS = P.get("MAX_DH", 64), P.get("MAX_HEADS", 16)
# OP_ATTENTION is built when the epilogue's buffer holds the whole context (rtl/ibert_top.sv)
ATTN_OK = (MAX_M * -(-MAX_D // 8) <= 2 * TR * -(-MAX_N // 8) and MAX_M >= 8 and MAX_M & (MAX_M - 1) == 0
           and MAX_DH <= MAX_D)
ERRORS = tuple(f.name for f in REGISTERS["ERROR"].fields)
GEOMETRY = Geometry(N1, N2, TR)
SENTINEL = 0xA5A5_A5A5_A5A5_A5A5
#: STATUS.busy falls this many cycles after the abort write at most (the register map's word)
ABORT_CYCLES = 2
#: The first operation of this simulation that never finished: every later wait for one fails at
#: once, so a core that never ends an operation fails the bench in the time of one budget, not one
#: budget per test (a run of the top on Icarus is slow enough for that to take minutes).
NEVER_DONE: list[str] = []


def not_again() -> None:
    """Fail at once if an earlier operation of this simulation never finished (NEVER_DONE)."""
    if NEVER_DONE:
        raise StuckError(f"not waiting again: an earlier operation never finished ({NEVER_DONE[0]})")


class TB:
    def __init__(self, dut):
        self.dut = dut
        self.csr = Csr(dut)
        self.io = CoreMemory(dut)
        self.io.set_stalls(*DIRECTED_STALLS)

    def budget(self, code: int, m: int, k: int, n: int) -> int:
        """Cycles an operation may take: every input beat (the weights once per row tile), every
        output beat and the array's work per tile, slowed by the stall patterns, plus memory
        latency per burst."""
        slow = max(slowdown(p) for p in self.io.patterns) + sum(len(p) for p in self.io.patterns) / 16
        tiles = -(-m // TR)
        if code == OP_ATTENTION:  # per head: ingest, then per tile the two jobs and the softmax
            # (the operations of this bench take at most 0.28 of it: a stuck attention on Icarus,
            # 1.5 k cycles a second at this size, fails in a minute or two, not five)
            t, dh, heads = m, k, n
            per_head = t * 3 * dh // 8 + tiles * (4 * TR * t + 2 * (t + dh) * (dh + t) // 8 + 400)
            return int(2 * heads * per_head * slow) + 4000
        beats_in = m * -(-k // 8) + tiles * n * (-(-k // 8) + 5) + m * -(-n // 8)
        work = tiles * -(-n // N2) * (max(k + 16 + n // 8, N1 + N2) + N1 * N2 + 16) + 8 * m * n
        ln = 4 * (3 * m * n + 120 * m) if code == OP_MM_LN else 0
        return int(slow * (4 * beats_in + 2 * work + ln + 4 * m * n)) + 4000

    async def program(self, m: int, k: int, n: int, unsigned: bool = False, code: int = OP_MATMUL) -> None:
        await self.csr.write("OP", code=code, a_unsigned=int(unsigned))
        await self.program_dims(m, k, n)

    async def program_dims(self, m: int, k: int, n: int) -> None:
        await self.csr.write("DIM_M", value=m)
        await self.csr.write("DIM_K", value=k)
        await self.csr.write("DIM_N", value=n)

    async def launch(self, code: int, *args, op_word: int | None = None) -> tuple[int, int, int]:
        """Place the operation's operands in memory (host/accel/operations.py), write its constant,
        address, OP and DIM registers, and start it; its dimensions."""
        op = OPERATIONS[code]
        m, k, n = op.dims(*args)
        for reg, value in self.io.place(op.operands(*args)).items():
            await self.csr.write(reg, value=value)
        self.io.mem.put_words(self.io.OUT, [SENTINEL] * (op.out_beats(m, k, n) + 1))
        for reg, values in op.constants(*args).items():
            await self.csr.write(reg, **values)
        await self.csr.write("OP", op.op_word(*args) if op_word is None else op_word)
        await self.program_dims(m, k, n)
        await self.csr.write("CTRL", start=1)
        return m, k, n

    async def finish(self, code: int, m: int, k: int, n: int, budget: int = 0) -> np.ndarray:
        """Wait (bounded) for STATUS.done, then read the output from memory, decoded to golden's
        shape; the core must have written exactly its beats, and not one past them."""
        await self.done(self.budget(code, m, k, n) + budget)
        op = OPERATIONS[code]
        beats = op.out_beats(m, k, n)
        assert await self.csr.read("OUT_BEATS") == beats
        words = self.io.mem.get_words(self.io.OUT, beats + 1)
        assert words[-1] == SENTINEL, "the core wrote past its output"
        assert not self.io.violations, self.io.violations
        return op.decode(words[:-1], m, k, n, GEOMETRY)

    async def run(self, code: int, *args, budget: int = 0) -> np.ndarray:
        """One operation from the table on golden's arguments: launched, then finished."""
        dims = await self.launch(code, *args)
        assert await self.csr.field("STATUS", "busy") == 1, "STATUS.busy low right after start"
        return await self.finish(code, *dims, budget=budget)

    async def done(self, budget: int) -> None:
        """Poll STATUS until done (busy low), at most ``budget`` cycles (none once an earlier
        operation of this simulation never finished: NEVER_DONE)."""
        not_again()
        t0 = cocotb.utils.get_sim_time("ns")
        while (cocotb.utils.get_sim_time("ns") - t0) / 10 < budget:
            status = await self.csr.fields("STATUS")
            if not status["busy"]:
                assert status["done"] == 1, f"busy fell without done: {status}, {await self.errors()}"
                return
            await ClockCycles(self.dut.clk, 8)
        NEVER_DONE.append(f"STATUS.done not set {budget} cycles after start ({await self.csr.fields('STATUS')})")
        raise StuckError(NEVER_DONE[0])

    async def matmul(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """One OP_MATMUL: golden.matmul's operands in (A int8 or uint8), the int32 product out."""
        return await self.run(OP_MATMUL, a, b)

    async def linear(self, x: np.ndarray, dense: Dense, rq: Rescale) -> np.ndarray:
        """One OP_LINEAR: golden.linear's inputs in, int8 rows out."""
        return await self.run(OP_LINEAR, x, dense, rq)

    async def mm_gelu(self, x, dense, consts, rq, gelu_bias) -> np.ndarray:
        """One OP_MM_GELU: golden.mm_gelu's inputs in, int8 rows out."""
        return await self.run(OP_MM_GELU, x, dense, consts, rq, gelu_bias)

    async def mm_ln(self, x, dense, rq, r, res_rq, ln, ln_rq) -> np.ndarray:
        """One OP_MM_LN: golden.mm_ln's inputs in, int8 rows out."""
        return await self.run(OP_MM_LN, x, dense, rq, r, res_rq, ln, ln_rq)

    async def attention(self, qkv: np.ndarray, heads: int, p) -> np.ndarray:
        """One OP_ATTENTION: the constants, DIM_M = T, DIM_K = d_head, DIM_N = heads; the fused QKV
        read head by head in place; the context rows (T x heads d_head) back."""
        return await self.run(OP_ATTENTION, qkv, heads, p)

    async def idle(self) -> None:
        for _ in range(64):
            if not await self.csr.field("STATUS", "busy"):
                return
        raise StuckError("waited 64 STATUS reads for busy to fall")

    async def errors(self) -> dict[str, int]:
        return await self.csr.fields("ERROR")


def want(a, b) -> np.ndarray:
    return golden.matmul(a, b, a_unsigned=a.dtype == np.uint8)


def same(got: np.ndarray, expected: np.ndarray) -> bool:
    return got.shape == expected.shape and bool(np.array_equal(got, expected))


@st.composite
def rows_problems(draw, make, max_n=MAX_N):
    """``make(m, k, n, rng)`` for drawn shapes: several row tiles with a shorter last one, channels
    not a multiple of 8 or of N2."""
    m = draw(st.integers(1, min(MAX_M, 2 * TR + 3)))
    k = draw(st.integers(1, min(MAX_K, 40)))
    n = draw(st.integers(1, min(max_n, 2 * N2 + 9)))
    return make(m, k, n, np.random.default_rng(draw(st.integers(0, 2**32 - 1))))


async def setup(dut) -> TB:
    """The bench, its memory models driving the masters' inputs from the first cycle, then reset."""
    tb = TB(dut)
    await start(dut)
    return tb


@cocotb.test()
async def top_register_map(dut):
    """Every register reads its generated reset value or the synthesis parameter it reports; the
    operation registers read back what was written (byte strobes respected); unmapped reads 0."""
    tb = await setup(dut)
    assert await tb.csr.read("ID") == REGISTERS["ID"].reset == 0x49425254
    assert await tb.csr.read("VERSION") == REGISTERS["VERSION"].reset
    assert await tb.csr.read("MAX_M") == MAX_M
    assert await tb.csr.read("MAX_K") == MAX_K
    assert await tb.csr.read("MAX_N") == MAX_N
    assert [await tb.csr.read(r) for r in ("MAX_DH", "MAX_HEADS")] == ([MAX_DH, MAX_HEADS] if ATTN_OK else [0, 0])
    assert await tb.csr.fields("ARRAY") == {"rows": N1, "cols": N2, "tile_rows": TR}
    for name in ("STATUS", "ERROR", "OP", "DIM_M", "DIM_K", "DIM_N", "CTRL", "A_ADDR", "W_ADDR", "OUT_ADDR"):
        assert await tb.csr.read(name) == REGISTERS[name].reset, name
    await tb.program(MAX_M, MAX_K, MAX_N, unsigned=True)
    assert await tb.csr.fields("OP") == {"code": OP_MATMUL, "a_unsigned": 1}
    assert [await tb.csr.read(r) for r in ("DIM_M", "DIM_K", "DIM_N")] == [MAX_M, MAX_K, MAX_N]
    addresses = ("A_ADDR", "A_STRIDE", "R_ADDR", "R_STRIDE", "W_ADDR", "OUT_ADDR")
    for i, name in enumerate(addresses):
        await tb.csr.write(name, value=0x8000_0008 + 0x1000 * i)
    assert [await tb.csr.read(r) for r in addresses] == [0x8000_0008 + 0x1000 * i for i in range(len(addresses))]
    assert await tb.csr.read("OUT_BEATS") == 0
    await tb.csr.master.write(REGISTERS["DIM_K"].offset + 1, b"\x00")  # byte 1 only
    assert await tb.csr.read("DIM_K") == MAX_K & 0xFF
    assert int(await tb.csr.master.read_dword(0xFC)) == 0


@cocotb.test()
async def top_matmul_matches_golden(dut):
    """OP_MATMUL through the top for drawn shapes, operand modes and stall patterns: equal to
    golden.matmul in mm's tile order, no error bit, counters consistent."""
    tb = await setup(dut)

    @st.composite
    def problem(draw):
        m = draw(st.integers(1, min(MAX_M, 2 * TR + 1)))
        k = draw(st.integers(1, min(MAX_K, 40)))
        n = draw(st.integers(1, min(MAX_N, 2 * N2 + 1)))
        unsigned = draw(st.booleans())
        return matrices(m, k, n, np.random.default_rng(draw(st.integers(0, 2**32 - 1))), unsigned)

    async def check(job):
        a, b = job
        assert same(await tb.matmul(a, b), want(a, b))
        assert await tb.errors() == dict.fromkeys(ERRORS, 0)
        busy = await tb.csr.read("CYCLES_BUSY")
        assert busy >= max(a.shape[0] * -(-a.shape[1] // 8), 1)
        assert await tb.csr.read("CYCLES_STARVED") < busy and await tb.csr.read("CYCLES_STALLED") < busy

    await for_examples(problem(), check, max_examples=20, streams=tb.io)


@cocotb.test()
async def top_refuses_bad_starts(dut):
    """Zero or oversized dimensions (attention's rules each one past its edge), an operation code
    that does not exist, and start while busy each set their sticky bit and start nothing;
    write-1-to-clear clears only the bits written; the next operation is correct."""
    tb = await setup(dut)
    rng = np.random.default_rng(1)
    a, b = matrices(N1 + 1, 16, N2 + 1, rng)
    # attention (T, d_head, heads): each rule one past its edge; heads x d_head past MAX_D alone
    attention = [(0, 8, 1), (MAX_M + 1, 8, 1), (4, 12, 1), (4, MAX_DH + 8, 1), (4, 8, 0),
                 (4, 8, MAX_HEADS + 1)]
    attention += [(4, dh, MAX_D // dh + 1) for dh in range(8, MAX_DH + 1, 8) if MAX_D // dh < MAX_HEADS]
    for dims, code, bit in [((0, 16, 4), OP_MATMUL, "bad_dims"), ((4, MAX_K + 1, 4), OP_MATMUL, "bad_dims"),
                            ((MAX_M + 1, 8, 4), OP_MATMUL, "bad_dims"), ((4, 8, MAX_N + 1), OP_MATMUL, "bad_dims"),
                            ((4, 8, 4), 0, "bad_op"), ((4, 8, 4), 15, "bad_op"),
                            *[(d, OP_ATTENTION, "bad_dims" if ATTN_OK else "bad_op") for d in attention]]:
        await tb.program(*dims, code=code)
        await tb.csr.write("CTRL", start=1)
        await ClockCycles(dut.clk, 4)
        assert await tb.csr.fields("STATUS") == {"busy": 0, "done": 0}, (dims, code)
        assert await tb.errors() == {**dict.fromkeys(ERRORS, 0), bit: 1}, (dims, code)
        await tb.csr.write("ERROR", **{bit: 1})
        assert await tb.errors() == dict.fromkeys(ERRORS, 0)
    # two bits at once: clearing one leaves the other
    await tb.program(4, 8, 4, code=0)
    await tb.csr.write("CTRL", start=1)
    await tb.program(0, 8, 4)
    await tb.csr.write("CTRL", start=1)
    assert await tb.errors() == {**dict.fromkeys(ERRORS, 0), "bad_op": 1, "bad_dims": 1}
    await tb.csr.write("ERROR", bad_op=1)
    assert await tb.errors() == {**dict.fromkeys(ERRORS, 0), "bad_dims": 1}
    await tb.csr.write("ERROR", bad_dims=1)
    assert same(await tb.matmul(a, b), want(a, b))

    # start while busy: ignored, the running operation completes correctly
    dims = await tb.launch(OP_MATMUL, a, b)
    await tb.csr.write("DIM_M", value=1)  # frozen while busy
    await tb.csr.write("A_ADDR", value=0)
    await tb.csr.write("CTRL", start=1)
    assert await tb.errors() == {**dict.fromkeys(ERRORS, 0), "start_busy": 1}
    assert await tb.csr.read("DIM_M") == a.shape[0]
    assert same(await tb.finish(OP_MATMUL, *dims), want(a, b))
    await tb.csr.write("ERROR", start_busy=1, bad_op=1)
    assert await tb.errors() == dict.fromkeys(ERRORS, 0)


def ops_for(rng):
    """One operation of each kind this core has, on small random operands: (code, golden's args)."""
    jobs = [(OP_MATMUL, matrices(TR + 1, 20, N2 + 1, rng)), (OP_LINEAR, linear_problem(TR + 2, 24, N2 + 3, rng)),
            (OP_MM_GELU, gelu_problem(N1 + 1, 16, N2 + 2, rng)),
            (OP_MM_LN, ln_problem(TR + 1, 16, min(MAX_D, 2 * N2 + 1), rng))]
    if ATTN_OK:
        heads = min(2, MAX_D // 8)
        qkv, p = attention_problem(min(MAX_M, TR + 3), heads, 8, rng)
        jobs.append((OP_ATTENTION, (qkv, heads, p)))
    return jobs


@cocotb.test()
async def top_error_responses_end_the_operation(dut):
    """SLVERR on one read beat in the middle of the weights (a burst already under way), and on one
    write of the output: ERROR.axi_read / axi_write names it, STATUS returns to idle without done,
    and the next operation is exact."""
    tb = await setup(dut)
    for code, args in ops_for(np.random.default_rng(2)):
        op = OPERATIONS[code]
        m, k, n = op.dims(*args)
        operands = op.operands(*args)
        region, words = (tb.io.W, operands["w"].size) if "w" in operands else (tb.io.A, operands["a"].size)
        for bit, fault in (("axi_read", region + 8 * (words // 2)),
                           ("axi_write", tb.io.OUT + 8 * (op.out_beats(m, k, n) // 2))):
            tb.io.mem.faults = {fault}
            await tb.launch(code, *args)
            not_again()
            for _ in range(tb.budget(code, m, k, n) // 8):
                if not await tb.csr.field("STATUS", "busy"):
                    break
                await ClockCycles(dut.clk, 8)
            else:
                NEVER_DONE.append(f"{op.name}: still busy after an injected {bit} fault")
                raise StuckError(NEVER_DONE[0])
            assert await tb.csr.fields("STATUS") == {"busy": 0, "done": 0}, (op.name, bit)
            assert await tb.errors() == {**dict.fromkeys(ERRORS, 0), bit: 1}, (op.name, bit)
            assert fault in tb.io.mem.faulted
            await tb.csr.write("ERROR", **{bit: 1})
            tb.io.mem.faults, tb.io.mem.faulted = set(), []
            assert np.array_equal(await tb.run(code, *args), op.golden(*args)), (op.name, bit)
            assert await tb.errors() == dict.fromkeys(ERRORS, 0)


@cocotb.test()
async def top_abort_at_any_cycle(dut):
    """Abort at a drawn cycle of a drawn operation (with memory latency and stalls): STATUS.busy is
    low at the first read after the abort write (the map promises within 2 cycles; a register read
    takes more), ERROR.aborted is set exactly when the operation was still running, and the next
    operation is exact while the aborted one's bursts drain."""
    tb = await setup(dut)
    jobs = ops_for(np.random.default_rng(3))

    async def check(case):
        pick, when, latency = case
        code, args = jobs[pick % len(jobs)]
        tb.io.mem.latency = latency
        await tb.launch(code, *args)
        await ClockCycles(dut.clk, when)
        running = await tb.csr.field("STATUS", "busy")
        await tb.csr.write("CTRL", abort=1)
        assert await tb.csr.field("STATUS", "busy") == 0
        assert (await tb.errors())["aborted"] == running
        await tb.csr.write("ERROR", aborted=1)
        code2, args2 = jobs[(pick + 1) % len(jobs)]
        assert np.array_equal(await tb.run(code2, *args2), OPERATIONS[code2].golden(*args2))
        assert await tb.errors() == dict.fromkeys(ERRORS, 0)
        tb.io.mem.latency = 0

    await for_examples(st.tuples(st.integers(0, 9), st.integers(0, 3000), st.integers(0, 20)), check,
                       max_examples=12, streams=tb.io)


@cocotb.test()
async def top_control_bits_in_one_write(dut):
    """Every combination of CTRL's bits, as the register map documents them: none does nothing;
    abort alone while idle does nothing; start and abort together is an abort and never a start (no
    error bit, even with dimensions that a start would refuse); both together while running aborts
    the operation (ERROR.aborted, not start_busy). The core is usable after each."""
    tb = await setup(dut)
    rng = np.random.default_rng(11)
    a, b = matrices(N1, 16, N2, rng)
    tb.io.set_stalls((), ())
    nothing = {**dict.fromkeys(ERRORS, 0)}
    for word in (0, REGISTERS["CTRL"].pack(abort=1), REGISTERS["CTRL"].pack(start=1, abort=1)):
        await tb.program(*a.shape, b.shape[1])
        await tb.csr.write("CTRL", word)
        await ClockCycles(dut.clk, 4)
        assert await tb.csr.fields("STATUS") == {"busy": 0, "done": 0}, word
        assert await tb.errors() == nothing, word
    await tb.program(0, 16, N2)  # a start would set bad_dims
    await tb.csr.write("CTRL", start=1, abort=1)
    assert await tb.errors() == nothing
    assert same(await tb.matmul(a, b), want(a, b))
    # while running: the abort acts, the start is not a second start
    await tb.launch(OP_MATMUL, a, b)
    await tb.csr.write("CTRL", start=1, abort=1)
    assert await tb.csr.fields("STATUS") == {"busy": 0, "done": 0}
    assert await tb.errors() == {**nothing, "aborted": 1}
    await tb.csr.write("ERROR", aborted=1)
    assert same(await tb.matmul(a, b), want(a, b))


@cocotb.test()
async def top_linear_matches_golden(dut):
    """OP_LINEAR for drawn shapes (row tiles of TR with a shorter last one, channels not a multiple
    of 8 or of N2) and stall patterns: int8 rows equal to golden.linear, no error bit; an
    OP_MATMUL after each one is still right (no state of the epilogue leaks)."""
    tb = await setup(dut)

    async def check(job):
        x, dense, rq = job
        assert np.array_equal(await tb.linear(x, dense, rq), golden.linear(x, dense, rq))
        assert await tb.errors() == dict.fromkeys(ERRORS, 0)
        a, b = matrices(N1 + 1, 9, N2 + 1, np.random.default_rng(x.size))
        assert same(await tb.matmul(a, b), want(a, b))

    await for_examples(rows_problems(linear_problem), check, max_examples=15, streams=tb.io)


@cocotb.test()
async def top_linear_edges(dut):
    """OP_LINEAR at the synthesis maxima of M and N with K at its maximum, a one-row one-channel
    operation, and OP.a_unsigned ignored."""
    tb = await setup(dut)
    rng = np.random.default_rng(5)
    for m, k, n in [(MAX_M, 8, MAX_N), (TR + 1, MAX_K, N2 + 3), (1, 1, 1)]:
        x, dense, rq = linear_problem(m, k, n, rng)
        assert np.array_equal(await tb.linear(x, dense, rq), golden.linear(x, dense, rq)), (m, k, n)
    # OP.a_unsigned belongs to OP_MATMUL: OP_LINEAR reads A signed whatever it says
    x, dense, rq = linear_problem(TR + 1, 24, N2 + 1, rng)
    x[0] = -128
    word = REGISTERS["OP"].pack(code=OP_LINEAR, a_unsigned=1)
    dims = await tb.launch(OP_LINEAR, x, dense, rq, op_word=word)
    assert np.array_equal(await tb.finish(OP_LINEAR, *dims), golden.linear(x, dense, rq))
    assert await tb.errors() == dict.fromkeys(ERRORS, 0)


@cocotb.test()
async def top_mm_gelu_matches_golden(dut):
    """OP_MM_GELU for drawn shapes and stall patterns: int8 rows equal to golden.mm_gelu, no error
    bit; OP_LINEAR right after it (the GELU stage is bypassed again)."""
    tb = await setup(dut)

    async def check(job):
        x, dense, consts, rq, gelu_bias = job
        got = await tb.mm_gelu(x, dense, consts, rq, gelu_bias)
        assert np.array_equal(got, golden.mm_gelu(x, dense, consts, rq, gelu_bias))
        assert await tb.errors() == dict.fromkeys(ERRORS, 0)
        assert np.array_equal(await tb.linear(x, dense, rq), golden.linear(x, dense, rq))

    await for_examples(rows_problems(gelu_problem), check, max_examples=12, streams=tb.io)


@cocotb.test()
async def top_mm_gelu_saturates_the_bias_sum(dut):
    """Biases at the edges of int32: x @ W + b leaves int32 and saturates (golden's requant in
    bypass), it does not wrap; here that decides the sign of the GELU input, so of the output."""
    tb = await setup(dut)
    x, dense, consts, rq, gelu_bias = gelu_problem(N1 + 1, 16, N2 + 2, np.random.default_rng(11))
    n = dense.w.shape[1]
    edge = np.where(np.arange(n) % 2 == 0, 2**31 - 1 - 100, -(2**31) + 100).astype(np.int32)
    dense = Dense(dense.w, edge)
    acc, s_g = np.full(n, 1e-6), 20.0  # q near 2**31 is a real 2147: inside the int8 grid
    consts, gelu_scale = C.gelu_consts(acc, C.gelu_shift(acc, 130 * s_g))
    rq = C.requant_params(gelu_scale / s_g)
    want_rows = golden.mm_gelu(x, dense, consts, rq, 0)
    got = await tb.mm_gelu(x, dense, consts, rq, 0)
    assert np.array_equal(got, want_rows)
    assert (want_rows > 50).any() and (want_rows < 5).any(), "both edges should show in the int8 output"


@cocotb.test()
async def top_mm_ln_matches_golden(dut):
    """OP_MM_LN for drawn shapes (rows of 1 to MAX_D channels) and stall patterns: int8 rows equal
    to golden.mm_ln, no error bit; OP_LINEAR right after it (the residual and LayerNorm are
    bypassed again)."""
    tb = await setup(dut)

    async def check(job):
        x, dense, rq, r, res_rq, ln, ln_rq = job
        got = await tb.mm_ln(*job)
        want_rows = golden.mm_ln(*job)
        assert np.array_equal(got, want_rows), (got, want_rows)
        assert await tb.errors() == dict.fromkeys(ERRORS, 0)
        assert np.array_equal(await tb.linear(x, dense, rq), golden.linear(x, dense, rq))

    await for_examples(rows_problems(ln_problem, max_n=MAX_D), check, max_examples=12, streams=tb.io)


@cocotb.test()
async def top_mm_ln_edges(dut):
    """OP_MM_LN at the maxima (M rows, N = MAX_D) and a LayerNorm row of MAX_D + 1 refused
    (bad_dims: the gather buffer's row holds MAX_D int32); the residual reaching its 22-bit
    saturation; the MAX_D register."""
    tb = await setup(dut)
    assert await tb.csr.read("MAX_D") == MAX_D
    rng = np.random.default_rng(7)
    job = ln_problem(MAX_M, 24, MAX_D, rng)
    assert np.array_equal(await tb.mm_ln(*job), golden.mm_ln(*job))
    await tb.program(4, 8, MAX_D + 1, code=OP_MM_LN)
    await tb.csr.write("CTRL", start=1)
    await ClockCycles(dut.clk, 4)
    assert await tb.errors() == {**dict.fromkeys(ERRORS, 0), "bad_dims": 1}
    await tb.csr.write("ERROR", bad_dims=1)
    x, dense, rq, r, res_rq, ln, ln_rq = ln_problem(TR + 1, 16, MAX_D, rng)
    rq = Rescale(rq.m, np.full(MAX_D, 20))  # x @ W + b at 2**11 its size: far past 22 bits
    h = golden.residual_add(golden.matmul(x, dense.w), rq.m, rq.e, dense.bias, r, res_rq.m, res_rq.e)
    assert (np.abs(h) == 2**21 - 1).any() or (h == -(2**21)).any(), "the residual should saturate"
    got = await tb.mm_ln(x, dense, rq, r, res_rq, ln, ln_rq)
    assert np.array_equal(got, golden.mm_ln(x, dense, rq, r, res_rq, ln, ln_rq))
    assert await tb.errors() == dict.fromkeys(ERRORS, 0)


@st.composite
def attention_shapes(draw):
    t = draw(st.integers(1, min(MAX_M, 2 * TR + 3)))
    dh = draw(st.sampled_from([d for d in (8, 16, 32, 64) if d <= MAX_DH]))
    heads = draw(st.integers(1, max(1, min(MAX_HEADS, 3, MAX_D // dh))))
    return attention_problem(t, heads, dh, np.random.default_rng(draw(st.integers(0, 2**32 - 1)))) + (heads,)


@cocotb.test()
async def top_attention_matches_golden(dut):
    """OP_ATTENTION for drawn token counts (one and several query tiles, T not a multiple of 8),
    head sizes and head counts, and stall patterns: the context rows equal golden.attention,
    no error bit; OP_LINEAR right after it (the engine and the epilogue are themselves again). On a
    configuration whose buffer cannot hold the context, the code is refused (bad_op) instead."""
    tb = await setup(dut)
    if not ATTN_OK:
        assert await tb.csr.read("MAX_DH") == 0
        await tb.program(4, 8, 1, code=OP_ATTENTION)
        await tb.csr.write("CTRL", start=1)
        assert await tb.errors() == {**dict.fromkeys(ERRORS, 0), "bad_op": 1}
        return
    assert await tb.csr.read("MAX_DH") == MAX_DH

    async def check(job):
        qkv, p, heads = job
        got = await tb.attention(qkv, heads, p)
        want_rows = golden.attention(qkv, heads, p)
        assert np.array_equal(got, want_rows), (got, want_rows)
        assert await tb.errors() == dict.fromkeys(ERRORS, 0)
        x, dense, rq = linear_problem(5, 12, 9, np.random.default_rng(qkv.size))
        assert np.array_equal(await tb.linear(x, dense, rq), golden.linear(x, dense, rq))

    await for_examples(attention_shapes(), check, max_examples=10, streams=tb.io)


@cocotb.test(skip=not ATTN_OK)
async def top_attention_edges(dut):
    """OP_ATTENTION at the most tokens with the largest head, at MAX_HEADS heads (where they fit),
    then a few tokens (the bytes past T in the P and V buffers, stale from the operation before,
    must read as zero); the fused QKV read in
    place from rows with padding beyond them (A_STRIDE larger than the row); abort with the first
    head half read (ERROR.aborted, the next operation right)."""
    tb = await setup(dut)
    rng = np.random.default_rng(9)
    dh = min(MAX_DH, MAX_D)
    edges = [(MAX_M, 1), (3, 1), (TR + 5, min(2, MAX_D // 8)), (2, 1)]
    if MAX_HEADS * 8 <= MAX_D:  # the most heads the core takes (one more is refused: top_refuses_bad_starts)
        edges.append((5, MAX_HEADS))
    for t, heads in edges:
        qkv, p = attention_problem(t, heads, 8 if heads > 1 else dh, rng)
        assert np.array_equal(await tb.attention(qkv, heads, p), golden.attention(qkv, heads, p)), (t, heads)
    assert await tb.errors() == dict.fromkeys(ERRORS, 0)

    heads = min(2, MAX_D // 8)
    qkv, p = attention_problem(TR + 2, heads, 8, rng)
    # rows 8 bytes longer than the QKV's: the core must step by A_STRIDE, not by the row
    padded = np.full((qkv.shape[0], qkv.shape[1] + 8), 99, np.int8)
    padded[:, :qkv.shape[1]] = qkv
    m, k, n = await tb.launch(OP_ATTENTION, qkv, heads, p)
    await tb.csr.write("CTRL", abort=1)
    await tb.csr.write("ERROR", aborted=1)
    tb.io.mem.put_words(tb.io.A, padded.view("<u8").reshape(-1).tolist())
    await tb.csr.write("A_STRIDE", value=padded.shape[1])
    await tb.csr.write("CTRL", start=1)
    assert np.array_equal(await tb.finish(OP_ATTENTION, m, k, n), golden.attention(qkv, heads, p))
    assert await tb.errors() == dict.fromkeys(ERRORS, 0)

    # abort with the first head half read
    await tb.launch(OP_ATTENTION, qkv, heads, p)
    await ClockCycles(dut.clk, qkv.shape[0] * 3 * 8 // 16)
    await tb.csr.write("CTRL", abort=1)
    assert await tb.csr.fields("STATUS") == {"busy": 0, "done": 0}
    assert await tb.errors() == {**dict.fromkeys(ERRORS, 0), "aborted": 1}
    await tb.csr.write("ERROR", aborted=1)
    assert np.array_equal(await tb.attention(qkv, heads, p), golden.attention(qkv, heads, p))


LAYER = (64, 2, 256, 16)  # hidden, heads, FFN, tokens


@cocotb.test(skip=not (ATTN_OK and MAX_K >= LAYER[2] and MAX_N >= LAYER[2] and MAX_D >= LAYER[0]
                       and MAX_M >= LAYER[3] and MAX_DH >= LAYER[0] // LAYER[1]))
async def top_encoder_layer_matches_golden(dut):
    """A whole small encoder layer (D 64, 2 heads, F 256, T 16; a random layer quantized by the
    kit's calibration) as the top's five operations, each output fed to the next as it came back:
    equal to golden.encoder_layer."""
    from host.layer import fused_qkv

    tb = await setup(dut)
    x, p = small_layer(*LAYER, seed=4)
    qkv = await tb.linear(x, *fused_qkv(p))
    ctx = await tb.attention(qkv, p.heads, p.head(0))
    a1 = await tb.mm_ln(ctx, p.attn_out, p.attn_rq, x, p.attn_res, p.ln1, p.ln1_rq)
    g = await tb.mm_gelu(a1, p.ffn_in, p.gelu, p.gelu_rq, p.gelu_bias)
    out = await tb.mm_ln(g, p.ffn_out, p.ffn_rq, a1, p.ffn_res, p.ln2, p.ln2_rq)
    want_out = golden.encoder_layer(x, p)
    assert np.array_equal(out, want_out), (out, want_out)
    assert np.unique(want_out).size > 50, "the layer's output should not be degenerate"
    assert await tb.errors() == dict.fromkeys(ERRORS, 0)
