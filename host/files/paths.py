"""Where the kit keeps files and how it writes them: the cache folder ($IBERT_KIT_CACHE, else
$XDG_CACHE_HOME/ibert-kit, else ~/.cache/ibert-kit), where the simulation's build (host/accel/sim/build.py)
and the quantized parameters (host/model/cache.py) live; and :func:`atomic_write`, the one way the kit
writes a file a user names. A module of its own so the simulation does not depend on the model code."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def cache_dir() -> Path:
    if os.environ.get("IBERT_KIT_CACHE"):
        return Path(os.environ["IBERT_KIT_CACHE"])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "ibert-kit"


def atomic_write(path: Path, write, overwrite: bool = False) -> Path:
    """Write ``path`` with ``write(binary file)``: it appears whole or not at all (written beside
    it, then renamed). An existing file raises FileExistsError unless ``overwrite``; a missing
    folder, FileNotFoundError."""
    path = Path(path)
    if path.exists() and not overwrite:
        raise FileExistsError(f"{path} exists (pass --force to overwrite it)")
    if not path.parent.is_dir():
        raise FileNotFoundError(f"{path.parent}: no such folder")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
