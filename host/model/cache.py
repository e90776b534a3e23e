"""Quantized parameters cached per checkpoint and quantizer settings, so a second run starts in
about a second. The key is the checkpoint's sha256, the parameter-file version, the quantizer's revision and
the calibration settings; the folder is $IBERT_KIT_CACHE, else $XDG_CACHE_HOME/ibert-kit, else ~/.cache/ibert-kit."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

from golden.calibrate import REVISION, Calibration

from . import bert, params_io
from host.files.paths import cache_dir
from .sentences import calibration_sentences


def calibration_settings(count: int, cal: Calibration) -> dict:
    return {"sentences": count, **asdict(cal)}


def cache_path(model, settings: dict) -> Path:
    key = json.dumps({"sha256": model.sha256, "version": params_io.VERSION, "quantizer": REVISION,
                      "calibration": settings}, sort_keys=True)
    return cache_dir() / f"params-{hashlib.sha256(key.encode()).hexdigest()[:16]}.npz"


def quantized(model, tok, count: int, cal: Calibration = Calibration(), use_cache: bool = True,
              announce=lambda: None):
    """The model's integer parameters for ``count`` calibration sentences: from the cache when
    present (and made from this checkpoint), else quantized now (``announce()`` first: it takes
    seconds) and cached. Returns (IntBert, provenance dict, "cached" | "quantized")."""
    settings = calibration_settings(count, cal)
    path = cache_path(model, settings)
    if use_cache and path.is_file():
        try:
            q, meta = params_io.load(path)
            params_io.check_matches(meta, model, path)
            return q, meta, "cached"
        except ValueError:
            pass  # a stale or damaged entry: quantize again and replace it
    announce()
    q = bert.quantize(model, [tok.encode(s) for s in calibration_sentences(count)], cal)
    meta = params_io.provenance(model, settings)
    if use_cache:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            params_io.save(path, q, meta, overwrite=True)
        except OSError:
            pass  # a read-only home: run without the cache
    return q, meta, "quantized"
