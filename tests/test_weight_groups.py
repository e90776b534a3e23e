"""Group-scaled narrow weights (golden.weight_groups, golden.calibrate's ``weight_group``): the int8
weight is code times its group's multiplier, so a linear layer on them equals, in Python integers,
both the expanded product and the per-group form the RTL could compute instead (each group's
partial sum times its multiplier); and the quantizer's group steps hold every weight without
clipping, round to nearest within half a step, and are never coarser than one scale per channel."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import golden
from golden import constants as C
from golden import float_ref as F
from golden.calibrate import Calibration, _dense, group_multipliers, quantize_layer
from golden.weight_groups import code_max, expand, groups, max_multiplier, multiplier_bits

from . import pyref


def test_multipliers_fill_int8():
    assert [max_multiplier(b) for b in (8, 6, 4)] == [1, 4, 18]
    assert [code_max(b) * max_multiplier(b) for b in (8, 6, 4)] == [127, 124, 126]
    assert [multiplier_bits(b) for b in (6, 4)] == [3, 5]


@settings(max_examples=40)
@given(st.sampled_from([6, 4]), st.integers(1, 4), st.integers(1, 40), st.integers(1, 6), st.integers(1, 16),
       st.integers(0, 2**32 - 1))
def test_linear_on_group_weights_matches_python_ints(bits, m, k, n, group, seed):
    rng = np.random.default_rng(seed)
    top, cmax = code_max(bits), max_multiplier(bits)
    ng = groups(k, group)
    codes = rng.integers(-top, top + 1, (k, n))
    mult = rng.integers(1, cmax + 1, (ng, n))
    x = rng.integers(-128, 128, (m, k), dtype=np.int8)
    bias = rng.integers(-(2**31), 2**31, n).astype(np.int32)
    rq = golden.Rescale(rng.choice([-1, 1], n) * rng.integers(1, 2**31, n), rng.integers(0, 64, n))
    w = expand(codes, mult, group, bits)
    got = golden.linear(x, golden.Dense(w, bias), rq)
    for j in range(n):
        for t in range(k):
            assert int(w[t, j]) == int(codes[t, j]) * int(mult[t // group, j]), (t, j)
        for i in range(m):
            per_group = sum(int(mult[g, j]) * sum(int(x[i, t]) * int(codes[t, j])
                                                   for t in range(g * group, min(k, (g + 1) * group)))
                            for g in range(ng))
            assert got[i, j] == pyref.requant(per_group, int(rq.m[j]), int(rq.e[j]), int(bias[j]), 8), (i, j)


def test_expand_refuses_what_does_not_fit_in_one_line():
    codes = np.zeros((8, 2), dtype=np.int64)
    with pytest.raises(ValueError, match=r"mult: expected values in \[1, 18\], got values in \[0, 19\]"):
        expand(codes, np.array([[0, 19]]), 8, 4)
    with pytest.raises(ValueError, match=r"codes \(int4, symmetric\): expected values in \[-7, 7\]"):
        expand(codes - 8, np.ones((1, 2), dtype=np.int64), 8, 4)
    with pytest.raises(ValueError, match=r"mult: expected shape \(2, 2\) \(one per group of 4 rows"):
        expand(codes, np.ones((1, 2), dtype=np.int64), 4, 4)
    with pytest.raises(TypeError, match="mult: expected an integer array"):
        expand(codes, np.ones((1, 2)), 8, 4)


@pytest.mark.parametrize("bits,group", [(4, 32), (4, 5), (6, 16)])
def test_group_steps_hold_every_weight_and_round_to_nearest(bits, group):
    rng = np.random.default_rng(bits * group)
    k, n = 70, 9
    w = rng.normal(0, 0.05, (k, n)) * rng.choice([0.05, 1.0, 3.0], (k, 1))  # rows of very different size
    w[:, 3] = 0.0  # an all-zero channel
    unit, mult = group_multipliers(w, bits, group)
    top, cmax = code_max(bits), max_multiplier(bits)
    assert mult.shape == (groups(k, group), n) and mult.min() >= 1 and mult.max() <= cmax
    assert np.all(mult[:, [0, 1, 2, 4, 5, 6, 7, 8]].max(axis=0) == cmax), "each channel's largest group uses the top multiplier"
    step = np.repeat(mult, group, axis=0)[:k] * unit
    assert np.all(np.abs(w) <= top * step * (1 + 1e-9)), "no weight beyond its group's largest code"
    smaller = np.maximum(mult - 1, 1)
    fits_smaller = np.abs(w) <= top * np.repeat(smaller, group, axis=0)[:k] * unit
    groups_fit = np.pad(fits_smaller, ((0, (-k) % group), (0, 0)), constant_values=True).reshape(-1, group, n).all(axis=1)
    assert not np.any(groups_fit & (mult > 1)), "each multiplier is the smallest that holds its group"
    dense, acc = _dense(w, np.zeros(n), 1.0, bits, group=group)
    assert np.array_equal(acc, unit)
    assert np.all(np.abs(dense.w * acc - w) <= step / 2 + 1e-12)
    per_channel, _ = _dense(w, np.zeros(n), 1.0, bits)
    s_ch = C.symmetric_scale(np.abs(w).max(axis=0), bits)
    assert np.abs(dense.w * acc - w).sum() < np.abs(per_channel.w * s_ch - w).sum()


def test_a_layer_with_group_weights_runs_on_golden():
    rng = np.random.default_rng(7)
    layer = F.random_layer(64, 4, 128, rng)
    calib, x = rng.normal(0, 1, (24, 64)), rng.normal(0, 1, (9, 64))
    s_in = C.symmetric_scale(np.abs(calib).max(), 8)
    for fb in (False, True):
        cal = Calibration(weight_bits=4, weight_scope="ffn", weight_group=32, error_feedback=fb)
        params = quantize_layer(layer, calib, s_in, cal).params
        assert np.abs(params.q.w).max() == 127 and np.abs(params.ffn_in.w).max() <= 126
        assert len(np.unique(params.ffn_in.w)) > 2 * code_max(4) + 1, "multipliers widen the int8 values used"
        y = golden.encoder_layer(C.quantize(x, s_in, 8).astype(np.int8), params)
        assert y.dtype == np.int8 and y.shape == x.shape


def test_a_group_setting_the_quantizer_does_not_make_is_one_line():
    with pytest.raises(ValueError, match="weight_group: expected one of 0, 32, 64, 128, got 16"):
        Calibration(weight_bits=4, weight_group=16)
    with pytest.raises(ValueError, match="weight_group: group scales need weights narrower than 8 bits"):
        Calibration(weight_group=32)
