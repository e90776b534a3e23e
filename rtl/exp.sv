// i-exp, pipelined: out = L(p) >> z for x <= 0, with x = max(x, 30*x0), z = floor(x / x0),
// p = x - z*x0 in (x0, 0], L(p) = (p + qb)*p + qc. Matches golden.exp.
//
// The division by the constant x0 is a multiply: with u = -x and d = -x0 (so z = floor(u / d)),
// z_est = (u * R) >> 22 for R = floor(2^22 / d) (the host computes R once from x0). Since
// u <= 30 * 2^16 the estimate is low by less than 30*2^16 / 2^22 < 1, so one compare-and-subtract
// makes it exact. With p_u = u - z*d (= -p) the polynomial is L = qc - p_u * (qb - p_u).
// Stages: 1 clamp, 2-6 u*R (mul_pipe), 7-8 z_est*d (one DSP, its M and P registers), 9 p_u =
// u - z*d, 10 correct, 11 qb - p_u, 12-16 p_u*(qb - p_u) (mul_pipe), 17 qc - that, 18 >> z: one
// carry chain or one DSP level per stage (30*x0 is a shift and a subtract: as a DSP product it was
// the longest path). Latency 18 cycles, one result per cycle; a stalled output stalls the pipeline.
// Constants (held during use, and for one cycle before the first input: d = |x0| and 30*x0 are
// registered from them): x0 in [-2^16, -1], qb < 2^20, qc < 2^31, x0_recip = R.
`default_nettype none

module exp #(
    parameter int X_W = ibert_pkg::ACC_BITS   // input width (signed, values <= 0)
) (
    input  wire logic                   clk,
    input  wire logic                   rst,
    input  wire logic signed [16:0]     x0,
    input  wire logic [20:0]            qb,
    input  wire logic [30:0]            qc,
    input  wire logic [22:0]            x0_recip,
    input  wire logic signed [X_W-1:0]  s_axis_tdata,
    input  wire logic                   s_axis_tvalid,
    output logic                        s_axis_tready,
    input  wire logic                   s_axis_tlast,
    output logic [31:0]                 m_axis_tdata,
    output logic                        m_axis_tvalid,
    input  wire logic                   m_axis_tready,
    output logic                        m_axis_tlast
);
  localparam int ST = 18;
  logic [ST-1:0] valid_q, last_q;
  logic advance;
  assign advance = m_axis_tready | ~valid_q[ST-1];
  assign s_axis_tready = advance;

  // per-job constants, registered from the ports (they are held during use)
  logic [16:0] d_q;                       // |x0| <= 2^16
  logic signed [X_W-1:0] floor_x_q;       // 30 * x0
  always_ff @(posedge clk) begin
    d_q <= 17'(-x0);
    floor_x_q <= (X_W'(x0) <<< 5) - (X_W'(x0) <<< 1);
  end

  logic [20:0] u_s1, u_s8;                // u = -max(x, 30*x0) in [0, 30 * 2^16]
  logic signed [45:0] uz_s6;              // u * R
  logic [4:0] z_s7, z_s9, z_s10, z_s17;
  logic [21:0] zd_m7, zd_s8;              // z_est * d: the DSP's M, then P register
  logic [21:0] pu_s9;                     // u - z_est*d, below 2d
  logic [20:0] p_s10, p_s11;              // p_u = -p, below d
  logic [20:0] w_s11;                     // qb - p_u > 0
  logic signed [43:0] t_s16;              // p_u * (qb - p_u) < 2^41
  logic [30:0] l_s17;

  wire logic [4:0] z_est = uz_s6[26:22];  // floor(u * R / 2^22) <= 30 (an unsigned part-select)
  wire unused_uz = ^{uz_s6[45:27], uz_s6[21:0]};

  mul_pipe #(.A_W(22), .B_W(24)) u_div (
      .clk, .ce(advance), .a(22'(u_s1)), .b(24'(x0_recip)), .p(uz_s6)
  );
  mul_pipe #(.A_W(22), .B_W(22)) u_poly (
      .clk, .ce(advance), .a(22'(p_s11)), .b(22'(w_s11)), .p(t_s16)
  );
  sreg #(.W(21), .DEPTH(7)) u_u (.clk, .rst(1'b0), .ce(advance), .d(u_s1), .q(u_s8));
  sreg #(.W(5), .DEPTH(2)) u_z9 (.clk, .rst(1'b0), .ce(advance), .d(z_s7), .q(z_s9));
  sreg #(.W(5), .DEPTH(7)) u_z17 (.clk, .rst(1'b0), .ce(advance), .d(z_s10), .q(z_s17));

  always_ff @(posedge clk) begin
    if (rst) begin
      valid_q <= '0;
      last_q <= '0;
    end else if (advance) begin
      valid_q <= {valid_q[ST-2:0], s_axis_tvalid};
      last_q <= {last_q[ST-2:0], s_axis_tlast};
    end
    if (advance) begin
      // 1: clamp at 30*x0 and negate
      u_s1 <= 21'(-(s_axis_tdata < floor_x_q ? floor_x_q : s_axis_tdata));
      // 2-6: u_div; 7-8: z_est * d
      z_s7 <= z_est;
      zd_m7 <= 22'(z_est) * 22'(d_q);
      zd_s8 <= zd_m7;
      // 9: p_u = u - z_est*d, in [0, 2d)
      pu_s9 <= 22'(u_s8) - zd_s8;
      // 10: corrected once
      if (pu_s9 >= 22'(d_q)) begin
        p_s10 <= 21'(pu_s9 - 22'(d_q));
        z_s10 <= z_s9 + 5'd1;
      end else begin
        p_s10 <= 21'(pu_s9);
        z_s10 <= z_s9;
      end
      p_s11 <= p_s10;
      // 11: qb - p_u, positive (p_u < d <= qb / 2)
      w_s11 <= qb - p_s10;
      // 12-16: u_poly; 17: L = qc - p_u * (qb - p_u), in [0, qc]
      l_s17 <= 31'(44'(qc) - t_s16);
      // 18: >> z
      m_axis_tdata <= 32'(l_s17 >> z_s17);
    end
  end

  assign m_axis_tvalid = valid_q[ST-1];
  assign m_axis_tlast = last_q[ST-1];
endmodule

`default_nettype wire
