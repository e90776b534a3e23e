"""Fidelity of the integer-only BERT against float32 on a real checkpoint (all-MiniLM-L6-v2).

    python3 bench/model_fidelity.py [--eval 240 --calibration 64 --checkpoint DIR]

On sentences disjoint from the calibration set: cosine between the integer-only sentence embedding
(golden, integers end to end) and the float32 one (mean, minimum), and the Spearman correlation of
their pairwise similarity matrices. Issue targets: mean >= 0.99, min >= 0.97, Spearman >= 0.98.
Then the ablation: the float model with ONE quantization effect switched on at a time (int8
weights; int8 rounding of the activations at the calibrated scales; golden's integer softmax,
GELU or LayerNorm at the calibrated scales), to show which operation loses the accuracy.
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
from golden.widths import SOFTMAX_OUT_BITS
from host import bert
from host.checkpoint import default_model_dir, load_checkpoint
from host.eval_text import CATEGORIES, varied_sentences
from host.sentences import calibration_sentences, evaluation_sentences
from host.tokenize import Tokenizer


def fq(x, scale, bits=8):
    """Round reals to the integer grid of ``scale`` (saturating) and back."""
    return C.dequantize(C.quantize(x, scale, bits), scale)


def ablated_layer(x, p: F.FloatEncoderLayer, s: dict, on: str) -> np.ndarray:
    """The float layer with the single effect ``on`` applied (see the module docstring)."""
    w = {k: getattr(p, k) for k in ("wq", "wk", "wv", "wo", "w1", "w2")}
    if on == "weights":
        w = {k: fq(v, C.symmetric_scale(np.abs(v).max(axis=0), 8)) for k, v in w.items()}
    act = (lambda v, name: fq(v, s[name])) if on == "activations" else (lambda v, name: v)
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
        sh = C.gelu_shift(acc, 128 * s["g"])
        consts, out_scale = C.gelu_consts(acc, sh)
        g = golden.gelu(C.quantize(f, acc, 32), consts) * out_scale
    else:
        g = F.gelu(f)
    g = act(g, "g")
    return ln(g @ w["w2"] + p.b2 + a1, p.ln2_g, p.ln2_b, "h2")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--eval", type=int, default=240)
    ap.add_argument("--calibration", type=int, default=64)
    ap.add_argument("--checkpoint")
    a = ap.parse_args()
    folder = a.checkpoint or default_model_dir()
    model, tok = load_checkpoint(folder), Tokenizer(folder)
    t0 = time.perf_counter()
    q, scales = bert.quantize_with_scales(model, [tok.encode(s) for s in calibration_sentences(a.calibration)])
    print(f"{model.name}: quantized on {a.calibration} calibration sentences in {time.perf_counter() - t0:.1f} s")
    evaluate(model, tok, q, scales, f"template set: {a.eval} sentences from the calibration grammar's other seeds",
             evaluation_sentences(a.eval), {})
    evaluate(model, tok, q, scales, f"varied set: {len(varied_sentences())} sentences written for the kit "
             "(host/eval_text.py)", varied_sentences(), CATEGORIES)


def evaluate(model, tok, q, scales, title: str, sentences: list[str], categories: dict) -> None:
    """Integer-only embeddings and the per-effect ablation against float32 on ``sentences``."""
    ids = [tok.encode(s) for s in sentences]
    ref = np.array([bert.forward_float(model, i, np.float32) for i in ids])

    def report(name, emb):
        cos = np.sum(emb * ref, axis=1)
        iu = np.triu_indices(len(ids), 1)
        rho = spearmanr((ref @ ref.T)[iu], (emb @ emb.T)[iu]).statistic
        print(f"{name:<26} cosine mean {cos.mean():.4f}  min {cos.min():.4f}  Spearman {rho:.4f}")
        return cos

    print(f"\n{title}; vs float32, targets mean >= 0.99, min >= 0.97, Spearman >= 0.98")
    t0 = time.perf_counter()
    integer = np.array([bert.embed_sentence_int(q, i) for i in ids])
    cos = report("integer-only (golden)", integer)
    print(f"  ({(time.perf_counter() - t0) / len(ids) * 1e3:.1f} ms per sentence in golden)")
    at = 0
    for name, group in categories.items():
        part = cos[at:at + len(group)]
        print(f"  {name:<24} cosine mean {part.mean():.4f}  min {part.min():.4f}  ({len(group)} sentences)")
        at += len(group)
    print("ablation: float model with one quantization effect on")
    for on in ("weights", "activations", "softmax", "gelu", "layernorm"):
        embs = []
        for i in ids:
            x = bert.embed_float(model, i)
            for layer, sc in zip(model.layers, scales):
                x = ablated_layer(x, layer, sc, on)
            embs.append(bert.pool(x))
        report(f"  only {on}", np.array(embs))


if __name__ == "__main__":
    main()
