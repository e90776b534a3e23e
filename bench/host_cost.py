"""What the host costs per sentence: the bytes the CPU copies into and out of the buffers and the
host's own time, for all-MiniLM-L6-v2 on the simulated board (the device's build, its DDR model),
a 16-token sentence through all six layers.

    python3 bench/host_cost.py [--sentences 5] [--small]

Two ways to run: as the encoder runs (only the embedding output goes in and only the last layer's
output comes back) and as the main job runs (``check``: every step's output is read back for the
divergence locator). The host's time is measured by running each sentence's layers on the
simulated board, recording every answer the core's registers gave, then again with those answers
given back at once, so that what is timed is this machine's CPU doing the host's side alone (the
weights were loaded once, before: per operation a few register writes, a start and a wait); the
host's embedding is timed beside it. The first run's wall time less the time inside the
simulation is printed too. ``--small`` runs two random small layers (the suite's check that the
bench runs).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from host.accel.driver import Accelerator  # noqa: E402
from host.layer import LayerRunner  # noqa: E402
from host.accel.sim.platform import SimIP, Simulator  # noqa: E402
from _record import documented, record


def workload(small: bool, count: int):
    """(the layers, ``count`` int8 inputs of 16 rows, the host's embedding of each (a callable, or
    None), a name): all-MiniLM-L6-v2 on the kit's 16-token evaluation sentences, or two random
    small layers (host.accel.operands.small_layer) on random inputs."""
    if small:
        from host.accel.operands import small_layer

        layers, xs = [], []
        for seed in range(max(2, count)):
            x, p = small_layer(64, 2, 128, 16, seed)
            layers.append(p)
            xs.append(x)
        return layers[:2], xs[:count], None, "two random layers (D 64, 2 heads, F 128)"
    from host.model import cache
    from host.model.bert import embed_int
    from host.model.checkpoint import default_model_dir, load_checkpoint
    from host.model.sentences import evaluation_sentences
    from host.model.tokenize import Tokenizer

    folder = default_model_dir()
    model, tok = load_checkpoint(folder), Tokenizer(folder)
    q, _, _ = cache.quantized(model, tok, 64)
    ids = [x for x in (tok.encode(s) for s in evaluation_sentences()) if len(x) == 16][:count]
    return q.layers, [embed_int(q, i) for i in ids], [lambda i=i: embed_int(q, i) for i in ids], "all-MiniLM-L6-v2"


def run_layers(runner: LayerRunner, layers, x) -> np.ndarray:
    """Every layer on one sentence's rows: what the encoder runs after the embedding."""
    xs = [x]
    for i, p in enumerate(layers):
        xs = runner.layers(i, xs, p)
    return np.asarray(xs[0])


#: Replays of each sentence (their median is the figure: the first ones run in caches the
#: simulation has just swept through, which the board's host does not share).
REPLAYS = 9


class Recorder:
    """The core's register window, every read's answer kept in order."""

    def __init__(self, ip):
        self.ip, self.answers = ip, []

    def read(self, offset: int = 0) -> int:
        value = self.ip.read(offset)
        self.answers.append((offset, value))
        return value

    def write(self, offset: int, value: int) -> None:
        self.ip.write(offset, value)


class Replayer:
    """The recorded answers given back in order, at once: the host's own work with the simulation
    taken out (the calls must be the recorded ones, read for read)."""

    def __init__(self, answers):
        self.answers, self.at = answers, 0

    def read(self, offset: int = 0) -> int:
        want, value = self.answers[self.at]
        if want != offset:
            raise RuntimeError(f"the replay diverged: read of 0x{offset:x}, recorded 0x{want:x}")
        self.at += 1
        return value

    def write(self, offset: int, value: int) -> None:
        pass


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sentences", type=int, default=5)
    ap.add_argument("--small", action="store_true", help="the tiny random model (what the suite runs)")
    a = ap.parse_args(argv)
    record(__file__, documented(ap, a))
    layers, inputs, embeds, name = workload(a.small, a.sentences)
    sim = Simulator()
    with Accelerator(SimIP(sim), sim.allocate, timeout=600, clock_mhz=sim.clock_mhz) as acc:
        runner = LayerRunner(acc)
        runner.load(layers)
        print(f"{name}: {len(layers)} layers, weights loaded once: {acc.load_written:,} bytes")
        print(f"{'mode':<34}{'CPU wrote B':>12}{'CPU read B':>12}{'layers ms':>11}{'+ embed':>9}{'(wall-sim)':>11}"
              f"{'core cycles':>13}")
        real_ip = acc.ip
        for mode, check in (("encoder (last output only)", False), ("main job (check: every output)", True)):
            runner.check = check
            host_ms, embed_ms, wall_ms, written, read, cycles = [], [], [], [], [], []
            for n, x in enumerate(inputs):
                runner.trace.clear()
                acc.ip = recorder = Recorder(real_ip)
                w0, r0, s0, c0 = acc.cpu_written, acc.cpu_read, sim.seconds, len(acc.calls)
                t0 = time.perf_counter()
                run_layers(runner, layers, x)
                wall = time.perf_counter() - t0
                wall_ms.append((wall - (sim.seconds - s0)) * 1e3)
                written.append(acc.cpu_written - w0)
                read.append(acc.cpu_read - r0)
                cycles.append(sum(c.cycles for c in acc.calls[c0:]))
                for _ in range(REPLAYS):  # the same sentence again, the core's answers given back at once
                    acc.ip = Replayer(recorder.answers)
                    runner.trace.clear()
                    t0 = time.perf_counter()
                    run_layers(runner, layers, x)
                    host_ms.append((time.perf_counter() - t0) * 1e3)
                    if embeds is not None:
                        t0 = time.perf_counter()
                        embeds[n]()
                        embed_ms.append((time.perf_counter() - t0) * 1e3)
                acc.ip = real_ip
            host = statistics.median(host_ms)
            embed = statistics.median(embed_ms) if embed_ms else 0.0
            print(f"{mode:<34}{max(written):>12,}{max(read):>12,}{host:>11.2f}{host + embed:>9.2f}"
                  f"{statistics.median(wall_ms):>11.2f}{max(cycles):>13,}")
        print(f"per sentence of {inputs[0].shape[0]} tokens (median over {len(inputs)} sentences, {REPLAYS} replays "
              f"each; the bytes and cycles the most any took). layers ms: the layers again with the core's recorded "
              f"register answers given back at once (the host's own work for the accelerator); + embed: with the "
              f"host's embedding; wall-sim: the first run's wall time less the time inside the simulation (its "
              f"cache footprint left in). The core's time at {sim.clock_mhz:g} MHz: "
              f"{max(cycles) / (sim.clock_mhz * 1e3):.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
