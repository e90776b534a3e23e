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
