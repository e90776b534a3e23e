"""Where the kit's files that are not Python live: in an installed package, the copies shipped
inside it (``host/rtl``, ``host/vivado``, ``host/notebooks``: pyproject.toml's package-dir maps the
repository's folders there); in a checkout, the repository's ``rtl/``, ``vivado/`` and
``notebooks/``. The simulation build reads the RTL from here, the Vivado defaults come from here,
and pynq's ``get-notebooks`` finds the notebooks here (the ``pynq.notebooks`` entry point)."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]  # the host package


def folder(name: str) -> Path:
    """The kit's ``name`` folder (``rtl``, ``vivado`` or ``notebooks``)."""
    for where in (PACKAGE / name, PACKAGE.parent / name):
        if where.is_dir():
            return where
    raise RuntimeError(f"the kit's {name}/ folder is missing (looked in {PACKAGE} and {PACKAGE.parent}): "
                       "reinstall ibert-kit")


def rtl_dir() -> Path:
    return folder("rtl")


def vivado_dir() -> Path:
    return folder("vivado")


def notebooks_dir() -> Path:
    return folder("notebooks")
