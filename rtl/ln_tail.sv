// The end of OP_MM_LN (golden.mm_ln): whole rows of the 22-bit residual sum h in (int32, one value
// a beat, tlast ending each row), int8 rows out, eight per 64-bit beat (each row padded with zeros
// to whole beats), tlast on the last beat of the operation's m rows:
//   out[c] = requant(layernorm(h)[c], ln_m[c], ln_e[c])        (golden.requant, bias 0)
// Per channel c, written through c_we / c_addr / c_data as the constants arrive beside the weights:
// the LayerNorm's folded bias (into the layernorm unit), ln_m / ln_e (a RAM read as each value
// leaves the LayerNorm), and the LayerNorm's shift (one per operation: every channel carries it).
// A packet repeats the constants in each row tile, so a rewrite while rows are in flight writes the
// values already there.
`default_nettype none

module ln_tail #(
    parameter int MAX_C = 768,     // longest row (the hidden size)
    parameter int MAX_M = 128,
    localparam int AW = $clog2(MAX_C),
    localparam int M_W = $clog2(MAX_M + 1)
) (
    input  wire logic            clk,
    input  wire logic            rst,
    input  wire logic            start,      // pulse: m rows follow
    input  wire logic [M_W-1:0]  m,
    input  wire logic            c_we,
    input  wire logic [AW-1:0]   c_addr,
    input  wire logic [74:0]     c_data,     // {shift[4:0], ln_e[5:0], ln_m[31:0], bias[31:0]}
    input  wire logic [31:0]     s_axis_tdata,
    input  wire logic            s_axis_tvalid,
    output logic                 s_axis_tready,
    input  wire logic            s_axis_tlast,
    output logic [63:0]          m_axis_tdata,
    output logic                 m_axis_tvalid,
    input  wire logic            m_axis_tready,
    output logic                 m_axis_tlast
);
  logic [4:0] shift_q;
  always_ff @(posedge clk) if (c_we) shift_q <= c_data[74:70];

  logic ln_err_unused;   // rows come from the gather buffer: never longer than MAX_C
  logic [31:0] y_data;
  logic y_valid, y_ready, y_last;
  layernorm #(.MAX_C(MAX_C)) u_ln (
      .clk, .rst(rst || start), .shift(shift_q), .bias_we(c_we), .bias_addr(c_addr),
      .bias_data(c_data[31:0]), .err_long(ln_err_unused), .s_axis_tdata, .s_axis_tvalid,
      .s_axis_tready, .s_axis_tlast, .m_axis_tdata(y_data), .m_axis_tvalid(y_valid),
      .m_axis_tready(y_ready), .m_axis_tlast(y_last)
  );

  // ---------------------------------------------------------------- requant by channel
  // s1: the value, its channel's {e, m} read as it moves in; s2: the RAM's output register.
  logic [37:0] lnq [MAX_C];
  logic [37:0] lc_q, lc2_q;
  logic [31:0] v_q, v2_q;
  logic s1_valid_q, s2_valid_q, s1_last_q, s2_last_q, rq_ready;
  logic [AW:0] col_q;
  always_ff @(posedge clk) if (c_we) lnq[c_addr] <= c_data[69:32];
  wire logic s_adv = rq_ready || !s2_valid_q;
  assign y_ready = s_adv;
  wire logic y_take = y_valid && y_ready;
  always_ff @(posedge clk) begin
    if (rst || start) begin
      s1_valid_q <= 1'b0;
      s2_valid_q <= 1'b0;
      col_q <= '0;
    end else if (s_adv) begin
      s1_valid_q <= y_take;
      if (y_take) begin
        v_q <= y_data;
        s1_last_q <= y_last;
        lc_q <= lnq[AW'(col_q)];
        col_q <= y_last ? '0 : col_q + 1'b1;
      end
      s2_valid_q <= s1_valid_q;
      s2_last_q <= s1_last_q;
      v2_q <= v_q;
      lc2_q <= lc_q;
    end
  end

  logic signed [7:0] b_data;
  logic b_valid, b_ready, b_last;
  requant #(.IN_W(32), .M_W(32), .OUT_W(8)) u_requant (
      .clk, .rst(rst || start), .s_axis_tdata({lc2_q[37:32], lc2_q[31:0], 32'd0, v2_q}),
      .s_axis_tvalid(s2_valid_q), .s_axis_tready(rq_ready), .s_axis_tlast(s2_last_q),
      .m_axis_tdata(b_data), .m_axis_tvalid(b_valid), .m_axis_tready(b_ready), .m_axis_tlast(b_last)
  );

  // ---------------------------------------------------------------- bytes into beats
  // A byte is taken only when the output register can take the beat it may complete.
  logic [55:0] acc_q;
  logic [2:0] idx_q;
  logic [M_W-1:0] rows_left_q;
  assign b_ready = !m_axis_tvalid || m_axis_tready;
  wire logic b_take = b_valid && b_ready;
  wire logic [63:0] beat = {8'(b_data), acc_q} >> (8 * (7 - 32'(idx_q)));
  always_ff @(posedge clk) begin
    if (rst || start) begin
      m_axis_tvalid <= 1'b0;
      acc_q <= '0;
      idx_q <= '0;
      rows_left_q <= m;
    end else begin
      if (m_axis_tready) m_axis_tvalid <= 1'b0;
      if (b_take) begin
        if (idx_q == 3'd7 || b_last) begin
          m_axis_tdata <= beat;
          m_axis_tvalid <= 1'b1;
          m_axis_tlast <= b_last && rows_left_q == M_W'(1);
          acc_q <= '0;
          idx_q <= '0;
          if (b_last) rows_left_q <= rows_left_q - 1'b1;
        end else begin
          acc_q <= {8'(b_data), acc_q[55:8]};
          idx_q <= idx_q + 1'b1;
        end
      end
    end
  end
endmodule

`default_nettype wire
