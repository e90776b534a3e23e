"""Bit widths and synthesis-time limits of the integer datapath: the one source of truth.

Golden functions validate against these numbers, the RTL parameters are generated from them and the
host reads them; nothing else in the kit writes a width down as a literal.
"""

from __future__ import annotations

#: int8 activations and weights (signed, symmetric).
ACT_BITS = 8
#: Matmul accumulator: int8 x int8 products summed in int32.
ACC_BITS = 32
#: Largest K for which an int8 x int8 dot product cannot leave int32: K * 2**14 <= 2**31 - 1.
MATMUL_MAX_K = (2 ** (ACC_BITS - 1) - 1) // 2 ** (2 * (ACT_BITS - 1))
#: Residual sums (attention output + input, FFN output + input) feeding LayerNorm.
RESID_BITS = 22

#: Requant multiplier: signed, |m| < 2**31 (a normalized scale ratio has 2**30 <= |m| < 2**31).
REQUANT_M_BITS = 32
#: Largest requant shift; the rounded product is (q + bias) * m, at most 64 bits wide.
REQUANT_E_MAX = 63

#: i-exp clamps its input at EXP_SEGMENTS * x0 (the result there is below 2**-30 of the maximum).
EXP_SEGMENTS = 30
#: i-exp output (and its constant qc) fits a signed 32-bit word.
EXP_OUT_BITS = 32

#: Softmax narrows each exp to this many unsigned bits before summing.
SOFTMAX_EXP_BITS = 16
#: Softmax normalization: factor = floor(2**SOFTMAX_M / sum).
SOFTMAX_M = 31
#: Softmax probabilities: unsigned [0, 2**SOFTMAX_OUT_BITS - 1] at scale 2**-SOFTMAX_OUT_BITS, the
#: unsigned A operand of the P x V matmul (9-bit signed into the DSP48E1).
SOFTMAX_OUT_BITS = 8
#: Longest softmax row: the sum of narrowed exps stays below 2**31.
SOFTMAX_MAX_ROW = 2 ** (SOFTMAX_M - SOFTMAX_EXP_BITS)

#: i-GELU: erf result is floor-shifted by this many bits (I-BERT's constant).
GELU_ERF_SHIFT = 14
#: i-GELU input (the int32 output of a dense layer) and output widths.
GELU_IN_BITS = 32
GELU_OUT_BITS = 32

#: LayerNorm input (a residual sum) may use up to this many signed bits.
LN_IN_BITS = 32
#: Longest LayerNorm row.
LN_MAX_ROW = 4096
#: The shifted variance sum(y**2) >> 2s is kept below 2**LN_VAR_BITS (one bit of margin under a
#: 48-bit square-root input): the root keeps at least 23 significant bits.
LN_VAR_BITS = 47
#: The normalized value is y * 2**LN_DIV_BITS / std (the output scale's 2**31).
LN_DIV_BITS = 31
#: factor = floor(2**LN_FACTOR_BITS / r): LN_FACTOR_BITS - LN_DIV_BITS more bits than the output
#: needs, shifted out again with the output shift.
LN_FACTOR_BITS = 47
#: LayerNorm output width (the normalized value plus the folded bias, saturated).
LN_OUT_BITS = 32


def signed_range(bits: int) -> tuple[int, int]:
    """Inclusive (min, max) of a two's-complement integer of ``bits`` bits."""
    return -(1 << (bits - 1)), (1 << (bits - 1)) - 1


def unsigned_range(bits: int) -> tuple[int, int]:
    """Inclusive (min, max) of an unsigned integer of ``bits`` bits."""
    return 0, (1 << bits) - 1
