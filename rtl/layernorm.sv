// Integer LayerNorm over rows (tlast ends a row) of 1..MAX_C int32 values, with I-BERT's folded
// bias. Matches golden.layernorm:
//   mean = floor((sum + C/2) / C); y = q - mean; S = sum(y^2) (exact); s = the smallest shift with
//   S >> 2s < 2^47 (leading-one detection on S); r = isqrt(S >> 2s) (48-bit input);
//   factor = floor(2^47 / r), 0 if r = 0; out = sat32(((y * factor) >>> (s + shift + 16)) + bias[c]).
//
// The folded bias is per channel and stored once per channel: write bias[c] through bias_we /
// bias_addr / bias_data before the rows that use it (not while a row is being output). Rows carry
// q only. Rows overlap through row_buffer: ingest (one value per cycle, tracking the sum) fills
// one bank while the processor runs the other: mean (divider, DW + 1 cycles), the exact sum of
// squares (one value per cycle), its shift (lopd) and the shifted variance, isqrt (iterative: one
// root per row, 25 cycles), 2^47 / r (the same divider), output (one value per cycle, credits from
// row_out). Row passes hold one carry chain or one DSP level per stage (buffer read and its
// register, y, |y|, mul_pipe; then shift, bias, saturate). About 2 cycles per value plus a per-row
// overhead (bench/nonlinear_cycles.py measures both). A zero-variance row gives the bias (factor
// 0). Values past MAX_C are dropped (the row is its first MAX_C values) and err_long is set until
// reset. shift is held during use.
`default_nettype none

module layernorm #(
    parameter int MAX_C = 768,  // longest row (synthesis-time maximum), >= 2
    localparam int AW = $clog2(MAX_C)
) (
    input  wire logic            clk,
    input  wire logic            rst,
    input  wire logic [4:0]      shift,
    input  wire logic            bias_we,     // bias[bias_addr] <= bias_data
    input  wire logic [AW-1:0]   bias_addr,
    input  wire logic [31:0]     bias_data,
    output logic                 err_long,
    input  wire logic [31:0]     s_axis_tdata,
    input  wire logic            s_axis_tvalid,
    output logic                 s_axis_tready,
    input  wire logic            s_axis_tlast,
    output logic [31:0]          m_axis_tdata,
    output logic                 m_axis_tvalid,
    input  wire logic            m_axis_tready,
    output logic                 m_axis_tlast
);
  localparam int CW = $clog2(MAX_C + 1);
  localparam int SW = 32 + CW + 1;          // row sum (signed)
  localparam int QW = 64 + CW;              // sum of squares: |y| < 2^32
  localparam int DW = SW + 1 > 48 ? SW + 1 : 48;  // divider: |sum + C/2| and 2^47

  // ---------------------------------------------------------------- ingest: rows and their sums
  logic in_take, in_first, in_close, in_bank, rd_full, rd_bank, release_bank;
  logic [CW-1:0] rd_len, c_q, issue_q, got_q;
  logic [31:0] q_rd;
  row_buffer #(.W(32), .MAX(MAX_C)) u_rows (
      .clk, .rst, .s_axis_tdata, .s_axis_tvalid, .s_axis_tready, .s_axis_tlast,
      .in_take, .in_first, .in_close, .in_bank, .err_long,
      .rd_full, .rd_len, .rd_bank, .rd_release(release_bank), .rd_index(AW'(issue_q)), .rd_data(q_rd)
  );
  wire logic signed [31:0] q_in = s_axis_tdata;
  logic signed [SW-1:0] wsum_q, sum_q [2];
  wire logic signed [SW-1:0] new_sum = in_take ? (in_first ? '0 : wsum_q) + SW'(q_in) : wsum_q;
  always_ff @(posedge clk) begin
    wsum_q <= new_sum;
    if (in_close) sum_q[in_bank] <= new_sum;
  end

  // the per-channel folded bias, read beside its channel's value
  logic [31:0] bias_mem [MAX_C];
  logic [31:0] bias_rd, bias_rd_q;
  always_ff @(posedge clk) begin
    if (bias_we) bias_mem[bias_addr] <= bias_data;
    bias_rd <= bias_mem[AW'(issue_q)];
    bias_rd_q <= bias_rd;
  end

  // ---------------------------------------------------------------- process
  typedef enum logic [3:0] {P_IDLE, P_MEAN, P_MEAN_W, P_VAR, P_SHIFT, P_SCALE, P_SQRT, P_SQRT_W, P_DIV,
                            P_DIV_W, P_OUT} pstate_e;
  pstate_e pstate_q;
  logic signed [SW-1:0] psum_q;
  logic signed [31:0] mean_q;
  logic [4:0] s_q;
  logic [QW-1:0] sumsq_q;
  logic [47:0] var_q;
  logic [47:0] factor_q;      // floor(2^47 / r) <= 2^47
  logic [23:0] root, root_q;  // the root (unit output, held copy)

  // shared divider: the mean (|sum + C/2| by C, sign restored) and 2^31 / r
  logic div_in_valid, div_ready, div_valid, div_last_unused;
  logic [DW-1:0] div_n, div_d, div_q;  // quotients: the mean (32 bits) and 2^47 / r (48 bits)
  div #(.W(DW)) u_div (
      .clk, .rst, .s_axis_tdata({div_d, div_n}), .s_axis_tvalid(div_in_valid), .s_axis_tready(div_ready),
      .s_axis_tlast(1'b0), .m_axis_tdata(div_q), .m_axis_tvalid(div_valid), .m_axis_tready(1'b1),
      .m_axis_tlast(div_last_unused)
  );
  // floor(a / C) for signed a: a >= 0 -> a / C; a < 0 -> -((-a + C - 1) / C)
  wire logic signed [DW-1:0] mean_num = DW'(psum_q) + DW'(c_q >> 1);
  wire logic mean_neg = mean_num < 0;
  assign div_in_valid = pstate_q == P_MEAN || pstate_q == P_DIV;
  assign div_n = pstate_q == P_MEAN ? (mean_neg ? DW'(-mean_num) + DW'(c_q) - DW'(1) : DW'(mean_num))
                                    : DW'(64'h8000_0000_0000);
  assign div_d = pstate_q == P_MEAN ? DW'(c_q) : DW'(root_q);

  // the variance shift: s = max(0, ceil((bits(S) - 47) / 2)), bits(S) = lopd(S) + 1
  logic signed [$clog2(QW):0] spos;
  lopd #(.W(QW)) u_lopd_s (.x(sumsq_q), .pos(spos));

  // isqrt of the shifted variance: one root per row, so the iterative unit
  logic sqrt_in_valid, sqrt_ready, sqrt_valid, sqrt_last_unused;
  sqrt #(.W(48), .ITERATIVE(1)) u_sqrt (
      .clk, .rst, .s_axis_tdata(var_q), .s_axis_tvalid(sqrt_in_valid), .s_axis_tready(sqrt_ready),
      .s_axis_tlast(1'b0), .m_axis_tdata(root), .m_axis_tvalid(sqrt_valid), .m_axis_tready(1'b1),
      .m_axis_tlast(sqrt_last_unused)
  );
  assign sqrt_in_valid = pstate_q == P_SQRT;

  // row passes: buffer read and its register (row_buffer, 2 cycles), y = q - mean (3), then
  // (variance) |y| (4) squared (mul_pipe, 5-8), or (output) y * factor (mul_pipe, 4-7)
  logic signed [32:0] y_q;
  logic [31:0] ya_q;          // |y| < 2^32: q and the mean are int32
  logic signed [65:0] sq;
  logic [3:0] vv_q;           // variance pass valid: read, register, y, |y|
  always_ff @(posedge clk) begin
    y_q <= 33'($signed(q_rd)) - 33'(mean_q);
    ya_q <= 32'(y_q < 0 ? -y_q : y_q);
  end
  mul_pipe #(.A_W(33), .B_W(33)) u_square (
      .clk, .ce(1'b1), .a($signed({1'b0, ya_q})), .b($signed({1'b0, ya_q})), .p(sq)
  );
  logic sq_valid_q;
  sreg #(.W(1), .DEPTH(4)) u_sq_valid (.clk, .rst, .d(vv_q[3]), .q(sq_valid_q));
  wire logic [63:0] sq_q = 64'(sq);
  wire unused_sq = ^sq[65:64];

  // output pass: (y * factor) >>> (s + shift) (8) + bias (9), saturated (10) -> row_out
  localparam int OL = 10;
  logic can_issue, o_issue;
  logic [OL-1:0] ov_q, ol_q;
  logic signed [81:0] prod_q, sh_q, scaled_q;
  logic signed [31:0] bias_s [3:8];
  logic [31:0] result_q;
  logic [5:0] s_out_q;
  assign o_issue = pstate_q == P_OUT && can_issue;
  assign release_bank = o_issue && issue_q == c_q - 1'b1;

  mul_pipe #(.A_W(49), .B_W(33)) u_scale (  // factor as the 49-bit operand: it reaches 2^47
      .clk, .ce(1'b1), .a($signed({1'b0, factor_q})), .b(y_q), .p(prod_q)
  );
  always_ff @(posedge clk) begin
    bias_s[3] <= $signed(bias_rd_q);
    for (int i = 4; i <= 8; i++) bias_s[i] <= bias_s[i-1];
    s_out_q <= 6'(s_q) + 6'(shift) + 6'd16;
    ol_q <= {ol_q[OL-2:0], o_issue && issue_q == c_q - 1'b1};
    sh_q <= prod_q >>> s_out_q;
    scaled_q <= sh_q + 82'(bias_s[8]);
    result_q <= scaled_q > 82'sd2147483647 ? 32'h7fff_ffff
              : scaled_q < -82'sd2147483648 ? 32'h8000_0000 : 32'(scaled_q);
  end

  row_out #(.W(32), .DEPTH(16)) u_out (  // DEPTH > OL + 2: full rate
      .clk, .rst, .can_issue, .issue(o_issue), .in_data(result_q), .in_valid(ov_q[OL-1]),
      .in_last(ol_q[OL-1]), .m_axis_tdata, .m_axis_tvalid, .m_axis_tready, .m_axis_tlast
  );

  always_ff @(posedge clk) begin
    if (rst) begin
      pstate_q <= P_IDLE;
      vv_q <= '0;
      ov_q <= '0;
    end else begin
      vv_q <= {vv_q[2:0], pstate_q == P_VAR && issue_q < c_q};
      ov_q <= {ov_q[OL-2:0], o_issue};
      case (pstate_q)
        P_IDLE: if (rd_full) begin
          c_q <= rd_len;
          psum_q <= sum_q[rd_bank];
          pstate_q <= P_MEAN;
        end
        P_MEAN: if (div_ready) pstate_q <= P_MEAN_W;
        P_MEAN_W: if (div_valid) begin
          mean_q <= mean_neg ? -32'(div_q) : 32'(div_q);
          issue_q <= '0;
          got_q <= '0;
          sumsq_q <= '0;
          pstate_q <= P_VAR;
        end
        P_VAR: begin
          if (issue_q < c_q) issue_q <= issue_q + 1'b1;
          if (sq_valid_q) begin
            got_q <= got_q + 1'b1;
            sumsq_q <= sumsq_q + QW'(sq_q);
          end
          if (got_q == c_q) pstate_q <= P_SHIFT;
        end
        P_SHIFT: begin  // bits(S) = spos + 1; s = ceil((bits - 47) / 2) when bits > 47
          s_q <= spos >= $bits(spos)'(46) ? 5'((spos - $bits(spos)'(45)) >>> 1) : 5'd0;
          pstate_q <= P_SCALE;
        end
        P_SCALE: begin
          var_q <= 48'(sumsq_q >> {s_q, 1'b0});
          pstate_q <= P_SQRT;
        end
        P_SQRT: if (sqrt_ready) pstate_q <= P_SQRT_W;
        P_SQRT_W: if (sqrt_valid) begin
          root_q <= root;
          if (root == '0) begin
            factor_q <= '0;
            issue_q <= '0;
            pstate_q <= P_OUT;
          end else begin
            pstate_q <= P_DIV;
          end
        end
        P_DIV: if (div_ready) pstate_q <= P_DIV_W;
        P_DIV_W: if (div_valid) begin
          factor_q <= 48'(div_q);
          issue_q <= '0;
          pstate_q <= P_OUT;
        end
        P_OUT: if (o_issue) begin
          issue_q <= issue_q + 1'b1;
          if (issue_q == c_q - 1'b1) pstate_q <= P_IDLE;
        end
        default: pstate_q <= P_IDLE;
      endcase
    end
  end
endmodule

`default_nettype wire
