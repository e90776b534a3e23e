"""What the host costs per sentence: the bytes the CPU copies into and out of the buffers and the
host's own time, for all-MiniLM-L6-v2 on the simulated board (the device's build, its DDR model),
a 16-token sentence through all six layers.

    python3 bench/host_cost.py [--sentences 5] [--small]

Two ways to run: as the encoder runs (only the embedding output goes in and only the last layer's
output comes back) and as the main job runs (``check``: every step's output is read back for the
divergence locator). The host's time is measured by running each sentence twice: on the simulated
board, recording every answer the core's registers gave, then again with those answers given back
at once, so that what is timed is this machine's CPU doing the host's side alone (the weights were
loaded once, before: per operation a few register writes, a start and a wait; the embedding). The
first run's wall time less the time inside the simulation is printed beside it. ``--small`` runs
the tiny random model (the suite's check that the bench runs).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from host.driver import Accelerator  # noqa: E402
from host.bert import embed_int  # noqa: E402
from host.layer import LayerRunner, forward_batch  # noqa: E402
from host.sim.platform import SimIP, Simulator  # noqa: E402


def model_and_sentences(small: bool, count: int):
    """The integer model and ``count`` token id lists (16 tokens each)."""
    if small:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
        from tiny_bert import tiny_int_bert

        rng = np.random.default_rng(0)
        return tiny_int_bert(), [list(rng.integers(4, 30, 16)) for _ in range(count)], "the tiny random model"
    from host import cache
    from host.checkpoint import default_model_dir, load_checkpoint
    from host.sentences import evaluation_sentences
    from host.tokenize import Tokenizer

    folder = default_model_dir()
    model, tok = load_checkpoint(folder), Tokenizer(folder)
    q, _, _ = cache.quantized(model, tok, 64)
    ids = [tok.encode(s) for s in evaluation_sentences()]
    ids = [x for x in ids if len(x) == 16][:count]
    return q, ids, "all-MiniLM-L6-v2"


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
    q, batch, name = model_and_sentences(a.small, a.sentences)
    sim = Simulator()
    with Accelerator(SimIP(sim), sim.allocate, timeout=600, clock_mhz=sim.clock_mhz) as acc:
        runner = LayerRunner(acc)
        runner.load(q.layers)
        print(f"{name}: {len(q.layers)} layers, weights loaded once: {acc.load_written:,} bytes")
        print(f"{'mode':<34}{'CPU wrote B':>12}{'CPU read B':>12}{'host ms':>9}{'layers':>8}{'(wall-sim)':>11}"
              f"{'core cycles':>13}")
        real_ip = acc.ip
        for mode, check in (("encoder (last output only)", False), ("main job (check: every output)", True)):
            runner.check = check
            host_ms, embed_ms, wall_ms, written, read, cycles = [], [], [], [], [], []
            for ids in batch:
                runner.trace.clear()
                acc.ip = recorder = Recorder(real_ip)
                w0, r0, s0, c0 = acc.cpu_written, acc.cpu_read, sim.seconds, len(acc.calls)
                t0 = time.perf_counter()
                forward_batch(runner, q, [ids])
                wall = time.perf_counter() - t0
                wall_ms.append((wall - (sim.seconds - s0)) * 1e3)
                written.append(acc.cpu_written - w0)
                read.append(acc.cpu_read - r0)
                cycles.append(sum(c.cycles for c in acc.calls[c0:]))
                for _ in range(REPLAYS):  # the same sentence again, the core's answers given back at once
                    acc.ip = Replayer(recorder.answers)
                    runner.trace.clear()
                    t0 = time.perf_counter()
                    forward_batch(runner, q, [ids])
                    host_ms.append((time.perf_counter() - t0) * 1e3)
                    t0 = time.perf_counter()
                    embed_int(q, ids)
                    embed_ms.append((time.perf_counter() - t0) * 1e3)
                acc.ip = real_ip
            host, embed = statistics.median(host_ms), statistics.median(embed_ms)
            print(f"{mode:<34}{max(written):>12,}{max(read):>12,}{host:>9.2f}{host - embed:>8.2f}"
                  f"{statistics.median(wall_ms):>11.2f}{max(cycles):>13,}")
        print(f"per sentence of {len(batch[0])} tokens (median over {len(batch)} sentences, {REPLAYS} replays each; the bytes and cycles the "
              f"most any took); host ms: the run again with the core's recorded answers given back at once (the "
              f"host's own work, the embedding included; layers: less the embedding, the accelerator's side alone); wall-sim: the run's wall time less the time inside the "
              f"simulation (its cache footprint left in); the core's time at {sim.clock_mhz:g} MHz: "
              f"{max(cycles) / (sim.clock_mhz * 1e3):.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
