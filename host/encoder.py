"""Sentence embeddings on the accelerator, as sentence-transformers' ``SentenceTransformer.encode``
gives them: float32 (N, D), pooled and normalized as the checkpoint's own configuration says.

    from host.encoder import Encoder

    with Encoder() as model:                    # all-MiniLM-L6-v2 on the simulated accelerator
        emb = model.encode(["A sentence.", "Another one."])     # float32 (2, 384), unit length
        print(model.cycles)                     # each sentence's share of the core's cycles

Sentences are tokenized, grouped into batches (at most ``batch_size`` sentences and as many token
rows as one operation takes, the core's MAX_M), and every batch runs through the encoder layers as
the accelerator's operations (host.layer): the projections and the FFN once for the whole batch,
so each pass of the weights serves every sentence, attention per sentence over its own rows. Each
sentence's embedding is bit-identical to running it alone, and on ``golden`` to the golden model.

Batches can run on several processes (``workers``), each with its own backend (on ``sim``, its
own simulator), or on a Dask cluster (``scheduler``: an address such as ``tcp://host:8786``, or a
``distributed.Client``); the result is the same array, in the same order.
"""

from __future__ import annotations

import json
import logging
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from golden import constants as C
from golden.calibrate import Calibration

from .model import bert, cache, params_io
from . import conventions
from .model.checkpoint import default_model_dir, load_checkpoint
from .model.tokenize import MAX_TOKENS, Tokenizer


@dataclass(frozen=True)
class Pooling:
    """How token states become a sentence embedding (sentence-transformers' Pooling and Normalize
    modules): ``mode`` mean, cls or max over the tokens, then L2 normalization if ``normalize``."""

    mode: str = "mean"
    normalize: bool = True

    @classmethod
    def of_checkpoint(cls, folder: Path) -> Pooling:
        """The checkpoint's own: its modules.json and pooling config (the ``pooling_mode`` of
        sentence-transformers 5 and later, or the older ``pooling_mode_*`` flags); a plain
        HuggingFace folder (no modules.json) gets sentence-transformers' default for one, mean
        without normalization."""
        modules_file = folder / "modules.json"
        if not modules_file.is_file():
            return cls("mean", False)
        try:
            modules = json.loads(modules_file.read_text())
            types = [m["type"].rsplit(".", 1)[-1] for m in modules]
            pooling = next(m for m in modules if m["type"].endswith("Pooling"))
            config = json.loads((folder / pooling["path"] / "config.json").read_text())
        except (ValueError, KeyError, TypeError, AttributeError, StopIteration, OSError) as e:
            raise ValueError(f"{folder}: modules.json or its pooling config cannot be read ({e!r})") from None
        other = [t for t in types if t not in ("Transformer", "Pooling", "Normalize")]
        if other:
            raise ValueError(f"{modules_file}: module {other[0]} is not supported (the kit runs Transformer, "
                             "Pooling and Normalize)")
        mode = config.get("pooling_mode")
        if mode is None:
            mode = [m for m in ("mean", "cls", "max") if config.get(f"pooling_mode_{m}_token" if m == "cls" else
                                                                    f"pooling_mode_{m}_tokens")]
        modes = [mode] if isinstance(mode, str) else list(mode)
        if len(modes) != 1 or modes[0] not in ("mean", "cls", "max"):
            raise ValueError(f"{folder}: pooling {config}: the kit pools by exactly one of mean, cls or max")
        return cls(modes[0], "Normalize" in types)

    def __call__(self, hidden: np.ndarray) -> np.ndarray:
        h = np.asarray(hidden, dtype=np.float64)
        v = {"mean": lambda: h.mean(axis=0), "cls": lambda: h[0], "max": lambda: h.max(axis=0)}[self.mode]()
        if self.normalize:
            v = v / np.linalg.norm(v)
        return v.astype(np.float32)


@dataclass(frozen=True)
class EngineSpec:
    """What a process needs to run batches: a parameter file, the backend and its deadline. Small
    and picklable: it travels to worker processes and Dask workers."""

    params: str
    backend: str
    timeout: float


class DivergenceError(RuntimeError):
    """``check=True`` found an operation whose output is not its golden function's."""


class Engine:
    """The integer model on one backend in one process (host.layer.forward_batch)."""

    def __init__(self, spec: EngineSpec):
        from .layer import LayerRunner
        from .accel.platform import open_accelerator

        self.spec = spec
        self.model, _ = params_io.load(spec.params)
        self.acc = open_accelerator(spec.backend, spec.timeout, announce=lambda: print(
            "building the simulated accelerator (Verilator, once)...", file=sys.stderr))
        self.runner = LayerRunner(self.acc)
        self.lock = threading.Lock()  # a Dask worker may run tasks on threads; the backend is one

    def run(self, batch: list[list[int]], check: bool = False) -> tuple[list[np.ndarray], np.ndarray | None]:
        """Each sentence's last hidden states, the int8 (n, D) rows the last layer wrote, and each
        sentence's cycles (its attention's, plus its rows' share of the operations the batch
        shares) when on an accelerator."""
        from .divergence import locate
        from .layer import forward_batch

        with self.lock:
            self.runner.trace.clear()
            self.runner.check = check  # without it, only the last layer's output leaves DDR
            hidden = forward_batch(self.runner, self.model, batch)
            trace = list(self.runner.trace)
        if check:
            div = locate(trace, self.model.layers)
            if div is not None:
                raise DivergenceError(f"{self.spec.backend} and golden differ: {div.describe()}")
        hidden = [np.asarray(h) for h in hidden]  # int8: the last LayerNorm's requant
        if self.acc is None:
            return hidden, None
        rows = np.array([len(ids) for ids in batch], dtype=np.float64)
        cycles = np.zeros(len(batch))
        attention = 0  # every layer runs one attention per sentence, in the batch's order
        for step in trace:
            if step.name == "attention":
                cycles[attention % len(batch)] += step.cycles
                attention += 1
            else:
                cycles += step.cycles * rows / rows.sum()
        return hidden, np.rint(cycles).astype(np.int64)

    def close(self) -> None:
        if self.acc is not None:
            self.acc.close()


#: Seconds a worker may take to open its backend (a first simulation build included).
WORKER_START_S = 600

_ENGINES: dict[EngineSpec, Engine] = {}
_ENGINES_LOCK = threading.Lock()


def _engine(spec: EngineSpec) -> Engine:
    """This process's engine for ``spec``, opened on first use and kept."""
    with _ENGINES_LOCK:
        engine = _ENGINES.get(spec)
        if engine is None:
            engine = _ENGINES[spec] = Engine(spec)
    return engine


def run_batch(spec: EngineSpec, batch: list[list[int]], check: bool = False):
    """One batch on this process's engine: the task a worker process or a Dask worker runs."""
    return _engine(spec).run(batch, check)


@dataclass(frozen=True)
class CoreInfo:
    """What the encoder needs of a worker's core: its row tile (its ARRAY register), which batches
    fill, and its clock, which turns cycles into board time."""

    tile_rows: int
    clock_mhz: float


def core_info(spec: EngineSpec) -> CoreInfo | None:
    """This process's core (None on golden)."""
    return core_info_of(_engine(spec))


def core_info_of(engine: Engine) -> CoreInfo | None:
    return None if engine.acc is None else CoreInfo(engine.acc.limits.tile_rows, engine.acc.clock_mhz)


def batches(lengths: list[int], batch_size: int, max_rows: int, tile_rows: int | None = None) -> list[list[int]]:
    """Consecutive sentences (by index) grouped: at most ``batch_size`` sentences and ``max_rows``
    token rows in each. With ``tile_rows`` (the core's row tile: every tile, full or not, streams
    all the weights once), each batch is the prefix of what is left with the fewest tiles per
    sentence (the longest among equals): 16-token sentences go six to a batch (4 tiles of 24) rather
    than eight (6 tiles, the last a third full)."""
    out: list[list[int]] = []
    i = 0
    while i < len(lengths):
        take, rows, best = 0, 0, None
        while i + take < len(lengths) and take < batch_size and (take == 0 or rows + lengths[i + take] <= max_rows):
            rows += lengths[i + take]
            take += 1
            cost = -(-rows // tile_rows) / take if tile_rows else -take
            if best is None or cost <= best[0]:
                best = (cost, take)
        out.append(list(range(i, i + best[1])))
        i += best[1]
    return out


class Encoder:
    """A sentence encoder running on the accelerator (``backend`` pynq, the board, the default on a
    Zynq board; sim, the simulated board, the default elsewhere) or on the golden model (golden).
    ``checkpoint``: a HuggingFace BERT folder (default all-MiniLM-L6-v2); ``params``: a parameter
    file saved by ``python3 -m host --save`` instead of quantizing (else quantized on
    ``calibration`` sentences with ``weight_bits``-bit weights, 8, 6 or 4, and with 6 or 4 bits
    optionally ``weight_group`` (32, 64 or 128: an integer scale per group of that many input rows),
    cached; the core runs each in its int8 lanes). ``workers`` processes, or a Dask ``scheduler``, spread the
    batches. Its ``encode`` takes sentence-transformers' options (docs/usage.md)."""

    def __init__(self, checkpoint: str | Path | None = None, backend: str | None = None, *, params: str | Path | None = None,
                 calibration: int = bert.CALIBRATION_SENTENCES, weight_bits: int | None = None,
                 weight_group: int | None = None,
                 timeout: float = 120.0, workers: int = 1, scheduler=None):
        from .accel.platform import BACKENDS, default_backend

        backend = default_backend() if backend is None else backend
        if backend not in BACKENDS:
            raise ValueError(f"backend: expected one of {', '.join(BACKENDS)}, got {backend!r}")
        if not isinstance(workers, int) or workers < 1:
            raise ValueError(f"workers: expected a positive integer, got {workers!r}")
        if params is not None and weight_bits is not None:
            raise ValueError("params and weight_bits: a parameter file's weights are quantized already")
        if params is not None and weight_group is not None:
            raise ValueError("params and weight_group: a parameter file's weights are quantized already")
        cal = Calibration(weight_bits=8 if weight_bits is None else weight_bits,
                          weight_group=0 if weight_group is None else weight_group)
        folder = Path(checkpoint) if checkpoint is not None else default_model_dir()
        model = load_checkpoint(folder)
        self.tokenizer = Tokenizer(folder)
        if self.tokenizer.vocab_size > model.config["vocab_size"]:
            raise ValueError(f"{self.tokenizer.source}: {self.tokenizer.vocab_size} tokens, but the model's vocab_size "
                             f"is {model.config['vocab_size']}")
        self.pooling = Pooling.of_checkpoint(folder)
        self._tmp = None
        if params is not None:
            q, meta = params_io.load(params)
            params_io.check_matches(meta, model, params)
            path = Path(params)
        else:
            q, meta, _ = cache.quantized(model, self.tokenizer, calibration, cal, announce=lambda: print(
                f"{model.name}: quantizing on {calibration} calibration sentences (cached for the next run)...",
                file=sys.stderr))
            path = cache.cache_path(model, cache.calibration_settings(calibration, cal))
            if not path.is_file():  # no writable cache: the workers read a file of this run's own
                self._tmp = tempfile.TemporaryDirectory(prefix="ibert-kit-")
                path = params_io.save(Path(self._tmp.name) / "params.npz", q, meta)
        #: The most tokens a sentence runs with (the core's MAX_TOKENS, or the model's positions).
        self.max_tokens = min(MAX_TOKENS, q.pos_q.shape[0])
        own = _st_setting(folder, "sentence_bert_config.json", "max_seq_length")
        self._max_seq_length = min(self.max_tokens, own) if isinstance(own, int) and own >= 2 else self.max_tokens
        #: sentence-transformers' similarity function of this model (its config's, else cosine).
        fn = _st_setting(folder, "config_sentence_transformers.json", "similarity_fn_name")
        self.similarity_fn_name = fn if fn in conventions.SIMILARITIES else "cosine"
        self.dimension = q.layers[0].hidden
        self._out_scale = q.out_scale
        self.spec = EngineSpec(str(path), backend, float(timeout))
        self.workers, self.scheduler = workers, scheduler
        self._engine = Engine(self.spec) if workers == 1 and scheduler is None else None
        self._pool = None
        self._client = None
        core = core_info_of(self._engine) if self._engine is not None else self._first_answer()
        #: The core's row tile, which batches fill (its ARRAY register; with workers, a worker's core),
        #: and its clock in MHz (None on golden).
        self.tile_rows = core.tile_rows if core is not None else None
        self.clock_mhz = core.clock_mhz if core is not None else None
        #: Each sentence's cycles on the core in the last encode() (None on golden).
        self.cycles: np.ndarray | None = None

    def _first_answer(self) -> CoreInfo | None:
        """A worker's core: the first answer of a worker, which also opens its backend."""
        try:
            return self._submit(core_info, self.spec).result(timeout=WORKER_START_S)
        except TimeoutError:
            self.close()
            raise RuntimeError(f"no worker opened its backend in {WORKER_START_S} s (a Dask scheduler without "
                               "workers, or a simulation build that does not finish?)") from None

    def _submit(self, fn, *args):
        """A future of ``fn(*args)`` on a worker: a process of this encoder's pool, or Dask."""
        if self.scheduler is not None:
            try:
                from distributed import Client
            except ImportError:
                raise RuntimeError("scheduler: Dask is not installed: python3 -m pip install 'ibert-kit[dask]'") from None
            if self._client is None:
                self._client = self.scheduler if isinstance(self.scheduler, Client) else Client(self.scheduler)
            return self._client.submit(fn, *args, pure=False)
        if self._pool is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))
        return self._pool.submit(fn, *args)

    # ------------------------------------------------------------------ sentence-transformers' API
    @property
    def max_seq_length(self) -> int:
        """Longer sentences are truncated to this many tokens (with a warning): the model's own
        max_seq_length, at most the kit's MAX_TOKENS. Settable, within that."""
        return self._max_seq_length

    @max_seq_length.setter
    def max_seq_length(self, value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not 2 <= value <= self.max_tokens:
            raise ValueError(f"max_seq_length: expected an integer from 2 to {self.max_tokens}, got {value!r}")
        self._max_seq_length = value

    def get_sentence_embedding_dimension(self) -> int:
        """The length of a sentence embedding."""
        return self.dimension

    get_embedding_dimension = get_sentence_embedding_dimension

    def similarity(self, embeddings1, embeddings2):
        """The matrix of ``similarity_fn_name`` (cosine unless the model says otherwise) between two
        sets of embeddings, as sentence-transformers' ``similarity``."""
        return conventions.similarity(embeddings1, embeddings2, self.similarity_fn_name)

    # ------------------------------------------------------------------ encode
    def encode(self, sentences, prompt_name: str | None = None, prompt: str | None = None, batch_size: int = 32,
               show_progress_bar: bool | None = None, output_value: str | None = "sentence_embedding",
               precision: str = "float32", convert_to_numpy: bool = True, convert_to_tensor: bool = False,
               device=None, normalize_embeddings: bool = False, truncate_dim: int | None = None, pool=None,
               chunk_size: int | None = None, *, check: bool = False):
        """Embeddings of ``sentences`` (a string: one embedding; a list of strings: (N, D)), with
        sentence-transformers' ``encode`` options and meanings (docs/usage.md lists each):
        ``batch_size``: sentences per batch, also bounded by the rows one operation takes;
        ``output_value``: "sentence_embedding", "token_embeddings" (a list of each sentence's
        (n, D) hidden states) or None (a list of dicts with both); ``precision``: float32, int8,
        uint8, binary or ubinary (quantize_embeddings); ``convert_to_tensor``: one torch tensor;
        ``convert_to_numpy=False``: a list of vectors; ``normalize_embeddings``: unit length;
        ``truncate_dim``: the first dimensions only. ``prompt``, ``prompt_name``, ``device``,
        ``pool`` and ``chunk_size`` are refused. The kit's own: ``check`` compares every operation
        with its golden function (DivergenceError if one differs)."""
        single = isinstance(sentences, str)
        items = [sentences] if single else sentences
        if not isinstance(items, (list, tuple)):
            raise TypeError(f"sentences: expected a string or a list of strings, got {type(sentences).__name__}")
        if not items:
            raise ValueError("sentences: expected at least one sentence, got an empty list")
        for i, s in enumerate(items):
            if not isinstance(s, str):
                raise TypeError(f"sentences[{i}]: expected a string, got {type(s).__name__}")
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
            raise ValueError(f"batch_size: expected a positive integer, got {batch_size!r}")
        conventions.check_options(output_value, precision, convert_to_numpy, convert_to_tensor, normalize_embeddings,
                                  truncate_dim, self.dimension, {"prompt_name": prompt_name, "prompt": prompt,
                                                                 "device": device, "pool": pool, "chunk_size": chunk_size})
        ids = [self.tokenizer.encode(s, self._max_seq_length) for s in items]  # too long: truncated, with a warning
        hidden = self._hidden(ids, batch_size, show_progress_bar, check)
        tokens = [C.dequantize(h, self._out_scale) for h in hidden]
        sentence = np.stack([self.pooling(t) for t in tokens])  # the model's Pooling and Normalize modules
        if truncate_dim is not None:
            sentence = sentence[:, :truncate_dim]
        if normalize_embeddings and output_value is not None:  # as theirs: the dicts hold the model's output
            sentence = sentence / np.maximum(np.linalg.norm(sentence, axis=1, keepdims=True), 1e-12)
        sentence = conventions.quantize(sentence, precision)
        out = conventions.result(sentence, [t.astype(np.float32) for t in tokens], ids, output_value,
                                 convert_to_numpy, convert_to_tensor)
        return out[0] if single else out

    def _hidden(self, ids: list[list[int]], batch_size: int, show_progress_bar: bool | None,
                check: bool) -> list[np.ndarray]:
        """Each sentence's last hidden states (int8), batched; sets ``cycles``."""
        groups = batches([len(i) for i in ids], batch_size, self.max_tokens, self.tile_rows)
        hidden: list = [None] * len(ids)
        cycles = np.zeros(len(ids), np.int64)
        bar = _progress(len(ids), show_progress_bar)
        try:
            for group, (h, c) in self._run([[ids[i] for i in g] for g in groups], groups, check):
                for i, rows in zip(group, h):
                    hidden[i] = rows
                if c is not None:
                    cycles[group] = c
                bar.update(len(group))
        finally:
            bar.close()
        self.cycles = cycles if self.spec.backend != "golden" else None
        return hidden

    def _run(self, work: list[list[list[int]]], groups: list[list[int]], check: bool):
        """(group, (embeddings, cycles)) per batch, as they complete."""
        if self._engine is not None:
            for group, batch in zip(groups, work):
                yield group, self._engine.run(batch, check)
            return
        futures = {self._submit(run_batch, self.spec, batch, check): group for group, batch in zip(groups, work)}
        if self.scheduler is not None:
            from distributed import as_completed
        else:
            from concurrent.futures import as_completed
        for f in as_completed(futures):
            yield futures[f], f.result()

    # ------------------------------------------------------------------ resources
    def close(self) -> None:
        """Free the buffers, stop the worker processes, leave the Dask client (one this
        encoder made: one passed in is the caller's)."""
        if self._engine is not None:
            self._engine.close()
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        if self._client is not None and self._client is not self.scheduler:
            self._client.close()
        self._client = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def _st_setting(folder: Path, name: str, key: str):
    """``key`` of the sentence-transformers file ``name`` in the checkpoint folder, or None."""
    try:
        return json.loads((folder / name).read_text()).get(key)
    except (OSError, ValueError, AttributeError):
        return None


def _progress(total: int, show: bool | None):
    """A tqdm bar over sentences. By default, as sentence-transformers decides: shown when this
    module's logger is at INFO or DEBUG."""
    from tqdm import tqdm

    if show is None:
        show = logging.getLogger(__name__).getEffectiveLevel() in (logging.INFO, logging.DEBUG)
    return tqdm(total=total, unit="sentence", file=sys.stderr, disable=not show)
