"""Where the accelerator and golden first disagree: every operation of a run is checked against
its golden function on the very inputs the accelerator got, so the first mismatch names the
operation that went wrong (not one that only inherited a wrong input). An operation the
accelerator failed outright (host.layer.OperationFailed: a core error, an error response, the wrong
length, a timeout) is located the same way. Either is saved with its inputs, and
``python3 -m host.replay FILE`` re-runs just that step on both sides."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .layer import Step, golden_step


@dataclass
class Divergence:
    index: tuple[int, ...]
    got: int
    want: int
    mismatches: int
    step: Step

    def describe(self) -> str:
        if not self.index:
            return f"{self.step.where}: the output's shape {self.step.output.shape} is not golden's"
        where = ", ".join(map(str, self.index))
        return (f"{self.step.where}: first difference at element [{where}]: accelerator "
                f"{self.got}, golden {self.want} ({self.mismatches} of {self.step.output.size} elements differ)")


def first_difference(got: np.ndarray, want: np.ndarray) -> tuple[tuple[int, ...], int, int, int] | None:
    """(index, got, want, count) of the first element where the arrays differ, or None."""
    if got.shape != want.shape:
        return (), -1, -1, max(got.size, want.size)
    diff = np.argwhere(got != want)
    if not len(diff):
        return None
    idx = tuple(int(i) for i in diff[0])
    return idx, int(got[idx]), int(want[idx]), len(diff)


def locate(trace: list[Step], layers) -> Divergence | None:
    """The first operation in ``trace`` whose output is not its golden function's on its inputs."""
    for step in trace:
        if step.output is None:  # failed: host.layer.OperationFailed reports it
            continue
        d = first_difference(step.output, golden_step(step.name, step.inputs, layers[step.layer]))
        if d is not None:
            return Divergence(d[0], d[1], d[2], d[3], step)
    return None


def save_replay(step: Step, params_path: str | Path, folder: Path) -> Path:
    """Write one operation's inputs (and where its parameters are) for host.replay: the diverging
    one (``Divergence.step``) or the failed one (``OperationFailed.step``)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"divergence-layer{step.layer}-{step.name}.npz"
    tmp = path.with_name(path.name + ".tmp.npz")
    np.savez(tmp, layer=step.layer, step=step.name, params=str(params_path),
             **{f"in_{k}": v for k, v in step.inputs.items()})
    tmp.replace(path)
    return path
