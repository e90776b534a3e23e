"""Bring-up check of an accelerator: the first thing to run on a new board.

    python3 -m host.selftest [--backend pynq|sim] [--timeout S] [--report FILE [--force]] [--debug]

Opens the core (the board's overlay with ``pynq``, the simulated board with ``sim``), reads what it
says of itself (ID, register-map version, maxima, array), runs every operation at small shapes on
random operands and compares each with its golden function, and times round trips (registers,
start, wait for done). One line per
check; the first failure ends the run with exit status 1 and what to look at. Exit status 0 when
every check passes, 2 when the backend cannot be opened at all. ``--report FILE`` also writes the
first-contact report (host/report.py): after the checks, the memory ports' bandwidth and the main
job, all in one JSON file to send back.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

import golden

from . import report
from .cli import positive_int, run_command
from .accel.driver import Accelerator, AcceleratorError
from .accel.operands import attention_problem, gelu_problem, linear_problem, ln_problem, matrices
from .accel.platform import default_backend, open_accelerator
from .accel.regmap import REGISTERS

#: Round trips timed for the round-trip figure.
ROUND_TRIPS = 20


class CheckFailed(Exception):
    """One check failed: its message and what to look at."""

    def __init__(self, what: str, hint: str):
        super().__init__(what)
        self.hint = hint


def identity(acc: Accelerator) -> str:
    version = REGISTERS["VERSION"].unpack(acc.read("VERSION"))
    return f"ID 0x{acc.read('ID'):08x} (IBRT), register map {version['major']}.{version['minor']}"


def limits(acc: Accelerator) -> str:
    lim = acc.limits
    attn = (f"attention with d_head up to {lim.max_dh}, up to {lim.max_heads} heads" if lim.max_dh and lim.max_heads
            else "no attention (MAX_DH or MAX_HEADS reads 0)")
    return (f"{lim.rows} x {lim.cols} array, row tiles of {lim.tile_rows}; M <= {lim.max_m}, K <= {lim.max_k}, "
            f"N <= {lim.max_n}, LayerNorm rows <= {lim.max_d}; {attn}")


def operations(acc: Accelerator, rng: np.random.Generator):
    """(name, run on the core, golden) of each operation at small shapes (two row tiles where
    the rows allow, odd sizes, edge-clipped array tiles)."""
    m = min(acc.limits.tile_rows + 3, acc.limits.max_m)
    a, b = matrices(m, 40, 21, rng)
    ua, ub = matrices(5, 24, 9, rng, unsigned=True)
    lin = linear_problem(m, 70, 21, rng)
    gel = gelu_problem(5, 33, 40, rng)
    ln = ln_problem(m, 48, 30, rng)
    yield "OP_MATMUL", lambda: acc.matmul(a, b), lambda: golden.matmul(a, b)
    yield "OP_MATMUL (unsigned A)", lambda: acc.matmul(ua, ub), lambda: golden.matmul(ua, ub, a_unsigned=True)
    yield "OP_LINEAR", lambda: acc.linear(*lin), lambda: golden.linear(*lin)
    yield "OP_MM_GELU", lambda: acc.mm_gelu(*gel), lambda: golden.mm_gelu(*gel)
    yield "OP_MM_LN", lambda: acc.mm_ln(*ln), lambda: golden.mm_ln(*ln)
    if acc.limits.max_dh:
        qkv, p = attention_problem(11, 3, 16, rng)
        yield "OP_ATTENTION", lambda: acc.attention(qkv, 3, p), lambda: golden.attention(qkv, 3, p)


def check_operation(name: str, run, want) -> str:
    try:
        got = run()
    except (AcceleratorError, TimeoutError) as e:
        raise CheckFailed(f"{name}: {e}", "the core failed the operation: the message names the error bits "
                          "(axi_read / axi_write: a buffer the core could not reach); on a board, check that "
                          "ibert.bit and ibert.hwh come from the same build") from None
    expected = want()
    if got.shape != expected.shape or not np.array_equal(got, expected):
        bad = np.argwhere(got != expected) if got.shape == expected.shape else None
        where = f"first at {tuple(int(i) for i in bad[0])}, {len(bad)} of {got.size} differ" if bad is not None \
            else f"shape {got.shape}, golden's {expected.shape}"
        raise CheckFailed(f"{name}: not equal to golden ({where})", "the bitstream does not compute what golden "
                          "says: rebuild it from this checkout (vivado/) and run the RTL suite "
                          "(python3 -m pytest tests/test_rtl.py -k ibert_top)")
    return f"{name} {'x'.join(map(str, got.shape))}: equal to golden"


def round_trip(acc: Accelerator, backend: str) -> str:
    """A 1x8x8 OP_LINEAR with its operands resident (what an operation costs the host: register
    writes, start and the wait), timed."""
    x, dense, rq = linear_problem(1, 8, 8, np.random.default_rng(0))
    w = acc.load_weights({"round trip": golden.layout.linear_weights(dense, rq)})["round trip"]
    a, out = acc.to_device(x, "round trip in"), acc.rows("round trip out", 1, 8)
    times = []
    for _ in range(ROUND_TRIPS):
        t0 = time.perf_counter()
        acc.linear(a, dense, rq, weights=w, out=out)
        times.append(time.perf_counter() - t0)
    if not np.array_equal(out.numpy(), golden.linear(x, dense, rq)):
        raise CheckFailed("round trip: the last result is not golden's", "the core's memory path: run the RTL suite")
    where = "on the board" if backend == "pynq" else "host time over the simulation, not the board's"
    return (f"round trip (a 1x8x8 OP_LINEAR, operands in DDR, {ROUND_TRIPS} runs): median "
            f"{statistics.median(times) * 1e6:.0f} us, best {min(times) * 1e6:.0f} us ({where}); the core's own "
            f"time: {acc.cycles} cycles")


def run(a: argparse.Namespace) -> int:
    if a.report and Path(a.report).exists() and not a.force:  # before the board is touched
        raise FileExistsError(f"{a.report} exists (pass --force to overwrite it)")
    rep = report.new(a.backend)
    try:
        return checks(a, rep)
    finally:
        if a.report:
            print(f"report: {report.write(a.report, rep, force=a.force)} (please send it with what you saw)")


def checks(a: argparse.Namespace, rep: dict) -> int:
    """The checks in order, each printed and recorded in ``rep``; with a report, then the port
    probes and the main job."""
    try:
        acc = open_accelerator(a.backend, a.timeout, announce=lambda: print(
            "building the simulated accelerator (Verilator, once)...", file=sys.stderr))
    except AcceleratorError as e:  # the core answered, but not as this driver's core
        hint = ("the overlay loaded must be the kit's (host/overlay/ibert.bit with its ibert.hwh), with the "
                "accelerator at the address of host/accel/overlay.py, built from this checkout")
        print(f"FAIL 1 identity: {e}\n     look at: {hint}")
        rep["versions"] = report.versions(None, a.backend)
        rep["checks"].append({"check": "identity", "ok": False, "detail": str(e), "hint": hint})
        return 1
    todo = [("identity", lambda: identity(acc)), ("maxima", lambda: limits(acc))]
    rng = np.random.default_rng(a.seed)
    todo += [(name, lambda n=name, r=r, w=w: check_operation(n, r, w)) for name, r, w in operations(acc, rng)]
    todo.append(("round trip", lambda: round_trip(acc, a.backend)))
    with acc:
        rep["versions"] = report.versions(acc, a.backend)
        try:
            for i, (name, check) in enumerate(todo, 1):
                try:
                    line = check()
                except CheckFailed as e:
                    print(f"FAIL {i}/{len(todo)} {e}\n     look at: {e.hint}")
                    rep["checks"].append({"check": name, "ok": False, "detail": str(e), "hint": e.hint})
                    rep["main_job"] = report.skipped_main_job(f"not run: check {i} ({name}) failed")
                    return 1
                print(f"ok   {i}/{len(todo)} {line}")
                rep["checks"].append({"check": name, "ok": True, "detail": line, "hint": None})
            if a.report:
                rep["ports"] = report.ports(acc)
                for p in rep["ports"]:
                    print(f"port {p['port']}: {p['mb_per_s']:.0f} MB/s in {p['operation']} ({p['bound']})")
        finally:
            rep["operations"] = report.operations(acc)
    print(f"self-test passed on {a.backend}: {len(todo)} checks")
    rep["passed"] = True
    if a.report:  # the driver is closed: the main job opens the board (and its lock) itself
        print(f"the main job on {a.backend} for the report...", file=sys.stderr)
        rep["main_job"] = report.main_job(a.backend, a.calibration, max(a.timeout, 120))
        job = rep["main_job"]
        print(f"main job: exit status {job['exit_status']}, "
              + ("equal to golden bit for bit" if job["exact"] else f"not exact: {job['diverged']}"))
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python3 -m host.selftest", description=__doc__.splitlines()[0])
    ap.add_argument("--backend", choices=("pynq", "sim"), default=default_backend(),
                    help="the board (the default on a Zynq board) or the simulated board (elsewhere)")
    ap.add_argument("--timeout", type=float, default=10.0, help="seconds an operation may take (default 10)")
    ap.add_argument("--seed", type=int, default=0, help="seed of the random operands")
    ap.add_argument("--report", metavar="FILE", help="also write a first-contact report (JSON): versions, every "
                    "check, each operation's cycles and times, the ports' bandwidth, the main job's result")
    ap.add_argument("--calibration", type=positive_int, default=None,
                    help="calibration sentences of the report's main job (default: the main job's)")
    ap.add_argument("--force", action="store_true", help="overwrite an existing report file")
    ap.add_argument("--debug", action="store_true", help="show the traceback of an error")
    return run_command(run, ap.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
