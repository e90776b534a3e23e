"""Where a bench's figures live: its documented run (no options but those that do not change the
figures) also writes what it prints to ``bench/results/<bench>.txt``, headed by the commit it ran
on. docs/benchmarks.md quotes those files, and tests/test_docs_figures.py checks every figure the
page gives against them, so a rerun that moves a figure updates the file and flags the page.

A run with other options (``--small``, another size or model) records nothing; neither does a run
that ends in an exception (a bench that fails leaves its previous results in place).
"""

from __future__ import annotations

import argparse
import atexit
import io
import subprocess
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


class _Tee(io.TextIOBase):
    def __init__(self, out):
        self.out, self.text = out, io.StringIO()

    def write(self, s: str) -> int:
        self.text.write(s)
        return self.out.write(s)

    def flush(self) -> None:
        self.out.flush()


def _commit() -> str:
    root = RESULTS.parent.parent
    try:
        rev = subprocess.run(["git", "-C", str(root), "describe", "--always", "--dirty"], capture_output=True,
                             text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        rev = ""
    return rev or "unknown commit"


def documented(ap: argparse.ArgumentParser, args: argparse.Namespace, neutral: tuple[str, ...] = ()) -> bool:
    """Whether ``args`` are the parser's defaults, ``neutral`` options (worker counts) aside."""
    defaults = vars(ap.parse_args([]))
    return all(v == defaults[k] for k, v in vars(args).items() if k not in neutral)


def record(bench_file: str, when: bool = True) -> None:
    """From here on, tee stdout into ``bench/results/<bench>.txt``, written when the process ends
    without an uncaught exception (a ``SystemExit`` with a verdict still records)."""
    if not when:
        return
    name = Path(bench_file).stem
    tee = _Tee(sys.stdout)
    sys.stdout = tee
    failed = []
    hook = sys.excepthook

    def on_exception(*exc):
        failed.append(exc[0])
        hook(*exc)

    sys.excepthook = on_exception
    started = time.strftime("%Y-%m-%d")
    commit = _commit()

    def save() -> None:
        sys.stdout = tee.out
        if failed:
            print(f"bench/results/{name}.txt not written: the run failed", file=sys.stderr)
            return
        RESULTS.mkdir(exist_ok=True)
        head = f"# python3 bench/{name}.py, recorded {started} on {commit}\n"
        (RESULTS / f"{name}.txt").write_text(head + tee.text.getvalue())

    atexit.register(save)
