"""pynq 3.0.1's own code at the points a PYNQ image meets the kit, run in build/pynq-env:

- its metadata cache: a second build copied over ibert.bit is taken for the first (Xilinx/PYNQ#1409,
  reproduced here with pynq's own GlobalState and bitstream handler), and the pynq backend clears
  that state before every Overlay;
- the VLNV pynq's ip_dict reports for the accelerator: what Vivado writes for a module reference.
"""

import pytest

pynq = pytest.importorskip("pynq")
from pynq.pl_server import global_state  # noqa: E402
from pynq.pl_server.embedded_device import BitfileHandler  # noqa: E402

from host.accel import board, overlay, platform  # noqa: E402


@pytest.fixture
def state_dir(tmp_path, monkeypatch):
    """pynq's global state in a folder of the test's own (it lives in pynq's package folder)."""
    monkeypatch.setattr(global_state, "STATE_DIR", str(tmp_path / "pl_server"))
    (tmp_path / "pl_server").mkdir()
    return tmp_path


def loaded(bit):
    """pynq's record that ``bit`` is the configured bitstream, as Overlay's download leaves it."""
    global_state.save_global_state(global_state.GlobalState(bitfile_name=str(bit), active_name="fpga0",
                                                            timestamp="2026/12/5 12:0:0 +0"))


def test_pynq_issue_1409_a_second_build_at_the_same_path_passes_for_the_first(state_dir):
    bit = state_dir / "ibert.bit"
    bit.write_bytes(b"the first build")
    loaded(bit)
    bit.write_bytes(b"the second build, copied over the first")
    # pynq recomputes the stored hash from the file now at that path, so the cache matches: an Overlay
    # would take the first build's pickled ip_dict and clocks
    assert BitfileHandler(bit)._cache_exists()
    board.fresh_metadata()
    assert not global_state.global_state_file_exists() and not BitfileHandler(bit)._cache_exists()


def test_the_pynq_backend_forgets_the_cache_before_every_overlay(state_dir, monkeypatch):
    bit = state_dir / "ibert.bit"
    bit.write_bytes(b"a build")
    bit.with_suffix(".hwh").write_text("<hwh/>")
    loaded(bit)
    monkeypatch.setattr(platform, "OVERLAY_DIR", state_dir)
    monkeypatch.setattr(board.os, "geteuid", lambda: 0)
    seen = []

    def overlay_(path, *args, **kwargs):
        seen.append((path, global_state.global_state_file_exists()))
        raise OSError("no FPGA manager here")

    monkeypatch.setattr(pynq, "Overlay", overlay_)
    with pytest.raises(RuntimeError, match="the overlay did not load"):
        platform.open_accelerator("pynq")
    assert seen == [(str(bit), False)], "the Overlay must be built with pynq's cached state cleared"


def test_the_simulated_device_reports_the_vlnv_vivado_gives_the_module_reference():
    from host.accel.sim.pynq_device import descriptions

    assert overlay.ACCEL_VLNV == "xilinx.com:module_ref:ibert_axi:1.0"
    assert descriptions(None)[overlay.ACCEL_CELL]["type"] == overlay.ACCEL_VLNV
