"""sentence-transformers' conventions for what ``encode`` returns, written here for the kit's
Encoder: the options it takes and refuses, embedding quantization (``precision``), similarity
functions, and the torch-or-numpy form of each result.

One rule for the form: where sentence-transformers returns a torch tensor, the kit returns one when
torch is installed, and a numpy array when it is not; ``convert_to_tensor=True`` asks for torch and
says so in one line when it is missing."""

from __future__ import annotations

import numpy as np

OUTPUT_VALUES = ("sentence_embedding", "token_embeddings", None)
PRECISIONS = ("float32", "int8", "uint8", "binary", "ubinary")
SIMILARITIES = ("cosine", "dot", "euclidean", "manhattan")

#: Options of sentence-transformers' encode that have no meaning on the kit, and why.
REFUSED = {
    "prompt_name": "the kit embeds the sentences as given: prepend a prompt to them yourself",
    "prompt": "the kit embeds the sentences as given: prepend a prompt to them yourself",
    "device": "the kit runs on its backend, chosen by Encoder(backend=...), not on a torch device",
    "pool": "spread batches with Encoder(workers=...) or Encoder(scheduler=...)",
    "chunk_size": "spread batches with Encoder(workers=...) or Encoder(scheduler=...)",
}


def torch_or_none():
    """The torch module, or None when it is not installed."""
    try:
        import torch
    except ImportError:
        return None
    return torch


def check_options(output_value, precision, convert_to_numpy, convert_to_tensor, normalize_embeddings,
                  truncate_dim, dimension: int, refused: dict) -> None:
    """ValueError in one line for an option sentence-transformers would not take either, or one the
    kit refuses (``refused``: name -> value passed)."""
    for name, value in refused.items():
        if value is not None:
            raise ValueError(f"{name}: not supported: {REFUSED[name]}")
    if output_value not in OUTPUT_VALUES:
        raise ValueError(f"output_value: expected 'sentence_embedding', 'token_embeddings' or None, got {output_value!r}")
    if precision not in PRECISIONS:
        raise ValueError(f"precision: expected one of {', '.join(PRECISIONS)}, got {precision!r}")
    for name, value in (("convert_to_numpy", convert_to_numpy), ("convert_to_tensor", convert_to_tensor),
                        ("normalize_embeddings", normalize_embeddings)):
        if not isinstance(value, bool):
            raise ValueError(f"{name}: expected True or False, got {value!r}")
    if truncate_dim is not None and (isinstance(truncate_dim, bool) or not isinstance(truncate_dim, int)
                                     or not 1 <= truncate_dim <= dimension):
        raise ValueError(f"truncate_dim: expected an integer from 1 to {dimension}, got {truncate_dim!r}")
    if precision != "float32" and output_value != "sentence_embedding":
        raise ValueError(f"precision={precision!r}: the kit quantizes sentence embeddings only "
                         "(output_value='sentence_embedding')")
    if convert_to_tensor and output_value == "sentence_embedding" and torch_or_none() is None:
        raise ValueError("convert_to_tensor=True needs torch: python3 -m pip install torch")


def quantize(embeddings: np.ndarray, precision: str) -> np.ndarray:
    """sentence-transformers' ``quantize_embeddings`` of (N, D) float embeddings, ranges from the
    embeddings themselves: int8/uint8 map each dimension's [min, max] onto 256 buckets (floor);
    binary/ubinary pack the signs (> 0) eight to a byte, binary offset by -128 into int8."""
    if precision == "float32":
        return embeddings.astype(np.float32)
    if precision in ("int8", "uint8"):
        if embeddings.shape[0] < 2:
            raise ValueError(f"precision={precision!r}: the ranges come from the embeddings, so it needs at least "
                             "two sentences (as sentence-transformers does)")
        low = embeddings.min(axis=0).astype(np.float32)
        step = (embeddings.max(axis=0).astype(np.float32) - low) / 255
        step = np.where(step == 0, 1, step)
        buckets = np.clip(np.floor((embeddings - low) / step), 0, 255)
        return buckets.astype(np.uint8) if precision == "uint8" else (buckets - 128).astype(np.int8)
    packed = np.packbits(embeddings > 0, axis=-1)
    return packed if precision == "ubinary" else (packed - 128).astype(np.int8)


def similarity(a, b, fn: str = "cosine"):
    """The (len(a), len(b)) matrix of ``fn`` between two sets of embeddings (a vector is a set of
    one), as sentence-transformers' similarity functions: cosine, dot, and the negated euclidean and
    manhattan distances. A torch tensor when torch is installed, like theirs; else numpy."""
    if fn not in SIMILARITIES:
        raise ValueError(f"similarity_fn_name: expected one of {', '.join(SIMILARITIES)}, got {fn!r}")
    x, y = _matrix(a, "embeddings1"), _matrix(b, "embeddings2")
    if x.shape[1] != y.shape[1]:
        raise ValueError(f"similarity: embeddings of {x.shape[1]} and {y.shape[1]} dimensions cannot be compared")
    if fn == "cosine":
        x = x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)
        y = y / np.maximum(np.linalg.norm(y, axis=1, keepdims=True), 1e-12)
    if fn in ("cosine", "dot"):
        out = x @ y.T
    else:
        diff = np.abs(x[:, None, :] - y[None, :, :])
        out = -(np.sqrt((diff * diff).sum(-1)) if fn == "euclidean" else diff.sum(-1))
    return as_tensor(out.astype(np.float32))


def _matrix(e, name: str) -> np.ndarray:
    torch = torch_or_none()
    if torch is not None and isinstance(e, torch.Tensor):
        e = e.detach().cpu().numpy()
    elif isinstance(e, list) and e and torch is not None and isinstance(e[0], torch.Tensor):
        e = torch.stack(e).detach().cpu().numpy()
    m = np.asarray(e, dtype=np.float32)
    if m.ndim == 1:
        m = m[None, :]
    if m.ndim != 2 or m.shape[1] == 0:
        raise ValueError(f"{name}: expected embeddings of shape (N, D) or (D,), got shape {m.shape}")
    return m


def as_tensor(a: np.ndarray):
    """``a`` as a torch tensor when torch is installed, else as it is."""
    torch = torch_or_none()
    return a if torch is None else torch.from_numpy(np.ascontiguousarray(a))


def result(sentence: np.ndarray, tokens: list[np.ndarray], ids: list[list[int]], output_value, convert_to_numpy: bool,
           convert_to_tensor: bool):
    """What encode returns for a list input, shaped as sentence-transformers shapes it:
    sentence embeddings as one (N, D) array (convert_to_numpy), one tensor (convert_to_tensor), or
    a list of per-sentence vectors (neither); token embeddings as a list of (n_i, D); None as a
    list of dicts with each sentence's input_ids, attention_mask, token_embeddings and
    sentence_embedding."""
    if output_value == "token_embeddings":
        return [as_tensor(t) for t in tokens]
    if output_value is None:
        return [{"input_ids": as_tensor(np.asarray(i, dtype=np.int64)),
                 "attention_mask": as_tensor(np.ones(len(i), dtype=np.int64)),
                 "token_embeddings": as_tensor(t), "sentence_embedding": as_tensor(s)}
                for i, t, s in zip(ids, tokens, sentence)]
    if convert_to_tensor:
        return torch_or_none().from_numpy(np.ascontiguousarray(sentence))
    if convert_to_numpy:
        return sentence
    return [as_tensor(row) for row in sentence]
