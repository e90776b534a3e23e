"""An encoder layer as the accelerator's operations, on either backend, with a trace of every
step's inputs and output for the divergence locator (host/divergence.py).

The layer is five steps, each one operation (golden.encoder_layer's dataflow); a step is named for
the weights it applies (golden.EncoderLayerParams' fields), its operation as in golden, the
register map and the driver (host/operations.py):
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
from typing import Callable

import numpy as np

import golden
from golden.params import Dense, EncoderLayerParams, Rescale

from .operations import OPERATIONS
from .regmap import OP_ATTENTION, OP_LINEAR, OP_MM_GELU, OP_MM_LN


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


@dataclass
class Step:
    """One step of one layer: its name, inputs, output and (accelerator) cycles; or, when the
    accelerator failed it (a core or DMA error, a packet of the wrong length, a timeout), no output
    and the ``error``."""

    layer: int
    name: str
    inputs: dict
    output: np.ndarray | None
    cycles: int | None = None
    error: str | None = None

    @property
    def where(self) -> str:
        """``layer 0, attn_out (mm_ln)``: the layer, the step and the operation it runs."""
        return f"layer {self.layer}, {self.name} ({OPERATIONS[STEPS[self.name].code].key})"


class OperationFailed(RuntimeError):
    """The accelerator failed one step of a run; ``step`` has the layer, the step, its inputs (for
    host.replay) and the error."""

    def __init__(self, step: Step):
        super().__init__(f"{step.where}: {step.error}")
        self.step = step


@dataclass(frozen=True)
class LayerStep:
    """One step of the layer: the operation it runs (host/operations.py) and golden's arguments of
    that operation from the step's inputs and the layer's parameters."""

    code: int
    args: Callable[[dict, EncoderLayerParams], tuple]


#: The layer's dataflow, written once: golden_step, the accelerator runner and the divergence
#: locator all read it.
STEPS = {
    "qkv": LayerStep(OP_LINEAR, lambda i, p: (i["x"], *fused_qkv(p))),
    "attention": LayerStep(OP_ATTENTION, lambda i, p: (i["qkv"], p.heads, p.head(0))),
    "attn_out": LayerStep(OP_MM_LN, lambda i, p: (i["ctx"], p.attn_out, p.attn_rq, i["r"], p.attn_res, p.ln1,
                                                  p.ln1_rq)),
    "ffn_in": LayerStep(OP_MM_GELU, lambda i, p: (i["a1"], p.ffn_in, p.gelu, p.gelu_rq, p.gelu_bias)),
    "ffn_out": LayerStep(OP_MM_LN, lambda i, p: (i["g"], p.ffn_out, p.ffn_rq, i["r"], p.ffn_res, p.ln2, p.ln2_rq)),
}


def _step(name: str) -> LayerStep:
    if name not in STEPS:
        raise ValueError(f"step: expected one of {', '.join(STEPS)}, got {name!r}")
    return STEPS[name]


def golden_step(name: str, inputs: dict, p: EncoderLayerParams) -> np.ndarray:
    """The golden function of step ``name``'s operation on ``inputs`` (a Step's)."""
    step = _step(name)
    return OPERATIONS[step.code].golden(*step.args(inputs, p))


@dataclass
class LayerRunner:
    """Runs layers on ``acc`` (an host.driver.Accelerator), or on golden when ``acc`` is None.
    The weight part of every operation's packet is built once per layer and kept."""

    acc: object | None = None
    trace: list[Step] = field(default_factory=list)
    _weights: dict = field(default_factory=dict)

    def step(self, i: int, name: str, inputs: dict, p: EncoderLayerParams) -> np.ndarray:
        """Step ``name`` of layer ``i`` on ``inputs``, traced."""
        if self.acc is None:
            out, cycles = golden_step(name, inputs, p), None
        else:
            from .driver import AcceleratorError

            try:
                out, cycles = self._on_accelerator(i, name, inputs, p), self.acc.cycles
            except (AcceleratorError, TimeoutError) as e:
                self.trace.append(Step(i, name, inputs, None, None, str(e)))
                raise OperationFailed(self.trace[-1]) from e
        self.trace.append(Step(i, name, inputs, out, cycles))
        return out

    def _on_accelerator(self, i: int, name: str, inputs: dict, p: EncoderLayerParams) -> np.ndarray:
        """The step's operation through the driver's method of the same name (``linear``, ...,
        ``attention``), its packet's weight part built once per layer."""
        step = _step(name)
        operation, args = OPERATIONS[step.code], step.args(inputs, p)
        method = getattr(self.acc, operation.key)
        if operation.weights is None:
            return method(*args)
        key = (i, name)
        if key not in self._weights:
            self._weights[key] = operation.weights(*args)
        return method(*args, weights=self._weights[key])

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
        qkv = self.step(i, "qkv", {"x": x}, p)
        ctxs = [self.step(i, "attention", {"qkv": part}, p) for part in np.split(qkv, cuts)]
        ctx = ctxs[0] if len(ctxs) == 1 else np.concatenate(ctxs)
        a1 = self.step(i, "attn_out", {"ctx": ctx, "r": x}, p)
        g = self.step(i, "ffn_in", {"a1": a1}, p)
        return np.split(self.step(i, "ffn_out", {"g": g, "r": a1}, p), cuts)


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
