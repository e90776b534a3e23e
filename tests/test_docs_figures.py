"""Every measured figure in one place: a figure (a number with thousands separators, or a decimal
with a unit or of four digits and more) appears in one page of README.md and docs/ only, so a rerun
of a bench updates one place and nothing goes stale elsewhere. Program output shown in code blocks
(the README's transcript of the main job) and the generated register map are not prose figures."""

import re
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIGURE = re.compile(r"(?<![\w.,/-])(\d{1,3}(?:,\d{3})+|\d+\.\d+)(?:\s*(ns|x|%|ms|s|MB|GB/s|MHz|cycles))?(?![\w.])")


def figures(text: str) -> set[str]:
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    out = set()
    for m in FIGURE.finditer(text):
        value, unit = m.group(1), m.group(2) or ""
        if "," not in value and not unit and len(value.replace(".", "")) < 4:
            continue  # 0.5, 2.0, 1.3: too common to be one measurement
        out.add(value if "," in value else f"{value} {unit}".strip())
    return out


def pages() -> list[Path]:
    return [ROOT / "README.md"] + [p for p in sorted((ROOT / "docs").glob("*.md")) if p.name != "registers.md"]


def duplicated(texts: dict[str, str]) -> dict[str, list[str]]:
    where = defaultdict(set)
    for name, text in texts.items():
        for f in figures(text):
            where[f].add(name)
    return {f: sorted(names) for f, names in where.items() if len(names) > 1}


def test_no_figure_in_two_pages():
    twice = duplicated({p.name: p.read_text() for p in pages()})
    assert not twice, "figures in two pages (keep them in docs/benchmarks.md and link): " + \
        "; ".join(f"{f} in {', '.join(n)}" for f, n in sorted(twice.items()))


def test_the_check_sees_a_copied_figure():
    texts = {"benchmarks.md": "a layer takes 1,874,283 cycles, 3.23 ns", "architecture.md": "about 1,874,283",
             "README.md": "```\n3.23 ns\n```"}
    assert duplicated(texts) == {"1,874,283": ["architecture.md", "benchmarks.md"]}


RESULTS = ROOT / "bench" / "results"

#: Figures in the docs that no bench of the kit measures, each with why it stands without one.
#: Everything else a page gives must be in a results file a bench recorded (bench/_record.py).
NOT_MEASURED = {
    # targets and budgets the issues set
    "3.3 ns": "logic-delay budget", "2.5 ns": "logic-delay stretch goal", "3.33 ns": "budget at 150 MHz",
    "0.995": "fidelity goal", "0.9985": "stated bound of the layer's cosine", "0.0185": "stated bound of i-GELU",
    "1,874,023": "the datapath issue's target (the stream-fed core's layer)", "213,266": "the same, batched",
    # the papers' and the vendors' figures the kit compares with
    "0.0082": "I-BERT paper's i-GELU RMS", "0.018": "I-BERT paper's i-GELU max",
    "2.1 GB/s": "DDR3 peak (PYNQ-Z2: 16 bits at 1050 MT/s)", "1.6 GB/s": "75 % of the peak (UG585)",
    "1.575 GB/s": "the DDR model's bandwidth (75 % of 2.1 GB/s)", "0.4 %": "arithmetic: one step in 2^8",
    "0.35815147": "i-GELU constant", "0.96963238": "i-GELU constant",
    "142.857": "1000 / 7 MHz, the clock wizard's answer", "2020.2": "Vivado version",
    "22.04": "Ubuntu version", "5.006": "Debian's Verilator version",
}


def recorded() -> str:
    return "\n".join(p.read_text() for p in sorted(RESULTS.glob("*.txt")))


def unrecorded(text: str, results: str) -> list[str]:
    """The figures of ``text`` that are neither in ``results`` (as printed, unit aside) nor known
    as not measured."""
    out = []
    for f in sorted(figures(text)):
        value = f.split()[0]
        if f in NOT_MEASURED or value in NOT_MEASURED:
            continue
        plain = value.replace(",", "")  # a table may print 1,019 as 1019
        if not any(re.search(rf"(?<![\d.,]){re.escape(v)}(?![\d])", results) for v in {value, plain}):
            out.append(f)
    return out


def test_every_figure_is_in_a_bench_result():
    results = recorded()
    missing = {p.name: unrecorded(p.read_text(), results) for p in pages()}
    missing = {name: figs for name, figs in missing.items() if figs}
    assert not missing, "figures no bench/results/*.txt records (rerun the bench, or update the page): " + \
        "; ".join(f"{name}: {', '.join(figs)}" for name, figs in missing.items())


def test_the_check_sees_a_stale_figure():
    results = "layer      1,874,283\nlogic delay 3.23 ns\n"
    assert unrecorded("a layer takes 1,874,283 cycles at 3.23 ns under 3.3 ns", results) == []
    assert unrecorded("a layer takes 1,874,284 cycles, 13.23 ns", results) == ["1,874,284", "13.23 ns"]
