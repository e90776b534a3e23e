"""Floating-point reference of the same operations, for measuring the integer datapath's error.

Not part of the datapath: float64 by default (``dtype=np.float32`` gives the speed baseline of the
golden benchmark). Weights are (in, out), as in the integer :class:`golden.Dense`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

try:  # exact erf when SciPy is there (it is on PYNQ images and in the test extra)
    from scipy.special import erf as _erf
except ImportError:  # pragma: no cover - exercised only without SciPy
    _erf = np.frompyfunc(math.erf, 1, 1)


def erf(x: np.ndarray) -> np.ndarray:
    return np.asarray(_erf(x), dtype=np.asarray(x).dtype)


def gelu(x: np.ndarray) -> np.ndarray:
    """Exact GELU, ``x/2 * (1 + erf(x/sqrt(2)))``."""
    return 0.5 * x * (1.0 + erf(x / np.asarray(math.sqrt(2.0), dtype=x.dtype)))


def softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def layernorm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float = 0.0) -> np.ndarray:
    """LayerNorm over the last axis (biased variance, like BERT's)."""
    mu = x.mean(axis=-1, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * gamma + beta


@dataclass(frozen=True)
class FloatEncoderLayer:
    """A BERT encoder layer in real numbers; weights (in, out)."""

    heads: int
    wq: np.ndarray
    bq: np.ndarray
    wk: np.ndarray
    bk: np.ndarray
    wv: np.ndarray
    bv: np.ndarray
    wo: np.ndarray
    bo: np.ndarray
    ln1_g: np.ndarray
    ln1_b: np.ndarray
    w1: np.ndarray
    b1: np.ndarray
    w2: np.ndarray
    b2: np.ndarray
    ln2_g: np.ndarray
    ln2_b: np.ndarray
    eps: float = 1e-12

    def astype(self, dtype: type) -> "FloatEncoderLayer":
        conv = {k: (v.astype(dtype) if isinstance(v, np.ndarray) else v) for k, v in self.__dict__.items()}
        return FloatEncoderLayer(**conv)


def attn_head(x: np.ndarray, wq, bq, wk, bk, wv, bv) -> np.ndarray:
    """One head's context ``softmax(Q K^T / sqrt(d)) V``."""
    q, k, v = x @ wq + bq, x @ wk + bk, x @ wv + bv
    d = q.shape[-1]
    return softmax(q @ k.T / np.asarray(math.sqrt(d), dtype=x.dtype)) @ v


def encoder_layer(x: np.ndarray, p: FloatEncoderLayer, trace: dict | None = None) -> np.ndarray:
    """Post-LN BERT encoder layer; if ``trace`` is a dict it receives every intermediate tensor."""
    t = {} if trace is None else trace
    d = x.shape[-1]
    dh = d // p.heads
    t["q"], t["k"], t["v"] = x @ p.wq + p.bq, x @ p.wk + p.bk, x @ p.wv + p.bv
    ctx = np.empty_like(t["q"])
    scale = np.asarray(1.0 / math.sqrt(dh), dtype=x.dtype)
    for h in range(p.heads):
        sl = slice(h * dh, (h + 1) * dh)
        ctx[:, sl] = softmax(t["q"][:, sl] @ t["k"][:, sl].T * scale) @ t["v"][:, sl]
    t["ctx"] = ctx
    t["h1"] = ctx @ p.wo + p.bo + x
    t["a1"] = layernorm(t["h1"], p.ln1_g, p.ln1_b, p.eps)
    t["f"] = t["a1"] @ p.w1 + p.b1
    t["g"] = gelu(t["f"])
    t["h2"] = t["g"] @ p.w2 + p.b2 + t["a1"]
    t["out"] = layernorm(t["h2"], p.ln2_g, p.ln2_b, p.eps)
    return t["out"]


def random_layer(d: int, heads: int, ffn: int, rng: np.random.Generator) -> FloatEncoderLayer:
    """A randomly initialised layer with BERT-like statistics (weights ~ N(0, 0.02..0.05))."""

    def w(i: int, o: int, std: float) -> np.ndarray:
        return rng.normal(0.0, std, (i, o))

    def b(n: int) -> np.ndarray:
        return rng.normal(0.0, 0.02, n)

    return FloatEncoderLayer(
        heads=heads,
        wq=w(d, d, 0.05), bq=b(d), wk=w(d, d, 0.05), bk=b(d), wv=w(d, d, 0.04), bv=b(d),
        wo=w(d, d, 0.04), bo=b(d),
        ln1_g=rng.uniform(0.7, 1.3, d), ln1_b=rng.normal(0.0, 0.1, d),
        w1=w(d, ffn, 0.04), b1=b(ffn), w2=w(ffn, d, 0.03), b2=b(d),
        ln2_g=rng.uniform(0.7, 1.3, d), ln2_b=rng.normal(0.0, 0.1, d),
    )
