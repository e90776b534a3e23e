"""A BERT sentence encoder in float (the reference) and in integers (golden ops only), and the
quantizer between them.

Integer forward, per sentence of T tokens (single segment, so the type-0 token-type embedding is
folded into the position table before quantization):
  h = residual_add(word_q[ids], m_w, e_w, 0, pos_q[:T], m_p, e_p)   (22-bit)
  x = requant(layernorm(h, emb_ln), emb_rq)                          (int8)
  x = encoder_layer(x, layer_l) for each layer                         (int8)
The sentence embedding (mean over tokens, L2-normalized) is host post-processing of the final
int8 activations dequantized at the last layer's output scale.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import golden
from golden import constants as C
from golden import float_ref as F
from golden.calibrate import Calibration, channel_scales, quantize_layer
from golden.params import EncoderLayerParams, LayerNormParams, Rescale
from golden.widths import ACT_BITS, RESID_BITS

from .checkpoint import FloatBert


def _ids(ids, vocab: int, max_pos: int) -> np.ndarray:
    a = np.asarray(ids)
    if a.dtype.kind not in "iu" or a.ndim != 1 or a.size == 0:
        raise ValueError(f"ids: expected a non-empty 1-D integer array of token ids, got {a.dtype} {a.shape}")
    if a.min() < 0 or a.max() >= vocab:
        raise ValueError(f"ids: token ids must be in [0, {vocab - 1}]")
    if a.size > max_pos:
        raise ValueError(f"ids: {a.size} tokens exceed the {max_pos} positions of the model")
    return a


def embed_float(model: FloatBert, ids) -> np.ndarray:
    a = _ids(ids, model.word.shape[0], model.position.shape[0])
    h = model.word[a] + model.position[: a.size] + model.token_type[0]
    return F.layernorm(h, model.emb_ln_g, model.emb_ln_b, model.eps)


def pool(hidden: np.ndarray) -> np.ndarray:
    """Sentence embedding: mean over tokens, L2-normalized (all-MiniLM-L6-v2's pooling)."""
    v = hidden.mean(axis=0)
    return v / np.linalg.norm(v)


def forward_float(model: FloatBert, ids, dtype=np.float64) -> np.ndarray:
    """Float sentence embedding; ``dtype=np.float32`` gives the float32 reference."""
    return pool(hidden_float(model, ids, dtype))


def hidden_float(model: FloatBert, ids, dtype=np.float64) -> np.ndarray:
    """The last layer's float output (T, D), as float64, computed in ``dtype``."""
    x = embed_float(model, ids).astype(dtype)
    for layer in model.layers:
        x = F.encoder_layer(x, layer.astype(dtype))
    return x.astype(np.float64)


def hidden_states_float(model: FloatBert, ids) -> list[np.ndarray]:
    """Embedding output and every layer's output, float64 (the calibration inputs)."""
    xs = [embed_float(model, ids)]
    for layer in model.layers:
        xs.append(F.encoder_layer(xs[-1], layer))
    return xs


@dataclass(frozen=True)
class IntBert:
    """Everything the integer model needs, as integers, plus the real scales used to read it."""

    word_q: np.ndarray          # int8 (V, D)
    pos_q: np.ndarray           # int8 (P, D), token type 0 folded in
    word_rq: Rescale            # word -> 22-bit embedding-sum scale
    pos_rq: Rescale             # position -> the same scale
    emb_ln: LayerNormParams
    emb_rq: Rescale             # LayerNorm output -> int8 (per channel)
    layers: list[EncoderLayerParams]
    in_scale: np.ndarray        # real scale of the int8 input of layer 0, per channel (D,)
    out_scale: np.ndarray       # real scale of the int8 output of the last layer, per channel (D,)


def embed_int(m: IntBert, ids) -> np.ndarray:
    a = _ids(ids, m.word_q.shape[0], m.pos_q.shape[0])
    h = golden.residual_add(m.word_q[a], m.word_rq.m, m.word_rq.e, 0, m.pos_q[: a.size],
                            m.pos_rq.m, m.pos_rq.e, RESID_BITS)
    return golden.requant(golden.layernorm(h, m.emb_ln), m.emb_rq.m, m.emb_rq.e)


def forward_int(m: IntBert, ids) -> np.ndarray:
    """Integer-only forward; returns the final int8 hidden states (T, D)."""
    x = embed_int(m, ids)
    for layer in m.layers:
        x = golden.encoder_layer(x, layer)
    return x


def hidden_int(m: IntBert, ids) -> np.ndarray:
    """The last layer's integer output read at its real scale (T, D)."""
    return C.dequantize(forward_int(m, ids), m.out_scale)


def embed_sentence_int(m: IntBert, ids) -> np.ndarray:
    return pool(hidden_int(m, ids))


#: Calibration sentences the quantizer sees by default (host.model.sentences.calibration_sentences).
CALIBRATION_SENTENCES = 256


def quantize(model: FloatBert, calibration: list[list[int]], cal: Calibration = Calibration()) -> IntBert:
    """Post-training quantization calibrated on the token-id sequences ``calibration`` (activation
    clipping and LayerNorm-output smoothing as ``cal`` says, see :mod:`golden.calibrate`)."""
    return quantize_with_scales(model, calibration, cal)[0]


def quantize_with_scales(
    model: FloatBert, calibration: list[list[int]], cal: Calibration = Calibration()
) -> tuple[IntBert, list[dict]]:
    """:func:`quantize`, also returning each layer's real scales (``QuantizedLayer.scales`` plus
    ``in``/``out``), which the fidelity ablation uses."""
    if not calibration:
        raise ValueError("calibration: expected at least one token-id sequence")
    states = [hidden_states_float(model, ids) for ids in calibration]
    pos = model.position + model.token_type[0]
    s_word = C.symmetric_scale(np.abs(model.word).max(), ACT_BITS)
    s_pos = C.symmetric_scale(np.abs(pos).max(), ACT_BITS)
    sums = np.concatenate([model.word[np.asarray(ids)] + pos[: len(ids)] for ids in calibration])
    s_sum = float(np.abs(sums).max()) / ((1 << (RESID_BITS - 1)) - 1)
    ln, ln_scale = C.layernorm_consts(model.emb_ln_g, model.emb_ln_b)
    in_scale = channel_scales(np.concatenate([s[0] for s in states]), cal)

    layers, scales, scale = [], [], in_scale
    for i, layer in enumerate(model.layers):
        ql = quantize_layer(layer, [s[i] for s in states], scale, cal)
        layers.append(ql.params)
        scales.append(dict(ql.scales, **{"in": scale, "out": ql.out_scale}))
        scale = ql.out_scale
    return IntBert(
        word_q=C.quantize(model.word, s_word, ACT_BITS).astype(np.int8),
        pos_q=C.quantize(pos, s_pos, ACT_BITS).astype(np.int8),
        word_rq=C.requant_params(s_word / s_sum), pos_rq=C.requant_params(s_pos / s_sum),
        emb_ln=ln, emb_rq=C.requant_params(ln_scale / in_scale),
        layers=layers, in_scale=in_scale, out_scale=scale,
    ), scales
