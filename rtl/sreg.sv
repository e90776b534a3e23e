// Shift register: delays a W-bit value by DEPTH cycles (DEPTH = 0 is a wire), advancing on the
// cycles ce is high (a stalled pipeline holds). Used for the systolic array's input skew and to
// carry values and control beside pipelined data. Reset clears the stages: tie rst low for data,
// drive it for control bits.
// Stages are flip-flops, not shift-register LUTs (SRL16E/SRLC32E): an SRL's clock-to-out, about
// 1.5 ns on 7-series, would start the caller's path into its logic. Each stage is kept, and
// yosys's SRL inference never pulls a register whose input is a kept stage into a chain; the one
// exception is the first stage, which a plain register chain upstream of d can still pull in with
// the second. So a line of DEPTH >= 3 always ends in a flip-flop; one of DEPTH 2 fed straight
// from a register chain may not, and its caller registers d through logic first.
`default_nettype none

module sreg #(
    parameter int W = 1,      // width of the delayed value
    parameter int DEPTH = 1   // delay in cycles, >= 0
) (
    input  wire logic         clk,
    input  wire logic         rst,
    input  wire logic         ce,
    input  wire logic [W-1:0] d,
    output logic      [W-1:0] q
);
  // Parameter check: stops elaboration in yosys and Verilator; Icarus 11 has no elaboration-time
  // $fatal, so there the same block runs at time 0 and stops the simulation.
`ifdef __ICARUS__
  initial
`endif
  if (DEPTH < 0) begin : g_bad_parameters
    $fatal(1, "sreg: DEPTH=%0d must be >= 0", DEPTH);
  end

  if (DEPTH == 0) begin : g_wire
    assign q = d;
    wire unused_clk_rst = ^{clk, rst, ce};
  end else begin : g_reg
    // kept: yosys then leaves every stage a flip-flop, as srl_style asks Vivado to
    (* keep, srl_style = "register" *) logic [DEPTH-1:0][W-1:0] stage_q;
    always_ff @(posedge clk) begin
      if (rst) stage_q <= '0;
      else if (ce) stage_q <= (DEPTH*W)'({stage_q, d});  // shift in d, drop the oldest
    end
    assign q = stage_q[DEPTH-1];
  end
endmodule

`default_nettype wire
