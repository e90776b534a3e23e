"""Cycles of one encoder layer's operations through the accelerator top (Verilator), against the
roofline, and the projected time per layer and per model.

    python3 bench/top_cycles.py [--n1 12 --n2 14 --model minilm|bert-base|both]

The layer as the top runs it: the QKV projection as OP_LINEAR, attention over all heads as
OP_ATTENTION (the QKV projection sent head-major, a packet per head), the output projection and
FFN-out as OP_MM_LN, FFN-in as OP_MM_GELU: five operations. Each operation goes through AXI only (registers, one packet
in, one out) at full stream rate. The roofline is first-principles (host/roofline.py): max(MACs /
PEs, bytes in / 8, bytes out / 8), where bytes in counts every byte the operation needs once; the
design's own input traffic (the weights once per row tile) is printed beside it, as beats and as
a multiple of what is needed. The projection multiplies by the
model's layers at 100 and 150 MHz, with and without 60 us of host round trip per DMA transfer.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from host.overlay import build_defaults  # noqa: E402
from host.roofline import work  # noqa: E402
from tb.runner import run  # noqa: E402

T = 128
MODELS = {  # hidden, heads, FFN, layers
    "minilm": (384, 12, 1536, 6),
    "bert-base": (768, 12, 3072, 12),
}
ROUND_TRIP_US = 60.0


def layer_ops(d: int, heads: int, f: int) -> list[tuple[str, str, int, int, int, int]]:
    """(name, operation, M, K, N, count) of every operation of one layer."""
    dh = d // heads
    return [("QKV projection", "linear", T, d, 3 * d, 1), ("attention", "attention", T, dh, heads, 1),
            ("output projection", "mm_ln", T, d, d, 1),
            ("FFN in", "mm_gelu", T, d, f, 1), ("FFN out", "mm_ln", T, f, d, 1)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    d = build_defaults()  # the device configuration (vivado/defaults.tcl)
    ap.add_argument("--n1", type=int, default=int(d["n1"]))
    ap.add_argument("--n2", type=int, default=int(d["n2"]))
    ap.add_argument("--model", choices=[*MODELS, "both"], default="both")
    a = ap.parse_args()
    pes = a.n1 * a.n2
    models = list(MODELS) if a.model == "both" else [a.model]
    params = {"N1": a.n1, "N2": a.n2, "MAX_M": T, "MAX_K": 3072, "MAX_N": 3072}
    for name in models:
        d, heads, f, layers = MODELS[name]
        ops = layer_ops(d, heads, f)
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "perf.json"
            os.environ.update(BENCH_OPS=",".join(f"{op}:{m}x{k}x{n}" for _, op, m, k, n, _ in ops), BENCH_PERF_OUT=str(out))
            run("ibert_top", "verilator", params, test_module="tb.perf_top")
            measured = json.loads(out.read_text())
        print(f"\n{name}: T={T}, hidden {d}, {heads} heads, FFN {f}; a {a.n1}x{a.n2} array (Verilator)")
        print(f"{'operation':<20}{'op':<9}{'M x K x N':>18}{'cycles':>10}{'roofline':>10}{'bound':>11}{'ratio':>7}"
              f"{'PE util':>9}{'design in':>11}{'x needed':>9}{'starved':>9}{'stalled':>9}")
        print("  (attention: T x d_head x heads, 2 T^2 d_head MACs a head; roofline: every byte needed once; "
              "design in: the beats the packets carried)")
        total = ideal = transfers = 0
        for (label, op, m, k, n, count), r in zip(ops, measured):
            w = work(op, m, k, n)
            roof = w.cycles(pes)
            util = w.macs / pes / r["cycles"]
            print(f"{label:<20}{op:<9}{f'{m} x {k} x {n}':>18}{r['cycles']:>10,}{roof:>10,.0f}{w.bound(pes):>11}"
                  f"{r['cycles'] / roof:>6.2f}x{util:>8.1%}{r['in_beats']:>11,}{r['in_beats'] * 8 / w.bytes_in:>8.2f}x"
                  f"{r['starved']:>9,}{r['stalled']:>9,}")
            total += count * r["cycles"]
            ideal += count * roof
            transfers += count * (1 + (n if op == "attention" else 1))
        print(f"{'layer':<20}{'':<9}{'':>18}{total:>10,}{ideal:>10,.0f}{'':>11}{total / ideal:>6.2f}x")
        for mhz in (100, 150):
            ms = total / (mhz * 1e3)
            rt = transfers * ROUND_TRIP_US / 1e3
            print(f"  at {mhz} MHz: {ms:.2f} ms per layer, {ms * layers:.1f} ms per model; with {ROUND_TRIP_US:.0f} us per "
                  f"DMA transfer ({transfers} a layer): {ms + rt:.2f} ms per layer, {(ms + rt) * layers:.1f} ms per model")


if __name__ == "__main__":
    main()
