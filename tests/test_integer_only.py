"""The datapath is integers only: no float type, float function or true division in any datapath
module (the one exception, matmul's BLAS path, is exact by a bound proved in test_matmul), and
results at magnitudes where float64 rounding would show agree with Python integers."""

import ast
import math
import re
from pathlib import Path

import numpy as np

import golden

from . import pyref

DATAPATH = ["requant", "matmul", "lopd", "sqrt", "div", "exp", "softmax", "gelu", "layernorm",
            "attn_head", "encoder_layer", "_checks", "params", "widths"]
FLOAT_NAMES = {"float16", "float32", "float64", "floating", "floor", "ceil", "round", "rint", "around",
               "true_divide", "divide", "sqrt", "exp", "log", "log2", "power", "isqrt"}
#: matmul.py converts int8 operands to float32 for BLAS (exact: test_matmul_exact_at_the_extremes).
ALLOWED = {("matmul", "float32")}
ROOT = Path(golden.__file__).parent


def float_uses(module: str) -> list[str]:
    tree = ast.parse((ROOT / f"{module}.py").read_text())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            found.append(f"line {node.lineno}: true division '/'")
        if isinstance(node, ast.Constant) and isinstance(node.value, float):
            found.append(f"line {node.lineno}: float literal {node.value}")
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.fullmatch(r"float\d*|f[248]", node.value):
            found.append(f"line {node.lineno}: float dtype string {node.value!r}")
        if isinstance(node, ast.Name) and node.id == "float":
            found.append(f"line {node.lineno}: float")
        if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id in ("np", "numpy", "math") and node.attr in FLOAT_NAMES
                and (module, node.attr) not in ALLOWED):
            found.append(f"line {node.lineno}: {node.value.id}.{node.attr}")
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            mods = [a.name for a in node.names] + ([node.module] if isinstance(node, ast.ImportFrom) and node.module else [])
            if any(m and m.split(".")[0] in ("math", "scipy") for m in mods):
                found.append(f"line {node.lineno}: imports {mods}")
    return found


def test_no_float_in_datapath_modules():
    problems = {m: float_uses(m) for m in DATAPATH}
    assert {m: p for m, p in problems.items() if p} == {}


def test_the_scan_catches_float_code(tmp_path, monkeypatch):
    """The scan itself can fail: a module with a float sneaked in is reported."""
    (tmp_path / "bad.py").write_text(
        "import math\nimport numpy as np\ndef f(x):\n    return np.floor(x / 2) * 0.5 + float(x.astype('float64'))\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    assert len(float_uses("bad")) == 6


def test_results_where_float64_would_round():
    # requant: products near 2**63, where float64 keeps 53 bits
    q = np.array([2**31 - 1, -(2**31) + 3, 2**31 - 7])
    m, e = 2**31 - 1, 33
    assert golden.requant(q, m, e, 2**31 - 1, 32).tolist() == [pyref.requant(int(v), m, e, 2**31 - 1, 32) for v in q]
    # sqrt and div at 62 bits
    x = np.array([(2**31 - 1) ** 2 - 1, (2**31 - 1) ** 2])
    assert golden.sqrt(x, 62).tolist() == [math.isqrt(int(v)) for v in x]
    assert golden.div(np.array([2**62 - 1]), np.array([3]), 62).tolist() == [(2**62 - 1) // 3]
    # gelu: a 63-bit product before the shift
    c = golden.GeluConsts(qb=-(2**22) + 1, qc=-(2**45) + 1, q1=-(2**31) + 1, shift=31)
    vals = [2**31 - 1, -(2**31), 12345677]
    assert golden.gelu(np.array(vals), c).tolist() == [pyref.gelu(v, c.qb, c.qc, c.q1, c.shift) for v in vals]
