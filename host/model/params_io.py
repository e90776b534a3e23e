"""The integer parameter file: one .npz holding every array of an IntBert under its dotted name
("layers.3.ffn_in.w", ...) and a JSON manifest (format, version, provenance, each field's dtype
and shape). Loading checks the format, the version and every field, naming what is wrong; saving
is atomic and never overwrites unless asked. The provenance (:func:`provenance`) records the
checkpoint's sha256 and architecture and the calibration actually used, and :func:`check_matches`
refuses a parameter file made from another checkpoint."""

from __future__ import annotations

import json
import typing
import zipfile
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .bert import IntBert
from host.files.paths import atomic_write

FORMAT = "ibert-kit-params"
#: 2: softmax probabilities at 2**-8 (unsigned), so the context requant constants differ from 1.
#: 3: LayerNorm outputs carry one scale per channel (in_scale/out_scale arrays, per-channel residual requants).
VERSION = 3
MANIFEST = "__manifest__"


def _flatten(obj: Any, prefix: str, out: dict[str, np.ndarray]) -> None:
    if is_dataclass(obj):
        for f in fields(obj):
            _flatten(getattr(obj, f.name), f"{prefix}{f.name}.", out)
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            _flatten(v, f"{prefix}{i}.", out)
    else:
        out[prefix[:-1]] = np.asarray(obj)


def save(path: str | Path, model: IntBert, meta: dict | None = None, overwrite: bool = False) -> Path:
    """Write ``model`` (and ``meta``: :func:`provenance`, or anything JSON) to ``path`` (".npz" is
    appended when missing). An existing file raises ``FileExistsError`` unless ``overwrite``; the
    file appears whole or not at all (written beside it, then renamed)."""
    arrays: dict[str, np.ndarray] = {}
    _flatten(model, "", arrays)
    manifest = {
        "format": FORMAT, "version": VERSION, "meta": meta or {},
        "fields": {k: [str(v.dtype), list(v.shape)] for k, v in arrays.items()},
    }
    path = Path(path)
    if path.suffix != ".npz":
        path = path.with_suffix(path.suffix + ".npz")
    atomic_write(path, lambda f: np.savez(f, **{MANIFEST: np.array(json.dumps(manifest))}, **arrays), overwrite)
    return path


def provenance(model, calibration: dict) -> dict:
    """What a parameter file must record to be trusted: the checkpoint (name, sha256 of its
    weights, architecture) and the calibration actually used (``calibration``: sentence count and
    quantizer settings)."""
    return {"checkpoint": model.name, "sha256": model.sha256, "config": model.config,
            "calibration": calibration, "version": VERSION}


def check_matches(meta: dict, model, path: str | Path) -> None:
    """Raise ``ValueError`` naming both when a parameter file was made from another checkpoint."""
    if meta.get("sha256") != model.sha256 or meta.get("config") != model.config:
        raise ValueError(
            f"{path} was made from {meta.get('checkpoint', '?')} (sha256 {str(meta.get('sha256'))[:12]}..., "
            f"{meta.get('config')}), not from the checkpoint given, {model.name} (sha256 {model.sha256[:12]}..., "
            f"{model.config})"
        )


def _build(tp: Any, prefix: str, data: dict[str, np.ndarray]) -> Any:
    if is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        return tp(**{f.name: _build(hints[f.name], f"{prefix}{f.name}.", data) for f in fields(tp)})
    if typing.get_origin(tp) is list:
        (item,) = typing.get_args(tp)
        count = 0
        while any(k.startswith(f"{prefix}{count}.") for k in data):
            count += 1
        return [_build(item, f"{prefix}{i}.", data) for i in range(count)]
    key = prefix[:-1]
    if key not in data:
        raise ValueError(f"parameter file: missing field {key!r}")
    arr = data[key]
    if tp is float:
        return float(arr)
    if tp is int or (arr.ndim == 0 and arr.dtype.kind in "iu"):
        return int(arr)
    return arr


def load(path: str | Path) -> tuple[IntBert, dict]:
    """Read a parameter file written by :func:`save`; returns the model and its metadata."""
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"{path}: no such parameter file")
    try:
        archive = np.load(path, allow_pickle=False)
        if not hasattr(archive, "files"):  # a bare .npy array
            raise ValueError("a single array, not an archive")
        with archive as f:
            data = {k: f[k] for k in f.files}
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as e:
        # numpy's message for a non-npz file suggests allow_pickle, which would be unsafe advice
        raise ValueError(f"{path}: not a readable .npz parameter file ({type(e).__name__})") from None
    if not isinstance(data, dict) or MANIFEST not in data:
        raise ValueError(f"{path}: not an ibert-kit parameter file (no manifest)")
    try:
        manifest = json.loads(str(data.pop(MANIFEST)))
    except json.JSONDecodeError as e:
        raise ValueError(f"{path}: its manifest is not valid JSON ({e})") from None
    if not isinstance(manifest, dict):
        raise ValueError(f"{path}: its manifest is not a JSON object")
    if manifest.get("format") != FORMAT:
        raise ValueError(f"{path}: format {manifest.get('format')!r}, expected {FORMAT!r}")
    if manifest.get("version") != VERSION:
        raise ValueError(f"{path}: parameter file version {manifest.get('version')!r}, this kit reads version {VERSION}")
    for key, (dtype, shape) in manifest["fields"].items():
        if key not in data:
            raise ValueError(f"{path}: missing field {key!r}")
        if str(data[key].dtype) != dtype or list(data[key].shape) != shape:
            raise ValueError(f"{path}: field {key!r} is {data[key].dtype} {list(data[key].shape)}, "
                             f"the manifest says {dtype} {shape}")
    extra = set(data) - set(manifest["fields"])
    if extra:
        raise ValueError(f"{path}: fields not in the manifest: {sorted(extra)[:5]}")
    return _build(IntBert, "", data), manifest["meta"]
