"""Bad input raises with a message naming what was expected, for every public golden function."""

import numpy as np
import pytest

import golden
from golden import constants as C
from golden.params import LayerNormParams

SM = C.softmax_consts(1e-4)
EX = SM.exp
GE = C.gelu_consts(1e-4, 1)[0]
LN = LayerNormParams(np.zeros(4, np.int64), 1)
I8 = np.zeros((2, 4), np.int8)

#: name -> (call with the array argument replaced, text naming the expected range)
CALLS = {
    "requant": (lambda a: golden.requant(a, 2**30, 31), "int32"),
    "residual_add": (lambda a: golden.residual_add(a, 1, 0, 0, np.zeros((2, 4), np.int32), 1, 0), "int32"),
    "matmul": (lambda a: golden.matmul(a, np.zeros((4, 3), np.int8)), "int8"),
    "lopd": (lambda a: golden.lopd(a, 8), "uint8"),
    "sqrt": (lambda a: golden.sqrt(a, 8), "uint8"),
    "div": (lambda a: golden.div(a, 1, 8), "uint8"),
    "exp": (lambda a: golden.exp(a, EX), "<= 0"),
    "softmax": (lambda a: golden.softmax(a, SM), "int32"),
    "gelu": (lambda a: golden.gelu(a, GE), "int32"),
    "layernorm": (lambda a: golden.layernorm(a, LN), "int32"),
}
TOO_BIG = {"requant": 2**31, "residual_add": 2**31, "matmul": 128, "lopd": 256, "sqrt": 256,
           "div": 256, "exp": 1, "softmax": 2**31, "gelu": 2**31, "layernorm": 2**31}


@pytest.mark.parametrize("name", CALLS)
@pytest.mark.parametrize("bad", [np.zeros((2, 4), np.float32), np.zeros((2, 4), bool), np.array([["a"] * 4] * 2)])
def test_non_integer_arrays_raise_type_error(name, bad):
    call, _ = CALLS[name]
    with pytest.raises(TypeError, match="expected an integer array"):
        call(bad)


@pytest.mark.parametrize("name", CALLS)
def test_out_of_range_values_raise_value_error_naming_the_width(name):
    call, expected = CALLS[name]
    a = np.zeros((2, 4), np.int64)
    a[1, 2] = TOO_BIG[name]
    with pytest.raises(ValueError, match=expected):
        call(a)


def test_scalar_arguments_are_checked():
    with pytest.raises(TypeError, match="expected an integer"):
        golden.requant(I8, 1.5, 3)
    with pytest.raises(TypeError, match="expected an integer"):
        golden.requant(I8, np.array([1.5]), 3)
    with pytest.raises(ValueError, match=r"e: expected .*\[0, 63\]"):
        golden.requant(I8, 1, 64)
    with pytest.raises(ValueError, match="out_bits"):
        golden.requant(I8, 1, 0, out_bits=33)
    with pytest.raises(ValueError, match=r"m: expected a scalar or shape \(4,\)"):
        golden.requant(I8, np.ones(3, np.int64), 0)
    with pytest.raises(ValueError, match="shape of q"):
        golden.residual_add(I8, 1, 0, 0, np.zeros((4, 2), np.int8), 1, 0)


@pytest.mark.parametrize("fn", [C.exp_consts, C.softmax_consts, C.gelu_consts, lambda s: C.quantize(1.0, s, 8),
                                lambda s: C.dequantize(np.ones(2, np.int8), s)])
@pytest.mark.parametrize("scale", [0.0, -1e-3, float("nan"), float("inf")])
def test_zero_negative_or_non_finite_scales_raise(fn, scale):
    with pytest.raises(ValueError, match="scale"):
        fn(scale)
