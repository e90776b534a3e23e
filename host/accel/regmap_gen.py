"""Generate every view of the register map from its one source, ``rtl/regs/ibert_regs.rdl``.

    python3 -m host.accel.regmap_gen [--check]

Writes ``host/accel/regmap.py`` (offsets, fields, reset values, operation codes for the host and the
testbenches), ``rtl/ibert_regs_pkg.sv`` (the same for the hand-written AXI4-Lite block),
``host/accel/c/ibert_regs.h`` (PeakRDL cheader) and ``docs/registers.md`` (PeakRDL markdown).
``--check`` writes nothing and exits 1 naming any file that differs from what it would write.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from peakrdl_cheader.exporter import CHeaderExporter
from peakrdl_markdown import MarkdownExporter
from systemrdl import RDLCompiler
from systemrdl.node import AddrmapNode, FieldNode

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "rtl" / "regs" / "ibert_regs.rdl"
HEADER = "Generated from rtl/regs/ibert_regs.rdl by python3 -m host.accel.regmap_gen: do not edit."


def compile_map() -> AddrmapNode:
    rdl = RDLCompiler()
    rdl.compile_file(str(SOURCE))
    return rdl.elaborate().top


def _access(f: FieldNode) -> str:
    sw = f.get_property("sw").name
    if f.get_property("onwrite") is not None and f.get_property("onwrite").name == "woclr":
        return "w1c"
    if f.get_property("singlepulse"):
        return "pulse"
    return sw


def _ops(top: AddrmapNode) -> list[tuple[str, int, str]]:
    enum = top.find_by_path("OP.code").get_property("encode")
    return [(m.name, m.value, m.rdl_desc or "") for m in enum]


def python_module(top: AddrmapNode) -> str:
    lines = [f'"""{HEADER}"""', "", "from host.accel.registers import Field, Register", ""]
    for name, value, desc in _ops(top):
        lines.append(f"{name} = {value}  # {desc}")
    lines += ["", "REGISTERS = {"]
    for reg in top.registers():
        lines.append(f"    {reg.inst_name!r}: Register({reg.inst_name!r}, 0x{reg.address_offset:02X}, (")
        for f in reg.fields():
            lines.append(f"        Field({f.inst_name!r}, {f.lsb}, {f.width}, {_access(f)!r}, "
                         f"0x{(f.get_property('reset') or 0):X}),")
        lines.append("    )),")
    lines += ["}", ""]
    return "\n".join(lines)


def sv_package(top: AddrmapNode) -> str:
    lines = [f"// {HEADER}", "`default_nettype none", "", "/* verilator lint_off UNUSEDPARAM */",
             "package ibert_regs_pkg;"]
    for name, value, _ in _ops(top):
        lines.append(f"  localparam logic [3:0] {name} = 4'd{value};")
    for reg in top.registers():
        lines.append(f"  localparam logic [7:0] A_{reg.inst_name} = 8'h{reg.address_offset:02X};")
        reset = mask = 0
        for f in reg.fields():
            reset |= (f.get_property("reset") or 0) << f.lsb
            mask |= ((1 << f.width) - 1) << f.lsb
            pre = f"{reg.inst_name}_{f.inst_name.upper()}"
            lines.append(f"  localparam int {pre}_LSB = {f.lsb}, {pre}_W = {f.width};")
        lines.append(f"  localparam logic [31:0] {reg.inst_name}_RESET = 32'h{reset:08X};")
        lines.append(f"  localparam logic [31:0] {reg.inst_name}_MASK = 32'h{mask:08X};  // the bits its fields hold")
    lines += ["endpackage", "/* verilator lint_on UNUSEDPARAM */", "", "`default_nettype wire", ""]
    return "\n".join(lines)


def outputs(top: AddrmapNode) -> dict[Path, str]:
    out = {
        ROOT / "host" / "accel" / "regmap.py": python_module(top),
        ROOT / "rtl" / "ibert_regs_pkg.sv": sv_package(top),
    }
    with tempfile.TemporaryDirectory() as tmp:
        h, md = Path(tmp) / "ibert_regs.h", Path(tmp) / "registers.md"
        CHeaderExporter().export(top, str(h))
        MarkdownExporter().export(top, str(md), input_files=["rtl/regs/ibert_regs.rdl"])
        out[ROOT / "host" / "accel" / "c" / "ibert_regs.h"] = h.read_text()
        out[ROOT / "docs" / "registers.md"] = md.read_text()
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python3 -m host.accel.regmap_gen", description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 if a file is stale")
    a = ap.parse_args(argv)
    stale = []
    for path, text in outputs(compile_map()).items():
        if path.is_file() and path.read_text() == text:
            continue
        stale.append(path.relative_to(ROOT))
        if not a.check:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
    if a.check and stale:
        print(f"stale (run python3 -m host.accel.regmap_gen): {', '.join(map(str, stale))}", file=sys.stderr)
        return 1
    for p in stale if not a.check else []:
        print(f"wrote {p}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
