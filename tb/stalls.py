"""Stall patterns for the benches' streams: a tuple of booleans (True = pause this cycle) that
cocotbext-axi repeats for as long as a stream runs; the empty pattern never pauses (always valid /
always ready). Patterns are hypothesis data (``stalls()``), so a failing pattern shrinks and
replays like any input. Pure data, no simulator: tb.common and tb.axis both build on it."""

from __future__ import annotations

import itertools

from hypothesis import strategies as st

#: The longest pause run a pattern holds: longer than every internal FIFO (OUT_DEPTH 8, the
#: systolic skew) so a stalled sink fills them all and backs up into the source.
LONG_STALL = 40


def _expand(runs: list[tuple[int, int]]) -> tuple[bool, ...]:
    """(pause, go) cycle counts as one pattern: it always lets data through every cycle it is not
    paused, and it moves data at least once per repetition."""
    out: list[bool] = []
    for pause, go in runs:
        out += [True] * pause + [False] * go
    return tuple(out)


def stalls() -> st.SearchStrategy[tuple[bool, ...]]:
    """One stream's stall pattern: none (the always-ready / always-valid extreme), short bursts,
    or one long stall (longer than every internal FIFO) followed by a longer run that lets data
    through. Shrinks towards no stalls. At worst a pattern slows a stream 7x (short bursts) or
    about 2x (long stalls), so even the longest rows stay affordable on Icarus."""
    bursts = st.lists(st.tuples(st.integers(1, 6), st.integers(1, 6)), min_size=1, max_size=8)
    long = st.tuples(st.sampled_from([17, LONG_STALL]), st.integers(LONG_STALL, 2 * LONG_STALL)).map(lambda r: [r])
    return st.one_of(st.just(()), bursts.map(_expand), long.map(_expand))


#: The stall patterns of the directed tests (the drawn ones cover the rest): bursts on the source, a
#: long stall that fills every FIFO on the sink.
DIRECTED_STALLS = (_expand([(2, 3), (1, 5), (4, 1)]), _expand([(LONG_STALL, LONG_STALL + 7)]))


def slowdown(pattern: tuple[bool, ...]) -> float:
    """How many cycles a pattern takes per beat it lets through, at worst."""
    return len(pattern) / pattern.count(False) if pattern else 1.0


def pause_generator(pattern: tuple[bool, ...]):
    return itertools.cycle(pattern) if pattern else itertools.repeat(False)
