"""mm cycles and PE utilisation for BERT-shaped products, measured in simulation (Verilator).

    python3 bench/mm_cycles.py [--n1 8 --n2 8] [--small]

Cycles run from the start pulse to the handshake of the last output beat, with both streams at
full rate (no idle, no backpressure); the result is checked against golden.matmul. Ideal is
M*K*N / (N1*N2); utilisation is ideal / measured (issue target: >= 85% at K = 768).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tb.runner import run  # noqa: E402
from _record import documented, record

SHAPES = [(32, 768, 64), (128, 768, 64), (128, 768, 768)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n1", type=int, default=8)
    ap.add_argument("--n2", type=int, default=8)
    ap.add_argument("--simulator", default="verilator")
    ap.add_argument("--small", action="store_true", help="a 2x2 array, one small product, on Icarus (the suite's check)")
    a = ap.parse_args()
    record(__file__, documented(ap, a))
    shapes = SHAPES
    params = {"N1": a.n1, "N2": a.n2, "MAX_M": 128, "MAX_K": 768, "MAX_N": 768}
    if a.small:
        a.n1 = a.n2 = 2
        a.simulator, shapes = "icarus", [(8, 16, 8)]
        params = {"N1": 2, "N2": 2, "MAX_M": 32, "MAX_K": 64, "MAX_N": 32}
    print(f"mm on a {a.n1}x{a.n2} array ({a.simulator})")
    print(f"{'M':>5} {'K':>5} {'N':>5} {'cycles':>10} {'ideal':>10} {'utilisation':>12}")
    for m, k, n in shapes:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "perf.json"
            os.environ.update(BENCH_M=str(m), BENCH_K=str(k), BENCH_N=str(n), BENCH_PERF_OUT=str(out))
            run("mm", a.simulator, params, test_module="tb.perf_mm")
            cycles = json.loads(out.read_text())["cycles"]
        ideal = m * k * n / (a.n1 * a.n2)
        print(f"{m:>5} {k:>5} {n:>5} {cycles:>10} {ideal:>10.0f} {ideal / cycles:>11.1%}")


if __name__ == "__main__":
    main()
