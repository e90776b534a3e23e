"""A deliberately stuck design for any bench: run before a bench's own test (tests/test_stuck.py),
its one cocotb test forces every output port of the module to 0 and leaves it so. No valid, no
ready, no done, no data: the bench's waits must run out on their cycle budgets and fail, in
seconds, naming what they waited for, and its comparisons must fail; a bench that passes, or
waits on, a design that does nothing is a bench that can hang or cannot fail."""

from __future__ import annotations

import re

import cocotb
from cocotb.handle import Force

from .common import parameters
from .runner import RTL


def _balanced(text: str, i: int) -> tuple[str, int]:
    """The text inside the parentheses opening at ``text[i]``, and the index after them."""
    depth = 0
    for j in range(i, len(text)):
        depth += {"(": 1, ")": -1}.get(text[j], 0)
        if depth == 0:
            return text[i + 1:j], j + 1
    raise ValueError("unbalanced parentheses")


def port_list(text: str, module: str) -> tuple[str, int]:
    """``module``'s ANSI port list in ``text`` (after its name, any ``import ...;`` and its
    ``#( parameters )``), and the index just past it: where the module's body begins."""
    m = re.search(rf"\bmodule\s+{module}\b\s*(?:import\s+[\w:*,\s]+;\s*)?", text)
    if not m:
        raise ValueError(f"rtl/{module}.sv: no module {module}")
    i = m.end()
    if text[i] == "#":
        _, i = _balanced(text, text.index("(", i))
    return _balanced(text, text.index("(", i))


def output_ports(module: str) -> list[str]:
    """The output ports of rtl/<module>.sv, in order."""
    text = re.sub(r"//[^\n]*|/\*.*?\*/", "", (RTL / f"{module}.sv").read_text(), flags=re.S)
    depth, items, cur = 0, [], ""
    for ch in port_list(text, module)[0]:
        if ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
        if ch == "," and depth == 0:
            items.append(cur)
            cur = ""
        else:
            cur += ch
    items.append(cur)
    direction, out = None, []
    for item in items:
        words = re.sub(r"\[[^\]]*\]", " ", item).split()
        if not words:
            continue
        if words[0] in ("input", "output", "inout"):
            direction = words[0]
        if direction == "output":
            out.append(words[-1])
    return out


@cocotb.test()
async def stuck_outputs(dut):
    """Every output of the module forced to 0 for the rest of the simulation."""
    module = parameters()["TOP"]
    names = output_ports(module)
    assert names, f"rtl/{module}.sv: no output ports found"
    for name in names:
        getattr(dut, name).value = Force(0)
