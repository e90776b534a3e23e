"""No bench can hang: each module's bench, run on a deliberately stuck design (tb/stuck.py forces
every output of the module to 0: no valid, no ready, no data), fails its first test within
STUCK_S seconds instead of waiting, and fails with a message (a bounded wait naming what it waited
for, or a comparison)."""

import ast
import os
import signal
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tb.runner import build_dir

from tb.cases import CASES, ICARUS_TOP

#: Every module's first parameter set, and the top's Icarus set.
MODULES = [*CASES, ICARUS_TOP]

pytest.importorskip("cocotb")

ROOT = Path(__file__).resolve().parents[1]
#: What a stuck design may cost a bench's first test, in seconds of the test's own run.
STUCK_S = 10.0
#: The whole run's hard limit (build included): past it the simulation is killed, and the bench hangs.
HARD_S = 120

RUN = """
import sys
from tb.runner import run
module, params, name = sys.argv[1], eval(sys.argv[2]), sys.argv[3]
run(module, "icarus", params, test_module=["tb.stuck", f"tb.test_{module}"], testcase=["stuck_outputs", name],
    variant="-stuck", check=False)
"""


def run_stuck(module: str, params: dict, name: str) -> Path:
    """The bench's first test after tb.stuck, on Icarus, in a process group killed whole past HARD_S
    (the simulator with it); cocotb's results file."""
    proc = subprocess.Popen([sys.executable, "-c", RUN, module, repr(params), name], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=HARD_S)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"tb/test_{module}.py::{name} still ran after {HARD_S} s on a stuck design: it hangs")
    results = build_dir("icarus", module, params, "-stuck") / "results.xml"
    assert proc.returncode == 0 and results.is_file(), out[-3000:]
    return results


def first_test(module: str) -> str:
    """The first ``@cocotb.test`` of tb/test_<module>.py, in file order."""
    tree = ast.parse((ROOT / "tb" / f"test_{module}.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.AsyncFunctionDef) and any("cocotb.test" in ast.unparse(d) for d in node.decorator_list):
            return node.name
    raise AssertionError(f"tb/test_{module}.py has no cocotb test")


@pytest.mark.parametrize("module, params", MODULES, ids=[m for m, _ in MODULES])
def test_a_stuck_design_fails_the_first_test_in_seconds(module, params):
    name = first_test(module)
    results = run_stuck(module, params, name)
    cases = {c.get("name"): c for c in ET.parse(results).getroot().iter("testcase")}
    assert set(cases) == {"stuck_outputs", name}, f"ran {sorted(cases)}"
    assert cases["stuck_outputs"].find("failure") is None, "could not force the outputs"
    bench = cases[name]
    failure = bench.find("failure")
    if failure is None:
        failure = bench.find("error")
    assert failure is not None, f"tb/test_{module}.py::{name} passed on a design whose outputs are all 0"
    assert failure.get("message"), f"tb/test_{module}.py::{name} failed without a message"
    took = float(bench.get("time"))
    assert took < STUCK_S, f"tb/test_{module}.py::{name} took {took:.1f} s to fail on a stuck design"
