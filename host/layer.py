"""An encoder layer as the accelerator's operations, on either backend, with a trace of every
step's inputs and output for the divergence locator (host/divergence.py).

The layer is five steps, each one operation (golden.encoder_layer's dataflow); a step is named for
the weights it applies (golden.EncoderLayerParams' fields), its operation as in golden, the
register map and the driver (host/accel/operations.py):
  qkv       OP_LINEAR: [Q | K | V] = requant(x [Wq | Wk | Wv] + b), one (T, 3D) operation
  attention OP_ATTENTION: all heads, requant(softmax(Q_h K_h^T) V_h), (T, D), each head read in
            place from the QKV output
  attn_out  OP_MM_LN: golden.mm_ln(ctx, attn_out, ..., residual x)
  ffn_in    OP_MM_GELU: golden.mm_gelu(a1, ffn_in, ...)
  ffn_out   OP_MM_LN: golden.mm_ln(g, ffn_out, ..., residual a1)
Each is bit-identical to the golden composition (tests/test_host_sim.py checks it).

On the accelerator the activations stay in DDR from one step to the next (host.accel.driver.DeviceRows):
the CPU writes the embedding output in, and every weight part is loaded once
(:meth:`LayerRunner.load`). With ``check`` (the default) every step's output is read back for the
trace the divergence locator reads (about 0.4 MB for a 16-token MiniLM sentence); without it only
the last layer's output is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

import golden
from golden.params import Dense, EncoderLayerParams, Rescale

from .accel.operations import OPERATIONS
from .accel.regmap import OP_ATTENTION, OP_LINEAR, OP_MM_GELU, OP_MM_LN


#: what is derived from a layer's parameters once per layer, by (what, the layer's id), the layer
#: kept with it so that its id stays its own
_DERIVED: dict[tuple[str, int], tuple[EncoderLayerParams, object]] = {}


def _once(what: str, p: EncoderLayerParams, make):
    kept = _DERIVED.get((what, id(p)))
    if kept is None or kept[0] is not p:
        if len(_DERIVED) > 512:
            _DERIVED.clear()
        kept = _DERIVED[(what, id(p))] = (p, make(p))
    return kept[1]


def fused_qkv(p: EncoderLayerParams) -> tuple[Dense, Rescale]:
    """The three projections as one: weights (D, 3D), biases and per-channel requants, their
    columns head by head (golden.qkv_columns: [Q_0 K_0 V_0 Q_1 ...]), the order the attention
    operation reads them in; the permutation is done here, once per layer, on the weights."""
    return _once("fused_qkv", p, _fuse_qkv)


def _fuse_qkv(p: EncoderLayerParams) -> tuple[Dense, Rescale]:
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
    accelerator failed it (a core error, an error response from memory, a timeout), no output
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
    """One step of the layer: the operation it runs (host/accel/operations.py) and golden's arguments of
    that operation from the step's inputs and the layer's parameters."""

    code: int
    args: Callable[[dict, EncoderLayerParams], tuple]


#: The layer's dataflow, written once: golden_step, the accelerator runner and the divergence
#: locator all read it.
STEPS = {
    "qkv": LayerStep(OP_LINEAR, lambda i, p: (i["x"], *fused_qkv(p))),
    "attention": LayerStep(OP_ATTENTION, lambda i, p: (i["qkv"], p.heads, _once("head", p, lambda q: q.head(0)))),
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


def weight_args(name: str, p: EncoderLayerParams) -> tuple:
    """The step's golden arguments with its activations left out (None): what its weight part is
    built from."""
    return _step(name).args(dict.fromkeys(("x", "qkv", "ctx", "r", "a1", "g")), p)


@dataclass
class LayerRunner:
    """Runs layers on ``acc`` (an host.accel.driver.Accelerator), or on golden when ``acc`` is None.
    The weight part of every operation is built once per layer and kept in DDR (:meth:`load`),
    keyed by the layer's parameters. ``check``: every step's inputs and output are in the trace as numpy arrays
    (read back from DDR); otherwise the trace holds the device arrays and only what is asked for
    is read."""

    acc: object | None = None
    check: bool = True
    trace: list[Step] = field(default_factory=list)
    _weights: dict = field(default_factory=dict)

    def load(self, layers) -> None:
        """Every layer's weight parts into one DDR buffer at once (host.accel.driver's load_weights),
        where they stay for every later sentence; on golden, nothing to do."""
        if self.acc is None:
            return
        parts, owners = {}, {}
        for p in layers:
            for name, step in STEPS.items():
                operation = OPERATIONS[step.code]
                if operation.weights is not None and (id(p), name) not in self._weights:
                    parts[(id(p), name)] = operation.weights(*weight_args(name, p))
                    owners[(id(p), name)] = p
        if parts:
            for key, dev in self.acc.load_weights(parts).items():
                self._weights[key] = (owners[key], dev)  # the layer kept alive: its id stays its own

    def step(self, i: int, name: str, inputs: dict, p: EncoderLayerParams, out=None):
        """Step ``name`` of layer ``i`` on ``inputs``, traced; on the accelerator its output goes to
        ``out`` (a DeviceRows) and stays there."""
        if self.acc is None:
            result, cycles = golden_step(name, inputs, p), None
        else:
            from .accel.driver import AcceleratorError

            try:
                result, cycles = self._on_accelerator(i, name, inputs, p, out), self.acc.cycles
            except (AcceleratorError, TimeoutError) as e:
                self.trace.append(Step(i, name, self._host(inputs), None, None, str(e)))
                raise OperationFailed(self.trace[-1]) from e
        if self.check:
            self.trace.append(Step(i, name, self._host(inputs), np.asarray(result), cycles))
        else:
            self.trace.append(Step(i, name, inputs, result, cycles))
        return result

    def _host(self, inputs: dict) -> dict:
        return {k: np.asarray(v) for k, v in inputs.items()} if self.check else inputs

    def _on_accelerator(self, i: int, name: str, inputs: dict, p: EncoderLayerParams, out):
        """The step's operation through the driver's method of the same name (``linear``, ...,
        ``attention``), its weights resident in DDR (loaded with the layer's, or now)."""
        step = _step(name)
        operation, args = OPERATIONS[step.code], step.args(inputs, p)
        method = getattr(self.acc, operation.key)
        if operation.weights is None:
            return method(*args, out=out)
        key = (id(p), name)
        if key not in self._weights:
            self._weights[key] = (p, self.acc.load_weights({key: operation.weights(*weight_args(name, p))})[key])
        return method(*args, weights=self._weights[key][1], out=out)

    def layer(self, i: int, x, p: EncoderLayerParams):
        """Layer ``i`` on one sequence's rows (T, D)."""
        return self.layers(i, [x], p)[0]

    def layers(self, i: int, xs: list, p: EncoderLayerParams) -> list:
        """Layer ``i`` on several sequences at once: their rows share the projections and the FFN
        (one operation each over all the rows, so each pass of the weights serves them all), and
        attention runs per sequence over its own rows. Every operation but attention is row by row
        (per-channel requants, LayerNorm over each row), so each sequence's result is bit-identical
        to running it alone. On the accelerator the results are row slices of one DeviceRows in
        DDR (numpy arrays come in by one copy)."""
        cuts = np.cumsum([np.shape(v)[0] for v in xs])
        spans = list(zip([0, *cuts[:-1]], cuts))
        if self.acc is None:
            x = xs[0] if len(xs) == 1 else np.concatenate(xs)
            qkv = self.step(i, "qkv", {"x": x}, p)
            ctx = np.concatenate([self.step(i, "attention", {"qkv": qkv[a:b]}, p) for a, b in spans])
            a1 = self.step(i, "attn_out", {"ctx": ctx, "r": x}, p)
            g = self.step(i, "ffn_in", {"a1": a1}, p)
            y = self.step(i, "ffn_out", {"g": g, "r": a1}, p)
            return [y[a:b] for a, b in spans]
        acc, m, d = self.acc, int(cuts[-1]), p.hidden
        x = self._joined(xs)
        qkv = self.step(i, "qkv", {"x": x}, p, out=acc.rows("qkv", m, 3 * d))
        ctx = acc.rows("ctx", m, d)
        parts = [self.step(i, "attention", {"qkv": qkv.row_slice(a, b)}, p, out=ctx.row_slice(a, b)) for a, b in spans]
        if self.check:  # the heads' context rows were read back: the whole is their rows
            ctx._host = np.concatenate([part.numpy() for part in parts])
        a1 = self.step(i, "attn_out", {"ctx": ctx, "r": x}, p, out=acc.rows("a1", m, d))
        g = self.step(i, "ffn_in", {"a1": a1}, p, out=acc.rows("g", m, np.shape(p.ffn_in.w)[1]))
        y_name = "y1" if x._named is acc._named.get("y0") else "y0"  # never the buffer x is in
        y = self.step(i, "ffn_out", {"g": g, "r": a1}, p, out=acc.rows(y_name, m, d))
        return [y.row_slice(a, b) for a, b in spans]

    def _joined(self, xs: list):
        """The sequences' rows as one DeviceRows: the rows they already are when they are
        consecutive slices of one (the last layer's output), else one copy in."""
        from .accel.driver import DeviceRows

        if all(isinstance(v, DeviceRows) for v in xs) and all(
                v._named is xs[0]._named and v._generation == xs[0]._generation for v in xs) and all(
                b.offset == a.offset + a.rows * a.row_beats for a, b in zip(xs, xs[1:])):
            hosts = [v._host for v in xs]
            host = None if any(h is None for h in hosts) else np.concatenate(hosts)
            return DeviceRows(self.acc, xs[0]._named, xs[0].offset, sum(v.rows for v in xs), xs[0].cols,
                              xs[0].dtype, host)
        return self.acc.to_device(np.concatenate([np.asarray(v) for v in xs]), "y0")


def forward(runner: LayerRunner, model, ids) -> np.ndarray:
    """The whole integer model (a host.model.bert.IntBert) on ``runner``'s backend: the embedding on the
    host, every encoder layer as the operations above; the final int8 hidden states (T, D)."""
    return forward_batch(runner, model, [ids])[0]


def forward_batch(runner: LayerRunner, model, batch: list) -> list[np.ndarray]:
    """:func:`forward` for several sequences (token id lists) at once, their rows sharing every
    operation but attention (:meth:`LayerRunner.layers`); each result is bit-identical to its
    :func:`forward`. On the accelerator the weights are loaded once (:meth:`LayerRunner.load`), the
    embedding output is the CPU's one write and the last layer's output its one read (with
    ``check``, every step's output is read too)."""
    from .model.bert import embed_int

    runner.load(model.layers)
    xs = [embed_int(model, ids) for ids in batch]
    for i, layer in enumerate(model.layers):
        xs = runner.layers(i, xs, layer)
    return [np.asarray(v) for v in xs]
