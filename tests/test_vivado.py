"""vivado/build.tcl, checked without Vivado: the script runs in tclsh with every Vivado command it
calls replaced by a recorder, and the recorded calls are checked (order, arguments, the files it
adds, the ports and interfaces it connects against rtl/ibert_axi.v, the names and addresses against
host/accel/overlay.py). This is a structure check only: it shows the script is consistent with the
repository, not that Vivado accepts it or that the bitstream works."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from host.accel import overlay
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
    if {[llength $args] == 1 && [string match *.bd $args]} { return "bd:$args" }
    return $args
}
foreach {cmd tag} {get_bd_cells cell get_bd_pins pin get_bd_intf_pins intf get_bd_addr_spaces space
                   get_bd_addr_segs seg get_runs run} {
    proc $cmd {args} "return $tag:\[lindex \$args end\]"
}
proc get_timing_paths {args} { return path }
proc get_clocks {args} { record get_clocks {*}$args; return clock:[lindex $args end] }
# The PS7 constrains clk_fpga_0 at what its dividers reach from the request: the IO PLL's 1000 MHz
# over whole divisors (UG585, FCLK_CLK0 = IO PLL / DIVISOR0 / DIVISOR1).
proc ps7_period {} {
    foreach c $::calls { regexp {CONFIG\.PCW_FPGA0_PERIPHERAL_FREQMHZ (\S+)} $c -> mhz }
    return [expr {max(1, round(1000.0 / $mhz))}]
}
proc get_property {prop obj} {
    switch $prop {
        PERIOD { if {$obj eq "clock:clk_fpga_0"} { return [ps7_period] } }
        PROGRESS { return 100% }
        STATUS { return "write_bitstream Complete!" }
        DIRECTORY { return $::run_dir }
        SLACK { return 0.25 }
    }
    error "recorder: get_property $prop"
}
proc make_wrapper {args} { record make_wrapper {*}$args; return wrapper.v }
"""


def run_script(tmp_path: Path, args: list[str], board: str = "tul.com.tw:pynq-z2:part0:1.0", handoff: str | None = "gen"):
    """Run build.tcl under the recorder, its project in tmp_path/build, the hardware handoff where
    Vivado 2020.2 and later write it (``handoff`` "gen"), or earlier ones ("srcs"), or nowhere
    (None); returns (returncode, stdout and stderr, recorded calls as strings)."""
    if shutil.which("tclsh") is None:
        pytest.fail("tclsh not found: install the tcl package (the README's test command does)")
    run_dir = tmp_path / "impl_1"
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / "ibert_wrapper.bit").write_bytes(b"bit")
    if handoff:
        hwh = tmp_path / "build" / f"ibert_kit.{handoff}" / "sources_1" / "bd" / "ibert" / "hw_handoff" / "ibert.hwh"
        hwh.parent.mkdir(parents=True, exist_ok=True)
        hwh.write_text("hwh")
    driver = tmp_path / "driver.tcl"
    if "-out" not in args:  # never the checkout's host/overlay, where a user's real bitstream may be
        args = [*args, "-out", str(tmp_path / "out")]
    tcl_args = " ".join("{" + a + "}" for a in [*args, "-build", str(tmp_path / "build")])
    driver.write_text(RECORDER + f"""
set ::board {{{board}}}
set ::run_dir {{{run_dir}}}
set argv [list {tcl_args}]
set status [catch {{source {{{SCRIPT}}}}} message]
foreach c $::calls {{ puts "CALL $c" }}
if {{$status}} {{ puts stderr $message; exit 1 }}
""")
    res = subprocess.run(["tclsh", str(driver)], capture_output=True, text=True, cwd=tmp_path)
    said = "\n".join(line for line in res.stdout.splitlines() if not line.startswith("CALL ")) + res.stderr
    return res.returncode, said, [line[5:] for line in res.stdout.splitlines() if line.startswith("CALL ")]


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
    assert used_buses == buses == {"s_axi_ctrl", "m_axi_rd", "m_axi_wr"}
    accel = overlay.ACCEL_CELL
    assert "connect_bd_intf_net intf:ps7/M_AXI_GP0 intf:ctrl_ic/S00_AXI" in calls
    assert f"connect_bd_intf_net intf:ctrl_ic/M00_AXI intf:{accel}/s_axi_ctrl" in calls
    # the read master into HP0, the write master into HP1, each through its own interconnect
    for master, ic, port in (("m_axi_rd", "rd_ic", overlay.READ_PORT), ("m_axi_wr", "wr_ic", overlay.WRITE_PORT)):
        assert f"connect_bd_intf_net intf:{accel}/{master} intf:{ic}/S00_AXI" in calls, master
        assert f"connect_bd_intf_net intf:{ic}/M00_AXI intf:ps7/{port}" in calls, master
        line = next(c for c in calls if c.startswith("assign_bd_address") and f"space:{accel}/{master}" in c)
        assert f"seg:ps7/{port}/{port[-3:]}_DDR_LOWOCM" in line, line
        assert f"pin:{ic}/S00_ACLK" in text and f"pin:{ic}/M00_ARESETN" in text
        assert f"pin:ps7/{port}_ACLK" in text
        ps7 = next(c for c in calls if c.startswith("set_property -dict") and "PCW_USE_M_AXI_GP0" in c)
        assert f"CONFIG.PCW_USE_{port} 1" in ps7 and f"CONFIG.PCW_{port}_DATA_WIDTH 64" in ps7
    assert (overlay.READ_PORT, overlay.WRITE_PORT) == ("S_AXI_HP0", "S_AXI_HP1")
    assert f"create_bd_cell -type module -reference {overlay.ACCEL_MODULE} {accel}" in calls
    assert "create_bd_design ibert" in calls and overlay.OVERLAY_NAME == "ibert"
    line = next(c for c in calls if c.startswith("assign_bd_address") and f"seg:{accel}/s_axi_ctrl/reg0" in c)
    assert f"-offset 0x{overlay.ACCEL_BASE:08X}" in line and f"-range {overlay.REG_WINDOW // 1024}K" in line, line
    assert not any("axi_dma" in c or "axi_intc" in c for c in calls), "the core moves its own data: no DMA"


def test_the_wrapper_is_the_module_the_design_references():
    """The block design's module reference names rtl/ibert_axi.v's module, whose VLNV in the .hwh
    (xilinx.com:module_ref:ibert_axi:1.0) the simulated device reports (tests/pynq_loop)."""
    assert overlay.ACCEL_VLNV == f"xilinx.com:module_ref:{overlay.ACCEL_MODULE}:1.0"
    assert re.search(rf"^module {overlay.ACCEL_MODULE}\b", (ROOT / "rtl" / "ibert_axi.v").read_text(), re.M)


def test_parameters_reach_the_wrapper_and_the_clock(tmp_path):
    rc, err, calls = run_script(tmp_path, ["-n1", "8", "-n2", "8", "-max_k", "768", "-clock_mhz", "125",
                                           "-out", str(tmp_path / "out")])
    assert rc == 0, err
    accel = next(c for c in calls if c.startswith("set_property -dict") and "CONFIG.N1" in c)
    assert "CONFIG.N1 8 CONFIG.N2 8" in accel and "CONFIG.MAX_K 768" in accel and "CONFIG.MAX_M 128" in accel
    assert any("CONFIG.PCW_FPGA0_PERIPHERAL_FREQMHZ 125" in c for c in calls)
    assert any("launch_runs synth_1 -jobs 2" in c for c in calls)
    assert index(calls, "open_run impl_1") < index(calls, "get_clocks clk_fpga_0")
    assert "at 125.000 MHz, -clock_mhz 125" in err


def test_one_clock_parameter_from_the_ps7_to_the_host(tmp_path):
    """-clock_mhz is the PS7's request; the constraint is what the PS7's dividers reach (150 gives
    1000 / 7 MHz), which the build reports and checks; a request they cannot come near fails. The
    default is vivado/defaults.tcl's, the same number the host projects simulated cycles at."""
    assert overlay.default_clock_mhz() == float(overlay.build_defaults()["clock_mhz"]) == 100.0
    rc, err, calls = run_script(tmp_path, ["-clock_mhz", "150"])
    assert rc == 0, err
    assert any("CONFIG.PCW_FPGA0_PERIPHERAL_FREQMHZ 150" in c for c in calls)
    assert "at 142.857 MHz, -clock_mhz 150" in err
    rc, err, calls = run_script(tmp_path / "far", ["-clock_mhz", "220"])
    assert rc == 1 and "-clock_mhz 220 gave a constraint of 200.000 MHz" in err
    assert not (tmp_path / "far" / "out" / "ibert.bit").exists()  # no bitstream of a clock nobody asked for


def test_bad_options_fail_with_a_message(tmp_path):
    rc, err, _ = run_script(tmp_path, ["-n3", "4"])
    assert rc == 1 and "unknown option -n3" in err
    rc, err, _ = run_script(tmp_path, ["-clock_mhz", "fast"])
    assert rc == 1 and "-clock_mhz expects a positive integer, got 'fast'" in err
    rc, err, calls = run_script(tmp_path, ["-board_repo", str(tmp_path / "nowhere")])
    assert rc == 1 and "is not a folder" in err and not calls


def test_board_files_are_optional_and_their_store_is_set_first(tmp_path):
    """With -board_repo, the board store is set before the project exists (Vivado reads it at
    create_project); without board files, the design builds from the part, the PS7 without the
    board preset, as Xilinx's own PYNQ-Z2 overlays do."""
    boards = tmp_path / "boards"
    boards.mkdir()
    rc, err, calls = run_script(tmp_path, ["-board_repo", str(boards)])
    assert rc == 0, err
    assert index(calls, f"set_param board.repoPaths {boards}") < index(calls, "create_project")
    assert 'apply_board_preset 1' in calls[index(calls, "apply_bd_automation")]
    rc, err, calls = run_script(tmp_path, [], board="")
    assert rc == 0, err
    assert "no PYNQ-Z2 board files" in err and "building from the part xc7z020clg400-1 alone" in err
    assert not any(c.startswith("set_property board_part") for c in calls)
    assert 'apply_board_preset 0' in calls[index(calls, "apply_bd_automation")]
    assert index(calls, "launch_runs impl_1") > 0


def test_the_hardware_handoff_is_found_where_vivado_writes_it(tmp_path):
    for where in ("gen", "srcs"):
        out = tmp_path / where / "out"
        rc, err, _ = run_script(tmp_path / where, ["-out", str(out)], handoff=where)
        assert rc == 0, err
        assert (out / "ibert.hwh").read_text() == "hwh"
    rc, err, calls = run_script(tmp_path / "none", ["-out", str(tmp_path / "none" / "out")], handoff=None)
    assert rc == 1 and "no ibert.hwh under" in err and "hw_handoff" in err
    assert not any(c.startswith("launch_runs") for c in calls), "it must fail before synthesis, not after"
