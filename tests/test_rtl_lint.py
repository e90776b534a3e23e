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
