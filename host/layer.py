"""An encoder layer as the accelerator's operations, on either backend, with a trace of every
operation's inputs and output for the divergence locator (host/divergence.py).

The layer is five operations (golden.encoder_layer's dataflow):
  qkv       OP_LINEAR: [Q | K | V] = requant(x [Wq | Wk | Wv] + b), one (T, 3D) operation
  attention OP_ATTENTION: all heads, requant(softmax(Q_h K_h^T) V_h), (T, D), the QKV output sent
            head-major, one packet per head
  attn_out  OP_MM_LN: golden.mm_ln(ctx, attn_out, ..., residual x)
  ffn_in    OP_MM_GELU: golden.mm_gelu(a1, ffn_in, ...)
  ffn_out   OP_MM_LN: golden.mm_ln(g, ffn_out, ..., residual a1)
Each is bit-identical to the golden composition (tests/test_host_sim.py checks it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

import golden
from golden.layout import linear_weights, mm_gelu_weights, mm_ln_weights
from golden.params import Dense, EncoderLayerParams, Rescale

OPS = ("qkv", "attention", "attn_out", "ffn_in", "ffn_out")


def fused_qkv(p: EncoderLayerParams) -> tuple[Dense, Rescale]:
    """The three projections as one: weights (D, 3D), biases and per-channel requants, their
    columns head by head (golden.qkv_columns: [Q_0 K_0 V_0 Q_1 ...]), the order the attention
    operation reads them in; the permutation is done here, once per layer, on the weights."""
    d = p.hidden

    def per(v):
        return np.broadcast_to(np.asarray(v, dtype=np.int64), (d,))

    cols = golden.qkv_columns(p.heads, d // p.heads)
    dense = Dense(np.concatenate([p.q.w, p.k.w, p.v.w], axis=1)[:, cols],
                  np.concatenate([per(p.q.bias), per(p.k.bias), per(p.v.bias)]).astype(np.int32)[cols])
    rq = Rescale(np.concatenate([per(r.m) for r in (p.q_rq, p.k_rq, p.v_rq)])[cols],
                 np.concatenate([per(r.e) for r in (p.q_rq, p.k_rq, p.v_rq)])[cols])
    return dense, rq


def attention(qkv: np.ndarray, p: EncoderLayerParams) -> np.ndarray:
    """All heads' attention on the fused projection's output (T, 3D, head by head) -> context (T, D)."""
    return golden.attention_qkv(qkv, p.heads, p.head(0))


@dataclass
class Step:
    """One operation of one layer: its name, inputs, output and (accelerator) cycles; or, when the
    accelerator failed it (a core or DMA error, a packet of the wrong length, a timeout), no output
    and the ``error``."""

    layer: int
    op: str
    inputs: dict
    output: np.ndarray | None
    cycles: int | None = None
    error: str | None = None


class OperationFailed(RuntimeError):
    """The accelerator failed one operation of a run; ``step`` has the layer, the operation, its
    inputs (for host.replay) and the error."""

    def __init__(self, step: Step):
        super().__init__(f"layer {step.layer}, operation {step.op}: {step.error}")
        self.step = step


def golden_op(op: str, inputs: dict, p: EncoderLayerParams) -> np.ndarray:
    """The golden function of operation ``op`` on ``inputs`` (a Step's)."""
    if op == "qkv":
        return golden.linear(inputs["x"], *fused_qkv(p))
    if op == "attention":
        return attention(inputs["qkv"], p)
    if op == "attn_out":
        return golden.mm_ln(inputs["ctx"], p.attn_out, p.attn_rq, inputs["r"], p.attn_res, p.ln1, p.ln1_rq)
    if op == "ffn_in":
        return golden.mm_gelu(inputs["a1"], p.ffn_in, p.gelu, p.gelu_rq, p.gelu_bias)
    if op == "ffn_out":
        return golden.mm_ln(inputs["g"], p.ffn_out, p.ffn_rq, inputs["r"], p.ffn_res, p.ln2, p.ln2_rq)
    raise ValueError(f"op: expected one of {', '.join(OPS)}, got {op!r}")


@dataclass
class LayerRunner:
    """Runs layers on ``acc`` (an host.driver.Accelerator), or on golden when ``acc`` is None.
    The weight part of every operation's packet is built once per layer and kept."""

    acc: object | None = None
    trace: list[Step] = field(default_factory=list)
    _weights: dict = field(default_factory=dict)

    def weights(self, i: int, p: EncoderLayerParams) -> dict[str, np.ndarray]:
        if i not in self._weights:
            self._weights[i] = {
                "qkv": linear_weights(*fused_qkv(p)),
                "attn_out": mm_ln_weights(p.attn_out, p.attn_rq, p.attn_res, p.ln1, p.ln1_rq),
                "ffn_in": mm_gelu_weights(p.ffn_in, p.gelu, p.gelu_rq, p.gelu_bias),
                "ffn_out": mm_ln_weights(p.ffn_out, p.ffn_rq, p.ffn_res, p.ln2, p.ln2_rq),
            }
        return self._weights[i]

    def op(self, i: int, op: str, inputs: dict, p: EncoderLayerParams) -> np.ndarray:
        if self.acc is None:
            out, cycles = golden_op(op, inputs, p), None
        else:
            from .driver import AcceleratorError

            try:
                out, cycles = self._on_accelerator(i, op, inputs, p), self.acc.cycles
            except (AcceleratorError, TimeoutError) as e:
                self.trace.append(Step(i, op, inputs, None, None, str(e)))
                raise OperationFailed(self.trace[-1]) from e
        self.trace.append(Step(i, op, inputs, out, cycles))
        return out

    def _on_accelerator(self, i: int, op: str, inputs: dict, p: EncoderLayerParams) -> np.ndarray:
        acc, w = self.acc, self.weights(i, p).get(op)
        if op == "qkv":
            return acc.linear(inputs["x"], *fused_qkv(p), weights=w)
        if op == "attention":
            return acc.attention(inputs["qkv"], p.heads, p.head(0))
        if op == "attn_out":
            return acc.mm_ln(inputs["ctx"], p.attn_out, p.attn_rq, inputs["r"], p.attn_res, p.ln1, p.ln1_rq, weights=w)
        if op == "ffn_in":
            return acc.mm_gelu(inputs["a1"], p.ffn_in, p.gelu, p.gelu_rq, p.gelu_bias, weights=w)
        if op == "ffn_out":
            return acc.mm_ln(inputs["g"], p.ffn_out, p.ffn_rq, inputs["r"], p.ffn_res, p.ln2, p.ln2_rq, weights=w)
        raise ValueError(f"op: expected one of {', '.join(OPS)}, got {op!r}")

    def layer(self, i: int, x: np.ndarray, p: EncoderLayerParams) -> np.ndarray:
        """Layer ``i`` on one sequence's rows (T, D)."""
        return self.layers(i, [x], p)[0]

    def layers(self, i: int, xs: list[np.ndarray], p: EncoderLayerParams) -> list[np.ndarray]:
        """Layer ``i`` on several sequences at once: their rows share the projections and the FFN
        (one operation each over all the rows, so each pass of the weights serves them all), and
        attention runs per sequence over its own rows. Every operation but attention is row by row
        (per-channel requants, LayerNorm over each row), so each sequence's result is bit-identical
        to running it alone."""
        x = xs[0] if len(xs) == 1 else np.concatenate(xs)
        cuts = np.cumsum([len(v) for v in xs])[:-1]
        qkv = self.op(i, "qkv", {"x": x}, p)
        ctxs = [self.op(i, "attention", {"qkv": part}, p) for part in np.split(qkv, cuts)]
        ctx = ctxs[0] if len(ctxs) == 1 else np.concatenate(ctxs)
        a1 = self.op(i, "attn_out", {"ctx": ctx, "r": x}, p)
        g = self.op(i, "ffn_in", {"a1": a1}, p)
        return np.split(self.op(i, "ffn_out", {"g": g, "r": a1}, p), cuts)


def forward(runner: LayerRunner, model, ids) -> np.ndarray:
    """The whole integer model (a host.bert.IntBert) on ``runner``'s backend: the embedding on the
    host, every encoder layer as the operations above; the final int8 hidden states (T, D)."""
    return forward_batch(runner, model, [ids])[0]


def forward_batch(runner: LayerRunner, model, batch: list) -> list[np.ndarray]:
    """:func:`forward` for several sequences (token id lists) at once, their rows sharing every
    operation but attention (:meth:`LayerRunner.layers`); each result is bit-identical to its
    :func:`forward`."""
    from .bert import embed_int

    xs = [embed_int(model, ids) for ids in batch]
    for i, layer in enumerate(model.layers):
        xs = runner.layers(i, xs, layer)
    return xs
