// i-GELU, pipelined: t = min(|q|, -qb); erf = floor(sign(q) * ((t + qb)^2 + qc) / 2^14);
// out = sat32(floor(-(q * (erf + q1)) / 2^shift)). Matches golden.gelu.
//
// Each beat carries its channel's constants (per-channel scales in the FFN), tdata =
// {shift[5:0], q1[31:0], qc[45:0], qb[22:0], q[31:0]}, all signed but shift. Stages: 1 |q| and
// -qb, 2 t + qb, 3-6 square (mul_pipe), 7 + qc, 8 sign and >> 14, 9 + q1, 10-13 q * (erf + q1)
// (mul_pipe), 14 negate, 15 >> shift, 16 saturate: one carry chain or one DSP level per stage.
// Latency 16 cycles, one result per cycle; a stalled output stalls the pipeline.
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
  localparam int ST = 16;
  wire logic signed [31:0] q_in = s_axis_tdata[31:0];
  wire logic signed [22:0] qb_in = s_axis_tdata[54:32];
  wire logic signed [45:0] qc_in = s_axis_tdata[100:55];
  wire logic signed [31:0] q1_in = s_axis_tdata[132:101];
  wire logic [5:0] shift_in = s_axis_tdata[138:133];

  logic [ST-1:0] valid_q, last_q;
  logic advance;
  assign advance = m_axis_tready | ~valid_q[ST-1];
  assign s_axis_tready = advance;

  // carried along (index = the stage that holds it): q, and the constants still needed
  logic signed [31:0] q_s [1:9];
  logic signed [22:0] qb_s [1:2];
  logic signed [45:0] qc_s [1:6];
  logic signed [31:0] q1_s [1:8];
  logic [5:0] sh_s [1:14];
  logic [32:0] a_s1, lim_s1;    // |q|, -qb
  logic signed [22:0] s_s2;     // t + qb, in [qb, 0]
  logic signed [45:0] sq_s6;    // (t + qb)^2 < 2^44
  logic signed [46:0] x_s7;     // square + qc
  logic signed [31:0] erf_s8;
  logic signed [32:0] v_s9;     // erf + q1
  logic signed [64:0] p_s13;    // q * (erf + q1), |p| < 2^63
  logic signed [64:0] n_s14;
  logic signed [64:0] r_s15;

  mul_pipe #(.A_W(23), .B_W(23)) u_square (.clk, .ce(advance), .a(s_s2), .b(s_s2), .p(sq_s6));
  mul_pipe #(.A_W(32), .B_W(33)) u_product (.clk, .ce(advance), .a(q_s[9]), .b(v_s9), .p(p_s13));

  always_ff @(posedge clk) begin
    if (rst) begin
      valid_q <= '0;
      last_q <= '0;
    end else if (advance) begin
      valid_q <= {valid_q[ST-2:0], s_axis_tvalid};
      last_q <= {last_q[ST-2:0], s_axis_tlast};
    end
    if (advance) begin
      q_s[1] <= q_in;
      qb_s[1] <= qb_in;
      qc_s[1] <= qc_in;
      q1_s[1] <= q1_in;
      sh_s[1] <= shift_in;
      for (int i = 2; i <= 9; i++) q_s[i] <= q_s[i-1];
      qb_s[2] <= qb_s[1];
      for (int i = 2; i <= 6; i++) qc_s[i] <= qc_s[i-1];
      for (int i = 2; i <= 8; i++) q1_s[i] <= q1_s[i-1];
      for (int i = 2; i <= 14; i++) sh_s[i] <= sh_s[i-1];
      // 1
      a_s1 <= q_in < 0 ? 33'(-33'(q_in)) : 33'(q_in);
      lim_s1 <= 33'(-33'(qb_in));
      // 2: t = min(|q|, -qb); t + qb
      s_s2 <= 23'($signed(a_s1 < lim_s1 ? a_s1 : lim_s1) + 33'(qb_s[1]));
      // 3-6: u_square
      // 7
      x_s7 <= 47'(sq_s6) + 47'(qc_s[6]);
      // 8: floor(sign(q) * X / 2^14)
      if (q_s[7] > 0) erf_s8 <= 32'(x_s7 >>> 14);
      else if (q_s[7] < 0) erf_s8 <= 32'((-x_s7) >>> 14);
      else erf_s8 <= '0;
      // 9
      v_s9 <= 33'(erf_s8) + 33'(q1_s[8]);
      // 10-13: u_product
      // 14, 15: floor(-p / 2^shift)
      n_s14 <= -p_s13;
      r_s15 <= n_s14 >>> sh_s[14];
      // 16
      if (r_s15 > 65'sd2147483647) m_axis_tdata <= 32'sh7fffffff;
      else if (r_s15 < -65'sd2147483648) m_axis_tdata <= 32'sh80000000;
      else m_axis_tdata <= 32'(r_s15);
    end
  end

  assign m_axis_tvalid = valid_q[ST-1];
  assign m_axis_tlast = last_q[ST-1];
endmodule

`default_nettype wire
