// Residual add, pipelined: out = sat(round_half_up((q + bias) * m / 2^e)
//                                  + round_half_up(r * m_r / 2^e_r), OUT_W).
// Matches golden.residual_add: each term rounded on its own, exact (no saturation before the sum),
// the sum saturated once. The projection-with-LayerNorm operation (golden.mm_ln) puts it between
// the array and the LayerNorm.
//
// Each beat carries its channel's constants, tdata = {e_r[5:0], m_r[31:0], r[31:0], e[5:0],
// m[31:0], bias[31:0], q[31:0]} (q in the low bits). Two requant paths side by side (stage 1 the
// 33-bit sum, 2-6 the product in mul_pipe, 7 the shift by e - 1, 8 the rounding), 9 their exact
// 66-bit sum, 10 saturate. Latency 10 cycles, one result per cycle; a stalled output stalls the
// pipeline.
// R_W is the residual's width: the unit reads r[R_W-1:0] as a signed value and ignores the bits
// above, so a caller whose residual is narrower (the encoder layer's int8 input, as
// rtl/epilogue.sv sends it) gets a multiplier of its size: two DSPs, not four partial products
// with most of their operand bits copies of one sign.
`default_nettype none

module residual_add #(
    parameter int OUT_W = ibert_pkg::RESID_BITS,  // signed output width, saturated
    parameter int R_W = 32                        // the residual's signed width, 2..32
) (
    input  wire logic                    clk,
    input  wire logic                    rst,
    input  wire logic [171:0]            s_axis_tdata,
    input  wire logic                    s_axis_tvalid,
    output logic                         s_axis_tready,
    input  wire logic                    s_axis_tlast,
    output logic signed [OUT_W-1:0]      m_axis_tdata,
    output logic                         m_axis_tvalid,
    input  wire logic                    m_axis_tready,
    output logic                         m_axis_tlast
);
  localparam int P_W = 65;   // |(q + bias) * m| < 2^63 and |r * m_r| < 2^62
  localparam logic signed [P_W-1:0] ONE = P_W'(1);
  localparam logic signed [P_W:0] OUT_MAX = (66'sd1 <<< (OUT_W - 1)) - 66'sd1;
  localparam logic signed [P_W:0] OUT_MIN = -(66'sd1 <<< (OUT_W - 1));

`ifdef __ICARUS__
  initial
`endif
  if (OUT_W < 2 || OUT_W > 32 || R_W < 2 || R_W > 32) begin : g_bad_parameters
    $fatal(1, "residual_add: OUT_W=%0d and R_W=%0d must be in [2, 32]", OUT_W, R_W);
  end

  wire logic signed [31:0] q_in = s_axis_tdata[31:0];
  wire logic signed [31:0] bias_in = s_axis_tdata[63:32];
  wire logic signed [31:0] m_in = s_axis_tdata[95:64];
  wire logic [5:0] e_in = s_axis_tdata[101:96];
  wire logic signed [R_W-1:0] r_in = s_axis_tdata[102+:R_W];
  wire logic unused_r = ^{1'b0, s_axis_tdata[133:102]};  // r's field: bits above R_W unread
  wire logic signed [31:0] mr_in = s_axis_tdata[165:134];
  wire logic [5:0] er_in = s_axis_tdata[171:166];

  localparam int ST = 10;
  logic [ST-1:0] valid_q, last_q;
  logic advance;
  assign advance = m_axis_tready | ~valid_q[ST-1];
  assign s_axis_tready = advance;

  logic signed [32:0] sum_s1;
  logic signed [31:0] m_s1, mr_s1;
  logic signed [R_W-1:0] r_s1;
  logic [5:0] e_s6, er_s6;
  logic signed [P_W-1:0] p_s6, sh_s7, shr_s7, t_s8, tr_s8;
  logic signed [R_W+31:0] pr_s6;
  logic e0_s7, er0_s7;
  logic signed [P_W:0] total_s9;

  mul_pipe #(.A_W(33), .B_W(32)) u_mul (.clk, .ce(advance), .a(sum_s1), .b(m_s1), .p(p_s6));
  mul_pipe #(.A_W(R_W), .B_W(32)) u_mul_r (.clk, .ce(advance), .a(r_s1), .b(mr_s1), .p(pr_s6));
  sreg #(.W(12), .DEPTH(6)) u_e (  // the shifts beside the products
      .clk, .rst(1'b0), .ce(advance), .d({e_in, er_in}), .q({e_s6, er_s6})
  );

  always_ff @(posedge clk) begin
    if (rst) begin
      valid_q <= '0;
      last_q <= '0;
    end else if (advance) begin
      valid_q <= {valid_q[ST-2:0], s_axis_tvalid};
      last_q <= {last_q[ST-2:0], s_axis_tlast};
    end
    if (advance) begin
      // 1: the exact 33-bit sum; the residual's operands as they are
      sum_s1 <= 33'(q_in) + 33'(bias_in);
      m_s1 <= m_in;
      r_s1 <= r_in;
      mr_s1 <= mr_in;
      // 2-6: the exact products
      // 7: shift by e - 1 (e = 0: the product itself)
      e0_s7 <= e_s6 == 6'd0;
      er0_s7 <= er_s6 == 6'd0;
      sh_s7 <= e_s6 == 6'd0 ? p_s6 : p_s6 >>> (e_s6 - 6'd1);
      shr_s7 <= er_s6 == 6'd0 ? P_W'(pr_s6) : P_W'(pr_s6 >>> (er_s6 - 6'd1));
      // 8: round half up: add the half and drop it
      t_s8 <= e0_s7 ? sh_s7 : (sh_s7 + ONE) >>> 1;
      tr_s8 <= er0_s7 ? shr_s7 : (shr_s7 + ONE) >>> 1;
      // 9: the exact sum
      total_s9 <= (P_W + 1)'(t_s8) + (P_W + 1)'(tr_s8);
      // 10: saturate
      if (total_s9 > OUT_MAX) m_axis_tdata <= OUT_W'(OUT_MAX);
      else if (total_s9 < OUT_MIN) m_axis_tdata <= OUT_W'(OUT_MIN);
      else m_axis_tdata <= OUT_W'(total_s9);
    end
  end

  assign m_axis_tvalid = valid_q[ST-1];
  assign m_axis_tlast = last_q[ST-1];
endmodule

`default_nettype wire
