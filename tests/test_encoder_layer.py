import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import golden
from golden import constants as C
from golden import float_ref as F
from golden.calibrate import MAX_CALIBRATION, quantize_layer
from golden.encoder_layer import _all_heads

#: Stated bounds for a whole layer against float64 (same float weights, int8 input). Not derived:
#: a worst-case propagation through two LayerNorms (which divide by the row's std) is vacuous.
#: They allow twice the error measured on BERT-like random layers (docs/numerics.md,
#: bench/golden_accuracy.py): mean cosine >= 0.9993 measured, worst token 0.9952 (a token outside
#: the calibration range, saturating), mean error <= 0.68 LSB. int8 activation rounding dominates.
COSINE_MEAN_MIN = 0.9985
COSINE_MIN = 0.99
MEAN_LSB_MAX = 1.5


def quantized_layer(d, heads, ffn, tokens, seed):
    rng = np.random.default_rng(seed)
    layer = F.random_layer(d, heads, ffn, rng)
    calib = rng.normal(0.0, 1.0, (tokens, d))
    x = rng.normal(0.0, 1.0, (tokens, d))
    s_in = C.symmetric_scale(np.abs(calib).max(), 8)
    return layer, quantize_layer(layer, calib, s_in, MAX_CALIBRATION), C.quantize(x, s_in, 8).astype(np.int8)


@settings(max_examples=10)
@given(st.sampled_from([(64, 4, 128, 9), (96, 3, 384, 33), (384, 12, 1536, 64)]), st.integers(0, 2**32 - 1))
def test_encoder_heads_are_the_per_head_composition(shape, seed):
    """The batched attention in encoder_layer is bit-identical to concatenating attn_head."""
    _, ql, xq = quantized_layer(*shape, seed)
    p = ql.params
    per_head = np.concatenate([golden.attn_head(xq, p.head(h)) for h in range(p.heads)], axis=-1)
    assert np.array_equal(_all_heads(xq, p), per_head)


@pytest.mark.parametrize("shape", [(64, 4, 256, 16), (384, 12, 1536, 64), (768, 12, 3072, 128)])
def test_encoder_layer_against_float(shape):
    layer, ql, xq = quantized_layer(*shape, seed=sum(shape))
    out = golden.encoder_layer(xq, ql.params)
    assert out.dtype == np.int8 and out.shape == xq.shape
    y = C.dequantize(out, ql.out_scale)
    ref = F.encoder_layer(C.dequantize(xq, ql.in_scale), layer)
    cos = np.sum(y * ref, 1) / (np.linalg.norm(y, axis=1) * np.linalg.norm(ref, axis=1))
    assert cos.mean() >= COSINE_MEAN_MIN, cos.mean()
    assert cos.min() >= COSINE_MIN, cos.min()
    assert np.mean(np.abs(y - ref) / ql.out_scale) <= MEAN_LSB_MAX


def test_encoder_layer_rejects_bad_input():
    _, ql, xq = quantized_layer(64, 4, 128, 4, 0)
    with pytest.raises(ValueError, match=r"\(T, 64\)"):
        golden.encoder_layer(xq[:, :32], ql.params)
    with pytest.raises(TypeError, match="integer"):
        golden.encoder_layer(xq.astype(np.float32), ql.params)
    with pytest.raises(ValueError, match="head"):
        ql.params.head(4)
