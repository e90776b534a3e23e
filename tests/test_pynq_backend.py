"""The pynq backend against the real pynq package (3.0.1, with numpy 1.26 as board images carry),
in its own virtual environment (build/pynq-env, made by .ci/run; the README says how): the pynq
API the driver calls exists with the signatures it uses, and without a board the backend fails in
one line naming what is missing. What needs a board (loading the overlay, the DMA moving data)
cannot run here."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYNQ_PYTHON = Path(os.environ.get("IBERT_PYNQ_PYTHON", ROOT / "build" / "pynq-env" / "bin" / "python"))

CHECK = r'''
import inspect, sys, tempfile
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import numpy, pynq
from pynq.lib.dma import DMA, _SDMAChannel
assert numpy.__version__.startswith("1.26"), numpy.__version__
# what host.driver calls: ip.read(offset), ip.write(offset, value), channel.transfer(array),
# channel.idle, channel.error, the channel's _mmio / _offset (its LENGTH register), allocate(shape, dtype)
assert list(inspect.signature(pynq.DefaultIP.read).parameters) == ["self", "offset"]
assert list(inspect.signature(pynq.DefaultIP.write).parameters) == ["self", "offset", "value"]
assert list(inspect.signature(_SDMAChannel.transfer).parameters)[:2] == ["self", "array"]
assert isinstance(_SDMAChannel.idle, property) and isinstance(_SDMAChannel.error, property)
src = inspect.getsource(_SDMAChannel)
assert "self._mmio = mmio" in src and "self._offset = 0x30" in src
assert list(inspect.signature(pynq.allocate).parameters)[:2] == ["shape", "dtype"]
assert "sendchannel" in inspect.getsource(DMA) and "recvchannel" in inspect.getsource(DMA)

from host import platform
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


@pytest.mark.skipif(not PYNQ_PYTHON.is_file(),
                    reason="no pynq environment: python3 -m venv build/pynq-env && build/pynq-env/bin/pip install "
                           "numpy==1.26.4 pynq==3.0.1 'pycparser<2.22'")
def test_pynq_backend_against_the_real_pynq():
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
    assert err.strip() == ("error: --backend pynq: pynq is not installed, so this is not a PYNQ board; "
                           "use --backend sim to run the same driver on the simulated RTL")
    assert sys.modules.get("pynq") is None
