"""Every bench runs here with its small option and prints what it promises: a bench that breaks
fails the suite instead of rotting unseen. The benches of the core's memory path run on the
simulated board (the device's build, shared with the host tests through build/kit-cache)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def bench(name: str, *args: str) -> str:
    env = dict(os.environ, IBERT_KIT_CACHE=str(ROOT / "build" / "kit-cache"))
    done = subprocess.run([sys.executable, str(ROOT / "bench" / name), *args], capture_output=True, text=True,
                          env=env, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_top_cycles_prints_a_layer_with_the_ddr_model_and_without_its_limit():
    out = bench("top_cycles.py", "--small")
    for label in ("QKV projection", "attention", "output projection", "FFN in", "FFN out"):
        assert label in out, out
    layer = next(line for line in out.splitlines() if line.startswith("layer"))
    with_model, without = (int(v.replace(",", "")) for v in layer.split()[1:3])
    assert without <= with_model, layer
    assert "DDR model" in out and "no limit" in out


def test_host_cost_prints_the_cpu_bytes_and_the_hosts_time():
    out = bench("host_cost.py", "--small", "--sentences", "1")
    rows = {line[:34].strip(): line[34:].split() for line in out.splitlines() if line.startswith(("encoder", "main job"))}
    enc, main = rows["encoder (last output only)"], rows["main job (check: every output)"]
    assert enc[0] == main[0] == "1,024" and enc[1] == "1,024"  # the input in, the last output out
    assert int(main[1].replace(",", "")) > int(enc[1].replace(",", ""))  # every step's output read back
    assert float(enc[2]) > 0


#: Every other bench with its small option, and what its output must show. Each runs in seconds
#: (fit_xc7z020's yosys run of the whole top, about two minutes, is the longest).
SMALL = {
    "golden_accuracy.py": ["i-exp vs exp", "i-GELU vs exact GELU", "integer softmax", "integer LayerNorm",
                           "layer cosine mean"],
    "golden_speed.py": ["encoder layer 16 tokens, hidden 64", "(target <= 1.3x)"],
    "mm_cycles.py": ["mm on a 2x2 array (icarus)", "    8    16     8"],
    "nonlinear_cycles.py": ["cycles/element", "div ", "exp "],
    "rtl_synth.py": ["lopd       W=32"],
    "rtl_timing.py": ["lopd       W=32", "1 of 1 within 3.3 ns"],
    "fit_xc7z020.py": ["ibert_axi {'N1': 2, 'N2': 2", "logic delay"],
    "model_fidelity.py": ["8 calibration sentences", "template", "varied"],
    "sim_speed.py": ["16 tokens, 6 layers", "(goal <= 30 s): met"],
    "encode_throughput.py": ["1 sentences of 16 tokens", "batched embeddings bit-identical to unbatched: yes"],
    "mutants.py": ["score: ", "lopd ", "sqrt "],
}


def test_every_bench_has_a_small_run_here():
    benches = {p.name for p in (ROOT / "bench").glob("[a-z]*.py")}  # _record.py is their helper
    assert benches == set(SMALL) | {"top_cycles.py", "host_cost.py", "precision.py"}, \
        "a bench without a small run in the suite"


@pytest.mark.parametrize("name", sorted(SMALL))
def test_bench_runs_small(name):
    out = bench(name, "--small")
    for what in SMALL[name]:
        assert what in out, f"{name} --small: {what!r} not in\n{out}"


def test_precision_runs_on_a_tiny_model(tmp_path):
    """bench/precision.py --small on the tests' tiny BERT: every width, scope and granularity, the
    table's columns, and the closing line."""
    pytest.importorskip("safetensors")
    from .tiny_bert import write_checkpoint

    folder = tmp_path / "tiny"
    folder.mkdir()
    png = tmp_path / "precision.png"
    out = bench("precision.py", "--small", "--checkpoint", str(write_checkpoint(folder)), "--plot", str(png))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", "--plot wrote no PNG"
    for name in ("W8 all, channel, nearest", "W8 all, channel, GPTQ", "W6 FFN, channel, nearest",
                 "W6 all, G64, GPTQ", "W4 FFN, G128, GPTQ", "W4 all, G32, nearest", "W4 all, channel, GPTQ"):
        assert name in out, out
    assert "streamed KB/layer" in out and "norm ratio" in out and "4-bit settings keeping min cosine >= 0.99 and mean >= 0.995:" in out


def test_precision_redraws_the_recorded_table(tmp_path):
    """The recorded table has a row for every setting the bench measures (a stale file fails),
    and --from-results draws it without measuring."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import precision
    finally:
        sys.path.remove(str(ROOT / "bench"))
    rows = precision.table_rows(precision.RECORDED.read_text())
    assert len(rows) == len(precision.SETTINGS), f"{precision.RECORDED} is not the bench's current table"
    png = tmp_path / "p.png"
    bench("precision.py", "--from-results", "--plot", str(png))
    assert png.read_bytes()[:4] == b"\x89PNG"


def recording_script(tmp_path, body: str) -> Path:
    script = tmp_path / "demo_bench.py"
    script.write_text(
        "import argparse, sys\n"
        f"sys.path.insert(0, {str(ROOT / 'bench')!r})\n"
        "import _record\n"
        f"_record.RESULTS = __import__('pathlib').Path({str(tmp_path / 'results')!r})\n"
        "ap = argparse.ArgumentParser()\n"
        "ap.add_argument('--small', action='store_true')\n"
        "ap.add_argument('--workers', type=int, default=2)\n"
        "a = ap.parse_args()\n"
        "_record.record(__file__, _record.documented(ap, a, ('workers',)))\n" + body)
    return script


@pytest.mark.parametrize("args, body, kept", [
    ([], "print('layer 1,874,283 cycles')\n", True),
    (["--workers", "1"], "print('layer 1,874,283 cycles')\n", True),  # a worker count changes no figure
    (["--small"], "print('layer 1,874,283 cycles')\n", False),
    ([], "print('layer 1,874,283 cycles')\nraise RuntimeError('the bench broke')\n", False),
    ([], "print('layer 1,874,283 cycles')\nraise SystemExit(1)\n", True),  # a verdict, not a crash
])
def test_a_documented_run_records_its_output(tmp_path, args, body, kept):
    """bench/_record.py: the output of a run with the documented options lands in
    results/<bench>.txt under a header naming the commit; other options, or a crash, leave the
    previous results alone."""
    results = tmp_path / "results" / "demo_bench.txt"
    results.parent.mkdir()
    results.write_text("previous\n")
    done = subprocess.run([sys.executable, str(recording_script(tmp_path, body)), *args], capture_output=True,
                          text=True, timeout=60)
    assert "layer 1,874,283 cycles" in done.stdout  # still printed
    text = results.read_text()
    if kept:
        assert text.startswith("# python3 bench/demo_bench.py, recorded ") and "layer 1,874,283 cycles\n" in text, text
    else:
        assert text == "previous\n", text
