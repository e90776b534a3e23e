// Integer softmax over rows (tlast ends a row), rows of 1..MAX_N int32 scores -> unsigned 8-bit
// probabilities in [0, 255] at scale 2^-8 (the unsigned A operand of mm). Matches golden.softmax.
//
// Per row: x = max(s - rowmax, -2^31), rounded half up by 2^in_shift; e = exp(x) >> es with
// es = max(0, lopd(qc) + 1 - 16); sum = sum(e); factor = floor(2^31 / sum) (div);
// out = min(round_half_up(e * factor / 2^23), 255).
//
// Three rows overlap: ingest stores row r+2 in row_buffer and tracks its maximum, while the exp
// stage runs row r+1 through exp (one element per cycle; narrowed exps go to one of two 16-bit
// banks and are summed) and the normalize stage runs row r through the divider (33 cycles) and
// the normalizer (one element per cycle from the other bank, credits from row_out). Every stage
// holds one carry chain or one DSP level (exp feed: buffer read and its register, subtract, clamp
// and shift, round; exp; narrow; normalizer: read, mul_pipe, round, clamp). Throughput: a row of
// n every n + about 45 cycles (the normalize stage's), about 1.3 cycles per element at n = 128
// (bench/nonlinear_cycles.py measures it). Constants, held during use: golden's SoftmaxConsts plus x0_recip =
// floor(2^22 / -x0) for exp. Elements past MAX_N in a row are dropped (the row is processed as its
// first MAX_N scores) and err_long is set until reset.
`default_nettype none

module softmax #(
    parameter int MAX_N = 128   // longest row (synthesis-time maximum), >= 2
) (
    input  wire logic                 clk,
    input  wire logic                 rst,
    input  wire logic signed [16:0]   x0,
    input  wire logic [20:0]          qb,
    input  wire logic [30:0]          qc,
    input  wire logic [22:0]          x0_recip,
    input  wire logic [4:0]           in_shift,
    output logic                      err_long,
    input  wire logic signed [31:0]   s_axis_tdata,
    input  wire logic                 s_axis_tvalid,
    output logic                      s_axis_tready,
    input  wire logic                 s_axis_tlast,
    output logic [7:0]                m_axis_tdata,
    output logic                      m_axis_tvalid,
    input  wire logic                 m_axis_tready,
    output logic                      m_axis_tlast
);
  localparam int AW = $clog2(MAX_N);
  localparam int LW = $clog2(MAX_N + 1);

  // ---------------------------------------------------------------- ingest: rows and their maxima
  logic in_take, in_first, in_close, in_bank, rd_full, rd_bank, release_bank;
  logic [LW-1:0] rd_len, issue_q;
  logic [31:0] s_rd;
  row_buffer #(.W(32), .MAX(MAX_N)) u_rows (
      .clk, .rst, .s_axis_tdata(s_axis_tdata), .s_axis_tvalid, .s_axis_tready, .s_axis_tlast,
      .in_take, .in_first, .in_close, .in_bank, .err_long,
      .rd_full, .rd_len, .rd_bank, .rd_release(release_bank), .rd_index(AW'(issue_q)), .rd_data(s_rd)
  );
  logic signed [31:0] wmax_q, max_q [2];
  wire logic signed [31:0] new_max = in_take && (in_first || s_axis_tdata > wmax_q) ? s_axis_tdata : wmax_q;
  always_ff @(posedge clk) begin
    wmax_q <= new_max;
    if (in_close) max_q[in_bank] <= new_max;
  end

  // ---------------------------------------------------------------- process: two stages
  // The exp stage runs a row from the row buffer through exp into exp bank eb (and sums it), then
  // hands the row (length, sum, bank) to the normalize stage once that stage is idle, and takes
  // the next row into the other bank. The normalize stage runs the divider, then the normalizer
  // over its bank. So row r + 1's exps overlap row r's division and normalization.
  typedef enum logic [1:0] {E_IDLE, E_RUN, E_HAND} estate_e;
  typedef enum logic [1:0] {N_IDLE, N_DIV, N_WAIT, N_OUT} nstate_e;
  estate_e es_q;
  nstate_e ns_q;
  logic [LW-1:0] plen_q, got_q, nlen_q, oissue_q;
  logic signed [31:0] pmax_q;
  logic eb_q, nb_q;                       // the exp stage's bank, the normalize stage's bank
  wire logic hand = es_q == E_HAND && ns_q == N_IDLE;

  // per-job constants, registered from the ports (held during use)
  logic sh0_q;
  logic [4:0] sh1_q, es_sh_q;
  logic signed [5:0] qc_pos;
  lopd #(.W(32)) u_lopd (.x({1'b0, qc}), .pos(qc_pos));
  always_ff @(posedge clk) begin
    sh0_q <= in_shift == 5'd0;
    sh1_q <= in_shift - 5'd1;
    es_sh_q <= qc_pos >= 6'sd15 ? 5'(qc_pos - 6'sd15) : 5'd0;  // es = max(0, lopd(qc) + 1 - 16)
  end

  // exp feed: x = s - max (stage 3), clamp and shift by in_shift - 1 (4), round (5) -> exp
  logic [4:0] xv_q;   // valid: buffer read, its register, x, shifted, rounded
  logic signed [32:0] xd_q, xs_q;
  logic signed [31:0] xr_q;
  always_ff @(posedge clk) begin
    xd_q <= 33'($signed(s_rd)) - 33'(pmax_q);
    xs_q <= (xd_q < -33'sd2147483648 ? -33'sd2147483648 : xd_q) >>> (sh0_q ? 5'd0 : sh1_q);
    xr_q <= sh0_q ? 32'(xs_q) : 32'((xs_q + 33'sd1) >>> 1);
  end

  logic [31:0] e_raw;
  logic e_valid, exp_ready_unused, e_last_unused;
  exp u_exp (
      .clk, .rst, .x0, .qb, .qc, .x0_recip,
      .s_axis_tdata(xr_q), .s_axis_tvalid(xv_q[4]), .s_axis_tready(exp_ready_unused),
      .s_axis_tlast(1'b0), .m_axis_tdata(e_raw), .m_axis_tvalid(e_valid), .m_axis_tready(1'b1),
      .m_axis_tlast(e_last_unused)
  );

  // narrowed exps, registered, then summed and stored in the exp stage's bank
  logic [15:0] en_q;
  logic en_valid_q;
  logic [15:0] emem [2 * (1 << AW)];      // two banks, the second at 2^AW
  logic [31:0] sum_q, nsum_q;
  always_ff @(posedge clk) begin
    en_q <= 16'(e_raw >> es_sh_q);
    if (en_valid_q) emem[{eb_q, AW'(got_q)}] <= en_q;
  end

  // divider: factor = floor(2^31 / sum)
  logic div_in_valid, div_ready, div_valid, div_last_unused;
  logic [31:0] factor, factor_q;
  div #(.W(32)) u_div (
      .clk, .rst, .s_axis_tdata({nsum_q, 32'h8000_0000}), .s_axis_tvalid(div_in_valid),
      .s_axis_tready(div_ready), .s_axis_tlast(1'b0), .m_axis_tdata(factor), .m_axis_tvalid(div_valid),
      .m_axis_tready(1'b1), .m_axis_tlast(div_last_unused)
  );
  assign div_in_valid = ns_q == N_DIV;

  // normalizer: e read (1) -> e * factor (mul_pipe, 2-6) -> round (7) -> clamp (8) -> row_out
  localparam int OL = 8;
  logic can_issue, o_issue;
  logic [OL-1:0] ov_q, ol_q;
  logic [15:0] e_rd;
  logic signed [50:0] prod;
  logic [24:0] rounded_q;
  logic [7:0] prob_q;
  assign o_issue = ns_q == N_OUT && can_issue;
  assign release_bank = es_q == E_RUN && got_q == plen_q;  // every exp is in: the bank is free

  mul_pipe #(.A_W(17), .B_W(34)) u_norm (
      .clk, .ce(1'b1), .a($signed({1'b0, e_rd})), .b($signed({2'b0, factor_q})), .p(prod)
  );
  always_ff @(posedge clk) begin
    e_rd <= emem[{nb_q, AW'(oissue_q)}];
    rounded_q <= 25'(((prod >>> 22) + 51'sd1) >>> 1);  // round half up by 2^23
    prob_q <= rounded_q > 25'd255 ? 8'd255 : 8'(rounded_q);
    ol_q <= {ol_q[OL-2:0], o_issue && oissue_q == nlen_q - 1'b1};
  end
  wire unused_prod = ^{prod[50:48], prod[21:0]};

  row_out #(.W(8), .DEPTH(16)) u_out (  // DEPTH > OL + 2: full rate
      .clk, .rst, .can_issue, .issue(o_issue), .in_data(prob_q), .in_valid(ov_q[OL-1]), .in_last(ol_q[OL-1]),
      .m_axis_tdata, .m_axis_tvalid, .m_axis_tready, .m_axis_tlast
  );

  always_ff @(posedge clk) begin
    if (rst) begin
      es_q <= E_IDLE;
      ns_q <= N_IDLE;
      eb_q <= 1'b0;
      xv_q <= '0;
      en_valid_q <= 1'b0;
      ov_q <= '0;
    end else begin
      xv_q <= {xv_q[3:0], es_q == E_RUN && issue_q < plen_q};
      en_valid_q <= e_valid;
      ov_q <= {ov_q[OL-2:0], o_issue};
      case (es_q)
        E_IDLE: if (rd_full) begin
          plen_q <= rd_len;
          issue_q <= '0;
          pmax_q <= max_q[rd_bank];
          got_q <= '0;
          sum_q <= '0;
          es_q <= E_RUN;
        end
        E_RUN: begin
          if (issue_q < plen_q) issue_q <= issue_q + 1'b1;
          if (en_valid_q) begin
            got_q <= got_q + 1'b1;
            sum_q <= sum_q + 32'(en_q);
          end
          if (got_q == plen_q) es_q <= E_HAND;
        end
        E_HAND: if (hand) begin
          eb_q <= ~eb_q;
          es_q <= E_IDLE;
        end
        default: es_q <= E_IDLE;
      endcase
      case (ns_q)
        N_IDLE: if (hand) begin
          nlen_q <= plen_q;
          nsum_q <= sum_q;
          nb_q <= eb_q;
          ns_q <= N_DIV;
        end
        N_DIV: if (div_ready) ns_q <= N_WAIT;
        N_WAIT: if (div_valid) begin
          factor_q <= factor;
          oissue_q <= '0;
          ns_q <= N_OUT;
        end
        N_OUT: if (o_issue) begin
          if (oissue_q == nlen_q - 1'b1) ns_q <= N_IDLE;
          oissue_q <= oissue_q + 1'b1;
        end
        default: ns_q <= N_IDLE;
      endcase
    end
  end
endmodule

`default_nettype wire
