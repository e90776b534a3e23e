"""python3 -m host as a user meets it, on the tiny synthetic checkpoint: every user error is one
line and exit status 2 (no traceback), --save never overwrites unless --force, parameter files
remember their checkpoint, quantized parameters are cached, odd input gets a warning."""

import numpy as np
import pytest

pytest.importorskip("safetensors")
pytest.importorskip("tokenizers")
from host.model import params_io  # noqa: E402
from host.__main__ import main  # noqa: E402

from .tiny_bert import write_checkpoint  # noqa: E402


@pytest.fixture
def tiny(tmp_path, monkeypatch):
    monkeypatch.setenv("IBERT_KIT_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "tiny"
    folder.mkdir()
    return write_checkpoint(folder)


def run(capsys, *args):
    """The CLI on the golden backend unless the test names one (the simulation's own test below)."""
    args = list(args) if "--backend" in args else [*args, "--backend", "golden"]
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


def test_runs_and_caches(tiny, capsys):
    code, out, _ = run(capsys, "the cat sat", "--checkpoint", str(tiny), "--calibration", "16")
    assert code == 0 and "quantized tiny parameters" in out and "cosine" in out
    code, out, _ = run(capsys, "the cat sat", "--checkpoint", str(tiny), "--calibration", "16")
    assert code == 0 and "cached tiny parameters" in out
    code, out, _ = run(capsys, "the cat sat", "--checkpoint", str(tiny), "--calibration", "17")
    assert code == 0 and "quantized" in out, "other calibration settings are another cache entry"


def test_bad_options_are_refused_before_loading(tiny, capsys):
    with pytest.raises(SystemExit) as e:
        main(["--calibration", "0", "--checkpoint", str(tiny)])
    assert e.value.code == 2 and "expected a positive integer, got 0" in capsys.readouterr().err
    code, _, err = run(capsys, "--checkpoint", str(tiny / "nope"))
    assert code == 2 and "no such checkpoint folder" in one_line_error(err)


def test_save_is_safe_and_remembers_the_checkpoint(tiny, tmp_path, capsys):
    path = tmp_path / "p.npz"
    args = ["the cat", "--checkpoint", str(tiny), "--calibration", "16", "--save", str(path)]
    assert run(capsys, *args)[0] == 0
    before = path.read_bytes()
    code, _, err = run(capsys, *args)
    assert code == 2 and "exists (pass --force" in one_line_error(err) and path.read_bytes() == before
    assert run(capsys, *args, "--force")[0] == 0
    _, meta = params_io.load(path)
    assert meta["calibration"]["sentences"] == 16 and len(meta["sha256"]) == 64 and meta["config"]["hidden_size"] == 32
    assert not list(tmp_path.glob(".p.npz*")), "no temporary file left behind"

    other = tmp_path / "other"
    other.mkdir()
    write_checkpoint(other, config={"num_hidden_layers": 1})
    code, _, err = run(capsys, "the cat", "--checkpoint", str(other), "--params", str(path))
    line = one_line_error(err)
    assert code == 2 and "was made from tiny" in line and "not from the checkpoint given, other" in line


def test_damaged_files_are_named_without_unsafe_advice(tiny, tmp_path, capsys):
    bad = tmp_path / "bad.npz"
    bad.write_text("not a zip")
    code, _, err = run(capsys, "--checkpoint", str(tiny), "--params", str(bad))
    line = one_line_error(err)
    assert code == 2 and "bad.npz: not a readable .npz parameter file" in line and "pickle" not in line
    np.save(tmp_path / "arr.npy", np.zeros(3))
    code, _, err = run(capsys, "--checkpoint", str(tiny), "--params", str(tmp_path / "arr.npy"))
    assert code == 2 and "not a readable" in one_line_error(err)
    (tiny / "config.json").write_text("{broken")
    code, _, err = run(capsys, "--checkpoint", str(tiny))
    assert code == 2 and "config.json: not valid JSON" in one_line_error(err)


def test_odd_input_warns(tiny, capsys):
    code, _, err = run(capsys, "", "--checkpoint", str(tiny), "--calibration", "16")
    assert code == 0 and "warning: empty input" in err
    code, _, err = run(capsys, "zzz qqq the", "--checkpoint", str(tiny), "--calibration", "16")
    assert code == 0 and "2 of the 3 tokens are [UNK]" in err
    code, _, err = run(capsys, "the cat", "--checkpoint", str(tiny), "--calibration", "3")
    assert code == 0 and "fewer than 16 sentences" in err


def test_main_job_on_the_simulated_accelerator(tiny, capsys, monkeypatch):
    """The default backend: the device's RTL in Verilator (built once into the kit's cache, shared
    by the suite), every operation equal to golden, cycles per layer and the board projection."""
    from pathlib import Path

    monkeypatch.setenv("IBERT_KIT_CACHE", str(Path(__file__).resolve().parents[1] / "build" / "kit-cache"))
    code, out, err = run(capsys, "the cat sat on the mat", "--checkpoint", str(tiny), "--calibration", "16",
                         "--backend", "sim")
    assert code == 0, err
    assert "equal to golden bit for bit: yes (10 operations)" in out
    assert "layer 1:" in out and "ms on the board at 100 MHz" in out and "sim vs float32 embedding: cosine" in out
    assert "sim: layer 2/2" in err


def test_a_failing_core_is_located_like_a_wrong_value(tiny, capsys, monkeypatch):
    """An operation the core fails (here every OP_MM_LN's residual at an address no buffer holds, so
    the memory answers DECERR and the core reports ERROR.axi_read) is named as a divergence is: its
    layer and operation, the error, and a replay file whose command re-runs it (on the healthy core:
    equal to golden)."""
    from pathlib import Path

    import host.accel.driver
    from host.replay import main as replay
    from tests.faults import unreachable_residuals

    monkeypatch.setenv("IBERT_KIT_CACHE", str(Path(__file__).resolve().parents[1] / "build" / "kit-cache"))
    real = unreachable_residuals(monkeypatch)
    code, out, err = run(capsys, "the cat sat on the mat", "--checkpoint", str(tiny), "--calibration", "16",
                         "--backend", "sim")
    assert code == 1, err
    assert "sim: the accelerator failed layer 0, attn_out (mm_ln), after 2 operations that ran: " in out
    assert "OP_MM_LN" in out and "the core reported axi_read" in out and "Traceback" not in out + err
    command = next(line for line in out.splitlines() if line.startswith("re-run just that step: "))
    path = command.split("python3 -m host.replay ")[1].split()[0]
    assert Path(path).name == "divergence-layer0-attn_out.npz" and Path(path).is_file()
    monkeypatch.setattr(host.accel.driver.Accelerator, "execute", real)
    assert replay([path, "--backend", "sim"]) == 0
    assert "layer 0, attn_out (mm_ln): sim and golden agree" in capsys.readouterr().out
    unreachable_residuals(monkeypatch)
    assert replay([path, "--backend", "sim"]) == 1
    assert "layer 0, attn_out (mm_ln): sim failed: OP_MM_LN" in capsys.readouterr().out


def test_no_compiler_is_one_line_saying_what_to_install(tiny, capsys, monkeypatch, tmp_path):
    """A machine without make or g++ (a fresh wheel install): the simulation backend says so before
    any build starts, in one line with the packages to install."""
    monkeypatch.setenv("IBERT_KIT_CACHE", str(tmp_path / "empty-cache"))  # nothing built here yet
    import host.accel.sim.build as build

    real_which = build.shutil.which
    monkeypatch.setattr(build.shutil, "which", lambda tool, path=None: None if tool == "g++" else real_which(tool, path=path))
    code, out, err = run(capsys, "the cat", "--checkpoint", str(tiny), "--backend", "sim")
    assert code == 2
    assert one_line_error(err) == ("error: the simulation backend builds the RTL with Verilator, which needs g++, not "
                                   "found: apt-get install g++ (Debian, Ubuntu), or --backend golden")
    assert "building" not in err


def test_replay_reruns_one_saved_operation(tiny, capsys, monkeypatch, tmp_path):
    """python3 -m host.replay on a saved operation (as the main job writes one when it diverges):
    the operation again on the simulated RTL and on golden, their agreement and exit status 0; a
    file that is not a replay file is one line and exit status 2."""
    from pathlib import Path

    from host.model import bert
    from host.model.checkpoint import load_checkpoint
    from host.divergence import save_replay
    from host.layer import LayerRunner
    from host.replay import main as replay
    from host.model.tokenize import Tokenizer

    monkeypatch.setenv("IBERT_KIT_CACHE", str(Path(__file__).resolve().parents[1] / "build" / "kit-cache"))
    model, tok = load_checkpoint(tiny), Tokenizer(tiny)
    q = bert.quantize(model, [tok.encode("the cat sat on the mat")])
    params = params_io.save(tmp_path / "params.npz", q)
    runner = LayerRunner()
    runner.layer(0, bert.embed_int(q, tok.encode("a big dog ran")), q.layers[0])
    step = runner.trace[3]  # ffn_in
    path = save_replay(step, params, tmp_path)
    assert replay([str(path)]) == 0
    out = capsys.readouterr().out
    assert "layer 0, ffn_in (mm_gelu): sim and golden agree" in out
    (tmp_path / "bad.npz").write_bytes(b"not a zip")
    assert replay([str(tmp_path / "bad.npz")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "not a replay file" in err and "Traceback" not in err


def test_weight_bits_reach_the_weights_and_run_exactly_on_the_core(tiny, tmp_path, capsys, monkeypatch):
    """--weight-bits 4: the saved weights use 4 bits, and the core (int8 lanes) computes them exactly."""
    from pathlib import Path

    monkeypatch.setenv("IBERT_KIT_CACHE", str(Path(__file__).resolve().parents[1] / "build" / "kit-cache"))
    path = tmp_path / "w4.npz"
    code, out, err = run(capsys, "the cat sat", "--checkpoint", str(tiny), "--calibration", "16", "--weight-bits", "4",
                         "--backend", "sim", "--save", str(path), "--no-cache")
    assert code == 0, err
    assert "4-bit weights" in out and "equal to golden bit for bit: yes" in out
    q, meta = params_io.load(path)
    assert meta["calibration"]["weight_bits"] == 4
    assert all(np.abs(layer.ffn_in.w).max() == 7 and np.abs(layer.q.w).max() == 7 for layer in q.layers)
    code, _, err = run(capsys, "the cat", "--checkpoint", str(tiny), "--params", str(path), "--weight-bits", "6")
    assert code == 2 and "quantized already" in one_line_error(err)
    with pytest.raises(SystemExit) as e:
        main(["--weight-bits", "5", "--checkpoint", str(tiny)])
    assert e.value.code == 2 and "invalid choice: 5 (choose from 8, 6, 4)" in capsys.readouterr().err


def test_weight_groups_reach_the_weights_and_run_exactly_on_the_core(tiny, tmp_path, capsys, monkeypatch):
    """--weight-bits 4 --weight-group 32: the saved weights are 4-bit codes times one multiplier per
    group of 32 rows (int8 values past 7), and the core computes them exactly; a group without a
    narrower width, or beside a parameter file, is refused in one line."""
    from pathlib import Path

    from golden.weight_groups import max_multiplier

    monkeypatch.setenv("IBERT_KIT_CACHE", str(Path(__file__).resolve().parents[1] / "build" / "kit-cache"))
    path = tmp_path / "w4g32.npz"
    code, out, err = run(capsys, "the cat sat", "--checkpoint", str(tiny), "--calibration", "16", "--weight-bits", "4",
                         "--weight-group", "32", "--backend", "sim", "--save", str(path), "--no-cache")
    assert code == 0, err
    assert "4-bit weights in groups of 32" in out and "equal to golden bit for bit: yes" in out
    q, meta = params_io.load(path)
    assert meta["calibration"]["weight_group"] == 32
    for layer in q.layers:
        w = layer.ffn_in.w.astype(int)
        assert 7 < np.abs(w).max() <= 7 * max_multiplier(4)
        for g in range(0, w.shape[0], 32):  # within a group and channel, one multiplier divides every weight
            block = w[g:g + 32]
            top = np.abs(block).max(axis=0)
            mult = np.array([np.gcd.reduce(col) if t else 1 for col, t in zip(np.abs(block).T, top)])
            assert np.all(np.abs(block // np.maximum(mult, 1)) <= 7)
    code, _, err = run(capsys, "the cat", "--checkpoint", str(tiny), "--weight-group", "32")
    assert code == 2 and "group scales need --weight-bits 6 or 4" in one_line_error(err)
    code, _, err = run(capsys, "the cat", "--checkpoint", str(tiny), "--params", str(path), "--weight-group", "64")
    assert code == 2 and "quantized already" in one_line_error(err)
