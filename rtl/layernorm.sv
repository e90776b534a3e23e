// Integer LayerNorm over rows (tlast ends a row) of 1..MAX_C int32 values, with I-BERT's folded
// bias. Matches golden.layernorm:
//   mean = floor((sum + C/2) / C); y = q - mean; S = sum(y^2) (exact); s = the smallest shift with
//   S >> 2s < 2^47 (leading-one detection on S); r = isqrt(S >> 2s) (48-bit input);
//   factor = floor(2^47 / r), 0 if r = 0; out = sat32(((y * factor) >>> (s + shift + 16)) + bias[c]).
//
// The folded bias is per channel and stored once per channel: write bias[c] through bias_we /
// bias_addr / bias_data before the rows that use it (not while a row is being output). Rows carry
// q only. Rows overlap through row_buffer: ingest (one value per cycle) fills one bank and keeps
// the row's sum and its exact sum of squares Q = sum(q^2) (mul_pipe, five cycles behind), while
// the processor runs the other bank. S needs no pass of its own: S = Q - mean * (2 sum - C mean),
// the same integer as sum((q - mean)^2). Per row the processor runs: mean (divider, DW + 1
// cycles), C * mean and then mean * (2 sum - C mean) (both on the output pass's multiplier, idle
// then), S and its shift (lopd) and the shifted variance, isqrt (iterative: one root per row, 25
// cycles), 2^47 / r (the same divider), output (one value per cycle, credits from row_out). Row
// passes hold one carry chain or one DSP level per stage (buffer read and its register, y,
// mul_pipe; then shift, bias (the product clamped to 34 bits first), saturate). About one cycle
// per value plus a per-row overhead of about 140 cycles (bench/nonlinear_cycles.py measures
// both). A zero-variance row gives the bias (factor 0). Values past MAX_C are dropped (the row is its first MAX_C values) and err_long is
// set until reset. shift is held during use.
`default_nettype none

module layernorm #(
    parameter int MAX_C = 768,  // longest row (synthesis-time maximum), 2..8192
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
  localparam int QW = 64 + CW;              // sums of squares: q^2 <= 2^62, (q - mean)^2 < 2^64
  localparam int DW = SW + 1 > 48 ? SW + 1 : 48;  // divider: |sum + C/2| and 2^47
  localparam int XW = 49;                   // 2 sum - C mean (|.| < 2^(SW + 1)): the multiplier's a

  // Parameter check: stops elaboration in yosys and Verilator; Icarus 11 has no elaboration-time
  // $fatal, so there the same block runs at time 0 and stops the simulation.
`ifdef __ICARUS__
  initial
`endif
  if (MAX_C < 2 || SW + 2 > XW) begin : g_bad_parameters
    $fatal(1, "layernorm: MAX_C=%0d must be 2..8192 (2 sum - C mean must fit 49 bits)", MAX_C);
  end

  // ---------------------------------------------------------------- ingest: rows, sums, squares
  logic in_take, in_first, in_close, in_bank, rd_full, rd_bank, release_bank;
  logic [CW-1:0] rd_len, c_q, issue_q;
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

  // q^2 five cycles behind its value (mul_pipe), summed per row beside the sum; the bank's Q is
  // stored six cycles after its tlast, long before the processor reads it (after the mean's
  // division, DW + 1 cycles after the row is complete)
  logic signed [65:0] sq;
  mul_pipe #(.A_W(33), .B_W(33)) u_square (
      .clk, .ce(1'b1), .a(33'(q_in)), .b(33'(q_in)), .p(sq)
  );
  logic sq_take, sq_first, sq_close, sq_bank;
  sreg #(.W(4), .DEPTH(5)) u_sq_ctl (
      .clk, .rst, .ce(1'b1), .d({in_take, in_first, in_close, in_bank}), .q({sq_take, sq_first, sq_close, sq_bank})
  );
  wire unused_sq = ^sq[65:63];
  logic [QW-1:0] wsq_q, sumsq_in_q [2];
  wire logic [QW-1:0] new_sq = sq_take ? (sq_first ? '0 : wsq_q) + QW'(sq[62:0]) : wsq_q;
  always_ff @(posedge clk) begin
    wsq_q <= new_sq;
    if (sq_close) sumsq_in_q[sq_bank] <= new_sq;
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
  typedef enum logic [3:0] {P_IDLE, P_MEAN, P_MEAN_W, P_CM, P_X, P_SHIFT, P_SCALE, P_SQRT, P_SQRT_W,
                            P_DIV, P_DIV_W, P_OUT} pstate_e;
  pstate_e pstate_q;
  logic signed [SW-1:0] psum_q;
  logic signed [31:0] mean_q;
  logic [4:0] s_q;
  logic [QW-1:0] sumsq_q;     // Q, then S
  logic [47:0] var_q;
  logic [47:0] factor_q;      // floor(2^47 / r) <= 2^47
  logic [23:0] root, root_q;  // the root (unit output, held copy)
  logic signed [XW-1:0] x_q;  // C * mean, then 2 sum - C mean
  logic [2:0] wait_q;         // cycles the multiplier's operands have been held

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

  // output pass: buffer read and its register (row_buffer, 2 cycles), y = q - mean (3),
  // y * factor (mul_pipe, 4-8), >>> (s + shift) (9), + bias (10), saturated (11) -> row_out.
  // Between rows the same multiplier gives C * mean (P_CM) and mean * (2 sum - C mean) (P_X).
  localparam int OL = 11;
  logic can_issue, o_issue;
  logic [OL-1:0] ov_q, ol_q;
  logic signed [32:0] y_q;
  logic signed [81:0] prod_q, sh_q;
  logic signed [34:0] scaled_q;
  logic signed [31:0] bias_s9;
  logic [31:0] result_q;
  logic [5:0] s_out_q;
  assign o_issue = pstate_q == P_OUT && can_issue;
  assign release_bank = o_issue && issue_q == c_q - 1'b1;
  always_ff @(posedge clk) y_q <= 33'($signed(q_rd)) - 33'(mean_q);
  // the shifted product clamped to 34 bits before the bias: past +-2^33 the sum with a 32-bit bias
  // saturates the same way, and the add is a 35-bit carry chain instead of an 82-bit one. Golden's
  // arithmetic keeps |sh| below about 2^31 (|y| <= (r + 1) 2^s), so the clamp saturates by design
  // and is never reached: no bench can drive it.
  wire logic sh_fits = &sh_q[81:33] | ~|sh_q[81:33];
  wire logic signed [33:0] sh_c = sh_fits ? sh_q[33:0] : {sh_q[81], {33{~sh_q[81]}}};

  wire logic stat_mul = pstate_q == P_CM || pstate_q == P_X;
  wire logic signed [XW-1:0] mul_a = pstate_q == P_CM ? XW'(c_q)
                                   : pstate_q == P_X ? x_q : $signed({1'b0, factor_q});
  wire logic signed [32:0] mul_b = stat_mul ? 33'(mean_q) : y_q;
  mul_pipe #(.A_W(XW), .B_W(33)) u_scale (  // factor as the 49-bit operand: it reaches 2^47
      .clk, .ce(1'b1), .a(mul_a), .b(mul_b), .p(prod_q)
  );
  sreg #(.W(32), .DEPTH(7)) u_bias (.clk, .rst(1'b0), .ce(1'b1), .d(bias_rd_q), .q(bias_s9));  // stages 3-9
  always_ff @(posedge clk) begin
    s_out_q <= 6'(s_q) + 6'(shift) + 6'd16;
    ol_q <= {ol_q[OL-2:0], o_issue && issue_q == c_q - 1'b1};
    sh_q <= prod_q >>> s_out_q;
    scaled_q <= 35'(sh_c) + 35'(bias_s9);
    result_q <= scaled_q > 35'sd2147483647 ? 32'h7fff_ffff
              : scaled_q < -35'sd2147483648 ? 32'h8000_0000 : 32'(scaled_q);
  end

  row_out #(.W(32), .DEPTH(16)) u_out (  // DEPTH > OL + 2: full rate
      .clk, .rst, .can_issue, .issue(o_issue), .in_data(result_q), .in_valid(ov_q[OL-1]),
      .in_last(ol_q[OL-1]), .m_axis_tdata, .m_axis_tvalid, .m_axis_tready, .m_axis_tlast
  );

  // the multiplier's product is ready once its operands have been held five cycles (its latency)
  wire logic mul_done = wait_q == 3'd5;
  always_ff @(posedge clk) begin
    if (rst) begin
      pstate_q <= P_IDLE;
      ov_q <= '0;
    end else begin
      ov_q <= {ov_q[OL-2:0], o_issue};
      wait_q <= stat_mul && !mul_done ? wait_q + 1'b1 : '0;
      case (pstate_q)
        P_IDLE: if (rd_full) begin
          c_q <= rd_len;
          psum_q <= sum_q[rd_bank];
          pstate_q <= P_MEAN;
        end
        P_MEAN: if (div_ready) pstate_q <= P_MEAN_W;
        P_MEAN_W: if (div_valid) begin
          mean_q <= mean_neg ? -32'(div_q) : 32'(div_q);
          sumsq_q <= sumsq_in_q[rd_bank];
          pstate_q <= P_CM;
        end
        P_CM: if (mul_done) begin  // x = 2 sum - C mean
          x_q <= (XW'(psum_q) <<< 1) - XW'(prod_q);
          pstate_q <= P_X;
        end
        P_X: if (mul_done) begin   // S = Q - mean * (2 sum - C mean), exact and >= 0
          sumsq_q <= QW'(82'(sumsq_q) - prod_q);
          pstate_q <= P_SHIFT;
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
