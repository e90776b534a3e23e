"""row_buffer: every row comes out of the read port as sent (its first MAX elements), with its
length, while the next row is stored into the other bank; in_take / in_first / in_close mark every
stored element, each row's first element and its closing beat; an over-long row sets err_long
(sticky). Rows of length 1, MAX, MAX + k under drawn input stalls; no golden function of its own
(softmax and layernorm carry their rows through it), so the reference is the identity."""

import cocotb
from cocotb.triggers import ReadOnly, RisingEdge, Timer
from cocotbext.axi import AxiStreamBus, AxiStreamFrame, AxiStreamSource
from hypothesis import strategies as st

from .common import for_examples, monitor, parameters, start, wait_until
from .stalls import pause_generator, stalls

MAX = parameters().get("MAX", 8)
W = parameters().get("W", 32)


async def read_row(dut) -> list[int]:
    """The processor's side: wait for a full bank, read its rd_len elements, release it."""
    await wait_until(dut, lambda: dut.rd_full.value, 40 * MAX + 200, "rd_full (a stored row)")
    await Timer(1, unit="ns")
    n = int(dut.rd_len.value)
    row = []
    for i in range(n):
        dut.rd_index.value = i
        await RisingEdge(dut.clk)
        await RisingEdge(dut.clk)
        await ReadOnly()
        row.append(int(dut.rd_data.value))
        await Timer(1, unit="ns")
    dut.rd_release.value = 1
    await RisingEdge(dut.clk)
    dut.rd_release.value = 0
    return row


@cocotb.test()
async def row_buffer_returns_rows(dut):
    bus = AxiStreamBus.from_prefix(dut, "s_axis")
    src = AxiStreamSource(bus, dut.clk, dut.rst, byte_size=W)
    dut.rd_release.value = 0
    dut.rd_index.value = 0
    await start(dut)
    marks = []
    monitor(dut, dut.in_take, lambda: int(dut.in_first.value), marks)
    closes = []
    monitor(dut, dut.in_close, lambda: 1, closes)
    seen_long = [False]  # err_long is sticky across examples

    async def check(case):
        rows, pattern = case
        src.set_pause_generator(pause_generator(pattern))
        marks.clear()
        closes.clear()
        for r in rows:
            await src.send(AxiStreamFrame(r))
        got = [await read_row(dut) for _ in rows]
        assert got == [r[:MAX] for r in rows]
        assert marks == [int(i == 0) for r in rows for i in range(min(len(r), MAX))]
        assert len(closes) == len(rows)
        seen_long[0] |= any(len(r) > MAX for r in rows)
        assert dut.err_long.value == int(seen_long[0])

    lengths = st.sampled_from([1, MAX, MAX + 3]) | st.integers(1, MAX + 2)
    rows = st.lists(lengths.flatmap(lambda n: st.lists(st.integers(0, 2**W - 1), min_size=n, max_size=n)),
                    min_size=1, max_size=4)
    await for_examples(st.tuples(rows, stalls()), check, max_examples=60)


@cocotb.test()
async def row_buffer_err_long_is_sticky(dut):
    src = AxiStreamSource(AxiStreamBus.from_prefix(dut, "s_axis"), dut.clk, dut.rst, byte_size=W)
    dut.rd_release.value = 0
    dut.rd_index.value = 0
    await start(dut)
    await src.send(AxiStreamFrame(list(range(MAX))))
    assert await read_row(dut) == list(range(MAX))
    assert dut.err_long.value == 0, "a row of exactly MAX is not too long"
    await src.send(AxiStreamFrame(list(range(MAX + 1))))
    await src.send(AxiStreamFrame([7]))
    assert await read_row(dut) == list(range(MAX))
    assert dut.err_long.value == 1
    assert await read_row(dut) == [7]
    assert dut.err_long.value == 1, "err_long is sticky until reset"
