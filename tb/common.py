"""Helpers every module bench uses: parameters, clock and reset, bounded waits, hypothesis inside the
simulation."""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path
from typing import Any, Awaitable, Callable

import cocotb
from cocotb.clock import Clock
from cocotb.task import bridge, resume
from cocotb.triggers import ClockCycles, ReadOnly, RisingEdge, with_timeout
from hypothesis import given, settings
from hypothesis import strategies as st

from . import profiles  # noqa: F401  (loads the hypothesis profile in the simulator process)
from .stalls import stalls

#: Signals worth showing when a wait times out: handshakes, status, state.
_STATE_NAMES = ("tvalid", "tready", "tlast", "busy", "done", "err", "state", "ready", "valid")


class StuckError(AssertionError):
    """A bounded wait ran out: the design did not do what the bench waited for."""


def dut_state(dut) -> str:
    """The DUT's top-level handshake, status and state signals, as ``name=value`` pairs."""
    out = []
    for h in dut:
        name = h._name
        if any(k in name for k in _STATE_NAMES):
            try:
                out.append(f"{name}={h.value}")
            except Exception:  # noqa: BLE001  (arrays and other handles without a plain value)
                continue
    return " ".join(sorted(out)) or "(no handshake signals found)"


async def within(awaitable, cycles: int, what: str, dut, period_ns: int = 10):
    """``await awaitable`` for at most ``cycles`` clock periods; raises ``StuckError`` naming
    ``what`` and the DUT's handshake state when it does not finish in time."""
    try:
        return await with_timeout(awaitable, cycles * period_ns, "ns")
    except TimeoutError:
        message = f"waited {cycles} cycles for {what}; DUT: {dut_state(dut)}"
    raise StuckError(message)


async def wait_until(dut, cond: Callable[[], bool], budget: int, what: str) -> int:
    """Wait on rising edges until ``cond()`` holds (checked right after each edge), at most
    ``budget`` cycles; returns the cycles waited, or raises ``StuckError`` naming ``what``."""
    if budget < 1:
        raise ValueError(f"wait_until: budget must be >= 1 cycle, got {budget}")
    for n in range(budget):
        await RisingEdge(dut.clk)
        if cond():
            return n + 1
    raise StuckError(f"waited {budget} cycles for {what}; DUT: {dut_state(dut)}")


def header_latency(module: str) -> int:
    """The latency ``rtl/<module>.sv``'s header promises ("Latency N cycles"): the one source a
    bench that counts cycles reads, so a deeper pipeline changes the header and nothing else."""
    path = Path(__file__).resolve().parents[1] / "rtl" / f"{module}.sv"
    found = re.search(r"Latency\s+(\d+)\s+cycles", path.read_text())
    if not found:
        raise ValueError(f"{path}: its header states no 'Latency N cycles'")
    return int(found.group(1))


def parameters() -> dict[str, Any]:
    """The HDL parameters this simulation was built with (set by tb.runner)."""
    return ast.literal_eval(os.environ.get("TB_PARAMETERS", "{}"))


async def start(dut, period_ns: int = 10, reset_cycles: int = 2) -> None:
    """Start ``clk`` and pulse the synchronous active-high ``rst``."""
    cocotb.start_soon(Clock(dut.clk, period_ns, unit="ns").start())
    dut.rst.value = 1
    await ClockCycles(dut.clk, reset_cycles)
    dut.rst.value = 0
    await RisingEdge(dut.clk)


def monitor(dut, flag, sample: Callable[[], Any], into: list) -> None:
    """Append ``sample()`` to ``into`` after every rising edge where ``flag`` is high."""

    async def run() -> None:
        while True:
            await RisingEdge(dut.clk)
            await ReadOnly()
            if flag.value:
                into.append(sample())

    cocotb.start_soon(run())


async def for_examples(strategy: st.SearchStrategy, check: Callable[[Any], Awaitable[None]],
                       max_examples: int | None = None, streams=None) -> None:
    """Run ``await check(example)`` for every hypothesis example, inside this simulation.

    hypothesis runs in a bridged thread and each example is driven through ``resume``, so a failing
    example shrinks and is printed like any hypothesis failure. With ``streams`` (a ``tb.axis.Streams``)
    each example also draws the source's and the sink's stall patterns, so a failing pattern
    shrinks and replays with its data.

    Once an example has run out a bounded wait (``StuckError``: the design stopped answering), every
    later example fails at once with that error: hypothesis would otherwise simulate the stuck design
    to its budget again for each shrink step, and a stuck design must fail its test in seconds.
    """
    stuck: list[tuple[StuckError, Any]] = []  # the first error, and its traceback as first raised
    if streams is not None:
        inner = check

        async def check(example: Any) -> None:
            data, src, sink = example
            streams.set_stalls(src, sink)
            await inner(data)

        strategy = st.tuples(strategy, stalls(), stalls())

    async def bounded(example: Any) -> None:
        if stuck:  # the same error, from where it was raised: hypothesis sees one failure, not a flaky one
            error, tb = stuck[0]
            raise error.with_traceback(tb)
        try:
            await check(example)
        except StuckError as e:
            stuck.append((e, e.__traceback__))
            raise

    def prop(example: Any) -> None:
        resume(bounded)(example)

    prop = given(strategy)(prop)
    if max_examples is not None:
        prop = settings(max_examples=max_examples)(prop)
    await bridge(prop)()


async def stepped(dut, count: int, sample: Callable[[], Any], gap_every: int = 3) -> list:
    """Pulse ``dut.step`` ``count`` times (idle cycles after some), sampling before each pulse."""
    seen = []
    for s in range(count):
        await ReadOnly()
        seen.append(sample())
        await RisingEdge(dut.clk)
        dut.step.value = 1
        await RisingEdge(dut.clk)
        dut.step.value = 0
        if s % gap_every == 0:
            await RisingEdge(dut.clk)
    return seen
