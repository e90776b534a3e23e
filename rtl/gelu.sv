// i-GELU, pipelined: t = min(|q|, -qb); erf = floor(sign(q) * ((t + qb)^2 + qc) / 2^14);
// out = sat32(floor(-(q * (erf + q1)) / 2^shift)). Matches golden.gelu.
//
// Each beat carries its channel's constants (per-channel scales in the FFN), tdata =
// {shift[5:0], q1[31:0], qc[45:0], qb[22:0], q[31:0]}, all signed but shift. Stages: 1 t + qb,
// 2 square, 3 + qc, 4 sign and >> 14, 5 + q1, 6 q * (erf + q1), 7 negate and >> shift,
// 8 saturate. Latency 8 cycles, one result per cycle; a stalled output stalls the pipeline.
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
  localparam int ST = 8;
  wire logic signed [31:0] q_in = s_axis_tdata[31:0];
  wire logic signed [22:0] qb_in = s_axis_tdata[54:32];
  wire logic signed [45:0] qc_in = s_axis_tdata[100:55];
  wire logic signed [31:0] q1_in = s_axis_tdata[132:101];
  wire logic [5:0] shift_in = s_axis_tdata[138:133];

  logic [ST-1:0] valid_q, last_q;
  logic advance;
  assign advance = m_axis_tready | ~valid_q[ST-1];
  assign s_axis_tready = advance;

  // carried along: q, its sign, and the constants still needed
  logic signed [31:0] q_s [1:6];
  logic signed [45:0] qc_s [1:2];
  logic signed [31:0] q1_s [1:4];
  logic [5:0] sh_s [1:6];
  logic signed [22:0] s_s1;     // t + qb, in [qb, 0]
  logic [43:0] sq_s2;           // (t + qb)^2
  logic signed [46:0] x_s3;     // square + qc
  logic signed [31:0] erf_s4;
  logic signed [32:0] v_s5;     // erf + q1
  logic signed [63:0] p_s6;     // q * (erf + q1)
  logic signed [63:0] r_s7;

  always_ff @(posedge clk) begin
    if (rst) begin
      valid_q <= '0;
      last_q <= '0;
    end else if (advance) begin
      valid_q <= {valid_q[ST-2:0], s_axis_tvalid};
      last_q <= {last_q[ST-2:0], s_axis_tlast};
    end
    if (advance) begin
      logic signed [32:0] a;
      logic signed [32:0] lim;
      a = q_in < 0 ? -33'(q_in) : 33'(q_in);
      lim = -33'(qb_in);
      // 1
      s_s1 <= 23'((a < lim ? a : lim) + 33'(qb_in));
      q_s[1] <= q_in;
      qc_s[1] <= qc_in;
      q1_s[1] <= q1_in;
      sh_s[1] <= shift_in;
      // 2
      sq_s2 <= 44'(s_s1 * s_s1);
      q_s[2] <= q_s[1];
      qc_s[2] <= qc_s[1];
      q1_s[2] <= q1_s[1];
      sh_s[2] <= sh_s[1];
      // 3
      x_s3 <= 47'($signed({1'b0, sq_s2})) + 47'(qc_s[2]);
      q_s[3] <= q_s[2];
      q1_s[3] <= q1_s[2];
      sh_s[3] <= sh_s[2];
      // 4: floor(sign(q) * X / 2^14)
      if (q_s[3] > 0) erf_s4 <= 32'(x_s3 >>> 14);
      else if (q_s[3] < 0) erf_s4 <= 32'((-x_s3) >>> 14);
      else erf_s4 <= '0;
      q_s[4] <= q_s[3];
      q1_s[4] <= q1_s[3];
      sh_s[4] <= sh_s[3];
      // 5
      v_s5 <= 33'(erf_s4) + 33'(q1_s[4]);
      q_s[5] <= q_s[4];
      sh_s[5] <= sh_s[4];
      // 6
      p_s6 <= 64'(q_s[5]) * 64'(v_s5);
      sh_s[6] <= sh_s[5];
      // 7
      r_s7 <= (-p_s6) >>> sh_s[6];
      // 8
      if (r_s7 > 64'sd2147483647) m_axis_tdata <= 32'sh7fffffff;
      else if (r_s7 < -64'sd2147483648) m_axis_tdata <= 32'sh80000000;
      else m_axis_tdata <= 32'(r_s7);
    end
  end

  assign m_axis_tvalid = valid_q[ST-1];
  assign m_axis_tlast = last_q[ST-1];
endmodule

`default_nettype wire
