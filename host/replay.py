"""Re-run one layer step saved by the divergence locator, on a backend and on golden.

    python3 -m host.replay FILE [--backend sim|pynq] [--debug]

FILE is the .npz the main job wrote when the accelerator and golden disagreed, or when the
accelerator failed a step (a core error, an error response from memory, a timeout); it
holds the step's inputs and the path of the parameter file they belong to. Prints the first
element that differs, the accelerator's error, or that they agree. Exit status 0 when equal, 1 when
they differ or the accelerator fails, 2 on a user error.
"""

from __future__ import annotations

import argparse
import sys
import zipfile

import numpy as np

from .model import params_io
from .cli import run_command
from .divergence import first_difference
from .layer import STEPS, LayerRunner, OperationFailed, Step, golden_step
from .accel.platform import default_backend, open_accelerator


def run(a: argparse.Namespace) -> int:
    try:
        with np.load(a.file, allow_pickle=False) as f:
            layer, name, params = int(f["layer"]), str(f["step"]), str(f["params"])
            inputs = {k[3:]: f[k] for k in f.files if k.startswith("in_")}
    except FileNotFoundError:
        raise ValueError(f"{a.file}: no such file") from None
    except (KeyError, ValueError, zipfile.BadZipFile, EOFError, OSError):
        # numpy's own message for a file that is not an .npz suggests allow_pickle: unsafe advice
        raise ValueError(f"{a.file}: not a replay file written by python3 -m host") from None
    if name not in STEPS:
        raise ValueError(f"{a.file}: unknown layer step {name!r}")
    qmodel, _ = params_io.load(params)
    p = qmodel.layers[layer]
    acc = open_accelerator(a.backend, announce=lambda: print("building the simulation (once)...", file=sys.stderr))
    try:
        got = LayerRunner(acc).step(layer, name, inputs, p)
    except OperationFailed as e:
        print(f"{e.step.where}: {a.backend} failed: {e.step.error}")
        return 1
    where = Step(layer, name, inputs, got).where
    d = first_difference(got, golden_step(name, inputs, p))
    if d is None:
        print(f"{where}: {a.backend} and golden agree ({got.size} elements)")
        return 0
    idx, g, w, n = d
    print(f"{where}: first difference at [{', '.join(map(str, idx))}]: "
          f"{a.backend} {g}, golden {w} ({n} of {got.size} differ)")
    return 1


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python3 -m host.replay", description=__doc__.splitlines()[0])
    ap.add_argument("file")
    ap.add_argument("--backend", choices=("sim", "pynq"), default=default_backend())
    ap.add_argument("--debug", action="store_true")
    return run_command(run, ap.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
