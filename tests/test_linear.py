"""golden.linear and golden.mm_gelu (the accelerator's OP_LINEAR and OP_MM_GELU) against
Python-integer oracles, and the stream layout of those operations (golden.layout) against its
definition."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import golden
from golden import constants as C
from golden.layout import (
    LINEAR_CONST_BEATS,
    matmul_order,
    pack_linear,
    pack_matmul,
    pack_i32,
    pack_mm_gelu,
    pack_rows,
    to_signed,
    unpack_i32,
    unpack_rows,
)

from . import pyref


def problem(rng, m, k, n):
    x = rng.integers(-128, 128, (m, k), dtype=np.int8)
    dense = golden.Dense(rng.integers(-128, 128, (k, n), dtype=np.int8), rng.integers(-(2**31), 2**31, n).astype(np.int32))
    rq = golden.Rescale(rng.choice([-1, 1], n) * rng.integers(1, 2**31, n), rng.integers(0, 64, n))
    return x, dense, rq


@settings(max_examples=30)
@given(st.integers(1, 6), st.integers(1, 20), st.integers(1, 12), st.integers(0, 2**32 - 1))
def test_linear_matches_python_ints(m, k, n, seed):
    x, dense, rq = problem(np.random.default_rng(seed), m, k, n)
    got = golden.linear(x, dense, rq)
    assert got.dtype == np.int8
    for i in range(m):
        for j in range(n):
            acc = sum(int(x[i, t]) * int(dense.w[t, j]) for t in range(k))
            assert got[i, j] == pyref.requant(acc, int(rq.m[j]), int(rq.e[j]), int(dense.bias[j]), 8), (i, j)


@settings(max_examples=20)
@given(st.integers(1, 4), st.integers(1, 12), st.integers(1, 6), st.integers(0, 2**32 - 1))
def test_mm_gelu_matches_python_ints(m, k, n, seed):
    rng = np.random.default_rng(seed)
    x, dense, _ = problem(rng, m, k, n)
    consts, gscale = C.gelu_consts(rng.uniform(1e-6, 1e-3, n), rng.integers(0, 20, n))
    rq = C.requant_params(gscale / rng.uniform(0.01, 0.1))
    gelu_bias = rng.integers(-(2**31), 2**31, n)
    got = golden.mm_gelu(x, dense, consts, rq, gelu_bias)
    for i in range(m):
        for j in range(n):
            acc = sum(int(x[i, t]) * int(dense.w[t, j]) for t in range(k))
            f = pyref.gelu(pyref.clamp(acc + int(dense.bias[j]), 32), int(consts.qb[j]), int(consts.qc[j]),
                           int(consts.q1[j]), int(consts.shift[j]))
            assert got[i, j] == pyref.requant(f, int(rq.m[j]), int(rq.e[j]), int(gelu_bias[j]), 8), (i, j)


def test_pack_mm_gelu_puts_five_constant_beats_ahead_of_each_channel():
    rng = np.random.default_rng(3)
    x, dense, rq = problem(rng, 3, 9, 2)
    consts, _ = C.gelu_consts(np.full(2, 1e-4), 3)
    beats = pack_mm_gelu(x, dense, consts, rq, np.array([5, -7]), rows_per_tile=4)
    assert beats[:6] == pack_rows(x)
    for c, at in ((0, 6), (1, 6 + 7)):
        lo, e = beats[at], beats[at + 1]
        assert (to_signed(lo, 32), to_signed(lo >> 32, 32), e) == (rq.m[c], [5, -7][c], rq.e[c])
        word = beats[at + 2] | beats[at + 3] << 64 | beats[at + 4] << 128
        qb, qc, q1, shift = (np.broadcast_to(v, (2,))[c] for v in (consts.qb, consts.qc, consts.q1, consts.shift))
        assert to_signed(word, 32) == dense.bias[c] and to_signed(word >> 32, 23) == qb
        assert to_signed(word >> 55, 46) == qc and to_signed(word >> 101, 32) == q1
        assert word >> 133 == shift
        assert beats[at + 5:at + 7] == pack_rows(dense.w[:, c:c + 1].T)
    assert len(beats) == 6 + 2 * 7


def test_linear_rejects_bad_input():
    x, dense, rq = problem(np.random.default_rng(0), 2, 3, 4)
    with pytest.raises(TypeError, match="x"):
        golden.linear(x.astype(np.float32), dense, rq)
    with pytest.raises(ValueError, match="inner dimensions"):
        golden.linear(x[:, :2], dense, rq)


def test_pack_linear_layout():
    """Per row tile: the tile's rows, then per channel {bias, m}, {e} and the channel's weights."""
    rng = np.random.default_rng(1)
    x, dense, rq = problem(rng, 5, 11, 3)
    beats = pack_linear(x, dense, rq, rows_per_tile=2)
    kb = 2
    channel = LINEAR_CONST_BEATS + kb
    tile_beats = lambda rows: rows * kb + 3 * channel  # noqa: E731
    assert len(beats) == 2 * tile_beats(2) + tile_beats(1)
    at = 0
    for r0, rows in ((0, 2), (2, 2), (4, 1)):
        assert beats[at:at + rows * kb] == pack_rows(x[r0:r0 + rows])
        at += rows * kb
        for c in range(3):
            lo, e = beats[at], beats[at + 1]
            assert (to_signed(lo, 32), to_signed(lo >> 32, 32), e) == (rq.m[c], dense.bias[c], rq.e[c])
            assert beats[at + 2:at + channel] == pack_rows(dense.w[:, c:c + 1].T)
            at += channel
    assert at == len(beats)


def test_unpack_rows_round_trip_and_checks():
    x = np.random.default_rng(2).integers(-128, 128, (3, 13), dtype=np.int8)
    assert np.array_equal(unpack_rows(pack_rows(x), 3, 13), x)
    with pytest.raises(ValueError, match="2 beats"):
        unpack_rows(pack_rows(x)[:-1], 3, 13)
    bad = pack_rows(x)
    bad[1] |= 1 << 63
    with pytest.raises(ValueError, match="padding"):
        unpack_rows(bad, 3, 13)


def test_pack_i32_two_a_beat_first_in_the_low_half():
    """The engine's output layout: 1, -2, 3 -> beats 0xFFFFFFFE_00000001 and 3 beside a zero; the
    inverse of unpack_i32; anything not int32 refused."""
    assert pack_i32([1, -2, 3]) == [0xFFFFFFFE_00000001, 3]
    v = np.random.default_rng(3).integers(-2**31, 2**31, 7)
    assert unpack_i32(pack_i32(v), 7) == v.tolist()
    with pytest.raises(ValueError, match="int32"):
        pack_i32([2**32])


def test_pack_matmul_and_its_output_order():
    rng = np.random.default_rng(4)
    a = rng.integers(-128, 128, (5, 9), dtype=np.int8)
    b = rng.integers(-128, 128, (9, 3), dtype=np.int8)
    assert pack_matmul(a, b, 2) == (pack_rows(a[:2]) + pack_rows(b.T) + pack_rows(a[2:4]) + pack_rows(b.T)
                                    + pack_rows(a[4:]) + pack_rows(b.T))
    d = np.arange(15).reshape(5, 3)
    # row tiles of 2 on a 2 x 2 array: inside each, column tiles of 2 with the tile's rows row-major
    assert matmul_order(d, 2, 2, 2) == [0, 1, 3, 4, 2, 5, 6, 7, 9, 10, 8, 11, 12, 13, 14]
    # row tiles of 4 on a 2 x 2 array: column tile, then blocks of 2 rows
    assert matmul_order(d, 2, 2, 4) == [0, 1, 3, 4, 6, 7, 9, 10, 2, 5, 8, 11, 12, 13, 14]


@settings(max_examples=15)
@given(st.integers(1, 4), st.integers(1, 12), st.integers(2, 8), st.integers(0, 2**32 - 1))
def test_mm_ln_matches_python_ints(m, k, n, seed):
    """golden.mm_ln against the Python-integer oracles of its pieces, element by element and row
    by row, with per-channel residual constants."""
    rng = np.random.default_rng(seed)
    x, dense, rq = problem(rng, m, k, n)
    rq = golden.Rescale(rq.m, rng.integers(20, 40, n))
    r = rng.integers(-128, 128, (m, n), dtype=np.int8)
    res_rq = golden.Rescale(rng.integers(1 << 30, 1 << 31, n), rng.integers(10, 20, n))
    ln, ln_scale = C.layernorm_consts(rng.uniform(0.5, 1.5, n), rng.normal(0, 0.1, n))
    ln_rq = C.requant_params(ln_scale / 0.05)
    got = golden.mm_ln(x, dense, rq, r, res_rq, ln, ln_rq)
    assert got.dtype == np.int8
    for i in range(m):
        h = [pyref.residual_add(sum(int(x[i, t]) * int(dense.w[t, j]) for t in range(k)), int(rq.m[j]), int(rq.e[j]),
                                int(dense.bias[j]), int(r[i, j]), int(res_rq.m[j]), int(res_rq.e[j]), 22)
             for j in range(n)]
        y = pyref.layernorm(h, [int(b) for b in ln.bias], ln.shift)
        assert [int(v) for v in got[i]] == [pyref.requant(v, int(ln_rq.m[j]), int(ln_rq.e[j]), 0, 8)
                                            for j, v in enumerate(y)], i
