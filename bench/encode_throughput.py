"""Sentences per second through host.encoder.Encoder on the simulated accelerator (the device's build,
12 x 14, vivado/defaults.tcl): all-MiniLM-L6-v2, sentences of exactly 16 tokens, unbatched and in
batches (up to 8 sentences and 128 rows, the core's MAX_M, filling its row tiles:
host.encoder.batches), from the core's own cycle counts at the core's clock (the default build's),
its operands in the simulated board's DDR behind the DDR model (batched also without its bandwidth
limit); beside them the two bounds of a 16-token layer: the weight stream (every weight and per-channel constant beat
of the layer's operations, once per pass) and the compute (the layer's MACs over the array's PEs).
Then the simulation's own speed with 1 and 2 worker processes.

    python3 bench/encode_throughput.py [--sentences 16] [--skip-workers] [--small]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from host.encoder import Encoder, batches  # noqa: E402
from host.accel.sim.ddr import Ddr  # noqa: E402
from host.model.eval_text import varied_sentences  # noqa: E402
from host.layer import STEPS, weight_args  # noqa: E402
from host.accel.operations import OPERATIONS  # noqa: E402
from host.model.sentences import evaluation_sentences  # noqa: E402
from _record import documented, record

TOKENS = 16


def sixteen_token_sentences(enc: Encoder, count: int) -> list[str]:
    pool = [s for s in [*varied_sentences(), *evaluation_sentences()] if len(enc.tokenizer.encode(s)) == TOKENS]
    if len(pool) < count:
        raise SystemExit(f"only {len(pool)} sentences of {TOKENS} tokens in the kit's sets")
    return pool[:count]


def bounds(enc: Encoder) -> tuple[int, float, int, int]:
    """(weight beats of one layer's operations, MACs of a 16-token layer, PEs, layers)."""
    from host.model import params_io

    q, _ = params_io.load(enc.spec.params)
    p = q.layers[0]
    weights = sum(OPERATIONS[step.code].weights(*weight_args(name, p)).size  # uint64 beats, constants included
                  for name, step in STEPS.items() if OPERATIONS[step.code].weights is not None)
    d, f = p.hidden, p.ffn_in.w.shape[1]
    macs = TOKENS * d * 3 * d + 2 * TOKENS * TOKENS * d + TOKENS * d * d + 2 * TOKENS * d * f
    lim = enc._engine.acc.limits
    return weights, macs, lim.rows * lim.cols, len(q.layers)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sentences", type=int, default=16)
    ap.add_argument("--skip-workers", action="store_true")
    ap.add_argument("--small", action="store_true",
                    help="one sentence, 8 calibration sentences, the DDR model on, no workers (the suite's check)")
    a = ap.parse_args()
    record(__file__, documented(ap, a))
    calibration = 64
    if a.small:
        a.sentences, a.skip_workers, calibration = 1, True, 8
    with Encoder(calibration=calibration) as enc:
        sentences = sixteen_token_sentences(enc, a.sentences)
        weights, macs, pes, layers = bounds(enc)
        compute = macs / pes
        print(f"all-MiniLM-L6-v2, {len(sentences)} sentences of {TOKENS} tokens, {pes} PEs at {enc.clock_mhz:g} MHz")
        print(f"bounds per sentence and layer: compute {macs / 1e6:.1f} M MACs / {pes} PEs = {compute:,.0f} cycles; "
              f"weight stream {weights:,} beats per pass of the weights, shared by a batch's sentences")
        print(f"{'(sentences per batch)':>30}{'cycles/sentence/layer':>24}{'vs compute':>12}{'vs its roofline':>17}{'sentences/s':>13}")
        results = {}
        sim = getattr(enc._engine.acc, "sim", None)  # the simulated board: its DDR model, on and off
        runs = [("unbatched", 1, Ddr()), ("batched", 8, Ddr())]
        if sim is not None and not a.small:
            runs.append(("batched, no DDR limit", 8, Ddr(limit=False)))
        for name, batch, ddr in runs:
            if sim is not None:
                sim.set_ddr(ddr)
            emb = enc.encode(sentences, batch_size=batch)
            per = enc.cycles.mean() / layers
            groups = batches([TOKENS] * len(sentences), batch, enc.max_tokens, enc.tile_rows)
            roof = max(compute, weights * len(groups) / len(sentences))  # the weights once per pass
            label = f"{name} ({len(sentences) / len(groups):.2g})"
            results.setdefault(batch, emb)
            print(f"{label:>30}{per:>24,.0f}{per / compute:>11.2f}x{per / roof:>16.2f}x"
                  f"{enc.clock_mhz * 1e6 / (per * layers):>13.1f}")
        same = np.array_equal(results[1], results[8])
        print(f"batched embeddings bit-identical to unbatched: {'yes' if same else 'NO'}")
    if a.skip_workers:
        return
    print("simulation speed (host wall clock, batched):")
    for workers in (1, 2):
        with Encoder(calibration=64, workers=workers) as enc:
            enc.encode(sentences[:8 * workers], batch_size=8)  # warm: every worker builds nothing, loads once
            t0 = time.perf_counter()
            enc.encode(sentences, batch_size=8)
            wall = time.perf_counter() - t0
        print(f"  {workers} worker{'s' if workers > 1 else ''}: {len(sentences) / wall:.2f} sentences/s "
              f"({wall:.1f} s for {len(sentences)})")


if __name__ == "__main__":
    main()
