"""The kit's contract: README's commands are what CI runs, and the golden names are all there."""

import re
from pathlib import Path

import golden

ROOT = Path(__file__).resolve().parents[1]


def readme_commands():
    block = re.search(r"```sh\n(.*?)```", (ROOT / "README.md").read_text(), re.S).group(1)
    return [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]


def test_ci_runs_the_readme_test_command():
    main_job, tests = readme_commands()[:2]
    assert "python3 -m host" in main_job
    ci = (ROOT / ".ci" / "run").read_text()
    assert tests in ci.splitlines(), (tests, ci)


def test_readme_is_a_front_page_whose_links_resolve():
    """At most 100 lines; every file it names in docs/ (and every docs/ page) exists."""
    text = (ROOT / "README.md").read_text()
    assert len(text.splitlines()) <= 100
    named = set(re.findall(r"`(docs/[\w.]+\.md)`", text))
    assert named and all((ROOT / n).is_file() for n in named), named
    assert {f"docs/{p.name}" for p in (ROOT / "docs").glob("*.md")} <= named, "a docs page the front page does not link"


def test_golden_exports_every_operation():
    for name in ["requant", "matmul", "lopd", "sqrt", "div", "exp", "softmax", "layernorm", "gelu",
                 "attn_head", "encoder_layer"]:
        assert callable(getattr(golden, name)), name
        assert getattr(golden, name).__doc__, name


def test_every_rtl_module_is_listed_with_a_bench_of_its_own():
    """rtl/README.md's table names every module, each has tb/test_<module>.py and a case in the RTL
    suite on each simulator, and every golden function the table cites exists."""
    from tb.cases import CASES, ICARUS_CASES, ICARUS_TOP, VERILATOR_CASES

    table = "\n".join(line for line in (ROOT / "rtl" / "README.md").read_text().splitlines() if line.startswith("|"))
    listed = set(re.findall(r"^\|([^|]*)\|", table, re.M)[2:])
    listed = {m for cell in listed for m in re.findall(r"`(\w+)`", cell)}
    modules = {p.stem for p in (ROOT / "rtl").glob("*.sv") if not p.stem.endswith("_pkg")}
    assert modules == listed, f"not in rtl/README.md's table: {modules - listed}; listed, no such file: {listed - modules}"
    cased = {"icarus": {m for m, _ in CASES + ICARUS_CASES + [ICARUS_TOP]},
             "verilator": {m for m, _ in CASES + VERILATOR_CASES}}
    for m in sorted(modules):
        assert (ROOT / "tb" / f"test_{m}.py").is_file(), f"rtl/{m}.sv has no bench tb/test_{m}.py"
        for simulator, modules_run in cased.items():
            assert m in modules_run, f"rtl/{m}.sv's bench is in no {simulator} case of tb/cases.py"
    for name in re.findall(r"golden\.(\w+)", table):
        assert callable(getattr(golden, name, None)), f"rtl/README.md cites golden.{name}, which does not exist"
