"""On a board the kit never falls back to the simulation by itself: a fake Zynq (its device tree, or
an FPGA manager) with pynq not importable, or not root, gets one line naming what is missing and
how to get it (root in pynq's venv); off a board the default stays the simulation."""

import sys
import types

import pytest

import host.accel.board as board
import host.accel.platform as platform


@pytest.fixture
def fake_root(tmp_path, monkeypatch):
    """An empty /proc/device-tree and /sys/class/fpga_manager: not a board until a test writes one."""
    tree, manager = tmp_path / "device-tree", tmp_path / "fpga_manager"
    tree.mkdir()
    manager.mkdir()
    monkeypatch.setattr(board, "DEVICE_TREE", tree)
    monkeypatch.setattr(board, "FPGA_MANAGER", manager)
    monkeypatch.setattr(platform, "open_simulation", lambda *a, **k: pytest.fail("fell back to the simulation"))
    return tree, manager


def pynz2(tree):
    """A PYNQ-Z2's device tree as Linux shows it: NUL-separated strings."""
    (tree / "compatible").write_bytes(b"tul,pynq-z2\0xlnx,zynq-7000\0")
    (tree / "model").write_bytes(b"TUL PYNQ-Z2\0")


def test_a_zynq_device_tree_or_an_fpga_manager_is_a_board(fake_root):
    tree, manager = fake_root
    assert board.zynq() is None and board.default_backend() == "sim"
    (tree / "compatible").write_bytes(b"raspberrypi,4-model-b\0brcm,bcm2711\0")
    assert board.zynq() is None
    pynz2(tree)
    assert board.zynq() == "TUL PYNQ-Z2 (tul,pynq-z2 xlnx,zynq-7000)" and board.default_backend() == "pynq"
    (tree / "compatible").unlink()
    (manager / "fpga0").mkdir()
    assert "FPGA manager" in board.zynq() and board.default_backend() == "pynq"


def test_on_a_board_without_pynq_one_line_and_no_simulation(fake_root, monkeypatch):
    pynz2(fake_root[0])
    monkeypatch.setitem(sys.modules, "pynq", None)  # import pynq raises ImportError, as outside pynq's venv
    with pytest.raises(RuntimeError) as e:
        platform.open_accelerator("pynq")
    message = str(e.value)
    assert "\n" not in message and "this is a Zynq board (TUL PYNQ-Z2" in message
    assert "pynq does not import in" in message and "sudo -i, then source /etc/profile.d/pynq_venv.sh" in message


@pytest.mark.parametrize("command", ["host.selftest", "host"])
def test_every_command_defaults_to_the_board_on_a_board(fake_root, monkeypatch, capsys, command, tmp_path):
    """No --backend on a board: the board, so a missing pynq is one line (exit status 2), never a
    Verilator build on the Cortex-A9."""
    import importlib

    pynz2(fake_root[0])
    monkeypatch.setitem(sys.modules, "pynq", None)
    module = importlib.import_module(command if command != "host" else "host.__main__")
    assert module.main([]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "pynq does not import" in err, err


def test_not_root_is_one_line(fake_root, monkeypatch):
    pynz2(fake_root[0])
    monkeypatch.setitem(sys.modules, "pynq", types.ModuleType("pynq"))
    monkeypatch.setattr(board.os, "geteuid", lambda: 1000)
    with pytest.raises(RuntimeError, match=r"^--backend pynq: pynq maps the board's registers only as root: sudo -i"):
        platform.open_accelerator("pynq")


def test_off_a_board_the_simulation_stays_the_default(fake_root, monkeypatch):
    monkeypatch.setitem(sys.modules, "pynq", None)
    with pytest.raises(RuntimeError, match="pynq is not installed and this is not a Zynq board; use --backend sim"):
        platform.open_accelerator("pynq")
    from host.__main__ import parser

    assert parser().parse_args([]).backend == "sim"
