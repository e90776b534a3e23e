"""Cycles of one encoder layer's operations on the accelerator top, its operands in the simulated
board's DDR, against the roofline: with the DDR model (host/accel/sim/ddr.py: 1.575 GB/s shared by the
two HP ports, 150 ns read latency) and with its bandwidth limit lifted.

    python3 bench/top_cycles.py [--model minilm|bert-base|both] [--tokens 128] [--small]

The layer as the top runs it: the QKV projection as OP_LINEAR, attention over all heads as
OP_ATTENTION (each head read in place from the QKV output), the output projection and FFN-out as
OP_MM_LN, FFN-in as OP_MM_GELU: five operations, each through the driver on the simulated board
(the device's build, vivado/defaults.tcl), its weights loaded once and its activations resident,
every result checked against golden. The roofline is first-principles (host/accel/roofline.py):
max(MACs / PEs, bytes in / 8, bytes out / 8), where bytes in counts every byte the operation needs
once; the design's own reads (the weights once per row tile, golden.read_plan) are printed beside
it, as beats and as a multiple of what is needed. ``--small`` runs a tiny layer (the suite's check
that the bench runs).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from host.accel.driver import Accelerator  # noqa: E402
from host.accel.operands import attention_problem, gelu_problem, linear_problem, ln_problem  # noqa: E402
from host.accel.operations import BY_KEY  # noqa: E402
from host.accel.roofline import work  # noqa: E402
from host.accel.sim.ddr import Ddr  # noqa: E402
from host.accel.sim.platform import SimIP, Simulator  # noqa: E402
from _record import documented, record

MODELS = {  # hidden, heads, FFN, layers
    "minilm": (384, 12, 1536, 6),
    "bert-base": (768, 12, 3072, 12),
    "tiny": (64, 2, 128, 2),
}


def layer_ops(t: int, d: int, heads: int, f: int) -> list[tuple[str, str, int, int, int]]:
    """(name, operation, M, K, N) of every operation of one layer (attention: T, d_head, heads)."""
    return [("QKV projection", "linear", t, d, 3 * d), ("attention", "attention", t, d // heads, heads),
            ("output projection", "mm_ln", t, d, d), ("FFN in", "mm_gelu", t, d, f), ("FFN out", "mm_ln", t, f, d)]


def operands(op: str, m: int, k: int, n: int, rng) -> tuple:
    """golden's arguments of one operation on random operands (host/accel/operands.py)."""
    if op == "attention":
        qkv, p = attention_problem(m, n, k, rng)
        return qkv, n, p
    return {"linear": linear_problem, "mm_ln": ln_problem, "mm_gelu": gelu_problem}[op](m, k, n, rng)


def run_layer(acc: Accelerator, ops, rng) -> list[dict]:
    """Each operation once, its weights resident and its operands in DDR; cycles and traffic."""
    out = []
    for label, op, m, k, n in ops:
        operation = BY_KEY[op]
        args = operands(op, m, k, n, rng)
        method = getattr(acc, op)
        a = acc.to_device(args[0], "a")
        if op == "attention":
            dest = acc.rows("o", m, k * n)
            method(a, *args[1:], out=dest)
        else:
            w = acc.load_weights({label: operation.weights(*args)})[label]
            dest = acc.rows("o", m, n)
            rest = list(args[1:])
            if op == "mm_ln":
                rest[2] = acc.to_device(rest[2], "r")
            method(a, *rest, weights=w, out=dest)
        if not np.array_equal(dest.numpy(), operation.golden(*args)):
            raise SystemExit(f"{label}: the core's result is not golden's")
        call = acc.calls[-1]
        out.append({"label": label, "op": op, "shape": (m, k, n), "cycles": call.cycles, "in_beats": call.in_beats,
                    "starved": acc.read("CYCLES_STARVED"), "stalled": acc.read("CYCLES_STALLED")})
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", choices=[*MODELS, "both"], default="both")
    ap.add_argument("--tokens", type=int, default=128)
    ap.add_argument("--small", action="store_true", help="a tiny layer of 16 tokens (what the suite runs)")
    a = ap.parse_args(argv)
    record(__file__, documented(ap, a))
    models = ["tiny"] if a.small else ["minilm", "bert-base"] if a.model == "both" else [a.model]
    t = 16 if a.small else a.tokens
    sim = Simulator()
    acc = Accelerator(SimIP(sim), sim.allocate, timeout=600, clock_mhz=sim.clock_mhz)
    pes = acc.limits.rows * acc.limits.cols
    for name in models:
        d, heads, f, layers = MODELS[name]
        ops = layer_ops(t, d, heads, f)
        runs = {}
        for label, ddr in (("DDR model", Ddr()), ("no bandwidth limit", Ddr(limit=False))):
            sim.set_ddr(ddr)
            runs[label] = run_layer(acc, ops, np.random.default_rng(0))
        per_cycle = Ddr().timing(sim.clock_mhz)[0]
        print(f"\n{name}: T={t}, hidden {d}, {heads} heads, FFN {f}; a {acc.limits.rows}x{acc.limits.cols} array at "
              f"{sim.clock_mhz:g} MHz; DDR model {per_cycle:.2f} bytes a cycle for both ports")
        print(f"{'operation':<20}{'M x K x N':>18}{'DDR model':>11}{'no limit':>10}{'roofline':>10}{'bound':>11}"
              f"{'ratio':>7}{'PE util':>9}{'design in':>11}{'x needed':>9}{'starved':>9}{'stalled':>9}")
        print("  (attention: T x d_head x heads; cycles: CYCLES_BUSY; roofline: every byte needed once; design in: "
              "the beats the core read, golden.read_plan)")
        total = {k: 0 for k in runs}
        ideal = 0
        for i, (label, op, m, k, n) in enumerate(ops):
            r, free = runs["DDR model"][i], runs["no bandwidth limit"][i]
            w = work(op, m, k, n)
            roof = w.cycles(pes)
            print(f"{label:<20}{f'{m} x {k} x {n}':>18}{r['cycles']:>11,}{free['cycles']:>10,}{roof:>10,.0f}"
                  f"{w.bound(pes):>11}{r['cycles'] / roof:>6.2f}x{w.macs / pes / r['cycles']:>8.1%}{r['in_beats']:>11,}"
                  f"{r['in_beats'] * 8 / w.bytes_in:>8.2f}x{r['starved']:>9,}{r['stalled']:>9,}")
            for key in runs:
                total[key] += runs[key][i]["cycles"]
            ideal += roof
        print(f"{'layer':<20}{'':>18}{total['DDR model']:>11,}{total['no bandwidth limit']:>10,}{ideal:>10,.0f}"
              f"{'':>11}{total['DDR model'] / ideal:>6.2f}x")
        ms = total["DDR model"] / (sim.clock_mhz * 1e3)
        print(f"  at {sim.clock_mhz:g} MHz with the DDR model: {ms:.2f} ms per layer, {ms * layers:.1f} ms for "
              f"{layers} layers (the core's time; the host's per operation: register writes and a wait)")
    acc.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
