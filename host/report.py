"""The first-contact report: everything a board user would otherwise collect by hand after running
the kit once, in one JSON file (``python3 -m host.selftest --report board-report.json``).

It holds the versions (kit, pynq, numpy, Python, the board, the overlay build, the clock), each
self-test check's result, each operation's core cycles, wall time and host time, the bandwidth
the core reached on each memory port, and the main job's result (exact or not, and where it
diverged). ``SCHEMA`` is its JSON Schema; tests/test_selftest.py validates a report made on the
simulated board against it."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import platform
import re
import time
from pathlib import Path

import numpy as np

import golden

from .accel.board import zynq
from .accel.driver import Accelerator
from .accel.operands import linear_problem
from .accel.overlay import OVERLAY_DIR, OVERLAY_NAME
from .files.paths import atomic_write

VERSION = 1

_STR_OR_NULL = {"type": ["string", "null"]}
_COUNT = {"type": "integer", "minimum": 0}
_SECONDS = {"type": "number", "minimum": 0}

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "ibert-kit first-contact report",
    "type": "object",
    "required": ["report_version", "created", "backend", "versions", "checks", "passed", "operations", "ports",
                 "main_job"],
    "additionalProperties": False,
    "properties": {
        "report_version": {"const": VERSION},
        "created": {"type": "string"},
        "backend": {"enum": ["pynq", "sim"]},
        "versions": {
            "type": "object", "additionalProperties": False,
            "required": ["kit", "pynq", "numpy", "python", "machine", "board", "overlay", "clock_mhz"],
            "properties": {
                "kit": {"type": "string"}, "pynq": _STR_OR_NULL, "numpy": {"type": "string"},
                "python": {"type": "string"}, "machine": {"type": "string"}, "board": _STR_OR_NULL,
                "overlay": {"type": "object", "required": ["kind"], "properties": {"kind": {"enum": ["bitstream", "simulation"]}}},
                "clock_mhz": {"type": ["number", "null"]},
            },
        },
        "checks": {"type": "array", "items": {
            "type": "object", "additionalProperties": False, "required": ["check", "ok", "detail", "hint"],
            "properties": {"check": {"type": "string"}, "ok": {"type": "boolean"}, "detail": {"type": "string"},
                           "hint": _STR_OR_NULL}}},
        "passed": {"type": "boolean"},
        "operations": {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "required": ["op", "shape", "cycles", "core_ms", "wall_s", "host_s", "bytes_read", "bytes_written"],
            "properties": {"op": {"type": "string"}, "shape": {"type": "array", "items": _COUNT},
                           "cycles": _COUNT, "core_ms": _SECONDS, "wall_s": _SECONDS, "host_s": _SECONDS,
                           "bytes_read": _COUNT, "bytes_written": _COUNT}}},
        "ports": {"type": "array", "items": {
            "type": "object", "additionalProperties": False,
            "required": ["port", "operation", "bytes", "cycles", "mb_per_s", "bound"],
            "properties": {"port": {"enum": ["read (HP0)", "write (HP1)"]}, "operation": {"type": "string"},
                           "bytes": _COUNT, "cycles": _COUNT, "mb_per_s": _SECONDS, "bound": {"type": "string"}}}},
        "main_job": {
            "type": "object", "additionalProperties": False, "required": ["ran", "exit_status", "exact", "diverged", "output"],
            "properties": {"ran": {"type": "boolean"}, "exit_status": {"type": ["integer", "null"]},
                           "exact": {"type": ["boolean", "null"]}, "diverged": _STR_OR_NULL,
                           "output": {"type": "array", "items": {"type": "string"}}}},
    },
}


def _version(package: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return None


def _sha256(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def versions(acc: Accelerator | None, backend: str) -> dict:
    if backend == "pynq":
        bit = OVERLAY_DIR / f"{OVERLAY_NAME}.bit"
        overlay = {"kind": "bitstream", "bit": str(bit), "bit_sha256": _sha256(bit),
                   "hwh_sha256": _sha256(bit.with_suffix(".hwh")),
                   "built": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(bit.stat().st_mtime)) if bit.is_file() else None}
    else:
        from .accel.sim.build import device_parameters

        overlay = {"kind": "simulation", "parameters": device_parameters()}
    return {"kit": _version("ibert-kit") or "not installed (run from a checkout)", "pynq": _version("pynq"),
            "numpy": np.__version__, "python": platform.python_version(), "machine": platform.machine(),
            "board": zynq(), "overlay": overlay, "clock_mhz": acc.clock_mhz if acc is not None else None}


def operations(acc: Accelerator) -> list[dict]:
    """Each operation the driver ran: the core's cycles and time at its clock, the wait's wall time,
    the host's own time (packing, copies, registers), and the bytes the core read and wrote."""
    return [{"op": c.op, "shape": list(c.shape), "cycles": int(c.cycles), "core_ms": c.board_ms(acc.clock_mhz),
             "wall_s": c.transfer_s, "host_s": c.pack_s + c.copy_s, "bytes_read": 8 * c.in_beats,
             "bytes_written": 8 * c.out_beats} for c in acc.calls]


#: The core takes at most one 8-byte beat a cycle on its read port, and its array writes results
#: no faster than it makes them: a port faster than that shows as this bound, not its own peak.
BOUND = "at most the core's own rate ({} bytes a cycle at {:g} MHz = {:.0f} MB/s): a lower bound of the port's bandwidth"


def ports(acc: Accelerator) -> list[dict]:
    """The bandwidth the core reached on each port, in an operation that mostly moves data on it:
    one row through a 768 x 768 OP_LINEAR (590 KB of weights read, little computed) for the read
    port; a 128 x 16 x 768 OP_MATMUL (393 KB of int32 results, 16 MACs each) for the write port.
    Each checked against golden, so a fast wrong answer is not a figure."""
    rng = np.random.default_rng(1)
    out = []
    lim = acc.limits
    k = n = min(768, lim.max_k, lim.max_n)
    x, dense, rq = linear_problem(1, k, n, rng)
    if not np.array_equal(acc.linear(x, dense, rq), golden.linear(x, dense, rq)):
        raise RuntimeError("the read-port probe (OP_LINEAR) is not equal to golden")
    c = acc.calls[-1]
    out.append(_port("read (HP0)", f"OP_LINEAR 1x{k}x{n}", 8 * c.in_beats, c.cycles, acc.clock_mhz, 8))
    m, kk, nn = min(128, lim.max_m), 16, min(768, lim.max_n)
    a = rng.integers(-128, 128, (m, kk), dtype=np.int8)
    b = rng.integers(-128, 128, (kk, nn), dtype=np.int8)
    if not np.array_equal(acc.matmul(a, b), golden.matmul(a, b)):
        raise RuntimeError("the write-port probe (OP_MATMUL) is not equal to golden")
    c = acc.calls[-1]
    out.append(_port("write (HP1)", f"OP_MATMUL {m}x{kk}x{nn}", 8 * c.out_beats, c.cycles, acc.clock_mhz, 8))
    return out


def _port(port: str, operation: str, nbytes: int, cycles: int, clock_mhz: float, per_cycle: int) -> dict:
    return {"port": port, "operation": operation, "bytes": int(nbytes), "cycles": int(cycles),
            "mb_per_s": nbytes / max(cycles, 1) * clock_mhz, "bound": BOUND.format(per_cycle, clock_mhz, per_cycle * clock_mhz)}


def main_job(backend: str, calibration: int | None, timeout: float) -> dict:
    """The main job (python3 -m host) on ``backend``, its output kept: exact or not, and the first
    step where it diverged from golden or failed."""
    from .__main__ import main

    argv = ["--backend", backend, "--timeout", str(int(max(timeout, 1)))]
    if calibration is not None:
        argv += ["--calibration", str(calibration)]
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(argv)
    except Exception as e:  # noqa: BLE001  (the report must be written whatever the main job does)
        status = None
        err.write(f"error: the main job raised {type(e).__name__}: {e}\n")
    progress = re.compile(r"^\S+: layer \d+/\d+ \[")  # the main job's progress bar, redrawn on stderr
    lines = [line for line in (out.getvalue() + err.getvalue()).splitlines() if line.strip() and not progress.match(line)]
    exact = any(line.startswith("equal to golden bit for bit: yes") for line in lines)
    diverged = next((line for line in lines if line.startswith("equal to golden bit for bit: NO")
                     or "the accelerator failed" in line or line.startswith("error: ")), None)
    return {"ran": True, "exit_status": status, "exact": exact and status == 0, "diverged": diverged,
            "output": lines}


def skipped_main_job(why: str) -> dict:
    return {"ran": False, "exit_status": None, "exact": None, "diverged": None, "output": [why]}


def write(path: str | Path, report: dict, force: bool = False) -> Path:
    """The report as JSON at ``path`` (never over an existing file without ``force``)."""
    text = json.dumps(report, indent=1, default=_plain) + "\n"
    return atomic_write(Path(path), lambda f: f.write(text.encode()), overwrite=force)


def _plain(o):
    if isinstance(o, (np.integer,)):
        return int(o)
    if isinstance(o, (np.floating,)):
        return float(o)
    raise TypeError(f"not JSON: {type(o).__name__}")


def new(backend: str) -> dict:
    return {"report_version": VERSION, "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "backend": backend,
            "versions": {}, "checks": [], "passed": False, "operations": [], "ports": [],
            "main_job": skipped_main_job("not run")}
