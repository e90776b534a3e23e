"""mm: for run-time (M, K, N), the output stream equals golden.matmul(A, B) in the documented tile
order, A signed or (the per-job operand mode) unsigned; jobs of different shapes and modes back to
back (nothing stale leaks from a longer K or a larger tile), jobs at exactly the synthesis maxima,
busy, ready and the error flags as the header documents (idle after reset and between jobs), the
header's pace at full stream rate (no cycle lost between tiles), the next job taken while the
previous drains (ready), stall patterns drawn by hypothesis on both streams, every wait bounded."""

import cocotb
import numpy as np
from cocotb.triggers import ReadOnly, RisingEdge
from hypothesis import strategies as st

import golden
from golden.layout import pack_rows, tile_order, unpack_i32

from .axis import Streams
from .common import for_examples, parameters, start, wait_until
from .stalls import DIRECTED_STALLS

P = parameters()
N1, N2 = P.get("N1", 4), P.get("N2", 4)
MAX_M, MAX_K, MAX_N = P.get("MAX_M", 128), P.get("MAX_K", 768), P.get("MAX_N", 1024)


class TB:
    def __init__(self, dut):
        self.dut = dut
        self.io = Streams(dut, cycles_per_beat=4)
        self.io.set_stalls(*DIRECTED_STALLS)  # the property test draws its own per example
        self.in_job = False       # from start until the job's last output beat is taken
        self.idle_in_job = 0      # cycles busy read low meanwhile (the header: busy until then)
        self.job_cycles = 0       # cycles from start to the job's last output beat
        cocotb.start_soon(self._watch_busy())

    async def _watch_busy(self) -> None:
        dut = self.dut
        while True:
            await RisingEdge(dut.clk)
            await ReadOnly()
            if self.in_job:
                self.job_cycles += 1
            if self.in_job and not dut.busy.value:
                self.idle_in_job += 1
            if dut.m_axis_tvalid.value and dut.m_axis_tready.value and dut.m_axis_tlast.value:
                self.in_job = False

    def budget(self, m: int, k: int, n: int) -> int:
        """Cycles for a job: every tile feeds max(K, N1 + N2 - 1) beats and drains N1 * N2 values."""
        tiles = -(-m // N1) * -(-n // N2)
        return self.io.budget(out_beats=m * n // 2 + 1) + 2 * tiles * (max(k, N1 + N2) + N1 * N2 + 16)

    async def job(self, a: np.ndarray, b: np.ndarray, a_beats=None, b_beats=None) -> list[int]:
        dut = self.dut
        m, k = a.shape
        n = b.shape[1]
        dut.cfg_m.value, dut.cfg_k.value, dut.cfg_n.value = m, k, n
        dut.cfg_a_unsigned.value = int(a.dtype == np.uint8)
        dut.start.value = 1
        self.in_job, self.idle_in_job, self.job_cycles = True, 0, 0
        await RisingEdge(dut.clk)
        dut.start.value = 0
        await ReadOnly()
        assert dut.busy.value == 1, "busy low right after start"
        await self.io.send(pack_rows(a) if a_beats is None else a_beats)
        await self.io.send(pack_rows(b.T) if b_beats is None else b_beats)
        got = unpack_i32(await self.io.recv(budget=self.budget(m, k, n)), m * n)
        assert self.idle_in_job == 0, f"busy low for {self.idle_in_job} cycles before the job's last beat was taken"
        await wait_until(dut, lambda: not dut.busy.value, 4 * N1 * N2 + 64, "busy to fall after the last beat")
        for _ in range(8):  # and stay low: nothing runs between jobs
            await ReadOnly()
            assert not dut.busy.value and dut.ready.value, "busy again, or not ready, with no job started"
            await RisingEdge(dut.clk)
        return got


def matrices(m: int, k: int, n: int, draw) -> tuple[np.ndarray, np.ndarray]:
    """A int8, or uint8 for the unsigned operand mode (drawn), and B int8."""
    unsigned = draw(st.booleans())
    lo, hi, dtype = (0, 255, np.uint8) if unsigned else (-128, 127, np.int8)
    a = draw(st.lists(st.integers(lo, hi), min_size=m * k, max_size=m * k))
    b = draw(st.lists(st.integers(-128, 127), min_size=k * n, max_size=k * n))
    return np.array(a, dtype).reshape(m, k), np.array(b, np.int8).reshape(k, n)


@st.composite
def problem(draw):
    m = draw(st.integers(1, min(MAX_M, 3 * N1 + 1)))
    k = draw(st.integers(1, min(MAX_K, 40)))
    n = draw(st.integers(1, min(MAX_N, 3 * N2 + 1)))
    return matrices(m, k, n, draw)


async def reset(dut):
    """Reset; then idle as the header says: not busy, ready for a job, no error flag."""
    dut.start.value = 0
    dut.cfg_m.value = dut.cfg_k.value = dut.cfg_n.value = 1
    dut.cfg_a_unsigned.value = 0
    await start(dut)
    await ReadOnly()
    state = {s: int(getattr(dut, s).value) for s in ("busy", "ready", "err_short", "err_long")}
    assert state == {"busy": 0, "ready": 1, "err_short": 0, "err_long": 0}, f"after reset: {state}"
    await RisingEdge(dut.clk)


def want(a, b) -> list[int]:
    return tile_order(golden.matmul(a, b, a_unsigned=a.dtype == np.uint8), N1, N2)


@cocotb.test()
async def mm_matches_golden(dut):
    """Sequences of jobs with different shapes back to back (a long K then a short one, a full
    tile then an edge tile): each equals golden, with no error flag."""
    await reset(dut)
    tb = TB(dut)

    async def check(jobs):
        for a, b in jobs:
            assert await tb.job(a, b) == want(a, b)
            assert dut.err_short.value == 0 and dut.err_long.value == 0

    await for_examples(st.lists(problem(), min_size=1, max_size=3), check, max_examples=30, streams=tb.io)


@cocotb.test()
async def mm_at_the_synthesis_maxima(dut):
    """Each pair of M, K, N at exactly its synthesis maximum (A's address at its widest with M and K,
    B's tiles with K and N; all three at once on Verilator where the simulation is small enough), each followed
    by a 1 x 1 x 1 job: nothing of the large job leaks into the small one."""
    await reset(dut)
    tb = TB(dut)
    rng = np.random.default_rng(3)
    shapes = [(MAX_M, MAX_K, N2 + 1), (1, MAX_K, MAX_N), (MAX_M, 8, MAX_N)]
    if MAX_M * MAX_K * MAX_N // (N1 * N2) <= 300_000 and not cocotb.SIM_NAME.lower().startswith("icarus"):
        shapes.append((MAX_M, MAX_K, MAX_N))
    for m, k, n in shapes:
        a = rng.integers(-128, 128, (m, k), dtype=np.int8)
        b = rng.integers(-128, 128, (k, n), dtype=np.int8)
        assert await tb.job(a, b) == want(a, b), (m, k, n)
        assert await tb.job(np.array([[-7]], np.int8), np.array([[5]], np.int8)) == [-35], (m, k, n)


@cocotb.test()
async def mm_keeps_the_documented_pace(dut):
    """At full stream rate a job takes A's beats, B's first column tile's beats, Kp cycles a tile
    and one drain (the header's compute paragraph: the next B tile loads and the previous tile
    drains while a tile computes). So a job with 6 N1 more rows takes exactly their beats and
    their tiles' Kp cycles more: a cycle lost between tiles, or in loading A, shows here."""
    await reset(dut)
    tb = TB(dut)
    tb.io.set_stalls((), ())
    # K >= N1 + N2 - 1 (so Kp = K), and longer than a tile's drain with its pipeline
    kb = -(-(N1 * N2 + N1 + N2 + 8) // 8)
    k, n = 8 * kb, 2 * N2
    rng = np.random.default_rng(5)
    cycles = {}
    for m in (N1, 2 * N1, 8 * N1):  # the first job after reset can be a cycle shorter: not compared
        a = rng.integers(-128, 128, (m, k), dtype=np.int8)
        b = rng.integers(-128, 128, (k, n), dtype=np.int8)
        assert await tb.job(a, b) == want(a, b), (m, k, n)
        cycles[m] = tb.job_cycles
    extra_rows = 6 * N1
    extra = extra_rows * kb + (extra_rows // N1) * (n // N2) * k
    assert cycles[8 * N1] - cycles[2 * N1] == extra, \
        f"{8 * N1} x {k} x {n} took {cycles[8 * N1]} cycles, {2 * N1} x {k} x {n} {cycles[2 * N1]}: " \
        f"the difference should be {extra} (A's extra beats and Kp = {k} a tile)"


@cocotb.test()
async def mm_takes_the_next_job_while_draining(dut):
    """ready (the header: a start is taken) rises once a job's last k has left the buffers, while
    its last blocks still drain: a job started at once loads its A over the previous job's A as
    those drain. Pairs of drawn jobs, the second started the cycle ready rises, each equal to golden
    and in order; in the directed case ready is seen high while the first job is still busy
    draining (so the overlap is exercised, not only allowed)."""
    await reset(dut)
    tb = TB(dut)

    async def pair(jobs) -> bool:
        """Run the jobs, each started as soon as ready; True if a start came before busy fell."""
        overlapped = False
        for i, (a, b) in enumerate(jobs):
            if i:
                await wait_until(dut, lambda: dut.ready.value == 1, tb.io.budget(), "ready for the next job")
                overlapped |= bool(dut.busy.value)
            m, k = a.shape
            dut.cfg_m.value, dut.cfg_k.value, dut.cfg_n.value = m, k, b.shape[1]
            dut.cfg_a_unsigned.value = int(a.dtype == np.uint8)
            dut.start.value = 1
            await RisingEdge(dut.clk)
            dut.start.value = 0
            await tb.io.send(pack_rows(a))
            await tb.io.send(pack_rows(b.T))
        for a, b in jobs:
            got = unpack_i32(await tb.io.recv(), a.shape[0] * b.shape[1])
            assert got == want(a, b), f"{a.shape[0]} x {a.shape[1]} x {b.shape[1]}"
        await wait_until(dut, lambda: not dut.busy.value, 4 * N1 * N2 + 64, "busy to fall after the last job")
        return overlapped

    rng = np.random.default_rng(11)
    k = 8 * -(-(N1 + N2) // 8)
    big = [(rng.integers(-128, 128, (2 * N1, k), dtype=np.int8), rng.integers(-128, 128, (k, 2 * N2), dtype=np.int8))
           for _ in range(2)]
    tb.io.set_stalls((), (True, True, True, False))  # a slow sink: the last blocks drain slowly
    assert await pair(big), "ready never rose while the previous job was still draining"

    async def check(jobs):
        await pair(jobs)

    await for_examples(st.lists(problem(), min_size=2, max_size=3), check, max_examples=20, streams=tb.io)


@cocotb.test()
async def mm_extremes(dut):
    """All -128 at the largest K the bench allows (every sum K * 2**14), then A all 255 unsigned
    against B all -128 (the unsigned mode's largest products, which a sign-extended A would read
    as -1), then the signed job again: the mode does not stick."""
    await reset(dut)
    tb = TB(dut)
    k = min(MAX_K, 96)
    a = np.full((N1 + 1, k), -128, np.int8)
    b = np.full((k, N2 + 1), -128, np.int8)
    assert await tb.job(a, b) == want(a, b)
    ua = np.full((N1 + 1, k), 255, np.uint8)
    assert await tb.job(ua, b) == [-k * 255 * 128] * ((N1 + 1) * (N2 + 1))
    assert await tb.job(a, b) == want(a, b)


@cocotb.test()
async def mm_bad_lengths_flag_and_recover(dut):
    """A packet one beat short is zero-filled (err_short); one beat long has the excess dropped
    (err_long); the flags are sticky until the next start; the next job is correct either way."""
    await reset(dut)
    tb = TB(dut)
    rng = np.random.default_rng(0)
    a = rng.integers(-128, 128, (N1 + 1, 20), dtype=np.int8)
    b = rng.integers(-128, 128, (20, N2 + 1), dtype=np.int8)
    short = pack_rows(a)[:-1]
    got = await tb.job(a, b, a_beats=short)
    a0 = a.copy()
    a0[-1, 16:] = 0  # the missing last beat of A's last row reads as zeros
    assert got == want(a0, b)
    assert dut.err_short.value == 1 and dut.err_long.value == 0
    for _ in range(5):
        await RisingEdge(dut.clk)
    assert dut.err_short.value == 1, "err_short must stay set until the next start"
    assert await tb.job(a, b) == want(a, b)
    assert dut.err_short.value == 0

    long_b = pack_rows(b.T) + [0x0123456789ABCDEF]
    assert await tb.job(a, b, b_beats=long_b) == want(a, b)
    assert dut.err_long.value == 1 and dut.err_short.value == 0
    assert await tb.job(a, b) == want(a, b)
    assert dut.err_long.value == 0
