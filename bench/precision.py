"""Accuracy by weight width: the integer-only model with 8-, 6- and 4-bit weights (signed, symmetric
per output channel; golden.calibrate.Calibration.weight_bits), with one scale per channel or also
an integer multiplier per group of 32, 64 or 128 input rows (Calibration.weight_group), rounded to
nearest or with GPTQ's error feedback (Calibration.error_feedback), on the FFN's two projections
only or on all six, against float32 on the kit's varied evaluation set.

    python3 bench/precision.py [--checkpoint DIR] [--calibration 256] [--small] [--plot PNG]
    python3 bench/precision.py --from-results --plot docs/precision.png   # redraw the recorded table

Per setting: cosine of the sentence embedding with float32 (mean, min), the Spearman correlation of
the pairwise similarities, the weights' size packed at their width, group multipliers included
(the model, and one layer), and
the weight bytes one layer streams at T = 128 on the device's array (every row tile of 24 rows
passes the layer's weights once), and the norm of the mean-pooled embedding before its normalization
against float32's (the lowest and highest ratio over the sentences: what a user of raw dot products
sees; the goal is within 1 %). Activations stay int8; every setting runs on the same integer
operations (an int8 holds the narrower weights), so each is exact on the RTL as W8 is.
``--small``: 8 calibration and 8 evaluation sentences (the suite runs it on a tiny model).
``--plot PNG`` draws the table (mean and min cosine against the weight bytes a layer streams);
with ``--from-results`` it draws bench/results/precision.txt, measuring nothing.
"""

from __future__ import annotations

import argparse
import re
import sys
import textwrap
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from model_fidelity import Evaluation  # noqa: E402  (the fidelity bench's scoring, shared)

from golden.calibrate import Calibration  # noqa: E402
from golden.weight_groups import multiplier_bits  # noqa: E402
from host.model import bert  # noqa: E402
from host.model.checkpoint import default_model_dir, load_checkpoint  # noqa: E402
from host.model.eval_text import CATEGORIES, varied_sentences  # noqa: E402
from host.model.sentences import calibration_sentences  # noqa: E402
from host.model.tokenize import Tokenizer  # noqa: E402
from _record import documented, record

SETTINGS = [(bits, scope, group, fb)
            for bits, scope, group in [(8, "all", 0)] + [(b, s, g) for b in (6, 4) for s in ("ffn", "all")
                                                        for g in (0, 128, 64, 32)]
            for fb in (False, True)]
TOKENS, TILE_ROWS = 128, 24
#: The goal the closing line checks a 4-bit setting against.
GOAL_MEAN, GOAL_MIN = 0.995, 0.99
RECORDED = Path(__file__).resolve().parent / "results" / "precision.txt"
ROW = re.compile(r"^(W\d \w+, (?:channel|G\d+), (?:nearest|GPTQ))\s+([\d.]+)\s+([\d.]+)\s+[\d.]+\s+[\d.]+\s+[\d.]+"
                 r"\s+([\d.]+)", re.M)


def table_rows(text: str) -> list[tuple[str, float, float, float]]:
    """(setting, mean, min, streamed KB a layer) of each row of a printed table."""
    return [(m[1], float(m[2]), float(m[3]), float(m[4])) for m in ROW.finditer(text)]


def plot(rows, png: str, title: str) -> None:
    """Mean and min cosine against the weight bytes a layer streams, one marker per setting:
    colour the width and scope, shape the granularity, hollow for GPTQ."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    colours = {"W8 all": "k", "W6 FFN": "tab:blue", "W6 all": "tab:cyan", "W4 FFN": "tab:red", "W4 all": "tab:orange"}
    shapes = {"channel": "o", "G128": "s", "G64": "^", "G32": "D"}
    fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharex=True)
    for ax, i, what, goal in ((axes[0], 1, "mean cosine", GOAL_MEAN), (axes[1], 2, "min cosine", GOAL_MIN)):
        for row in rows:
            width, gran, method = row[0].split(", ")
            ax.scatter(row[3] / 1e3, row[i], marker=shapes[gran], s=36, edgecolors=colours[width],
                       facecolors=colours[width] if method == "nearest" else "none")
        ax.axhline(goal, color="grey", lw=0.8, ls="--")
        ax.set_xlabel("weight MB streamed per layer (T = 128)")
        ax.set_ylabel(what)
    for label, c in colours.items():
        axes[0].scatter([], [], color=c, label=label)
    for label, m in shapes.items():
        axes[0].scatter([], [], marker=m, facecolors="none", edgecolors="grey", label=label)
    axes[0].legend(fontsize=7, ncol=2, title="filled: nearest, hollow: GPTQ", title_fontsize=7)
    fig.suptitle(textwrap.fill(title, 120), fontsize=8)
    fig.tight_layout()
    fig.savefig(png, dpi=110)
    print(f"plot: {png}")


def weight_bytes(model, cal: Calibration) -> tuple[float, float]:
    """The weights packed at their widths, with a multiplier per group and channel where there are
    groups: the whole model's and one layer's bytes."""
    per_layer = []
    for layer in model.layers:
        total = 0.0
        for proj, w in (("q", layer.wq), ("k", layer.wk), ("v", layer.wv), ("o", layer.wo), ("ffn_in", layer.w1),
                        ("ffn_out", layer.w2)):
            bits, group = cal.bits(proj), cal.group(proj)
            total += w.size * (bits + (multiplier_bits(bits) / group if group else 0)) / 8
        per_layer.append(total)
    return float(sum(per_layer)), float(per_layer[0])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--checkpoint")
    ap.add_argument("--calibration", type=int, default=bert.CALIBRATION_SENTENCES)
    ap.add_argument("--small", action="store_true", help="8 calibration and 8 evaluation sentences")
    ap.add_argument("--plot", metavar="PNG", help="also draw the table into this PNG file")
    ap.add_argument("--from-results", action="store_true", help=f"with --plot: draw {RECORDED.name}, measure nothing")
    a = ap.parse_args(argv)
    if a.from_results:
        if not a.plot:
            ap.error("--from-results draws the recorded table: give --plot PNG")
        text = RECORDED.read_text()
        plot(table_rows(text), a.plot, text.splitlines()[1])
        return 0
    record(__file__, documented(ap, a))
    folder = a.checkpoint or default_model_dir()
    model, tok = load_checkpoint(folder), Tokenizer(folder)
    count = 8 if a.small else a.calibration
    sentences = varied_sentences()[:8] if a.small else varied_sentences()
    calib = [tok.encode(s) for s in calibration_sentences(count)]
    ev = Evaluation(model, tok, sentences, CATEGORIES)
    ref_norm = np.array([np.linalg.norm(bert.hidden_float(model, i, np.float32).mean(axis=0)) for i in ev.ids])
    passes = -(-TOKENS // TILE_ROWS)
    print(f"{model.name}: weights by width and scale granularity, {count} calibration sentences; "
          f"integer-only vs float32 on {len(sentences)} sentences of the varied set")
    print(f"{'weights':<30}{'mean':>8}{'min':>8}{'Spearman':>10}{'model MB':>10}{'layer KB':>10}"
          f"{'streamed KB/layer':>19}{'norm ratio':>16}{'quantize s':>12}")
    rows = []
    for bits, scope, group, fb in SETTINGS:
        cal = Calibration(weight_bits=bits, weight_scope=scope, weight_group=group, error_feedback=fb)
        t0 = time.perf_counter()
        q = bert.quantize(model, calib, cal)
        t_q = time.perf_counter() - t0
        pooled = np.array([bert.hidden_int(q, i).mean(axis=0) for i in ev.ids])
        norm = np.linalg.norm(pooled, axis=1)
        mean, low, rho = ev.score(pooled / norm[:, None])
        ratio = norm / ref_norm
        size, layer = weight_bytes(model, cal)
        name = (f"W{bits} " + ("all" if scope == "all" else "FFN") + (f", G{group}" if group else ", channel")
                + (", GPTQ" if fb else ", nearest"))
        rows.append((name, bits, mean, low, layer))
        print(f"{name:<30}{mean:>8.4f}{low:>8.4f}{rho:>10.4f}{size / 1e6:>10.2f}{layer / 1e3:>10.1f}"
              f"{layer * passes / 1e3:>19.1f}{f'{ratio.min():.4f}-{ratio.max():.4f}':>16}{t_q:>12.1f}", flush=True)
    if a.plot:
        plot([(name, mean, low, layer * passes / 1e3) for name, _, mean, low, layer in rows], a.plot,
             f"{model.name}, integer-only vs float32 on {len(sentences)} sentences")
    ok = [name for name, bits, mean, low, _ in rows if bits == 4 and mean >= GOAL_MEAN and low >= GOAL_MIN]
    print(f"4-bit settings keeping min cosine >= {GOAL_MIN} and mean >= {GOAL_MEAN}: "
          + (", ".join(ok) if ok else "none (per-channel or group scales of 32 to 128 rows, round to nearest "
                                       "or GPTQ)"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
