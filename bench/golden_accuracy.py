"""Accuracy of the integer golden ops against float64 math: the figures quoted in docs/numerics.md.

    python3 bench/golden_accuracy.py [--small]

i-exp and i-GELU are evaluated on every integer input of their range at each scale (exhaustive);
softmax and LayerNorm on random rows; attention head and encoder layer on BERT-like random layers.
Needs SciPy (the test extra) for the exact erf. ``--small``: the first setting of each table only
(the suite's check that the bench runs).
"""

from __future__ import annotations

import argparse
import math

import numpy as np
from scipy.special import erf

import golden
from golden import constants as C
from golden import float_ref as F
from golden.calibrate import MAX_CALIBRATION, quantize_layer
from golden.params import LayerNormParams
from golden.widths import SOFTMAX_OUT_BITS
from _record import documented, record


#: --small: the first setting of each table only.
SMALL = False


def pick(settings):
    return list(settings)[:1] if SMALL else list(settings)


def exp_figures() -> None:
    print("i-exp vs exp, every input in [30*x0, 0] (paper: 1.9e-3 on (-ln2, 0]; bound 1.95e-3 up to S=1e-3)")
    for s in pick((C.EXP_MIN_SCALE, 1e-4, 3e-4, 1e-3, 1.4e-3, 1 / 128, 1 / 64, 1 / 16)):
        c, out_scale = C.exp_consts(s)
        x = np.arange(30 * c.x0, 1)
        err = np.abs(golden.exp(x, c) * out_scale - np.exp(x * s))
        seg0 = err[x > -math.log(2) / s].max()
        print(f"  S={s:<10.3g} max abs error {err.max():.3e}   on (-ln2, 0]: {seg0:.3e}")


def gelu_figures() -> None:
    print("i-GELU vs exact GELU on [-4, 4], every input (paper Table 1: L2 0.0082, L-inf 0.018)")
    for s in pick((1e-5, 1e-4, 3e-4, 1e-3, 1.4e-3, 1 / 256, 1 / 64)):
        c, out_scale = C.gelu_consts(s, C.gelu_shift(s, 4.0))
        q = np.arange(-round(4 / s), round(4 / s) + 1)
        xf = q * s
        err = golden.gelu(q, c) * out_scale - 0.5 * xf * (1 + erf(xf / math.sqrt(2)))
        print(f"  S={s:<10.3g} RMS {np.sqrt(np.mean(err**2)):.5f}   max {np.abs(err).max():.5f}")


def softmax_figures(rng: np.random.Generator) -> None:
    print(f"integer softmax vs float64 softmax, rows of 128 scores spread over +-8 (output LSB 2**-{SOFTMAX_OUT_BITS})")
    for s in pick((1e-6, 1e-4, 1e-3, 1e-2)):
        c = C.softmax_consts(s)
        sc = np.round(rng.uniform(-8, 8, (256, 128)) / s).astype(np.int64)
        err = np.abs(golden.softmax(sc, c) * 2.0**-SOFTMAX_OUT_BITS - F.softmax(sc * s))
        print(f"  S={s:<10.3g} (in_shift {c.in_shift:2d}) max abs error {err.max():.5f}   mean {err.mean():.6f}")


def layernorm_figures(rng: np.random.Generator) -> None:
    print("integer LayerNorm vs float64, normalized output (gamma 1, beta 0)")
    for c in pick((384, 768)):
        for spread in pick((2.0**8, 2.0**14, 2.0**20)):
            q = np.round(rng.normal(0, spread, (64, c))).astype(np.int64)
            n = golden.layernorm(q, LayerNormParams(np.zeros(c, np.int64), 1)) * math.sqrt(c) / 2**30
            z = (q - q.mean(1, keepdims=True)) / q.std(1, keepdims=True)
            print(f"  C={c:<4d} sigma=2**{int(math.log2(spread)):<3d} max abs error {np.abs(n - z).max():.2e}")


def outlier_rows(rng: np.random.Generator, spread: float, n: int = 600, c: int = 384) -> np.ndarray:
    """22-bit residual rows of normal spread with 0 to 3 outlier channels near 2**21 each."""
    q = np.round(rng.normal(0, spread, (n, c)))
    for row in q:
        k = int(rng.integers(0, 4))
        row[rng.choice(c, k, replace=False)] = rng.choice([-1, 1], k) * rng.uniform(2**19, 2**21 - 1, k)
    return np.clip(q, -(2**21), 2**21 - 1).astype(np.int64)


def layernorm_outlier_figures(rng: np.random.Generator) -> None:
    print("integer LayerNorm on 384-wide 22-bit rows with outlier channels (target: max <= 1.2e-3,")
    print("I-BERT's reference on such rows; the remaining error is the integer mean's rounding, 0.5/std)")
    for spread_log2 in pick((8, 10, 12, 14, 16, 18)):
        q = outlier_rows(rng, 2.0**spread_log2)
        c = q.shape[1]
        n = golden.layernorm(q, LayerNormParams(np.zeros(c, np.int64), 1)) * math.sqrt(c) / 2**30
        z = (q - q.mean(1, keepdims=True)) / q.std(1, keepdims=True)
        e = np.abs(n - z)
        print(f"  sigma=2**{spread_log2:<3d} max abs error {e.max():.2e}  RMS {np.sqrt((e**2).mean()):.2e}")


def layer_figures(rng: np.random.Generator) -> None:
    print("attention head and encoder layer vs float64 (random BERT-like layers, max calibration)")
    for d, h, f, t in pick(((384, 12, 1536, 64), (768, 12, 3072, 128))):
        layer = F.random_layer(d, h, f, rng)
        calib, x = rng.normal(0, 1, (t, d)), rng.normal(0, 1, (t, d))
        s_in = C.symmetric_scale(np.abs(calib).max(), 8)
        ql = quantize_layer(layer, calib, s_in, MAX_CALIBRATION)
        xq = C.quantize(x, s_in, 8).astype(np.int8)
        y = C.dequantize(golden.encoder_layer(xq, ql.params), ql.out_scale)
        ref = F.encoder_layer(C.dequantize(xq, s_in), layer)
        cos = np.sum(y * ref, 1) / (np.linalg.norm(y, axis=1) * np.linalg.norm(ref, axis=1))
        lsb = np.abs(y - ref) / ql.out_scale
        dh = d // h
        xr = C.dequantize(xq, s_in)
        head = C.dequantize(golden.attn_head(xq, ql.params.head(0)), ql.scales["ctx"])
        head_ref = F.attn_head(xr, layer.wq[:, :dh], layer.bq[:dh], layer.wk[:, :dh], layer.bk[:dh],
                               layer.wv[:, :dh], layer.bv[:dh])
        head_lsb = np.abs(head - head_ref) / ql.scales["ctx"]
        print(f"  hidden {d}, {t} tokens: head 0 error mean {head_lsb.mean():.2f} / max {head_lsb.max():.2f} LSB;"
              f" layer cosine mean {cos.mean():.5f} / min {cos.min():.5f}, error mean {lsb.mean():.2f} / max {lsb.max():.2f} LSB")


def main() -> None:
    global SMALL
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--small", action="store_true", help="the first setting of each table only")
    args = ap.parse_args()
    SMALL = args.small
    record(__file__, documented(ap, args))
    rng = np.random.default_rng(0)
    exp_figures()
    gelu_figures()
    softmax_figures(rng)
    layernorm_figures(rng)
    layernorm_outlier_figures(rng)
    layer_figures(rng)


if __name__ == "__main__":
    main()
