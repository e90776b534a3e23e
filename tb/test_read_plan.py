"""read_plan: the row commands it issues for an operation, under drawn cmd_ready stalls, are exactly
golden.layout.read_plan's (tiled operations with and without a residual, attention's strided head
reads, addresses that wrap); operations back to back; cancel stops it at once."""

import cocotb
from cocotb.triggers import ReadOnly, RisingEdge
from hypothesis import strategies as st

from golden.layout import read_plan

from .common import StuckError, for_examples, parameters, start
from .stalls import pause_generator, slowdown, stalls

P = parameters()
MAX_ROWS, MAX_LEN = 2 ** P.get("ROWS_W", 11) - 1, 2 ** P.get("LEN_W", 8) - 1
ADDR = 2 ** P.get("ADDR_W", 32)

PORTS = ("rows", "tile_rows", "n", "kb", "rb", "wb", "a_addr", "a_stride", "r_addr", "r_stride", "w_addr")


async def plan(dut, op: dict, pattern: tuple[bool, ...]) -> list[tuple[int, int, bool]]:
    """Start ``op`` and take its commands with cmd_ready paused by ``pattern``; bounded by the
    commands golden expects (with the pattern's slowdown) and a margin."""
    for k in PORTS:
        getattr(dut, k).value = op.get(k, 0)
    dut.attn.value = int(op.get("attn", False))
    dut.start.value = 1
    await RisingEdge(dut.clk)
    dut.start.value = 0
    want = len(read_plan(**op))
    budget = int(slowdown(pattern) * want) + len(pattern) + 20
    seen, pauses = [], pause_generator(pattern)
    for _ in range(budget):
        ready = not next(pauses)
        dut.cmd_ready.value = int(ready)
        await ReadOnly()
        if not dut.busy.value:
            break
        if ready and dut.cmd_valid.value:
            seen.append((int(dut.cmd_addr.value), int(dut.cmd_beats.value), bool(dut.cmd_last.value)))
        await RisingEdge(dut.clk)
    else:
        raise StuckError(f"read_plan still busy after {budget} cycles ({len(seen)} of {want} commands taken)")
    await RisingEdge(dut.clk)
    return seen


def ops(max_rows: int = 12):
    rows = st.integers(1, min(MAX_ROWS, max_rows))
    beats = st.integers(1, min(MAX_LEN, 7))
    addr = st.integers(0, ADDR - 1).map(lambda a: a & ~7)
    stride = st.integers(0, 4096).map(lambda a: a & ~7)
    tiled = st.fixed_dictionaries({
        "rows": rows, "tile_rows": st.integers(1, 5), "n": st.integers(1, 6), "kb": beats,
        "rb": st.one_of(st.just(0), beats), "wb": beats, "a_addr": addr, "a_stride": stride,
        "r_addr": addr, "r_stride": stride, "w_addr": addr})
    attention = st.fixed_dictionaries({
        "rows": rows, "n": st.integers(1, 4), "kb": beats, "a_addr": addr, "a_stride": stride,
        "attn": st.just(True)})
    return st.one_of(tiled, attention)


@cocotb.test()
async def read_plan_issues_golden_commands(dut):
    dut.start.value = dut.cancel.value = dut.attn.value = 0
    dut.cmd_ready.value = 0
    await start(dut)

    async def check(case):
        batch, pattern = case
        dut.cancel.value = 1  # a clean start whatever the previous example left
        await RisingEdge(dut.clk)
        dut.cancel.value = 0
        for op in batch:
            assert await plan(dut, op, pattern) == read_plan(**op), (op, pattern)

    await for_examples(st.tuples(st.lists(ops(), min_size=1, max_size=3), stalls()), check, max_examples=60)


@cocotb.test()
async def cancel_stops_the_plan(dut):
    """cancel mid-operation: busy falls the next cycle and no command is offered; the next operation
    is planned from its start."""
    dut.start.value = dut.cancel.value = dut.attn.value = 0
    dut.cmd_ready.value = 0
    await start(dut)
    op = {"rows": 9, "tile_rows": 4, "n": 3, "kb": 2, "rb": 1, "wb": 3, "a_addr": 0x1000, "a_stride": 16,
          "r_addr": 0x2000, "r_stride": 8, "w_addr": 0x3000}
    for k in PORTS:
        getattr(dut, k).value = op[k]
    dut.start.value = 1
    await RisingEdge(dut.clk)
    dut.start.value = 0
    dut.cmd_ready.value = 1
    for _ in range(5):
        await RisingEdge(dut.clk)
    dut.cancel.value = 1
    await RisingEdge(dut.clk)
    dut.cancel.value = 0
    await ReadOnly()
    assert not dut.busy.value and not dut.cmd_valid.value
    await RisingEdge(dut.clk)
    assert await plan(dut, op, ()) == read_plan(**op)
