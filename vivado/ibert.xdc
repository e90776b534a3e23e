# Constraints of the I-BERT accelerator on the PYNQ-Z2.
#
# The fabric runs on one clock, the PS's FCLK_CLK0, which the processing_system7 IP constrains
# itself (clk_fpga_0 at the frequency build.tcl sets); no other clock exists, so there is no
# clock-domain crossing. No path is false or multicycle: every path of the accelerator is a
# single-cycle path at that clock (the logic-delay estimates of bench/rtl_timing.py assume so).
# The design has no package pins of its own (everything reaches it through the PS).
set_property BITSTREAM.GENERAL.COMPRESS TRUE [current_design]
