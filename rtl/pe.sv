// Processing element of the output-stationary systolic array: one int8 x int8 MAC per cycle.
//
// Operands enter with a valid and a last flag; a and the flags pass right, b passes down, each
// registered once. The MAC is one DSP48E1 with all its register levels on: the operands in
// AREG/BREG, the product in MREG, the accumulator in PREG, so no path leaves or enters the DSP
// combinationally. The accumulator sums a*b over the valid cycles of a tile; when the tile's last
// product is in, the sum moves to `result` (result_valid pulses for one cycle) and the accumulator
// restarts with the next tile's first product, so the next tile accumulates while `result` is
// read out. Latency 4 cycles: result is registered on the fourth clock edge counted from the one
// that takes the last operand pair. Throughput: one MAC per cycle.
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

  // 1: operands (AREG/BREG); 2: product (MREG); 3: accumulated (PREG); 4: result
  logic signed [A_W-1:0] a_q;
  logic signed [B_W-1:0] b_q;
  logic signed [A_W+B_W-1:0] m_q;
  logic signed [ACC_W-1:0] acc_q;
  logic [2:1] v_q;           // valid beside stages 1-2
  logic [3:1] l_q;           // last beside stages 1-3
  logic fresh_q;             // the accumulator holds a finished tile: the next product restarts it

  always_ff @(posedge clk) begin
    a_out <= a_in;
    b_out <= b_in;
    a_q <= a_in;
    b_q <= b_in;
    m_q <= a_q * b_q;
    if (v_q[2]) acc_q <= (fresh_q ? '0 : acc_q) + ACC_W'(m_q);
    if (l_q[3]) result <= acc_q;
    if (rst) begin
      out_valid    <= 1'b0;
      out_last     <= 1'b0;
      v_q          <= '0;
      l_q          <= '0;
      fresh_q      <= 1'b1;
      result_valid <= 1'b0;
    end else begin
      out_valid    <= in_valid;
      out_last     <= in_valid & in_last;
      v_q          <= {v_q[1], in_valid};
      l_q          <= {l_q[2:1], in_valid & in_last};
      if (v_q[2]) fresh_q <= l_q[2];
      result_valid <= l_q[3];
    end
  end
endmodule

`default_nettype wire
