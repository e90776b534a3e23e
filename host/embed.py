"""Embed a file of sentences, one per line, into a .npy array (float32, N x D).

    ibert-kit embed FILE -o OUT.npy [--backend sim|golden|pynq] [--batch-size N] [--force]
                    [--checkpoint DIR] [--params FILE] [--calibration N] [--workers N]
                    [--scheduler ADDRESS] [--check] [--timeout S] [--debug]

FILE ``-`` reads standard input. Empty lines are sentences too (their embedding is that of
[CLS] [SEP]), so row i of OUT is line i of FILE. OUT is written atomically and never over an
existing file without --force. Progress goes to stderr; a mistake is one line and exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from .model import bert
from .cli import positive_int, run_command
from .files.paths import atomic_write
from .accel.platform import BACKENDS, default_backend


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="ibert-kit embed", description=__doc__.splitlines()[0])
    ap.add_argument("file", help="sentences, one per line (- for standard input)")
    ap.add_argument("-o", "--output", required=True, help="the .npy file to write")
    ap.add_argument("--force", action="store_true", help="overwrite OUT if it exists")
    ap.add_argument("--backend", choices=BACKENDS, default=default_backend())
    ap.add_argument("--batch-size", type=positive_int, default=32, help="sentences per batch (default 32)")
    ap.add_argument("--checkpoint", help="HuggingFace BERT folder (default: all-MiniLM-L6-v2)")
    ap.add_argument("--params", help="a parameter file (python3 -m host --save) instead of quantizing")
    ap.add_argument("--calibration", type=positive_int, default=bert.CALIBRATION_SENTENCES,
                    help=f"calibration sentences when quantizing (default {bert.CALIBRATION_SENTENCES})")
    ap.add_argument("--workers", type=positive_int, default=1, help="processes, each with its own backend")
    ap.add_argument("--scheduler", help="a Dask scheduler's address (tcp://host:port): run the batches there")
    ap.add_argument("--check", action="store_true", help="compare every operation with golden")
    ap.add_argument("--timeout", type=positive_int, default=120, help="seconds a transfer may take (default 120)")
    ap.add_argument("--debug", action="store_true", help="show the traceback of an error")
    return ap


def read_sentences(name: str) -> list[str]:
    if name == "-":
        text = sys.stdin.read()
    else:
        path = Path(name)
        if not path.is_file():
            raise ValueError(f"{name}: no such file")
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise ValueError(f"{name}: not UTF-8 text (expected one sentence per line)") from None
    lines = text.splitlines()
    if not lines:
        raise ValueError(f"{name}: no sentences (expected one per line)")
    return lines


def save_npy(path: Path, array: np.ndarray, overwrite: bool) -> None:
    """Write ``array`` to ``path`` (a .npy name) atomically; an existing file only with ``overwrite``."""
    if path.suffix != ".npy":
        raise ValueError(f"{path}: expected a .npy file name (numpy adds .npy otherwise)")
    atomic_write(path, lambda f: np.save(f, array), overwrite)


def run(a: argparse.Namespace) -> int:
    from .encoder import Encoder

    out = Path(a.output)
    if out.exists() and not a.force:  # before minutes of work, not after
        raise FileExistsError(f"{out} exists (pass --force to overwrite it)")
    sentences = read_sentences(a.file)
    with Encoder(a.checkpoint, a.backend, params=a.params, calibration=a.calibration, timeout=a.timeout,
                 workers=a.workers, scheduler=a.scheduler) as enc:
        emb = enc.encode(sentences, batch_size=a.batch_size, show_progress_bar=True, check=a.check)
        cycles, clock_mhz = enc.cycles, enc.clock_mhz
    save_npy(out, emb, a.force)
    what = f"{len(sentences)} sentences -> {out} ({emb.shape[0]} x {emb.shape[1]} float32)"
    if cycles is not None:
        total = int(cycles.sum())
        what += f"; {total:,} core cycles, {total / (clock_mhz * 1e3):.1f} ms on the board at {clock_mhz:g} MHz"
    print(what)
    return 0


def main(argv: list[str] | None = None) -> int:
    return run_command(run, parser().parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
