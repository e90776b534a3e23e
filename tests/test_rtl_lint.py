"""Every rtl/ file is clean under `verilator --lint-only -Wall`, and rtl/ibert_pkg.sv is current."""

import subprocess

import pytest

from golden import svpkg
from tb import runner

FILES = [p for p in runner.rtl_sources() if not p.stem.endswith("_pkg")]


def test_widths_package_is_generated_from_golden():
    assert (runner.RTL / "ibert_pkg.sv").read_text() == svpkg.render(), "run: python3 -m golden.svpkg > rtl/ibert_pkg.sv"


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_verilator_lint_wall(path):
    runner._verilator_env()
    deps = [str(p) for p in runner.rtl_sources() if p != path]
    # the module under lint is the top; the others are libraries (-v) it may instantiate
    cmd = ["verilator", "--lint-only", "-Wall", "--top-module", path.stem, str(path)]
    for d in deps:
        cmd += ["-v", d]
    res = subprocess.run(cmd, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr


def test_a_bad_parameter_set_is_refused_by_both_simulators(tmp_path):
    """fifo with DEPTH=3 (not a power of two): Verilator stops at elaboration, Icarus (which has no
    elaboration-time $fatal) stops the simulation at time 0; a good DEPTH passes both."""
    runner._verilator_env()
    fifo = str(runner.RTL / "fifo.sv")
    for depth, ok in ((3, False), (4, True)):
        lint = subprocess.run(["verilator", "--lint-only", "-Wall", f"-GDEPTH={depth}", "--top-module", "fifo", fifo],
                              capture_output=True, text=True)
        assert (lint.returncode == 0) == ok, lint.stderr
        assert ok or "DEPTH=3 must be a power of two" in lint.stderr
        vvp = tmp_path / f"fifo{depth}.vvp"
        subprocess.run(["iverilog", "-g2012", f"-Pfifo.DEPTH={depth}", "-s", "fifo", "-o", str(vvp), fifo], check=True)
        sim = subprocess.run(["vvp", str(vvp)], capture_output=True, text=True)
        assert (sim.returncode == 0) == ok, sim.stdout
        assert ok or "DEPTH=3 must be a power of two" in sim.stdout


def test_vivado_wrapper_lints_and_declares_every_interface(tmp_path):
    """rtl/ibert_axi.v (flat Verilog-2001 for Vivado's block design): clean under Verilator -Wall,
    compiles in Icarus, and every port carries an X_INTERFACE_INFO naming its bus and signal."""
    import re

    runner._verilator_env()
    wrapper = runner.RTL / "ibert_axi.v"
    deps = [str(p) for p in runner.rtl_sources()]
    cmd = ["verilator", "--lint-only", "-Wall", "--top-module", "ibert_axi", str(wrapper)]
    for d in deps:
        cmd += ["-v", d]
    res = subprocess.run(cmd, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    res = subprocess.run(["iverilog", "-g2012", "-s", "ibert_axi", "-o", str(tmp_path / "w.vvp"), *deps, str(wrapper)],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    text = wrapper.read_text()
    ports = re.findall(r"^\s*(?:input|output)\s+wire\s+(?:\[[^\]]+\]\s+)?(\w+),?$", text, re.M)
    infos = re.findall(r'X_INTERFACE_INFO = "xilinx\.com:(?:interface|signal):(\w+):1\.0 (\w+) (\w+)"\s*\*\)'
                       r"(?:\s*\(\*[^*]*\*\))?\s*(?:input|output)\s+wire\s+(?:\[[^\]]+\]\s+)?(\w+)", text)
    assert len(ports) == 2 + 19 + 15 + 18 and sorted(p for *_, p in infos) == sorted(ports)
    for kind, bus, signal, port in infos:
        if kind == "aximm":
            assert port == f"{bus}_{signal.lower()}", port
    assert {b for k, b, *_ in infos if k == "aximm"} == {"s_axi_ctrl", "m_axi_rd", "m_axi_wr"}
    assert not {b for k, b, *_ in infos if k == "axis"}, "the core has no stream ports: it moves its own data"
