"""vivado/build.tcl, checked without Vivado: the script runs in tclsh with every Vivado command it
calls replaced by a recorder, and the recorded calls are checked (order, arguments, the files it
adds, the ports and interfaces it connects against rtl/ibert_axi.v, the names and addresses against
host/overlay.py). This is a structure check only: it shows the script is consistent with the
repository, not that Vivado accepts it or that the bitstream works."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from golden.layout import GELU_CONST_BEATS, LINEAR_CONST_BEATS
from host import overlay
from tb import runner

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "vivado" / "build.tcl"

RECORDER = r"""
set ::calls {}
proc record {args} { lappend ::calls $args }
foreach cmd {create_project set_param set_property add_files update_compile_order create_bd_design
             create_bd_cell apply_bd_automation connect_bd_net connect_bd_intf_net assign_bd_address
             validate_bd_design save_bd_design generate_target launch_runs wait_on_run open_run
             report_utilization report_timing_summary} {
    proc $cmd {args} "record $cmd {*}\$args; return {}"
}
proc current_project {} { return project }
proc current_fileset {} { return sources_1 }
proc get_board_parts {args} { record get_board_parts {*}$args; return $::board }
proc get_files {args} {
    if {[lindex $args 0] eq "-all"} { return [list $::hwh] }
    if {[llength $args] == 1 && [string match *.bd $args]} { return "bd:$args" }
    return $args
}
foreach {cmd tag} {get_bd_cells cell get_bd_pins pin get_bd_intf_pins intf get_bd_addr_spaces space
                   get_bd_addr_segs seg get_runs run} {
    proc $cmd {args} "return $tag:\[lindex \$args end\]"
}
proc get_timing_paths {args} { return path }
proc get_property {prop obj} {
    switch $prop {
        PROGRESS { return 100% }
        STATUS { return "write_bitstream Complete!" }
        DIRECTORY { return $::run_dir }
        SLACK { return 0.25 }
    }
    error "recorder: get_property $prop"
}
proc make_wrapper {args} { record make_wrapper {*}$args; return wrapper.v }
"""


def run_script(tmp_path: Path, args: list[str], board: str = "tul.com.tw:pynq-z2:part0:1.0"):
    """Run build.tcl under the recorder; returns (returncode, stderr, recorded calls as strings)."""
    if shutil.which("tclsh") is None:
        pytest.fail("tclsh not found: install the tcl package (the README's test command does)")
    run_dir = tmp_path / "impl_1"
    run_dir.mkdir(exist_ok=True)
    (run_dir / "ibert_wrapper.bit").write_bytes(b"bit")
    (tmp_path / "ibert.hwh").write_text("hwh")
    driver = tmp_path / "driver.tcl"
    tcl_args = " ".join("{" + a + "}" for a in args)
    driver.write_text(RECORDER + f"""
set ::board {{{board}}}
set ::run_dir {{{run_dir}}}
set ::hwh {{{tmp_path / 'ibert.hwh'}}}
set argv [list {tcl_args}]
set status [catch {{source {{{SCRIPT}}}}} message]
foreach c $::calls {{ puts "CALL $c" }}
if {{$status}} {{ puts stderr $message; exit 1 }}
""")
    res = subprocess.run(["tclsh", str(driver)], capture_output=True, text=True, cwd=tmp_path)
    return res.returncode, res.stderr, [line[5:] for line in res.stdout.splitlines() if line.startswith("CALL ")]


def index(calls: list[str], prefix: str) -> int:
    for i, c in enumerate(calls):
        if c.startswith(prefix):
            return i
    raise AssertionError(f"no call starting with {prefix!r}")


def wrapper_interfaces() -> tuple[set[str], set[str]]:
    text = (ROOT / "rtl" / "ibert_axi.v").read_text()
    ports = set(re.findall(r"^\s*(?:input|output)\s+wire\s+(?:\[[^\]]+\]\s+)?(\w+),?$", text, re.M))
    buses = set(re.findall(r'X_INTERFACE_INFO = "xilinx\.com:interface:\w+:1\.0 (\w+) ', text))
    return ports, buses


def test_flow_in_order_with_the_repository_sources(tmp_path):
    out = tmp_path / "out"
    rc, err, calls = run_script(tmp_path, ["-out", str(out)])
    assert rc == 0, err
    order = ["create_project", "add_files", "create_bd_design", "create_bd_cell -type ip -vlnv xilinx.com:ip:processing_system7",
             "apply_bd_automation", "assign_bd_address", "validate_bd_design", "save_bd_design", "generate_target",
             "make_wrapper", "launch_runs synth_1", "wait_on_run synth_1", "launch_runs impl_1 -to_step write_bitstream",
             "wait_on_run impl_1", "open_run impl_1", "report_utilization", "report_timing_summary"]
    at = [index(calls, p) for p in order]
    assert at == sorted(at), list(zip(order, at))
    assert "create_project ibert_kit" in calls[0] and "-part xc7z020clg400-1" in calls[0]
    added = [re.findall(r"(/[^\s{}]+)", c) for c in calls if c.startswith("add_files")]
    assert added[0] == [str(p) for p in runner.rtl_sources()], "the SystemVerilog list differs from tb/runner.py's"
    assert added[1] == [str(ROOT / "rtl" / "ibert_axi.v")] and added[2] == [str(ROOT / "vivado" / "ibert.xdc")]
    assert all(Path(p).is_file() for files in added for p in files)
    assert any(c.startswith("set_property board_part tul.com.tw:pynq-z2") for c in calls)
    assert (out / "ibert.bit").read_bytes() == b"bit" and (out / "ibert.hwh").read_text() == "hwh"


def test_block_design_connects_the_wrapper_as_declared(tmp_path):
    rc, err, calls = run_script(tmp_path, ["-out", str(tmp_path / "out")])
    assert rc == 0, err
    ports, buses = wrapper_interfaces()
    text = "\n".join(calls)
    used_pins = set(re.findall(rf"pin:{overlay.ACCEL_CELL}/(\w+)", text))
    used_buses = set(re.findall(rf"intf:{overlay.ACCEL_CELL}/(\w+)", text))
    assert used_pins == {"aclk", "aresetn"} <= ports
    assert used_buses == buses == {"s_axi_ctrl", "s_axis", "m_axis"}
    dma = overlay.DMA_CELL
    assert f"connect_bd_intf_net intf:{dma}/M_AXIS_MM2S intf:{overlay.ACCEL_CELL}/s_axis" in calls
    assert f"connect_bd_intf_net intf:{overlay.ACCEL_CELL}/m_axis intf:{dma}/S_AXIS_S2MM" in calls
    assert f"connect_bd_intf_net intf:mem_ic/M00_AXI intf:ps7/S_AXI_HP0" in calls
    assert f"connect_bd_intf_net intf:ps7/M_AXI_GP0 intf:ctrl_ic/S00_AXI" in calls
    assert f"create_bd_cell -type module -reference ibert_axi {overlay.ACCEL_CELL}" in calls
    assert "create_bd_design ibert" in calls and overlay.OVERLAY_NAME == "ibert"
    for name, base in ((f"{overlay.ACCEL_CELL}/s_axi_ctrl/reg0", overlay.ACCEL_BASE), (f"{dma}/S_AXI_LITE/Reg", overlay.DMA_BASE)):
        line = next(c for c in calls if c.startswith("assign_bd_address") and f"seg:{name}" in c)
        assert f"-offset 0x{base:08X}" in line and f"-range {overlay.REG_WINDOW // 1024}K" in line, line
    dma_cfg = next(c for c in calls if c.startswith("set_property -dict") and "c_include_sg" in c)
    assert "CONFIG.c_include_sg 0" in dma_cfg and f"CONFIG.c_sg_length_width {overlay.DMA_LENGTH_BITS}" in dma_cfg
    assert "CONFIG.c_m_axis_mm2s_tdata_width 64" in dma_cfg and "CONFIG.c_s_axis_s2mm_tdata_width 64" in dma_cfg


def test_parameters_reach_the_wrapper_and_the_clock(tmp_path):
    rc, err, calls = run_script(tmp_path, ["-n1", "8", "-n2", "8", "-max_k", "768", "-clock_mhz", "125",
                                           "-out", str(tmp_path / "out")])
    assert rc == 0, err
    accel = next(c for c in calls if c.startswith("set_property -dict") and "CONFIG.N1" in c)
    assert "CONFIG.N1 8 CONFIG.N2 8" in accel and "CONFIG.MAX_K 768" in accel and "CONFIG.MAX_M 128" in accel
    assert any("CONFIG.PCW_FPGA0_PERIPHERAL_FREQMHZ 125" in c for c in calls)
    assert any("launch_runs synth_1 -jobs 2" in c for c in calls)


def test_bad_options_and_missing_board_files_fail_with_a_message(tmp_path):
    rc, err, _ = run_script(tmp_path, ["-n3", "4"])
    assert rc == 1 and "unknown option -n3" in err
    rc, err, _ = run_script(tmp_path, ["-clock_mhz", "fast"])
    assert rc == 1 and "-clock_mhz expects a positive integer, got 'fast'" in err
    rc, err, calls = run_script(tmp_path, [], board="")
    assert rc == 1 and "board files" in err and not any(c.startswith("create_bd_design") for c in calls)


def test_dma_length_register_covers_the_largest_packet():
    """The largest operation packet at the default maxima (vivado/defaults.tcl): an OP_MM_GELU with
    M, K, N at their maxima, the weights and five constant beats per channel once per row tile."""
    defaults = dict(re.findall(r"^\s*(\w+)\s+(\S+)\s*$", (ROOT / "vivado" / "defaults.tcl").read_text(), re.M))
    n1, n2 = int(defaults["n1"]), int(defaults["n2"])
    m, k, n = int(defaults["max_m"]), int(defaults["max_k"]), int(defaults["max_n"])
    tile_rows = n1 * -(-n2 // 8)
    kb = -(-k // 8)
    beats = sum(min(tile_rows, m - r0) * kb + n * (LINEAR_CONST_BEATS + GELU_CONST_BEATS + kb) for r0 in range(0, m, tile_rows))
    assert beats * 8 < 2**overlay.DMA_LENGTH_BITS, (beats * 8, 2**overlay.DMA_LENGTH_BITS)
