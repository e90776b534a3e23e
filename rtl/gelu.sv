// i-GELU, pipelined: t = min(|q|, -qb); erf = floor(sign(q) * ((t + qb)^2 + qc) / 2^14);
// out = sat32(floor(-(q * (erf + q1)) / 2^shift)). Matches golden.gelu.
//
// Each beat carries its channel's constants (per-channel scales in the FFN), tdata =
// {shift[5:0], q1[31:0], qc[45:0], qb[22:0], q[31:0]}, all signed but shift. Stages: 1 |q| and
// -qb, 2 t + qb, 3-7 square (mul_pipe), 8 + qc, 9 sign and >> 14, 10 + q1, 11-15 q * (erf + q1)
// (mul_pipe), 16 negate, 17 >> shift, 18 saturate: one carry chain or one DSP level per stage.
// Latency 18 cycles, one result per cycle; a stalled output stalls the pipeline.
// Widths follow golden's limits: |qb| < 2^22, |qc| < 2^45, |q1| < 2^31, shift <= 32, so the
// square is 44 bits, erf fits 32 and the product 64.
`default_nettype none

module gelu (
    input  wire logic            clk,
    input  wire logic            rst,
    input  wire logic [138:0]    s_axis_tdata,
    input  wire logic            s_axis_tvalid,
    output logic                 s_axis_tready,
    input  wire logic            s_axis_tlast,
    output logic signed [31:0]   m_axis_tdata,
    output logic                 m_axis_tvalid,
    input  wire logic            m_axis_tready,
    output logic                 m_axis_tlast
);
  localparam int ST = 18;
  wire logic signed [31:0] q_in = s_axis_tdata[31:0];
  wire logic signed [22:0] qb_in = s_axis_tdata[54:32];
  wire logic signed [45:0] qc_in = s_axis_tdata[100:55];
  wire logic signed [31:0] q1_in = s_axis_tdata[132:101];
  wire logic [5:0] shift_in = s_axis_tdata[138:133];

  logic [ST-1:0] valid_q, last_q;
  logic advance;
  assign advance = m_axis_tready | ~valid_q[ST-1];
  assign s_axis_tready = advance;

  // carried along (suffix = the stage that holds it): q, and the constants still needed
  logic signed [31:0] q_s8, q_s10;
  logic signed [22:0] qb_s1;
  logic signed [45:0] qc_s7;
  logic signed [31:0] q1_s9;
  logic [5:0] sh_s16;
  sreg #(.W(32), .DEPTH(8)) u_q8 (.clk, .rst(1'b0), .ce(advance), .d(q_in), .q(q_s8));
  sreg #(.W(32), .DEPTH(2)) u_q10 (.clk, .rst(1'b0), .ce(advance), .d(q_s8), .q(q_s10));
  sreg #(.W(46), .DEPTH(7)) u_qc (.clk, .rst(1'b0), .ce(advance), .d(qc_in), .q(qc_s7));
  sreg #(.W(32), .DEPTH(9)) u_q1 (.clk, .rst(1'b0), .ce(advance), .d(q1_in), .q(q1_s9));
  sreg #(.W(6), .DEPTH(16)) u_sh (.clk, .rst(1'b0), .ce(advance), .d(shift_in), .q(sh_s16));
  logic [32:0] a_s1, lim_s1;    // |q|, -qb
  logic signed [22:0] s_s2;     // t + qb, in [qb, 0]
  logic signed [45:0] sq_s7;    // (t + qb)^2 < 2^44
  logic signed [46:0] x_s8;     // square + qc
  logic signed [31:0] erf_s9;
  logic signed [32:0] v_s10;    // erf + q1
  logic signed [64:0] p_s15;    // q * (erf + q1), |p| < 2^63
  logic signed [64:0] n_s16;
  logic signed [64:0] r_s17;

  mul_pipe #(.A_W(23), .B_W(23)) u_square (.clk, .ce(advance), .a(s_s2), .b(s_s2), .p(sq_s7));
  mul_pipe #(.A_W(32), .B_W(33)) u_product (.clk, .ce(advance), .a(q_s10), .b(v_s10), .p(p_s15));

  always_ff @(posedge clk) begin
    if (rst) begin
      valid_q <= '0;
      last_q <= '0;
    end else if (advance) begin
      valid_q <= {valid_q[ST-2:0], s_axis_tvalid};
      last_q <= {last_q[ST-2:0], s_axis_tlast};
    end
    if (advance) begin
      qb_s1 <= qb_in;
      // 1
      a_s1 <= q_in < 0 ? 33'(-33'(q_in)) : 33'(q_in);
      lim_s1 <= 33'(-33'(qb_in));
      // 2: t = min(|q|, -qb); t + qb
      s_s2 <= 23'($signed(a_s1 < lim_s1 ? a_s1 : lim_s1) + 33'(qb_s1));
      // 3-7: u_square
      // 8
      x_s8 <= 47'(sq_s7) + 47'(qc_s7);
      // 9: floor(sign(q) * X / 2^14)
      if (q_s8 > 0) erf_s9 <= 32'(x_s8 >>> 14);
      else if (q_s8 < 0) erf_s9 <= 32'((-x_s8) >>> 14);
      else erf_s9 <= '0;
      // 10
      v_s10 <= 33'(erf_s9) + 33'(q1_s9);
      // 11-15: u_product
      // 16, 17: floor(-p / 2^shift)
      n_s16 <= -p_s15;
      r_s17 <= n_s16 >>> sh_s16;
      // 18
      if (r_s17 > 65'sd2147483647) m_axis_tdata <= 32'sh7fffffff;
      else if (r_s17 < -65'sd2147483648) m_axis_tdata <= 32'sh80000000;
      else m_axis_tdata <= 32'(r_s17);
    end
  end

  assign m_axis_tvalid = valid_q[ST-1];
  assign m_axis_tlast = last_q[ST-1];
endmodule

`default_nettype wire
