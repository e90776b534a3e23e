"""Bit-exact integer models of the I-BERT datapath: the specification the RTL matches bit for bit.

Every datapath function takes integer arrays and integer constants and returns integer arrays of
stated widths; :mod:`golden.constants` is the only module that uses floating point (deriving those
constants from real scales, offline). :mod:`golden.widths` holds every width and limit.
"""

from .attn_head import attention, attn_head, qkv_columns
from .div import div
from .encoder_layer import encoder_layer
from .exp import exp
from .gelu import gelu
from .layernorm import layernorm
from .layout import read_plan
from .linear import linear, mm_gelu, mm_ln
from .lopd import lopd
from .matmul import matmul
from .params import (
    AttnHeadParams,
    Dense,
    EncoderLayerParams,
    ExpConsts,
    GeluConsts,
    LayerNormParams,
    Rescale,
    SoftmaxConsts,
)
from .requant import requant, residual_add
from .softmax import softmax
from .sqrt import sqrt

__all__ = [
    "AttnHeadParams", "Dense", "EncoderLayerParams", "ExpConsts", "GeluConsts", "LayerNormParams",
    "Rescale", "SoftmaxConsts", "attention", "attn_head", "div", "encoder_layer", "exp", "gelu", "layernorm",
    "linear", "lopd", "matmul", "mm_gelu", "mm_ln", "qkv_columns", "read_plan", "requant", "residual_add", "softmax", "sqrt",
]
