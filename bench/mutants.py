"""Mutation score of every module's own bench: one-token changes of rtl/<module>.sv's logic (a
comparison flipped, a constant off by one, a shift moved, && and || swapped, + and - swapped, a bit
negated; not declarations' widths nor elaboration-time parameter checks),
each run against that module's bench on Icarus with every parameter set the suite gives it
(tb/cases.py), in a copy of the checkout per worker. A mutant is caught when a bench fails,
hangs when a run passes HANG_S (killed whole), survives when every bench passes, and is left out
when it does not build.

    python3 bench/mutants.py                      # every module, PER_MODULE mutants each (about 30 min)
    python3 bench/mutants.py --small              # two modules, three mutants each (CI)
    python3 bench/mutants.py --module sqrt -n 20  # one module

Prints each survivor (module, line, change) and the score per module and overall."""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tb.cases import ATTENTION_TOP, CASES, ICARUS_CASES, ICARUS_TOP  # noqa: E402
from _record import documented, record

PER_MODULE = 6
HANG_S = 300

#: One-token changes: (pattern, replacement) on a code token.
SWAPS = {"<=": "<", "<": "<=", ">=": ">", ">": ">=", "==": "!=", "!=": "==", "&&": "||", "||": "&&",
         "+": "-", "-": "+", ">>": "<<", "<<": ">>", "~": ""}
#: A token inside a declaration's packed range (``logic [W-1:0] x``): a width, not logic.
DECLARED_WIDTH = re.compile(r"\b(?:logic|wire|reg|bit|int|integer|input|output)\b[^;=()]*\[[^\]]*$")
#: What stands before a nonblocking "<=": a statement's start (or ``)``, ``begin``, ``else``) and an lvalue.
NONBLOCKING = re.compile(r"(?:^|[;)]|\bbegin|\belse)\s*[\w\[\]\.:'{}, +\-*]+\s*$")
TOKEN = re.compile(r"<=|>=|==|!=|&&|\|\||>>>|<<<|>>|<<|[<>+\-~]|\b\d+'[bdh][0-9a-fA-F_]+\b|\b\d+\b")


def parameter_sets(module: str) -> list[tuple[dict, str | None]]:
    """The (parameters, test case or None for all) the suite runs the module's bench with on Icarus."""
    sets = [(p, None) for m, p in CASES + ICARUS_CASES if m == module]
    if module == "ibert_top":  # every test of the plain top, and the attention top's directed ones
        sets += [(ICARUS_TOP[1], None), (ATTENTION_TOP[1], "top_attention_edges,top_refuses_bad_starts")]
    return sets


def code_spans(text: str, module: str) -> list[tuple[int, int]]:
    """Where the module's code is (not comments, not the header's parameter and port lists)."""
    from tb.stuck import port_list

    body = port_list(text, module)[1]  # past the port list
    spans, i = [], body
    for m in re.finditer(r"//[^\n]*|/\*.*?\*/", text[body:], re.S):
        spans.append((i, body + m.start()))
        i = body + m.end()
    spans.append((i, len(text)))
    return spans


def mutants(module: str) -> list[tuple[int, str, str, str]]:
    """Every one-token mutant of rtl/<module>.sv: (line, original token, replacement, new text)."""
    text = (ROOT / "rtl" / f"{module}.sv").read_text()
    out = []
    for a, b in code_spans(text, module):
        for m in TOKEN.finditer(text, a, b):
            tok = m.group(0)
            before = text[text.rfind("\n", 0, m.start()) + 1:m.start()]
            line_text = text[text.rfind("\n", 0, m.start()) + 1:text.find("\n", m.start())]
            if "$fatal" in line_text or "g_bad" in line_text or DECLARED_WIDTH.search(before):
                continue  # an elaboration check, or a declaration's width: not the logic
            if tok == "<=" and NONBLOCKING.search(before):
                continue  # an assignment, not a comparison: changed, it would not compile
            if tok[0].isdigit():
                if "'" in tok:
                    size, base_val = tok.split("'")
                    base, val = base_val[0], base_val[1:].replace("_", "")
                    n = int(val, {"b": 2, "d": 10, "h": 16}[base])
                    width = int(size)
                    alt = (n + 1) % (1 << width) if n == 0 else n - 1
                    rep = f"{size}'{base}{format(alt, {'b': 'b', 'd': 'd', 'h': 'x'}[base])}"
                else:
                    rep = str(int(tok) + (1 if int(tok) == 0 else -1))
            else:
                rep = SWAPS.get(tok)
                if rep is None:
                    continue
            line = text.count("\n", 0, m.start()) + 1
            out.append((line, tok, rep, text[:m.start()] + rep + text[m.end():]))
    return out


RUN = """
import sys
from tb.runner import run
try:
    run(sys.argv[1], "icarus", eval(sys.argv[2]), testcase=sys.argv[3].split(",") if sys.argv[3] else None)
except AssertionError:  # a cocotb test failed: the bench caught it
    sys.exit(1)
except RuntimeError:    # the simulator's build failed: the mutant is not valid Verilog here
    sys.exit(3)
"""


def verdict(copy: Path, module: str, text: str) -> tuple[str, float]:
    """caught, survived or hung, and the seconds it took, for one mutant in the worker's ``copy``."""
    (copy / "rtl" / f"{module}.sv").write_text(text)
    t0 = time.monotonic()
    try:
        for params, testcase in parameter_sets(module):
            proc = subprocess.Popen([sys.executable, "-c", RUN, module, repr(params), testcase or ""], cwd=copy,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                                    env={**os.environ, "PYTHONPATH": str(copy)})
            try:
                code = proc.wait(timeout=HANG_S)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                return "hung", time.monotonic() - t0
            if code == 3:
                return "invalid", time.monotonic() - t0
            if code != 0:
                return "caught", time.monotonic() - t0
        return "survived", time.monotonic() - t0
    finally:
        (copy / "rtl" / f"{module}.sv").write_text((ROOT / "rtl" / f"{module}.sv").read_text())


def checkout_copy(where: Path) -> Path:
    for name in ("rtl", "tb", "golden", "host", "tests", "vivado"):
        shutil.copytree(ROOT / name, where / name, ignore=shutil.ignore_patterns("__pycache__", "overlay"))
    shutil.copy(ROOT / "pyproject.toml", where)
    return where


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--small", action="store_true", help="two small modules, three mutants each")
    ap.add_argument("--module", action="append", help="only this module (repeatable)")
    ap.add_argument("-n", type=int, default=PER_MODULE, help=f"mutants per module (default {PER_MODULE})")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--rerun", metavar="LOG", help="run again only the survivors a previous run printed to LOG")
    a = ap.parse_args(argv)
    record(__file__, documented(ap, a, ("workers",)))
    modules = a.module or (["lopd", "sqrt"] if a.small else sorted({m for m, _ in CASES} | {"ibert_top"}))
    n = 3 if a.small else a.n
    rng = random.Random(a.seed)
    work = []
    for module in modules:
        all_ = mutants(module)
        work += [(module, *mut) for mut in rng.sample(all_, min(n, len(all_)))]
    if a.rerun:  # "  survived module:line 'tok' -> 'rep' (...)" lines of an earlier run
        again = set(re.findall(r"survived\s+(\w+):(\d+) ('[^']*'|\"[^\"]*\") -> ('[^']*'|\"[^\"]*\")",
                               Path(a.rerun).read_text()))
        again = {(m, int(line), eval(t), eval(r)) for m, line, t, r in again}
        modules = sorted({m for m, *_ in again})
        work = [(m, *mut) for m in modules for mut in mutants(m) if (m, *mut[:3]) in again]
    print(f"{len(work)} mutants of {len(modules)} modules, {a.workers} workers, Icarus, every parameter set "
          "of tb/cases.py per module", flush=True)
    with tempfile.TemporaryDirectory(prefix="ibert-mutants-") as tmp:
        copies = [checkout_copy(Path(tmp) / f"w{i}") for i in range(a.workers)]
        free = list(copies)

        def one(item):
            copy = free.pop()
            try:
                module, line, tok, rep, text = item
                v, s = verdict(copy, module, text)
                print(f"  {v:8} {module}:{line} {tok!r} -> {rep!r} ({s:.0f} s)", flush=True)
                return module, line, tok, rep, v, s
            finally:
                free.append(copy)

        with ThreadPoolExecutor(a.workers) as pool:
            results = list(pool.map(one, work))
    print("\nper module: caught / valid mutants run (survivors; hung); mutants that do not build are left out")
    total = caught = hung = 0
    for module in modules:
        rows = [r for r in results if r[0] == module and r[4] != "invalid"]
        c = sum(r[4] == "caught" for r in rows)
        h = sum(r[4] == "hung" for r in rows)
        total, caught, hung = total + len(rows), caught + c, hung + h
        surv = [f"{r[1]}: {r[2]!r}->{r[3]!r}" for r in rows if r[4] == "survived"]
        print(f"  {module:14} {c}/{len(rows)}" + (f"  survived: {'; '.join(surv)}" if surv else "")
              + (f"  hung: {h}" if h else ""))
    print(f"\nscore: {caught}/{total} caught = {100 * caught / max(total, 1):.1f} %, {hung} hung")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
