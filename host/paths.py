"""The kit's cache folder: $IBERT_KIT_CACHE, else $XDG_CACHE_HOME/ibert-kit, else ~/.cache/ibert-kit.
The simulation's build (host/sim/build.py) and the quantized parameters (host/cache.py) live there;
a module of its own so that the simulation does not depend on the model code."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    if os.environ.get("IBERT_KIT_CACHE"):
        return Path(os.environ["IBERT_KIT_CACHE"])
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "ibert-kit"
