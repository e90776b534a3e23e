"""Helpers every module bench uses: parameters, clock and reset, hypothesis inside the simulation."""

from __future__ import annotations

import ast
import os
from typing import Any, Awaitable, Callable

import cocotb
from cocotb.clock import Clock
from cocotb.task import bridge, resume
from cocotb.triggers import ClockCycles, ReadOnly, RisingEdge
from hypothesis import given, settings
from hypothesis import strategies as st

from . import profiles  # noqa: F401  (loads the hypothesis profile in the simulator process)


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
                       max_examples: int | None = None) -> None:
    """Run ``await check(example)`` for every hypothesis example, inside this simulation.

    hypothesis runs in a bridged thread and each example is driven through ``resume``, so a failing
    example shrinks and is printed like any hypothesis failure.
    """
    def prop(example: Any) -> None:
        resume(check)(example)

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
