"""The yosys estimate of exactly what vivado/build.tcl builds: rtl/ibert_axi.v over the RTL, at the
parameters of vivado/defaults.tcl (or those given), for the xc7z020.

    python3 bench/fit_xc7z020.py [--n1 12 --n2 16 --max-m 128 --max-k 3072 --max-n 3072 --clock-mhz 100] [--small]

Prints LUT / FF / DSP48E1 / BRAM36 against the device and the logic-delay estimate against half the
clock period (the other half is left to routing, which yosys does not see). Exits 1 when the design
does not fit the device, when LUTs pass 70 % (room for routing), or when the delay is over budget.
Estimates, not Vivado figures.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from host.accel.overlay import build_defaults  # noqa: E402
from tb.yosys import logic_delay, resources  # noqa: E402
from _record import documented, record

DEVICE = {"LUT": 53_200, "FF": 106_400, "DSP": 220, "BRAM": 140}
LUT_SHARE_MAX = 0.70


def main() -> int:
    d = build_defaults()
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("n1", "n2", "max_m", "max_k", "max_n", "clock_mhz"):
        ap.add_argument(f"--{name.replace('_', '-')}", type=int, default=int(d[name]))
    ap.add_argument("--small", action="store_true", help="a 2 x 2 array with small maxima (the suite's check)")
    a = ap.parse_args()
    record(__file__, documented(ap, a))
    if a.small:
        a.n1, a.n2, a.max_m, a.max_k, a.max_n = 2, 2, 16, 64, 64
    params = {"N1": a.n1, "N2": a.n2, "MAX_M": a.max_m, "MAX_K": a.max_k, "MAX_N": a.max_n}
    print(f"ibert_axi {params} for xc7z020 (yosys synth_xilinx estimate)")
    t0 = time.perf_counter()
    res = resources("ibert_axi", params)
    ok = True
    for kind, cap in DEVICE.items():
        share = res[kind] / cap
        limit = LUT_SHARE_MAX if kind == "LUT" else 1.0
        verdict = "ok" if share <= limit else "OVER"
        ok &= share <= limit
        print(f"  {kind:<5}{res[kind]:>10,.1f} of {cap:>7,}  {share:6.1%}  {verdict}")
    print(f"  array: {a.n1 * a.n2} PEs = {a.n1 * a.n2 / DEVICE['DSP']:.0%} of the DSPs")
    budget = 1000.0 / a.clock_mhz / 2
    delay, path, untimed = logic_delay("ibert_axi", params)
    ok &= delay <= budget
    print(f"  logic delay {delay:.2f} ns, budget {budget:.2f} ns at {a.clock_mhz} MHz: {'ok' if delay <= budget else 'OVER'}"
          + (f"  (no timing model: {', '.join(untimed)})" if untimed else ""))
    print(f"  ({time.perf_counter() - t0:.0f} s)")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
