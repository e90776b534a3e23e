"""The benches of the core's memory path run, with their small option, on the simulated board (the
device's build, shared with the host tests through build/kit-cache), and print what they promise:
a bench that breaks fails the suite instead of rotting unseen."""

import os
import subprocess
import sys
from pathlib import Path

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
