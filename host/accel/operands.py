"""Operands for the accelerator top's operations, shaped like a real layer's: int8 activations and
weights with the per-channel constants the quantizer makes (golden.constants). Shared by the top's
bench (tb/test_ibert_top.py), its cycle count (bench/top_cycles.py), the host's tests and the bring-up
self-test (host/selftest.py), which ships in the package."""

import numpy as np

from golden import constants as C
from golden.params import Dense, LayerNormParams, Rescale


def matrices(m, k, n, rng, unsigned=False):
    """int8 (or uint8) A (m, k) and int8 B (k, n)."""
    a = rng.integers(0, 256, (m, k)).astype(np.uint8) if unsigned else rng.integers(-128, 128, (m, k), dtype=np.int8)
    return a, rng.integers(-128, 128, (k, n), dtype=np.int8)


def linear_problem(m, k, n, rng):
    """int8 x and weights, per-channel requant constants of either sign whose shifts (30 to 49)
    spread the outputs from saturation at both ends down to a few LSB."""
    x = rng.integers(-128, 128, (m, k), dtype=np.int8)
    dense = Dense(rng.integers(-128, 128, (k, n), dtype=np.int8),
                  rng.integers(-(1 << 20), 1 << 20, n).astype(np.int32))
    sign = rng.choice([-1, 1], n)
    rq = Rescale(sign * rng.integers(1 << 30, 1 << 31, n), rng.integers(30, 50, n))
    return x, dense, rq


def gelu_problem(m, k, n, rng):
    """As linear_problem, with i-GELU constants at per-channel accumulator scales like a real FFN's
    (golden.constants), an int8 output scale and a zero point as the quantizer makes them."""
    x, dense, _ = linear_problem(m, k, n, rng)
    acc = rng.uniform(2e-5, 2e-4, n)
    s_g = rng.uniform(0.01, 0.05)
    consts, gelu_scale = C.gelu_consts(acc, C.gelu_shift(acc, 130 * s_g))
    rq = C.requant_params(gelu_scale / s_g)
    gelu_bias = C.quantize(rng.uniform(-120, 0) * s_g / gelu_scale, 1.0, 32)
    return x, dense, consts, rq, gelu_bias


def ln_problem(m, k, n, rng):
    """golden.mm_ln's operands: x and weights as linear_problem, with the projection's requant into
    the 22-bit residual scale (shifts that reach its saturation), an int8 residual with its own
    per-channel scale, a LayerNorm bias and per-channel int8 output requants whose shifts spread the
    outputs from saturation at both ends down to a few LSB. Returns (x, dense, rq, r, res_rq, ln,
    ln_rq), golden.mm_ln's argument order."""
    x, dense, _ = linear_problem(m, k, n, rng)
    rq = Rescale(rng.integers(1 << 30, 1 << 31, n), rng.integers(27, 33, n))
    r = rng.integers(-128, 128, (m, n), dtype=np.int8)
    res_rq = Rescale(rng.choice([-1, 1], n) * rng.integers(1 << 30, 1 << 31, n), rng.integers(14, 22, n))
    ln = LayerNormParams(rng.integers(-(1 << 28), 1 << 28, n).astype(np.int32), int(rng.integers(0, 3)))
    ln_rq = Rescale(rng.choice([-1, 1], n) * rng.integers(1 << 30, 1 << 31, n), rng.integers(52, 58, n))
    return x, dense, rq, r, res_rq, ln, ln_rq


def attention_problem(t, heads, dh, rng):
    """golden.attention's operands: a fused QKV (T x 3 heads dh int8), softmax constants at a
    score scale that spreads the scores over a few units of real value (so the probabilities are
    neither uniform nor one-hot), and a context requant near 1/256 (probabilities are scaled by
    2**8). Returns (qkv, p) with p having golden.AttnHeadParams's ``softmax`` and ``ctx_rq``."""
    from types import SimpleNamespace

    qkv = rng.integers(-128, 128, (t, 3 * heads * dh), dtype=np.int8)
    per = qkv.astype(np.int64).reshape(t, heads, 3, dh)
    scores = np.einsum("thd,shd->hts", per[:, :, 0], per[:, :, 1])
    scale = rng.uniform(2.0, 12.0) / max(1, int(np.abs(scores).max()))
    p = SimpleNamespace(softmax=C.softmax_consts(scale), ctx_rq=C.requant_params(rng.uniform(0.5, 3.0) / 256))
    return qkv, p


def small_layer(d, heads, ffn, tokens, seed):
    """A random float encoder layer (golden.float_ref.random_layer) quantized by the kit's default
    calibration on random activations, and an int8 input for it: (x, golden EncoderLayerParams)."""
    from golden import float_ref as F
    from golden.calibrate import quantize_layer

    rng = np.random.default_rng(seed)
    layer = F.random_layer(d, heads, ffn, rng)
    calib = rng.normal(0.0, 1.0, (2 * tokens, d))
    s_in = C.symmetric_scale(np.abs(calib).max(), 8)
    x = C.quantize(rng.normal(0.0, 1.0, (tokens, d)), s_in, 8).astype(np.int8)
    return x, quantize_layer(layer, calib, s_in).params
