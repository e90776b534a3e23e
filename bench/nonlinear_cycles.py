"""Cycles per element of the streaming nonlinear units, measured in simulation (Verilator).

    python3 bench/nonlinear_cycles.py [--small]

1024 inputs back to back with the output always ready (softmax: eight rows of 128; layernorm: four rows of 256); prints the latency
of the first result and the cycles per element over the run. Resource estimates: bench/rtl_synth.py.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tb.runner import run  # noqa: E402
from _record import documented, record

UNITS = [("div", {"W": 32}), ("sqrt", {"W": 32}), ("exp", {}), ("gelu", {}), ("softmax", {"MAX_N": 128}),
         ("layernorm", {"MAX_C": 768})]


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--small", action="store_true", help="div and exp on Icarus (the suite's check that it runs)")
    args = ap.parse_args()
    small = args.small
    record(__file__, documented(ap, args))
    simulator, units = ("icarus", UNITS[:1] + UNITS[2:3]) if small else ("verilator", UNITS)
    print(f"{'unit':<10} {'latency':>8} {'cycles/element':>15}")
    for top, params in units:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "perf.json"
            os.environ["BENCH_PERF_OUT"] = str(out)
            run(top, simulator, params, test_module="tb.perf_stream")
            r = json.loads(out.read_text())
        print(f"{top:<10} {r['latency']:>8} {r['cycles'] / r['count']:>15.3f}")


if __name__ == "__main__":
    main()
