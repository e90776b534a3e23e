"""The quantizer's refinements (golden.calibrate): the GELU output's per-channel grid, bias
correction, and the int32 GELU output's range. They change only the integers the quantizer picks;
each test checks the property the refinement claims on data where it is known exactly."""

import numpy as np
import pytest

import golden
from golden import constants as C
from golden import float_ref as F
from golden.calibrate import Calibration, _dense, calibration_trace, gelu_grid, quantize_layer


def _gelu_like(rng, rows=400, channels=24):
    """GELU outputs whose channels span very different ranges (a few outlier channels); every
    third channel's inputs stay positive, so its lowest value is above zero."""
    f = rng.normal(0, 1, (rows, channels)) * np.geomspace(0.3, 20, channels)
    f[:, ::3] = np.abs(f[:, ::3]) + 0.5
    return F.gelu(f)


def _codes(g, s, z):
    return np.floor(g / s + z + 0.5)


@pytest.mark.parametrize("smooth", [0.25, 0.5, 1.0])
def test_a_per_channel_grid_spans_each_channel(smooth):
    g = _gelu_like(np.random.default_rng(1))
    s, z = gelu_grid(g, Calibration(gelu_smooth=smooth))
    assert np.shape(s) == np.shape(z) == (g.shape[1],)
    lo, hi = _codes(g, s, z).min(axis=0), _codes(g, s, z).max(axis=0)
    low = np.minimum(g.min(axis=0), 0.0)
    assert np.all(_codes(low, s, z) == -128), "each channel's grid starts at its own low end (or zero)"
    assert np.all(lo >= -128)
    assert hi.max() == 127 and hi.min() <= 127, "the widest channel takes the top code, none passes it"
    steps = hi - _codes(low, s, z)
    one_s, one_z = gelu_grid(g, Calibration(gelu_smooth=0.0))
    one = _codes(g, one_s, one_z)
    assert np.all(steps >= one.max(axis=0) - _codes(low, one_s, one_z)), "no channel gets fewer steps than one grid"
    if smooth == 1.0:
        assert np.all(steps >= 254), "exponent 1: every channel uses the whole grid"


def test_one_grid_without_smoothing():
    g = _gelu_like(np.random.default_rng(2))
    s, z = gelu_grid(g, Calibration(gelu_smooth=0.0))
    assert np.ndim(s) == 0 and np.ndim(z) == 0
    low = min(float(g.min()), 0.0)
    assert s == pytest.approx((g.max() - low) / 255) and z == pytest.approx(-128 - low / s)


def test_bias_correction_removes_the_weights_mean_error():
    rng = np.random.default_rng(3)
    s_in = 0.05
    x = rng.integers(-20, 100, (500, 256)) * s_in  # on the input grid, mean far from 0
    w, b = rng.normal(0, 0.05, (256, 16)), rng.normal(0, 0.1, 16)
    want = x @ w + b

    def mean_error(mean_in):
        dense, acc = _dense(w, b, s_in, 8, mean_in=mean_in)
        got = (np.rint(x / s_in).astype(np.int64) @ dense.w.astype(np.int64) + dense.bias) * acc
        return np.abs(np.mean(got - want, axis=0)), acc

    corrected, acc = mean_error(np.mean(x, axis=0))
    assert np.all(corrected <= acc / 2 + 1e-9), "left: only the bias's own rounding"
    plain, _ = mean_error(None)
    assert np.any(plain > 4 * acc), "the uncorrected weights err on average (else this test shows nothing)"


@pytest.fixture(scope="module")
def random_layer():
    rng = np.random.default_rng(5)
    layer = F.random_layer(64, 4, 256, rng)
    calib = [rng.normal(0, 1, (16, 64)) for _ in range(8)]
    return layer, calib, C.symmetric_scale(max(np.abs(c).max() for c in calib), 8)


@pytest.mark.parametrize("gelu_zero", [True, False])
def test_the_int32_gelu_output_reaches_the_top_code(random_layer, gelu_zero):
    layer, calib, s_in = random_layer
    ql = quantize_layer(layer, calib, s_in, Calibration(gelu_zero=gelu_zero))
    sc = ql.scales
    _, gelu_scale = C.gelu_consts(sc["ffn_in_acc"], ql.params.gelu.shift)
    top = (127 - np.asarray(sc["g_zero"])) * np.asarray(sc["g"])  # the real value of code 127
    assert np.all((2**31 - 1) * gelu_scale >= top), "no value below the top code saturates the int32"
    # and the integers agree: a GELU input at that value comes out at the top code
    f = C.quantize(top * 1.001 + 3, sc["ffn_in_acc"], 32)
    code = golden.requant(golden.gelu(f[None, :], ql.params.gelu), ql.params.gelu_rq.m, ql.params.gelu_rq.e,
                          ql.params.gelu_bias)
    assert np.all(code == 127)


def _ffn_out_mean_error(layer, calib, s_in, cal):
    """The FFN's second projection's accumulator minus float, averaged per channel over the
    calibration rows, from the exact int8 a1 on: what i-GELU, the g grid and W2's rounding add."""
    ql = quantize_layer(layer, calib, s_in, cal)
    p, sc = ql.params, ql.scales
    t = calibration_trace(layer, calib)
    a1 = C.quantize(t["a1"], sc["a1"], 8).astype(np.int8)
    g = golden.mm_gelu(a1, p.ffn_in, p.gelu, p.gelu_rq, p.gelu_bias)
    acc = (g.astype(np.int64) @ p.ffn_out.w.astype(np.int64) + p.ffn_out.bias) * sc["ffn_out_acc"]
    want = C.dequantize(a1, sc["a1"]) @ layer.w1 + layer.b1
    return np.mean(acc - (F.gelu(want) @ layer.w2 + layer.b2), axis=0)


def test_bias_correction_centres_the_ffn_output(random_layer):
    layer, calib, s_in = random_layer
    plain = _ffn_out_mean_error(layer, calib, s_in, Calibration(bias_correction=False))
    fixed = _ffn_out_mean_error(layer, calib, s_in, Calibration(bias_correction=True))
    assert np.mean(np.abs(fixed)) < 0.25 * np.mean(np.abs(plain)), (np.mean(np.abs(fixed)), np.mean(np.abs(plain)))


def test_gelu_smooth_out_of_range_is_refused():
    with pytest.raises(ValueError, match="gelu_smooth: expected 0..1"):
        Calibration(gelu_smooth=1.5)
