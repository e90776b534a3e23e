// Shift register: delays a W-bit value by DEPTH cycles (DEPTH = 0 is a wire).
// Used for the systolic array's input skew and to align control with pipelined data.
// Reset clears the stages: tie rst low for data, drive it for control bits.
`default_nettype none

module sreg #(
    parameter int W = 1,      // width of the delayed value
    parameter int DEPTH = 1   // delay in cycles, >= 0
) (
    input  wire logic         clk,
    input  wire logic         rst,
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
    wire unused_clk_rst = ^{clk, rst};
  end else begin : g_reg
    logic [W-1:0] stage_q [DEPTH];
    always_ff @(posedge clk) begin
      if (rst) begin
        for (int i = 0; i < DEPTH; i++) stage_q[i] <= '0;
      end else begin
        stage_q[0] <= d;
        for (int i = 1; i < DEPTH; i++) stage_q[i] <= stage_q[i-1];
      end
    end
    assign q = stage_q[DEPTH-1];
  end
endmodule

`default_nettype wire
