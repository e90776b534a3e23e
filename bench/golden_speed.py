"""Golden integer encoder layer vs the same layer in float32 numpy, BERT-base shape, one run.

    python3 bench/golden_speed.py [--tokens 128 --hidden 768 --heads 12 --ffn 3072 --repeat 7] [--small]

Prints the best-of-N time of each and their ratio, with the BLAS thread count pinned to the same
value for both (1, then every core; threadpoolctl). Target: golden within 1.3x of float32.
"""

from __future__ import annotations

import argparse
import time

import os

import numpy as np
from threadpoolctl import threadpool_limits

from golden import constants as C
from golden import float_ref as F
from golden.calibrate import Calibration, quantize_layer
from golden.encoder_layer import encoder_layer
from _record import documented, record


def best_of(fn, repeat: int) -> float:
    fn()  # warm-up (BLAS threads, page faults)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tokens", type=int, default=128)
    ap.add_argument("--hidden", type=int, default=768)
    ap.add_argument("--heads", type=int, default=12)
    ap.add_argument("--ffn", type=int, default=3072)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--small", action="store_true", help="a tiny layer, once (the suite's check that it runs)")
    a = ap.parse_args()
    record(__file__, documented(ap, a))
    if a.small:
        a.tokens, a.hidden, a.heads, a.ffn, a.repeat = 16, 64, 4, 128, 1
    rng = np.random.default_rng(0)
    layer = F.random_layer(a.hidden, a.heads, a.ffn, rng)
    x = rng.normal(0.0, 1.0, (a.tokens, a.hidden))
    s_in = C.symmetric_scale(np.max(np.abs(x)), 8)
    params = quantize_layer(layer, x, s_in, Calibration()).params  # the default quantizer
    xq = C.quantize(x, s_in, 8).astype(np.int8)
    layer32, x32 = layer.astype(np.float32), x.astype(np.float32)

    print(f"encoder layer {a.tokens} tokens, hidden {a.hidden}, {a.heads} heads, FFN {a.ffn} (best of {a.repeat})")
    print(f"{'BLAS threads':<14}{'golden ms':>11}{'float32 ms':>12}{'ratio':>8}   (target <= 1.3x)")
    for threads in sorted({1, os.cpu_count() or 1}):
        with threadpool_limits(limits=threads, user_api="blas"):
            t_int = best_of(lambda: encoder_layer(xq, params), a.repeat)
            t_f32 = best_of(lambda: F.encoder_layer(x32, layer32), a.repeat)
        print(f"{threads:<14}{t_int * 1e3:>11.2f}{t_f32 * 1e3:>12.2f}{t_int / t_f32:>7.2f}x")


if __name__ == "__main__":
    main()
