// Requantization, pipelined: out = sat(round_half_up((q + bias) * m / 2^e), OUT_W).
//
// Each input beat carries its own constants, tdata = {e, m, bias, q} (q in the low bits), so one
// unit serves per-tensor and per-channel scales alike: the block around it attaches the channel's
// constants. Round half up is ((p >>> (e-1)) + 1) >>> 1, the form of golden.requant that cannot
// carry out of 64 bits; e = 0 passes the product. Saturation to OUT_W, never wrap-around.
// Stages: 1 sum (33 b), 2-6 product (mul_pipe: DSP48E1 partial products, two adder levels),
// 7 shift by e - 1, 8 round and final shift, 9 saturate. Latency 9 cycles, throughput one result
// per cycle; a stalled output stalls the whole pipeline (s_axis_tready is m_axis_tready or an
// empty output stage). Matches golden.requant.
`default_nettype none

module requant #(
    parameter int IN_W = ibert_pkg::ACC_BITS,        // q and bias width (signed)
    parameter int M_W = ibert_pkg::REQUANT_M_BITS,   // multiplier width (signed, |m| < 2^(M_W-1))
    parameter int OUT_W = ibert_pkg::ACT_BITS        // output width (signed, saturated)
) (
    input  wire logic                          clk,
    input  wire logic                          rst,
    input  wire logic [6+M_W+2*IN_W-1:0]       s_axis_tdata,   // {e[5:0], m, bias, q}
    input  wire logic                          s_axis_tvalid,
    output logic                               s_axis_tready,
    input  wire logic                          s_axis_tlast,
    output logic signed [OUT_W-1:0]            m_axis_tdata,
    output logic                               m_axis_tvalid,
    input  wire logic                          m_axis_tready,
    output logic                               m_axis_tlast
);
  localparam int SUM_W = IN_W + 1;
  localparam int P_W = SUM_W + M_W;  // 65 for the default widths; |p| < 2^63 by the value ranges
  localparam logic signed [P_W-1:0] ONE = P_W'(1);
  localparam logic signed [P_W-1:0] OUT_MAX = (ONE <<< (OUT_W - 1)) - ONE;
  localparam logic signed [P_W-1:0] OUT_MIN = -(ONE <<< (OUT_W - 1));

  // Parameter check: stops elaboration in yosys and Verilator; Icarus 11 has no elaboration-time
  // $fatal, so there the same block runs at time 0 and stops the simulation.
`ifdef __ICARUS__
  initial
`endif
  if (OUT_W < 2 || OUT_W > IN_W) begin : g_bad_parameters
    $fatal(1, "requant: OUT_W=%0d must be in [2, IN_W]", OUT_W);
  end

  wire logic signed [IN_W-1:0] q_in = s_axis_tdata[IN_W-1:0];
  wire logic signed [IN_W-1:0] bias_in = s_axis_tdata[2*IN_W-1:IN_W];
  wire logic signed [M_W-1:0] m_in = s_axis_tdata[2*IN_W+M_W-1:2*IN_W];
  wire logic [5:0] e_in = s_axis_tdata[2*IN_W+M_W+5:2*IN_W+M_W];

  localparam int ST = 9;
  logic [ST-1:0] valid_q, last_q;  // per stage
  logic advance;
  assign advance = m_axis_tready | ~valid_q[ST-1];
  assign s_axis_tready = advance;

  logic signed [SUM_W-1:0] sum_s1;
  logic signed [M_W-1:0] m_s1;
  logic [5:0] e_s6;
  logic signed [P_W-1:0] p_s6, sh_s7, r_s8;
  logic e0_s7;

  mul_pipe #(.A_W(SUM_W), .B_W(M_W)) u_mul (.clk, .ce(advance), .a(sum_s1), .b(m_s1), .p(p_s6));
  sreg #(.W(6), .DEPTH(6)) u_e (.clk, .rst(1'b0), .ce(advance), .d(e_in), .q(e_s6));  // e beside it

  always_ff @(posedge clk) begin
    if (rst) begin
      valid_q <= '0;
      last_q <= '0;
    end else if (advance) begin
      valid_q <= {valid_q[ST-2:0], s_axis_tvalid};
      last_q <= {last_q[ST-2:0], s_axis_tlast};
    end
    if (advance) begin
      // 1: the exact 33-bit sum
      sum_s1 <= SUM_W'(q_in) + SUM_W'(bias_in);
      m_s1 <= m_in;
      // 2-6: the exact product (u_mul)
      // 7: shift by e - 1 (e = 0: no rounding)
      e0_s7 <= e_s6 == 6'd0;
      sh_s7 <= e_s6 == 6'd0 ? p_s6 : p_s6 >>> (e_s6 - 6'd1);
      // 8: round half up: add the half and drop it
      r_s8 <= e0_s7 ? sh_s7 : (sh_s7 + ONE) >>> 1;
      // 9: saturate
      if (r_s8 > OUT_MAX) m_axis_tdata <= OUT_W'(OUT_MAX);
      else if (r_s8 < OUT_MIN) m_axis_tdata <= OUT_W'(OUT_MIN);
      else m_axis_tdata <= OUT_W'(r_s8);
    end
  end

  assign m_axis_tvalid = valid_q[ST-1];
  assign m_axis_tlast = last_q[ST-1];
endmodule

`default_nettype wire
