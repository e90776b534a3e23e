"""Fidelity of the integer-only BERT against float32 on a real checkpoint (all-MiniLM-L6-v2).

    python3 bench/model_fidelity.py [--eval 240 --calibration 256 --checkpoint DIR] [--small]

On sentences disjoint from the calibration set: cosine between the integer-only sentence embedding
(golden, integers end to end) and the float32 one (mean, minimum), and the Spearman correlation of
their pairwise similarity matrices. Issue targets: mean >= 0.99, min >= 0.97, Spearman >= 0.98.
First a table of quantizer configurations (golden.calibrate.Calibration: activation clipping,
LayerNorm-output smoothing, the GELU zero point and per-channel grid, bias correction, GPTQ) on
both sets. Then, for I-BERT's max
calibration and for the default, the ablation: the float model with ONE quantization effect
switched on at a time (int8 weights; int8 rounding of the activations at the calibrated scales,
all of them and each tensor alone; golden's integer softmax, GELU or LayerNorm at the calibrated
scales), to show which operation loses the accuracy.
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np
from scipy.stats import spearmanr

import golden
from golden import constants as C
from golden import float_ref as F
from golden.calibrate import MAX_CALIBRATION, Calibration
from golden.widths import SOFTMAX_OUT_BITS
from host.model import bert
from host.model.checkpoint import default_model_dir, load_checkpoint
from host.model.eval_text import CATEGORIES, varied_sentences
from host.model.sentences import calibration_sentences, evaluation_sentences
from host.model.tokenize import Tokenizer
from _record import documented, record


def fq(x, scale, bits=8, zero=0.0):
    """Round reals to the integer grid ``x / scale + zero`` (saturating) and back."""
    return C.dequantize(C.quantize(x + zero * scale, scale, bits), scale) - zero * scale


def ablated_layer(x, p: F.FloatEncoderLayer, s: dict, on: str) -> np.ndarray:
    """The float layer with the single effect ``on`` applied (see the module docstring)."""
    w = {k: getattr(p, k) for k in ("wq", "wk", "wv", "wo", "w1", "w2")}
    if on == "weights":
        w = {k: fq(v, C.symmetric_scale(np.abs(v).max(axis=0), 8)) for k, v in w.items()}
    def act(v, name):
        return fq(v, s[name], zero=s.get(f"{name}_zero", 0.0)) if on in ("activations", f"act {name}") else v

    x = act(x, "in")
    d = x.shape[1]
    dh = d // p.heads
    q, k, v = (act(x @ w[n] + b, name) for n, b, name in (("wq", p.bq, "q"), ("wk", p.bk, "k"), ("wv", p.bv, "v")))
    ctx = np.empty_like(q)
    for h in range(p.heads):
        sl = slice(h * dh, (h + 1) * dh)
        scores = q[:, sl] @ k[:, sl].T / math.sqrt(dh)
        if on == "softmax":
            s_scores = s["q"] * s["k"] / math.sqrt(dh)
            prob = golden.softmax(C.quantize(scores, s_scores, 32), C.softmax_consts(s_scores)) * 2.0**-SOFTMAX_OUT_BITS
        else:
            prob = F.softmax(scores)
        ctx[:, sl] = prob @ v[:, sl]
    ctx = act(ctx, "ctx")

    def ln(h, g, b, name):
        if on != "layernorm":
            return F.layernorm(h, g, b, p.eps)
        scale = s[name]
        params, out_scale = C.layernorm_consts(g, b)
        return golden.layernorm(C.quantize(h, scale, 22), params) * out_scale

    a1 = act(ln(ctx @ w["wo"] + p.bo + x, p.ln1_g, p.ln1_b, "h1"), "a1")
    f = a1 @ w["w1"] + p.b1
    if on == "gelu":
        acc = s["ffn_in_acc"]
        sh = C.gelu_shift(acc, (129 - s.get("g_zero", 0.0)) * s["g"])  # as golden.calibrate: top code + 2
        consts, out_scale = C.gelu_consts(acc, sh)
        g = golden.gelu(C.quantize(f, acc, 32), consts) * out_scale
    else:
        g = F.gelu(f)
    g = act(g, "g")
    return ln(g @ w["w2"] + p.b2 + a1, p.ln2_g, p.ln2_b, "h2")


#: The quantizer configurations compared (golden.calibrate.Calibration); the last is the default.
_OFF = dict(gelu_smooth=0.0, bias_correction=False)  # the refinements added after the first table
CONFIGS = [
    ("I-BERT: max, one scale per tensor", MAX_CALIBRATION),
    ("percentile 99.99", Calibration("percentile", smooth=0.0, gelu_zero=False, **_OFF)),
    ("MSE-optimal clip", Calibration("mse", smooth=0.0, gelu_zero=False, **_OFF)),
    ("max + LayerNorm smoothing 0.75", Calibration("max", smooth=0.75, gelu_zero=False, **_OFF)),
    ("max + GELU zero point", Calibration("max", smooth=0.0, gelu_zero=True, **_OFF)),
    ("MSE + smoothing + zero point", Calibration("mse", smooth=0.75, gelu_zero=True, **_OFF)),
    ("max + smoothing + zero point", Calibration(**_OFF)),
    ("  + GELU grid per channel 0.25", Calibration(bias_correction=False)),
    ("  + bias correction", Calibration(gelu_smooth=0.0)),
    ("  + both, GPTQ", Calibration(error_feedback=True)),
    ("default: + both", Calibration()),
]
EFFECTS = ("weights", "activations", "softmax", "gelu", "layernorm")
ACTIVATIONS = ("in", "q", "k", "v", "ctx", "a1", "g")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval", type=int, default=240)
    ap.add_argument("--calibration", type=int, default=bert.CALIBRATION_SENTENCES)
    ap.add_argument("--checkpoint")
    ap.add_argument("--small", action="store_true",
                    help="8 calibration and 8 evaluation sentences, the default quantizer only (the suite's check)")
    a = ap.parse_args()
    record(__file__, documented(ap, a))
    configs = CONFIGS
    if a.small:
        a.eval, a.calibration = 8, 8
        configs = [(name, cal) for name, cal in CONFIGS if cal == Calibration()]
    folder = a.checkpoint or default_model_dir()
    model, tok = load_checkpoint(folder), Tokenizer(folder)
    calib = [tok.encode(s) for s in calibration_sentences(a.calibration)]
    sets = [
        (f"template set ({a.eval} sentences from the calibration grammar's other seeds)",
         Evaluation(model, tok, evaluation_sentences(a.eval), {})),
        (f"varied set ({len(varied_sentences())} sentences written for the kit, host/model/eval_text.py)",
         Evaluation(model, tok, varied_sentences()[:8] if a.small else varied_sentences(), CATEGORIES)),
    ]
    print(f"{model.name}, {a.calibration} calibration sentences; integer-only (golden) vs float32")
    print("targets: cosine mean >= 0.99, min >= 0.97, Spearman of pairwise similarities >= 0.98\n")
    print(f"{'quantizer':<40}{'set':<10}{'mean':>8}{'min':>8}{'Spearman':>10}{'quantize s':>12}")
    chosen = {}
    for name, cal in configs:
        t0 = time.perf_counter()
        q, scales = bert.quantize_with_scales(model, calib, cal)
        t_q = time.perf_counter() - t0
        for (title, ev), label in zip(sets, ("template", "varied")):
            mean, low, rho = ev.score(np.array([bert.embed_sentence_int(q, i) for i in ev.ids]))
            print(f"{name:<40}{label:<10}{mean:>8.4f}{low:>8.4f}{rho:>10.4f}{t_q:>12.1f}")
        if cal in (MAX_CALIBRATION, Calibration()):
            chosen[name] = (q, scales)
    for name, (q, scales) in chosen.items():
        for title, ev in sets[:1] if a.small else sets:  # --small: the ablation on one set
            print(f"\n{name}: {title}")
            ev.report(q, scales)


class Evaluation:
    """One evaluation set: its token ids, the float32 embeddings, and the scores against them."""

    def __init__(self, model, tok, sentences: list[str], categories: dict) -> None:
        self.model, self.categories = model, categories
        self.ids = [tok.encode(s) for s in sentences]
        self.ref = np.array([bert.forward_float(model, i, np.float32) for i in self.ids])

    def score(self, emb: np.ndarray) -> tuple[float, float, float]:
        cos = np.sum(emb * self.ref, axis=1)
        iu = np.triu_indices(len(self.ids), 1)
        rho = spearmanr((self.ref @ self.ref.T)[iu], (emb @ emb.T)[iu]).statistic
        self.last = cos
        return float(cos.mean()), float(cos.min()), float(rho)

    def ablated(self, scales, on: str) -> np.ndarray:
        embs = []
        for i in self.ids:
            x = bert.embed_float(self.model, i)
            for layer, sc in zip(self.model.layers, scales):
                x = ablated_layer(x, layer, sc, on)
            embs.append(bert.pool(x))
        return np.array(embs)

    def report(self, q, scales) -> None:
        """Per-category cosines of the integer model, then the ablation: the float model with one
        effect on (and each activation tensor's int8 rounding alone)."""
        t0 = time.perf_counter()
        mean, low, rho = self.score(np.array([bert.embed_sentence_int(q, i) for i in self.ids]))
        ms = (time.perf_counter() - t0) / len(self.ids) * 1e3
        print(f"  {'integer-only (golden)':<26} mean {mean:.4f}  min {low:.4f}  Spearman {rho:.4f}  ({ms:.1f} ms/sentence)")
        cos, at = self.last, 0
        for name, group in self.categories.items():
            part = cos[at:at + len(group)]
            if not len(part):  # --small: the set stops before this category
                break
            print(f"    {name:<24} mean {part.mean():.4f}  min {part.min():.4f}  ({len(part)} sentences)")
            at += len(group)
        for on in EFFECTS + tuple(f"act {n}" for n in ACTIVATIONS):
            mean, low, rho = self.score(self.ablated(scales, on))
            print(f"  only {on:<21} mean {mean:.4f}  min {low:.4f}  Spearman {rho:.4f}")


if __name__ == "__main__":
    main()
