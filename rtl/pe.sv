// Processing element of the output-stationary systolic array: one int8 x int8 MAC per cycle.
//
// Operands enter with a valid and a last flag; a and the flags pass right, b passes down, each
// registered once. The accumulator sums a*b over the valid cycles of a tile; on the cycle that
// carries `last`, the finished sum moves to `result` (result_valid pulses for one cycle) and the
// accumulator restarts at zero, so the next tile accumulates while `result` is read out.
// Latency: result is valid one cycle after the last operand pair. Throughput: one MAC per cycle.
// Matches golden.matmul on a (1 x K) by (K x 1) product (K <= 131071 keeps it inside int32).
`default_nettype none

module pe #(
    parameter int A_W = ibert_pkg::ACT_BITS,   // operand a width (signed)
    parameter int B_W = ibert_pkg::ACT_BITS,   // operand b width (signed)
    parameter int ACC_W = ibert_pkg::ACC_BITS  // accumulator width (signed)
) (
    input  wire logic                    clk,
    input  wire logic                    rst,
    input  wire logic                    in_valid,
    input  wire logic                    in_last,
    input  wire logic signed [A_W-1:0]   a_in,
    input  wire logic signed [B_W-1:0]   b_in,
    output logic                         out_valid,
    output logic                         out_last,
    output logic signed [A_W-1:0]        a_out,
    output logic signed [B_W-1:0]        b_out,
    output logic signed [ACC_W-1:0]      result,
    output logic                         result_valid
);
  // Parameter check: stops elaboration in yosys and Verilator; Icarus 11 has no elaboration-time
  // $fatal, so there the same block runs at time 0 and stops the simulation.
`ifdef __ICARUS__
  initial
`endif
  if (ACC_W < A_W + B_W) begin : g_bad_parameters
    $fatal(1, "pe: ACC_W=%0d cannot hold an %0dx%0d-bit product", ACC_W, A_W, B_W);
  end

  logic signed [ACC_W-1:0] acc_q;
  logic signed [A_W+B_W-1:0] prod;
  assign prod = a_in * b_in;

  always_ff @(posedge clk) begin
    a_out <= a_in;
    b_out <= b_in;
    if (rst) begin
      out_valid    <= 1'b0;
      out_last     <= 1'b0;
      acc_q        <= '0;
      result_valid <= 1'b0;
    end else begin
      out_valid    <= in_valid;
      out_last     <= in_valid & in_last;
      result_valid <= in_valid & in_last;
      if (in_valid) begin
        if (in_last) begin
          result <= acc_q + ACC_W'(prod);
          acc_q  <= '0;
        end else begin
          acc_q <= acc_q + ACC_W'(prod);
        end
      end
    end
  end
endmodule

`default_nettype wire
