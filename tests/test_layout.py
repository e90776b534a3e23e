"""host/ reads as its subjects (host/__init__.py): imports run one way, and the public entry points
stay where users find them."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HOST = ROOT / "host"

#: What each part of host/ may import of the kit (beyond golden, which everything may use).
ALLOWED = {"files": {"files"}, "model": {"model", "files"}, "accel": {"accel", "files"}}


def kit_imports(path: Path, module: str) -> set[str]:
    """The host modules (or their members) ``path``, the module ``module``, imports, wherever in the file."""
    package = module[: -len(".__init__")] if module.endswith(".__init__") else module.rsplit(".", 1)[0]
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names if a.name.split(".")[0] == "host"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] == "host":
                out |= {f"{target}.{a.name}" for a in node.names}  # a name may be a module
    return out


def part(module: str) -> str:
    """The subject of a host module: files, model, accel, or app (host's top level)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[1] in ALLOWED else "app"


def wrong_way(files: list[tuple[Path, str]]) -> list[str]:
    """Each import of ``files`` ((path, module) pairs) that runs against the one way."""
    wrong = []
    for path, module in files:
        here = part(module)
        if here == "app":
            continue
        for target in sorted(kit_imports(path, module)):
            if part(target) not in ALLOWED[here]:
                wrong.append(f"{module} ({here}) imports {target} ({part(target)})")
    return wrong


def test_imports_run_one_way():
    files = [(p, ".".join(p.relative_to(ROOT).with_suffix("").parts)) for p in sorted(HOST.rglob("*.py"))]
    assert len(files) > 30
    wrong = wrong_way(files)
    assert not wrong, "\n".join(wrong)


def test_the_one_way_check_sees_a_wrong_import(tmp_path):
    probe = tmp_path / "probe.py"
    probe.write_text("import numpy\nfrom ..files.paths import cache_dir\nfrom . import bert\n"
                     "def f():\n    from ..accel.driver import Accelerator\n    from host import encoder\n")
    assert wrong_way([(probe, "host.model.probe")]) == [
        "host.model.probe (model) imports host.accel.driver.Accelerator (accel)",
        "host.model.probe (model) imports host.encoder (app)"]
    assert wrong_way([(probe, "host.files.probe")])[0] == "host.files.probe (files) imports host.accel.driver.Accelerator (accel)"


def test_top_level_holds_only_the_application():
    modules = {p.stem for p in HOST.glob("*.py")}
    assert modules == {"__init__", "__main__", "cli", "conventions", "divergence", "embed", "encoder", "layer",
                       "replay", "report", "selftest"}, "a new host module belongs in model/, accel/ or files/ unless it is the application's"


@pytest.mark.parametrize("command", [["-m", "host", "--help"], ["-m", "host.selftest", "--help"],
                                     ["-m", "host.replay", "--help"], ["-m", "host.embed", "--help"],
                                     ["-c", "from host.encoder import Encoder, Pooling, DivergenceError"]])
def test_public_entry_points_stay(command):
    run = subprocess.run([sys.executable, *command], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
