# Vivado batch flow: the I-BERT accelerator on a PYNQ-Z2, from the RTL to ibert.bit + ibert.hwh.
#
#   vivado -mode batch -source vivado/build.tcl -tclargs [-clock_mhz 100] [-n1 12] [-n2 16]
#          [-max_m 128] [-max_k 3072] [-max_n 3072] [-part xc7z020clg400-1] [-jobs 2]
#          [-board_repo DIR] [-out DIR] [-build DIR]
#
# (or `make -C vivado bitstream`). Defaults: vivado/defaults.tcl. The block design: the Zynq PS, the
# accelerator (rtl/ibert_axi.v, a module reference) with its AXI4-Lite on GP0 and its two AXI4
# masters on DDR, the read master (the operands) through an interconnect into HP0 and the write
# master (the results) through another into HP1 (the interconnects turn its AXI4 bursts into the
# HP ports' AXI3 ones), one processor system reset. Names and addresses: host/accel/overlay.py.
# Products: <out>/ibert.bit and ibert.hwh (out defaults to host/overlay, where the driver loads them)
# and the utilisation and timing reports beside them.
#
# Board files: with TUL's PYNQ-Z2 files (installed in Vivado's board store, or -board_repo DIR) the
# PS takes the board preset; without them the design is built from the part alone, as Xilinx's own
# PYNQ-Z2 overlays are: the PYNQ image's boot files configure DDR and MIO, the bitstream does not.
#
# Interrupts: none. The driver polls STATUS with a deadline, so a missing interrupt can never hang it.

set root [file normalize [file join [file dirname [info script]] ..]]
source [file join $root vivado defaults.tcl]
array set cfg $defaults
foreach {flag value} $argv {
    set name [string trimleft $flag -]
    if {![info exists cfg($name)]} {
        error "build.tcl: unknown option $flag (expected one of: [lsort [array names cfg]])"
    }
    set cfg($name) $value
}
foreach name {clock_mhz n1 n2 max_m max_k max_n jobs} {
    if {![string is integer -strict $cfg($name)] || $cfg($name) < 1} {
        error "build.tcl: -$name expects a positive integer, got '$cfg($name)'"
    }
}
if {$cfg(out) eq ""} { set cfg(out) [file join $root host overlay] }
if {$cfg(build) eq ""} { set cfg(build) [file join $root build vivado] }

# ------------------------------------------------------------------ names shared with host/accel/overlay.py
set overlay ibert
set accel accel
set accel_base 0x43C00000
set reg_window 64K
set read_port S_AXI_HP0
set write_port S_AXI_HP1

# ------------------------------------------------------------------ project and sources
set build [file normalize $cfg(build)]
set project ibert_kit
# The board store is read when the project is created: set it first.
if {$cfg(board_repo) ne ""} {
    if {![file isdirectory $cfg(board_repo)]} { error "build.tcl: -board_repo $cfg(board_repo) is not a folder" }
    set_param board.repoPaths [list [file normalize $cfg(board_repo)]]
}
create_project $project $build -part $cfg(part) -force
set board [lindex [get_board_parts -quiet -latest_file_version tul.com.tw:pynq-z2:part0:*] 0]
if {$board ne ""} {
    set_property board_part $board [current_project]
} else {
    puts "build.tcl: no PYNQ-Z2 board files (tul.com.tw:pynq-z2): building from the part $cfg(part) alone; the\
          PYNQ image's boot files configure DDR and MIO"
}

# The RTL: every SystemVerilog file of rtl/, packages first (tb/runner.py compiles the same list),
# then the Verilog-2001 wrapper the block design references.
set packages [lsort [glob -directory [file join $root rtl] *_pkg.sv]]
set modules {}
foreach f [lsort [glob -directory [file join $root rtl] *.sv]] {
    if {[lsearch -exact $packages $f] < 0} { lappend modules $f }
}
set sv_files [concat $packages $modules]
add_files -norecurse -fileset sources_1 $sv_files
set_property file_type SystemVerilog [get_files $sv_files]
add_files -norecurse -fileset sources_1 [file join $root rtl ibert_axi.v]
add_files -norecurse -fileset constrs_1 [file join $root vivado ibert.xdc]
update_compile_order -fileset sources_1

# ------------------------------------------------------------------ block design
create_bd_design $overlay

create_bd_cell -type ip -vlnv xilinx.com:ip:processing_system7:5.5 ps7
apply_bd_automation -rule xilinx.com:bd_rule:processing_system7 \
    -config [list make_external "FIXED_IO, DDR" apply_board_preset [expr {$board ne ""}] Master Disable Slave Disable] \
    [get_bd_cells ps7]
set_property -dict [list \
    CONFIG.PCW_FPGA0_PERIPHERAL_FREQMHZ $cfg(clock_mhz) \
    CONFIG.PCW_USE_M_AXI_GP0 {1} \
    CONFIG.PCW_USE_S_AXI_HP0 {1} \
    CONFIG.PCW_S_AXI_HP0_DATA_WIDTH {64} \
    CONFIG.PCW_USE_S_AXI_HP1 {1} \
    CONFIG.PCW_S_AXI_HP1_DATA_WIDTH {64} \
] [get_bd_cells ps7]

create_bd_cell -type module -reference ibert_axi $accel
set_property -dict [list \
    CONFIG.N1 $cfg(n1) CONFIG.N2 $cfg(n2) \
    CONFIG.MAX_M $cfg(max_m) CONFIG.MAX_K $cfg(max_k) CONFIG.MAX_N $cfg(max_n) \
] [get_bd_cells $accel]

create_bd_cell -type ip -vlnv xilinx.com:ip:proc_sys_reset:5.0 rst
create_bd_cell -type ip -vlnv xilinx.com:ip:axi_interconnect:2.1 ctrl_ic
set_property CONFIG.NUM_MI {1} [get_bd_cells ctrl_ic]
# one interconnect a master: AXI4 (bursts up to 64 beats) to the HP port's AXI3 (16), nothing shared
foreach ic {rd_ic wr_ic} {
    create_bd_cell -type ip -vlnv xilinx.com:ip:axi_interconnect:2.1 $ic
    set_property -dict [list CONFIG.NUM_SI {1} CONFIG.NUM_MI {1}] [get_bd_cells $ic]
}

# One clock (FCLK_CLK0) and one reset for everything.
set clk [get_bd_pins ps7/FCLK_CLK0]
connect_bd_net $clk [get_bd_pins ps7/M_AXI_GP0_ACLK] [get_bd_pins ps7/S_AXI_HP0_ACLK] \
    [get_bd_pins ps7/S_AXI_HP1_ACLK] [get_bd_pins rst/slowest_sync_clk] [get_bd_pins $accel/aclk] \
    [get_bd_pins ctrl_ic/ACLK] [get_bd_pins ctrl_ic/S00_ACLK] [get_bd_pins ctrl_ic/M00_ACLK] \
    [get_bd_pins rd_ic/ACLK] [get_bd_pins rd_ic/S00_ACLK] [get_bd_pins rd_ic/M00_ACLK] \
    [get_bd_pins wr_ic/ACLK] [get_bd_pins wr_ic/S00_ACLK] [get_bd_pins wr_ic/M00_ACLK]
connect_bd_net [get_bd_pins ps7/FCLK_RESET0_N] [get_bd_pins rst/ext_reset_in]
connect_bd_net [get_bd_pins rst/interconnect_aresetn] [get_bd_pins ctrl_ic/ARESETN] [get_bd_pins rd_ic/ARESETN] \
    [get_bd_pins wr_ic/ARESETN]
connect_bd_net [get_bd_pins rst/peripheral_aresetn] [get_bd_pins $accel/aresetn] \
    [get_bd_pins ctrl_ic/S00_ARESETN] [get_bd_pins ctrl_ic/M00_ARESETN] \
    [get_bd_pins rd_ic/S00_ARESETN] [get_bd_pins rd_ic/M00_ARESETN] \
    [get_bd_pins wr_ic/S00_ARESETN] [get_bd_pins wr_ic/M00_ARESETN]

# Control: GP0 -> the accelerator's registers.
connect_bd_intf_net [get_bd_intf_pins ps7/M_AXI_GP0] [get_bd_intf_pins ctrl_ic/S00_AXI]
connect_bd_intf_net [get_bd_intf_pins ctrl_ic/M00_AXI] [get_bd_intf_pins $accel/s_axi_ctrl]
# Data: the core reads its operands from DDR through HP0 and writes its results through HP1.
connect_bd_intf_net [get_bd_intf_pins $accel/m_axi_rd] [get_bd_intf_pins rd_ic/S00_AXI]
connect_bd_intf_net [get_bd_intf_pins rd_ic/M00_AXI] [get_bd_intf_pins ps7/$read_port]
connect_bd_intf_net [get_bd_intf_pins $accel/m_axi_wr] [get_bd_intf_pins wr_ic/S00_AXI]
connect_bd_intf_net [get_bd_intf_pins wr_ic/M00_AXI] [get_bd_intf_pins ps7/$write_port]

# Addresses: registers on GP0 (host/accel/overlay.py), all of DDR for each master.
assign_bd_address -offset $accel_base -range $reg_window \
    -target_address_space [get_bd_addr_spaces ps7/Data] [get_bd_addr_segs $accel/s_axi_ctrl/reg0] -force
assign_bd_address -target_address_space [get_bd_addr_spaces $accel/m_axi_rd] \
    [get_bd_addr_segs ps7/$read_port/HP0_DDR_LOWOCM] -force
assign_bd_address -target_address_space [get_bd_addr_spaces $accel/m_axi_wr] \
    [get_bd_addr_segs ps7/$write_port/HP1_DDR_LOWOCM] -force

validate_bd_design
save_bd_design
set bd_file [get_files $overlay.bd]
generate_target all $bd_file
# The hardware handoff pynq needs beside the bitstream: where Vivado writes it (.gen from 2020.2,
# .srcs before), found now rather than after an hour of implementation.
set hwh ""
foreach dir {gen srcs} {
    set candidate [file join $build $project.$dir sources_1 bd $overlay hw_handoff $overlay.hwh]
    if {[file isfile $candidate]} { set hwh $candidate; break }
}
if {$hwh eq ""} {
    error "build.tcl: no $overlay.hwh under [file join $build $project.gen sources_1 bd $overlay hw_handoff] (nor .srcs):\
           generate_target did not write the hardware handoff"
}
set wrapper [make_wrapper -files $bd_file -top]
add_files -norecurse -fileset sources_1 $wrapper
set_property top ${overlay}_wrapper [current_fileset]
update_compile_order -fileset sources_1

# ------------------------------------------------------------------ synthesis, implementation, bitstream
launch_runs synth_1 -jobs $cfg(jobs)
wait_on_run synth_1
if {[get_property PROGRESS [get_runs synth_1]] ne "100%"} { error "build.tcl: synthesis failed (see $build)" }
launch_runs impl_1 -to_step write_bitstream -jobs $cfg(jobs)
wait_on_run impl_1
if {[get_property STATUS [get_runs impl_1]] ne "write_bitstream Complete!"} {
    error "build.tcl: implementation failed: [get_property STATUS [get_runs impl_1]] (see $build)"
}

open_run impl_1
file mkdir $cfg(out)
report_utilization -file [file join $cfg(out) $overlay.utilization.rpt]
report_timing_summary -file [file join $cfg(out) $overlay.timing.rpt]
# -clock_mhz is the one clock parameter: the PS7's FCLK_CLK0 request above, and through it the
# constraint (the PS7 IP constrains clk_fpga_0 at the frequency its dividers reach) and the host's
# projection (pynq sets FCLK_CLK0 from the .hwh and the driver reads pynq's Clocks.fclk0_mhz).
# The dividers only come near some requests (150 gives 1000 / 7 = 142.9): report what was
# constrained, and refuse a build whose clock is more than 5 % off the request.
set period [get_property PERIOD [get_clocks clk_fpga_0]]
set clock_actual [expr {1000.0 / $period}]
if {abs($clock_actual - $cfg(clock_mhz)) > 0.05 * $cfg(clock_mhz)} {
    error "build.tcl: -clock_mhz $cfg(clock_mhz) gave a constraint of [format %.3f $clock_actual] MHz\
           (period $period ns): the PS7's dividers cannot reach it; pick a nearer frequency"
}
set wns [get_property SLACK [get_timing_paths -max_paths 1 -nworst 1 -setup]]
if {$wns < 0} {
    error "build.tcl: timing not met at [format %.3f $clock_actual] MHz (worst slack $wns ns)"
}

# pynq wants the bitstream and its hardware handoff side by side under one base name.
set run_dir [get_property DIRECTORY [get_runs impl_1]]
file copy -force [file join $run_dir ${overlay}_wrapper.bit] [file join $cfg(out) $overlay.bit]
file copy -force $hwh [file join $cfg(out) $overlay.hwh]
puts "build.tcl: wrote [file join $cfg(out) $overlay.bit] and $overlay.hwh\
      (worst slack $wns ns at [format %.3f $clock_actual] MHz, -clock_mhz $cfg(clock_mhz))"
