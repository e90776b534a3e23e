"""python3 -m host.selftest on the simulated board: every check passes and says so in one line;
a core that is not the kit's, an operation the core fails and a wrong value each stop the run at
that check with exit status 1 and what to look at."""

from pathlib import Path

import pytest

import golden
import host.accel.driver
from host.selftest import main

CACHE = Path(__file__).resolve().parents[1] / "build" / "kit-cache"  # the suite's shared simulation build


@pytest.fixture(autouse=True)
def kit_cache(monkeypatch):
    monkeypatch.setenv("IBERT_KIT_CACHE", str(CACHE))


def lines(capsys) -> list[str]:
    return capsys.readouterr().out.splitlines()


def test_every_check_passes_on_the_simulated_board(capsys):
    assert main(["--backend", "sim"]) == 0
    out = lines(capsys)
    assert out[-1] == "self-test passed on sim: 9 checks"
    assert all(line.startswith("ok   ") for line in out[:-1]) and len(out) == 10
    for what in ("ID 0x49425254 (IBRT), register map", "12 x 14 array", "OP_MATMUL", "OP_LINEAR", "OP_MM_GELU",
                 "OP_MM_LN", "OP_ATTENTION", "round trip (a 1x8x8"):
        assert any(what in line for line in out), what


def test_a_core_that_is_not_the_kits_fails_the_first_check(capsys, monkeypatch):
    monkeypatch.setattr(host.accel.driver, "ID_VALUE", 0x12345678)
    assert main(["--backend", "sim"]) == 1
    out = lines(capsys)
    assert out[0].startswith("FAIL 1 identity: no I-BERT core: the ID register reads 0x49425254")
    assert "look at: the overlay loaded must be the kit's" in out[1] and len(out) == 2


def test_an_operation_the_core_fails_stops_the_run_there(capsys, monkeypatch):
    """The residual of OP_MM_LN handed to the core at an address no buffer holds: the memory answers
    DECERR, the core reports axi_read, and the run stops at that check."""
    from tests.faults import unreachable_residuals

    unreachable_residuals(monkeypatch)
    assert main(["--backend", "sim"]) == 1
    out = lines(capsys)
    assert out[-2].startswith("FAIL 7/9 OP_MM_LN: OP_MM_LN 27x48x30: the core reported axi_read")
    assert out[-1].startswith("     look at: the core failed the operation")
    assert all(line.startswith("ok   ") for line in out[:-2]) and len(out) == 8


def test_a_wrong_value_names_the_first_element(capsys, monkeypatch):
    real = golden.mm_gelu

    def off_by_one(*args):
        out = real(*args).copy()
        out[2, 3] ^= 1
        return out

    monkeypatch.setattr(golden, "mm_gelu", off_by_one)
    assert main(["--backend", "sim"]) == 1
    out = lines(capsys)
    assert out[-2] == "FAIL 6/9 OP_MM_GELU: not equal to golden (first at (2, 3), 1 of 200 differ)"
    assert "rebuild it from this checkout" in out[-1]
