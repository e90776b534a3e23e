"""One random BERT-shaped integer encoder layer against float64 math (the real model: python3 -m host).

    python3 -m golden [--hidden 768 --heads 12 --ffn 3072 --tokens 128 --seed 0]

Builds a BERT-shaped layer with random BERT-like weights, quantizes it (I-BERT's max calibration,
golden.calibrate.MAX_CALIBRATION: a random layer has no outlier channels to smooth; calibrated on
one input, evaluated on another), runs it in golden integers and in
float64, and prints the fidelity (cosine per token, error in output LSBs) and the run times.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from . import constants as C
from . import float_ref as F
from .calibrate import MAX_CALIBRATION, quantize_layer
from .encoder_layer import encoder_layer


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python3 -m golden", description=__doc__.splitlines()[0])
    ap.add_argument("--hidden", type=int, default=768)
    ap.add_argument("--heads", type=int, default=12)
    ap.add_argument("--ffn", type=int, default=3072)
    ap.add_argument("--tokens", type=int, default=128)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args(argv)
    if a.hidden % a.heads:
        ap.error(f"--hidden {a.hidden} is not divisible by --heads {a.heads}")

    rng = np.random.default_rng(a.seed)
    layer = F.random_layer(a.hidden, a.heads, a.ffn, rng)
    calib = rng.normal(0.0, 1.0, (a.tokens, a.hidden))
    x = rng.normal(0.0, 1.0, (a.tokens, a.hidden))
    in_scale = C.symmetric_scale(np.max(np.abs(calib)), 8)
    ql = quantize_layer(layer, calib, in_scale, MAX_CALIBRATION)
    xq = C.quantize(x, in_scale, 8).astype(np.int8)

    t0 = time.perf_counter()
    yq = encoder_layer(xq, ql.params)
    t_int = time.perf_counter() - t0
    t0 = time.perf_counter()
    ref = F.encoder_layer(C.dequantize(xq, in_scale), layer)
    t_ref = time.perf_counter() - t0

    y = C.dequantize(yq, ql.out_scale)
    cos = np.sum(y * ref, axis=1) / (np.linalg.norm(y, axis=1) * np.linalg.norm(ref, axis=1))
    lsb = np.abs(y - ref) / ql.out_scale
    print(f"encoder layer: hidden {a.hidden}, heads {a.heads}, ffn {a.ffn}, tokens {a.tokens} (seed {a.seed})")
    print(f"golden integer vs float64: cosine per token mean {cos.mean():.6f}, min {cos.min():.6f}")
    print(f"  output error in int8 LSBs: mean {lsb.mean():.3f}, 99th pct {np.percentile(lsb, 99):.2f}, max {lsb.max():.2f}")
    print(f"time: golden integer {t_int * 1e3:.1f} ms, float64 reference {t_ref * 1e3:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
