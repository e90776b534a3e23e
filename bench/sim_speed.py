"""How fast the simulation backend runs the main job: all-MiniLM-L6-v2, a 16-token sentence, all
six layers on the device's RTL (12 x 14 array, vivado/defaults.tcl) in Verilator behind the pynq
interface, warm (the library built, the parameters cached), on one core.

    python3 bench/sim_speed.py [--runs 3] [--small]

Prints the wall time of the six layers (goal: at most 30 s), the simulated cycles and the
simulator's speed in cycles per second; every operation is checked against golden.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core: numpy's BLAS too
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from host.model import bert, cache  # noqa: E402
from host.model.checkpoint import default_model_dir, load_checkpoint  # noqa: E402
from host.divergence import locate  # noqa: E402
from host.layer import LayerRunner  # noqa: E402
from host.accel.platform import open_simulation  # noqa: E402
from host.model.tokenize import Tokenizer  # noqa: E402
from _record import documented, record

SENTENCE = "A small red boat drifted slowly across the quiet lake at dawn today."
GOAL_S = 30.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--small", action="store_true", help="one run on 8 calibration sentences (the suite's check)")
    a = ap.parse_args()
    record(__file__, documented(ap, a))
    calibration = 8 if a.small else bert.CALIBRATION_SENTENCES
    if a.small:
        a.runs = 1
    folder = default_model_dir()
    model, tok = load_checkpoint(folder), Tokenizer(folder)
    q, _, _ = cache.quantized(model, tok, calibration)
    ids = tok.encode(SENTENCE)[:16]
    acc, sim = open_simulation(announce=lambda: print("building the simulation (once)...", file=sys.stderr))
    best = None
    for _ in range(a.runs):
        runner = LayerRunner(acc)
        x = bert.embed_int(q, ids)
        c0, t0 = sim.cycles, time.perf_counter()
        for i, layer in enumerate(q.layers):
            x = runner.layer(i, x, layer)
        wall, cycles = time.perf_counter() - t0, sim.cycles - c0
        assert locate(runner.trace, q.layers) is None, "the RTL and golden differ"
        best = wall if best is None else min(best, wall)
        print(f"{len(ids)} tokens, {len(q.layers)} layers: {wall:.2f} s, {cycles:,} cycles simulated, "
              f"{cycles / wall:,.0f} cycles/s")
    print(f"best {best:.2f} s (goal <= {GOAL_S:.0f} s): {'met' if best <= GOAL_S else 'NOT met'}")
    return 0 if best <= GOAL_S else 1


if __name__ == "__main__":
    raise SystemExit(main())
