import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import golden
from golden import constants as C
from golden import float_ref as F
from golden.attn_head import attention_core
from golden.calibrate import MAX_CALIBRATION, quantize_layer

from .test_softmax import softmax_bound


def quantized_head(d, heads, tokens, seed):
    """A head quantized from a random BERT-like layer, its int8 input, and the real scales."""
    rng = np.random.default_rng(seed)
    layer = F.random_layer(d, heads, 4 * d, rng)
    x = rng.normal(0.0, 1.0, (tokens, d))
    s_in = C.symmetric_scale(np.abs(x).max(), 8)
    ql = quantize_layer(layer, x, s_in, MAX_CALIBRATION)
    return ql, C.quantize(x, s_in, 8).astype(np.int8)


def attn_head_bound(xq, ql, h=0):
    """The float64 head on the same int8 input and the same (dequantized) integer weights and
    biases, and a bound on |integer - float| per output element in output LSBs.

    Derivation (docs/numerics.md): Q, K, V are int8 roundings, each within 1/2 LSB of the real
    projection (max calibration on this input: no saturation); a score error is then at most
    sum_d (|Q|dK + |K|dQ + dQ dK) / sqrt(d_head); a score error up to D per row moves each float
    probability by at most p (e^(2D) - 1); the integer softmax adds its own bound (test_softmax);
    the context sums |dP| |V| + p |dV|; the final requant adds 1/2 LSB.
    """
    p, sc = ql.params.head(h), ql.scales
    d = ql.params.hidden
    dh = d // ql.params.heads
    sl = slice(h * dh, (h + 1) * dh)
    x = xq.astype(np.float64) * ql.in_scale

    def proj(dense, acc):
        return x @ (dense.w * (acc / ql.in_scale)) + dense.bias * acc

    qf, kf, vf = proj(p.q, sc["q_acc"][sl]), proj(p.k, sc["k_acc"][sl]), proj(p.v, sc["v_acc"][sl])
    s_f = qf @ kf.T / math.sqrt(dh)
    pf = F.softmax(s_f)
    ref = pf @ vf

    # integer intermediates, through the golden pieces
    q8 = golden.requant(golden.matmul(xq, p.q.w), p.q_rq.m, p.q_rq.e, p.q.bias)
    k8 = golden.requant(golden.matmul(xq, p.k.w), p.k_rq.m, p.k_rq.e, p.k.bias)
    v8 = golden.requant(golden.matmul(xq, p.v.w), p.v_rq.m, p.v_rq.e, p.v.bias)
    s_int = golden.matmul(q8, k8.T).astype(np.int64)
    dq, dk, dv = 0.5 * sc["q"] * 1.000001, 0.5 * sc["k"] * 1.000001, 0.5 * sc["v"] * 1.000001
    ds = (np.abs(qf).sum(1)[:, None] * dk + np.abs(kf).sum(1)[None, :] * dq + dh * dq * dk) / math.sqrt(dh)
    ds_row = ds.max(axis=1, keepdims=True)
    scale_s = sc["q"] * sc["k"] / math.sqrt(dh)
    shift = p.softmax.in_shift
    rel = s_int - s_int.max(axis=1, keepdims=True)
    z = np.minimum(np.floor(rel / 2**shift + 0.5).astype(np.int64) // p.softmax.exp.x0, 30)
    p_tilde, b_sm = softmax_bound(rel * scale_s, z, scale_s * 2**shift)
    dp = b_sm + p_tilde * np.expm1(2 * ds_row)
    bound = (dp @ (np.abs(v8) * sc["v"]) + pf @ np.full(v8.shape, dv)) / sc["ctx"] + 0.5
    return ref / sc["ctx"], bound


@settings(max_examples=15)  # each example calibrates a whole layer
@given(st.sampled_from([(64, 4, 16), (96, 3, 40), (768, 12, 128)]), st.integers(0, 2**32 - 1))
def test_attn_head_within_derived_bound_of_float(shape, seed):
    d, heads, tokens = shape
    ql, xq = quantized_head(d, heads, tokens, seed)
    h = seed % heads
    got = golden.attn_head(xq, ql.params.head(h))
    ref_lsb, bound = attn_head_bound(xq, ql, h)
    err = np.abs(got - ref_lsb)
    assert np.all(err <= bound), float(np.max(err - bound))


def test_attn_head_shapes_and_errors():
    ql, xq = quantized_head(64, 4, 8, 0)
    out = golden.attn_head(xq, ql.params.head(1))
    assert out.shape == (8, 16) and out.dtype == np.int8
    with pytest.raises(ValueError, match=r"\(T, D\)"):
        golden.attn_head(xq[None], ql.params.head(1))
    with pytest.raises(ValueError, match="inner dimensions"):
        golden.attn_head(xq[:, :32], ql.params.head(1))
    with pytest.raises(ValueError, match="int8"):
        golden.attn_head(xq.astype(np.int32) * 2, ql.params.head(1))


@settings(max_examples=20, deadline=None)
@given(t=st.integers(1, 20), heads=st.integers(1, 4), dh=st.sampled_from([8, 16, 32]), seed=st.integers(0, 2**32 - 1))
def test_attention_is_the_core_head_by_head(t, heads, dh, seed):
    """golden.attention (what OP_ATTENTION computes) on [Q|K|V] reordered by golden.qkv_columns
    equals golden.attn_head.attention_core head by head on the plain Q, K, V column slices."""
    rng = np.random.default_rng(seed)
    d = heads * dh
    q, k, v = (rng.integers(-128, 128, (t, d), dtype=np.int8) for _ in range(3))
    p = type("P", (), {"softmax": C.softmax_consts(rng.uniform(1e-4, 1e-2)),
                       "ctx_rq": C.requant_params(rng.uniform(0.5, 3) / 256)})()
    qkv = np.concatenate([q, k, v], axis=1)[:, golden.qkv_columns(heads, dh)]
    got = golden.attention(qkv, heads, p)
    for h in range(heads):
        sl = slice(h * dh, (h + 1) * dh)
        want = attention_core(q[:, sl], k[:, sl], v[:, sl], p)
        assert np.array_equal(got[:, sl], want)


def test_attention_rejects_bad_shapes():
    p = type("P", (), {"softmax": C.softmax_consts(1e-3), "ctx_rq": C.requant_params(1 / 256)})()
    with pytest.raises(ValueError, match="3 \\* heads \\* d_head"):
        golden.attention(np.zeros((4, 10), np.int8), 2, p)
    with pytest.raises(ValueError, match="int8|range|bits"):
        golden.attention(np.full((4, 6), 300), 1, p)


def test_attention_packets_are_each_heads_columns_once():
    """golden.layout.attention_beats: packet h is head h's 3 d_head columns of every row, as rows of
    beats (byte 0 low), so the projection's bytes cross the stream once; a width that is not
    3 x heads x (a multiple of 8) is refused in one line."""
    from golden.layout import attention_beats

    t, heads, dh = 3, 2, 8
    qkv = np.arange(t * 3 * heads * dh).astype(np.int8).reshape(t, 3 * heads * dh)
    beats = attention_beats(qkv, heads)
    assert beats.shape == (heads, t * 3 * dh // 8)
    for h in range(heads):
        got = beats[h].view(np.int8).reshape(t, 3 * dh)
        assert np.array_equal(got, qkv[:, h * 3 * dh:(h + 1) * 3 * dh])
    assert beats.size * 8 == qkv.size
    with pytest.raises(ValueError, match="d_head a multiple of 8"):
        attention_beats(np.zeros((4, 3 * 2 * 4), np.int8), 2)
