"""Weight width as a parameter of the quantizer (golden.calibrate.Calibration.weight_bits: 8, 6 or 4,
signed, symmetric per output channel, held in int8): each projection's weights use exactly their
width's range, round to nearest at their channel's scale, and ``weight_scope="ffn"`` narrows the
FFN's two only. The integer operations do not change (an int8 holds every narrower weight), so
golden.linear on weights of each width still equals the Python-integer oracle, and a layer
quantized at each width runs on golden's encoder layer."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import golden
from golden import constants as C
from golden import float_ref as F
from golden.calibrate import Calibration, quantize_layer

from . import pyref

PROJECTIONS = {"q": ("q", "wq"), "k": ("k", "wk"), "v": ("v", "wv"), "o": ("attn_out", "wo"),
               "ffn_in": ("ffn_in", "w1"), "ffn_out": ("ffn_out", "w2")}


@pytest.fixture(scope="module")
def layer_and_data():
    rng = np.random.default_rng(4)
    layer = F.random_layer(64, 4, 128, rng)
    calib, x = rng.normal(0, 1, (24, 64)), rng.normal(0, 1, (9, 64))
    return layer, calib, x, C.symmetric_scale(np.abs(calib).max(), 8)


@pytest.mark.parametrize("scope", ["all", "ffn"])
@pytest.mark.parametrize("bits", [8, 6, 4])
def test_each_projection_uses_its_width(layer_and_data, bits, scope):
    layer, calib, x, s_in = layer_and_data
    cal = Calibration(weight_bits=bits, weight_scope=scope)
    params = quantize_layer(layer, calib, s_in, cal).params
    for proj, (field, _) in PROJECTIONS.items():
        width = cal.bits(proj)
        assert width == (bits if scope == "all" or proj.startswith("ffn") else 8)
        w = getattr(params, field).w
        top = 2 ** (width - 1) - 1
        assert w.dtype == np.int8 and np.abs(w).max() <= top, (proj, width)
        assert np.all(np.abs(w).max(axis=0) == top), f"{proj}: every channel reaches its width's largest code"
    y = golden.encoder_layer(C.quantize(x, s_in, 8).astype(np.int8), params)
    assert y.dtype == np.int8 and y.shape == x.shape


@pytest.mark.parametrize("bits", [8, 6, 4])
def test_weights_round_to_nearest_at_their_channel_scale(bits):
    from golden.calibrate import _dense

    rng = np.random.default_rng(bits)
    w, b = rng.normal(0, 0.1, (40, 12)), rng.normal(0, 0.01, 12)
    dense, acc = _dense(w, b, 0.02, bits)
    real = w * 0.02
    assert np.allclose(acc, np.abs(real).max(axis=0) / (2 ** (bits - 1) - 1))
    assert np.all(np.abs(dense.w * acc - real) <= acc / 2 + 1e-12)


@settings(max_examples=30)
@given(st.sampled_from([8, 6, 4]), st.integers(1, 5), st.integers(1, 16), st.integers(1, 8), st.integers(0, 2**32 - 1))
def test_linear_on_narrow_weights_matches_python_ints(bits, m, k, n, seed):
    rng = np.random.default_rng(seed)
    top = 2 ** (bits - 1) - 1
    x = rng.integers(-128, 128, (m, k), dtype=np.int8)
    dense = golden.Dense(rng.integers(-top, top + 1, (k, n)).astype(np.int8), rng.integers(-(2**31), 2**31, n).astype(np.int32))
    rq = golden.Rescale(rng.choice([-1, 1], n) * rng.integers(1, 2**31, n), rng.integers(0, 64, n))
    got = golden.linear(x, dense, rq)
    for i in range(m):
        for j in range(n):
            acc = sum(int(x[i, t]) * int(dense.w[t, j]) for t in range(k))
            assert got[i, j] == pyref.requant(acc, int(rq.m[j]), int(rq.e[j]), int(dense.bias[j]), 8), (i, j)


def test_a_width_the_quantizer_does_not_make_is_one_line():
    with pytest.raises(ValueError, match="weight_bits: expected one of 8, 6, 4, got 5"):
        Calibration(weight_bits=5)
    with pytest.raises(ValueError, match="weight_scope: expected 'all' or 'ffn', got 'attention'"):
        Calibration(weight_scope="attention")


def test_gptq_is_round_to_nearest_when_the_inputs_are_uncorrelated():
    from golden.calibrate import gptq

    rng = np.random.default_rng(1)
    w = rng.normal(0, 0.1, (16, 5))
    scale = C.symmetric_scale(np.abs(w).max(axis=0), 4)
    x = np.eye(16) * 3.0  # H diagonal: no error has anywhere to go
    assert np.array_equal(gptq(w, scale, 4, x), C.quantize(w, scale, 4))


@pytest.mark.parametrize("bits", [6, 4])
def test_gptq_moves_the_layers_output_less_than_nearest_on_correlated_inputs(bits):
    from golden.calibrate import gptq

    rng = np.random.default_rng(bits)
    base = rng.normal(0, 1, (2000, 8))
    x = base @ rng.normal(0, 1, (8, 48)) + 0.1 * rng.normal(0, 1, (2000, 48))  # 48 inputs, 8 directions
    w = rng.normal(0, 0.05, (48, 16))
    scale = C.symmetric_scale(np.abs(w).max(axis=0), bits)
    q = gptq(w, scale, bits, x)
    assert np.abs(q).max() <= 2 ** (bits - 1) - 1
    err = lambda wq: np.linalg.norm(x @ (wq * scale - w))  # noqa: E731
    assert err(q) < 0.8 * err(C.quantize(w, scale, bits))
