// The fused epilogue after the matmul engine: takes its int32 values (two per beat, in the
// engine's order for row tiles of TR rows; tile_walk tracks each value's row and column) and sends
// int8 rows, row-major, eight per beat (each row padded with zeros to whole beats), tlast on the
// last beat of the operation. Per value, by channel:
//   gelu = 0 (OP_LINEAR, golden.linear):   requant(q, m, e, bias)
//   gelu = 1 (OP_MM_GELU, golden.mm_gelu): requant(gelu(sat32(q + b)), m, e, bias)
//   ln = 1   (OP_MM_LN, golden.mm_ln):     requant(layernorm(h), ln_m, ln_e) over whole rows, with
//            h = residual_add(q, m, e, bias, r, m_r, e_r) (22-bit, rtl/residual_add.sv)
// The channel constants are written into RAMs by channel as they arrive beside the weights: the
// output requant's word (q_we/q_data) and the bias and GELU constants' (g_we/g_data), each laid
// out as golden.layout.CONST_WORDS says (ibert_pkg's <WORD>_<FIELD>_LSB and _W localparams).
// Each RAM is read where its stage begins: the GELU constants where values enter, the requant's
// where they leave the GELU (or enter, without it), each place following the values with its own
// tile_walk. A tile's int8 results are gathered in one half of a
// ping-pong buffer (eight byte lanes, written one byte a cycle), which is read out row by row
// while the next tile fills the other half. A full half stalls the pipeline, hence the engine.
// With ln, residual_add takes the requant's place, the residual r (int8, the tile's rows, written
// through r_we as they arrive ahead of the weights) read beside each value (r_free: the next
// tile's rows may be written, its last value has read them); the buffer gathers h
// as int32 (four byte lanes, two values a beat, so a row of n <= MAX_D values fits a row of MAX_N
// bytes); its rows are read out one value a cycle into ln_tail, which sends the int8 rows.
// With attn (OP_ATTENTION) the buffer is the context store instead: rtl/attention.sv writes the int8
// context byte by byte (x_we, at row * ceil(MAX_D/8) + col / 8), and after x_done its m rows of
// n bytes are sent as one tile (MAX_M * ceil(MAX_D/8) beats must fit the buffer's 2 TR NB_MAX).
`default_nettype none

module epilogue
  import ibert_pkg::*;
#(
    parameter int N1 = 4,
    parameter int TR = N1,          // rows per tile (one engine job)
    parameter int N2 = 4,
    parameter int MAX_M = 128,
    parameter int MAX_N = 1024,
    parameter int MAX_D = MAX_N / 4,  // the longest LayerNorm row
    parameter int RAM_BLOCK = 2048,   // bytes per block RAM of a buffer lane (rtl/ram_sdp.sv: 2K x 9)
    localparam int M_W = $clog2(MAX_M + 1),
    localparam int N_W = $clog2(MAX_N + 1),
    localparam int C_AW = $clog2(MAX_N),
    localparam int NB_D = (MAX_D + 7) / 8,
    localparam int RB_W = $clog2(NB_D + 1),
    localparam int X_COL_W = $clog2(MAX_D + 1)
) (
    input  wire logic              clk,
    input  wire logic              rst,
    input  wire logic              start,        // pulse: an operation of m rows, n channels
    input  wire logic              gelu,         // with start: bias and GELU before the requant
    input  wire logic              ln,           // with start: residual and LayerNorm (OP_MM_LN)
    input  wire logic              attn,         // with start: the context store (OP_ATTENTION)
    input  wire logic [M_W-1:0]    m,
    input  wire logic [N_W-1:0]    n,
    input  wire logic [C_AW-1:0]   c_addr,       // the channel of q_data / g_data / l_data
    input  wire logic              q_we,
    input  wire logic [LINEAR_CONST_BITS-1:0] q_data,  // the word "linear" (m, bias, e)
    input  wire logic              g_we,
    input  wire logic [GELU_CONST_BITS-1:0] g_data,    // the word "gelu" (bias, qb, qc, q1, shift)
    input  wire logic              l_we,         // ln: the channel's residual and LayerNorm constants
    input  wire logic [LN_CONST_BITS-1:0] l_data,      // the word "ln" (m_r, bias, e_r, e, shift, m)
    input  wire logic              r_we,         // ln: one beat of a residual row of the tile
    input  wire logic [$clog2(TR > 1 ? TR : 2)-1:0] r_row,
    input  wire logic [RB_W-1:0]   r_beat,
    input  wire logic [63:0]       r_data,
    output logic                   r_free,       // ln: no value still reads the residual rows held
    input  wire logic              x_we,         // attn: context byte (x_row, x_col) <= x_data
    input  wire logic [M_W-1:0]    x_row,
    input  wire logic [X_COL_W-1:0] x_col,
    input  wire logic [7:0]        x_data,
    input  wire logic              x_done,       // attn: the context is complete (with or after
                                                 // its last x_we); send it
    input  wire logic [63:0]       s_axis_tdata,
    input  wire logic              s_axis_tvalid,
    output logic                   s_axis_tready,
    output logic [63:0]            m_axis_tdata,
    output logic                   m_axis_tvalid,
    input  wire logic              m_axis_tready,
    output logic                   m_axis_tlast
);
  localparam int RW = TR > 1 ? $clog2(TR) : 1;
  localparam int NB_MAX = (MAX_N + 7) / 8;
  localparam int BW = NB_MAX > 1 ? $clog2(NB_MAX) : 1;
  localparam int HALF = TR * NB_MAX;                 // beats of one half of the gather buffer
  localparam int AW = $clog2(2 * HALF);              // bank * HALF + row * NB_MAX + beat
  localparam int RAW = $clog2(TR * NB_D);           // residual buffer: row * NB_D + beat

`ifdef __ICARUS__
  initial
`endif
  if (MAX_D < 2 || MAX_D > 2 * NB_MAX) begin : g_bad_parameters
    $fatal(1, "epilogue: a LayerNorm row of MAX_D int32 must fit a buffer row of MAX_N bytes");
  end

  logic gelu_q, ln_q, attn_q;
  always_ff @(posedge clk) if (start) {gelu_q, ln_q, attn_q} <= {gelu, ln, attn};

  // the context's byte writes, their address in two registered steps (the row times the constant
  // NB_D, then the column's beat added); the lane as a one-hot, then gated by the write, so each
  // lane's write enable leaves a flip-flop
  logic xw_q, xdone_q, xdone2_q;  // x_done follows the writes' two stages: it may come with the last
  logic [7:0] xl_q, xwe2_q;
  logic [7:0] xd_q, xd2_q;
  logic [AW-1:0] xr_q, xc_q, xa_q;
  always_ff @(posedge clk) begin
    xw_q <= x_we && !rst;
    xl_q <= 8'(1) << x_col[2:0];
    xd_q <= x_data;
    xr_q <= AW'(x_row) * AW'(NB_D);
    xc_q <= AW'(x_col >> 3);
    xwe2_q <= xw_q && !rst ? xl_q : '0;
    xdone_q <= x_done && !rst;
    xdone2_q <= xdone_q && !rst;
    xd2_q <= xd_q;
    xa_q <= xr_q + xc_q;
  end

  // ---------------------------------------------------------------- constants by channel
  // (rtl/ram_sdp.sv: each read three cycles of its stage's advance, below)

  // ---------------------------------------------------------------- values in: walker A
  // u_*: the engine's values one at a time; a job's odd final value comes with a pad, dropped.
  logic a_active, a_tile_last, a_op_last, sel_q, u_ready;
  logic [RW-1:0] a_row;
  logic [N_W-1:0] a_col;
  wire logic u_valid = s_axis_tvalid && a_active;
  wire logic [31:0] u_data = sel_q ? s_axis_tdata[63:32] : s_axis_tdata[31:0];
  wire logic u_take = u_valid && u_ready;
  assign s_axis_tready = u_take && (sel_q || a_tile_last);

  tile_walk #(.N1(N1), .N2(N2), .TR(TR), .M_W(M_W), .N_W(N_W)) u_walk_in (
      .clk, .rst, .start, .m, .n, .step(u_take), .active(a_active), .row(a_row), .col(a_col),
      .tile_last(a_tile_last), .op_last(a_op_last)
  );

  always_ff @(posedge clk) begin
    if (rst || start) sel_q <= 1'b0;
    else if (u_take) sel_q <= !sel_q && !a_tile_last;
  end

  // ---------------------------------------------------------------- bias and GELU (gelu_q)
  // p1: the value, its constants read as it enters; p1r, p1s: the constants RAM's output register
  // and block select (rtl/ram_sdp.sv); p2: the 33-bit sum; p3: saturated.
  logic [4:0] pv_q;
  logic signed [31:0] p1_q, p1r_q, p1s_q, p3_q;
  logic signed [32:0] p2_q;
  logic [GELU_CONST_BITS-1:0] gr_q;
  // the word's fields above the bias, carried along (stages 4, 5): with the value in the bias's
  // place they are rtl/gelu.sv's beat
  logic [GELU_CONST_BITS-GELU_QB_LSB-1:0] g3_q;
  logic g_ready, g_valid, g_last_unused, post_ready;
  logic signed [31:0] g_data_out;
  wire logic p_adv = g_ready || !pv_q[4];
  ram_sdp #(.W(GELU_CONST_BITS), .DEPTH(MAX_N)) u_gram (
      .clk, .ce(p_adv), .we(g_we), .waddr(c_addr), .wdata(g_data), .raddr(C_AW'(a_col)), .rdata(gr_q)
  );
  always_ff @(posedge clk) begin
    if (rst || start) begin
      pv_q <= '0;
    end else if (p_adv) begin
      pv_q <= {pv_q[3:0], u_take && gelu_q};
      if (u_take) p1_q <= u_data;
      p1r_q <= p1_q;
      p1s_q <= p1r_q;
      p2_q <= 33'(p1s_q) + 33'($signed(gr_q[GELU_BIAS_LSB+:GELU_BIAS_W]));
      p3_q <= p2_q > 33'sh7FFFFFFF ? 32'sh7FFFFFFF : p2_q < -33'sh80000000 ? -32'sh80000000 : p2_q[31:0];
    end
  end
  assign u_ready = gelu_q ? p_adv : post_ready;
  sreg #(.W(GELU_CONST_BITS - GELU_QB_LSB), .DEPTH(2)) u_g (
      .clk, .rst(1'b0), .ce(p_adv), .d(gr_q[GELU_CONST_BITS-1:GELU_QB_LSB]), .q(g3_q)
  );

  gelu u_gelu (
      .clk, .rst(rst || start), .s_axis_tdata({g3_q, p3_q}), .s_axis_tvalid(pv_q[4]),
      .s_axis_tready(g_ready), .s_axis_tlast(1'b0), .m_axis_tdata(g_data_out), .m_axis_tvalid(g_valid),
      .m_axis_tready(gelu_q && post_ready), .m_axis_tlast(g_last_unused)
  );

  // ---------------------------------------------------------------- requant: walker C
  // s1: the value, its constants read as it moves in; s2, s3: the RAMs' output registers and
  // block selects (rtl/ram_sdp.sv).
  logic c_active, c_tile_last, c_op_last_unused, rq_ready;
  logic [2:0] sv_q;                         // a value in s1, s2, s3
  logic [RW-1:0] c_row;
  logic [N_W-1:0] c_col;
  logic [31:0] q_q, q2_q, q3_q;
  logic [LINEAR_CONST_BITS-1:0] qc3_q;
  wire logic [31:0] rq_m = qc3_q[LINEAR_M_LSB+:LINEAR_M_W], rq_bias = qc3_q[LINEAR_BIAS_LSB+:LINEAR_BIAS_W];
  wire logic [5:0] rq_e = qc3_q[LINEAR_E_LSB+:LINEAR_E_W];
  // ln: the residual's {e_r, m_r} by channel, and the tile's residual rows
  typedef struct packed {logic [5:0] e_r; logic [31:0] m_r;} res_consts_t;  // the residual's RAM word
  res_consts_t rc3_q;
  logic [63:0] rr3_q;
  logic [2:0] rsel_q, rsel2_q, rsel3_q;
  wire logic [RAW-1:0] r_addr = RAW'(c_row) * RAW'(NB_D) + RAW'(c_col >> 3);
  wire logic post_valid = gelu_q ? g_valid : u_valid;
  wire logic s_adv = rq_ready || !sv_q[2];
  ram_sdp #(.W(LINEAR_CONST_BITS), .DEPTH(MAX_N)) u_qram (
      .clk, .ce(s_adv), .we(q_we), .waddr(c_addr), .wdata(q_data), .raddr(C_AW'(c_col)), .rdata(qc3_q)
  );
  ram_sdp #(.W($bits(res_consts_t)), .DEPTH(MAX_D)) u_rram (
      .clk, .ce(s_adv), .we(l_we), .waddr($clog2(MAX_D)'(c_addr)),
      .wdata({6'(l_data[LN_E_R_LSB+:LN_E_R_W]), l_data[LN_M_R_LSB+:LN_M_R_W]}),
      .raddr($clog2(MAX_D)'(c_col)), .rdata(rc3_q)
  );
  ram_sdp #(.W(64), .DEPTH(TR * NB_D)) u_rbuf (
      .clk, .ce(s_adv), .we(r_we), .waddr(RAW'(r_row) * RAW'(NB_D) + RAW'(r_beat)), .wdata(r_data),
      .raddr(r_addr), .rdata(rr3_q)
  );
  assign post_ready = c_active && s_adv;
  wire logic move = post_valid && post_ready;

  tile_walk #(.N1(N1), .N2(N2), .TR(TR), .M_W(M_W), .N_W(N_W)) u_walk_rq (
      .clk, .rst, .start, .m, .n, .step(move), .active(c_active), .row(c_row), .col(c_col),
      .tile_last(c_tile_last), .op_last(c_op_last_unused)
  );

  // the residual rows are free once the tile's last value has read its own (the read is on its move)
  always_ff @(posedge clk) begin
    if (rst || start) r_free <= 1'b1;
    else if (r_we) r_free <= 1'b0;
    else if (move && c_tile_last) r_free <= 1'b1;
  end

  always_ff @(posedge clk) begin
    if (rst || start) begin
      sv_q <= '0;
    end else if (s_adv) begin
      sv_q <= {sv_q[1:0], move};
      if (move) begin
        q_q <= gelu_q ? g_data_out : u_data;
        rsel_q <= c_col[2:0];
      end
      q2_q <= q_q;
      q3_q <= q2_q;
      rsel2_q <= rsel_q;
      rsel3_q <= rsel2_q;
    end
  end

  logic signed [7:0] rq_data;
  logic rq_valid, rq_take, rq_last_unused, q_ready, q_valid;
  requant #(.IN_W(32), .M_W(32), .OUT_W(8)) u_requant (
      .clk, .rst(rst || start),
      .s_axis_tdata({rq_e, rq_m, rq_bias, q3_q}),  // rtl/requant.sv's beat
      .s_axis_tvalid(sv_q[2] && !ln_q), .s_axis_tready(q_ready), .s_axis_tlast(1'b0),
      .m_axis_tdata(rq_data), .m_axis_tvalid(q_valid), .m_axis_tready(rq_take),
      .m_axis_tlast(rq_last_unused)
  );
  wire logic signed [7:0] r_byte = rr3_q[8*rsel3_q+:8];
  logic signed [ibert_pkg::RESID_BITS-1:0] h_data;
  logic h_ready, h_valid, h_last_unused;
  residual_add #(.R_W(8)) u_residual (  // r is the int8 layer input
      .clk, .rst(rst || start),
      .s_axis_tdata({rc3_q.e_r, rc3_q.m_r, 32'(r_byte), rq_e, rq_m, rq_bias, q3_q}),  // its beat
      .s_axis_tvalid(sv_q[2] && ln_q), .s_axis_tready(h_ready), .s_axis_tlast(1'b0),
      .m_axis_tdata(h_data), .m_axis_tvalid(h_valid), .m_axis_tready(rq_take),
      .m_axis_tlast(h_last_unused)
  );
  assign rq_ready = ln_q ? h_ready : q_ready;
  assign rq_valid = ln_q ? h_valid : q_valid;
  wire logic [31:0] h32 = 32'(h_data);

  // ---------------------------------------------------------------- gather: walker B
  logic [1:0] full_q;
  logic wbank_q, b_active, b_tile_last, b_op_last_unused;
  logic [RW-1:0] b_row;
  logic [N_W-1:0] b_col;
  assign rq_take = !full_q[wbank_q];
  wire logic wr = rq_valid && rq_take;

  tile_walk #(.N1(N1), .N2(N2), .TR(TR), .M_W(M_W), .N_W(N_W)) u_walk_out (
      .clk, .rst, .start, .m, .n, .step(wr), .active(b_active), .row(b_row), .col(b_col),
      .tile_last(b_tile_last), .op_last(b_op_last_unused)
  );

  // Dense addresses (a multiply by the constant NB_MAX: shifts and adds) keep the buffer at
  // 2 * TR * NB_MAX beats instead of the next powers of two.
  wire logic [AW-1:0] waddr = (wbank_q ? AW'(HALF) : '0) + AW'(b_row) * AW'(NB_MAX)
                            + (ln_q ? AW'(b_col >> 1) : AW'(b_col >> 3));
  // Each lane a byte-wide rtl/ram_sdp.sv (latency 3: read, output register, block select); the
  // context's writes (attn) take the port before the gathered results'
  logic [63:0] lanes_q;
  logic [AW-1:0] raddr;
  for (genvar l = 0; l < 8; l++) begin : g_lane
    wire logic w_lane = wr && (ln_q ? b_col[0] == l[2] : b_col[2:0] == 3'(l));
    ram_sdp #(.W(8), .DEPTH(2 * HALF), .BLOCK(RAM_BLOCK)) u_mem (
        .clk, .ce(1'b1), .we(xwe2_q[l] || w_lane), .waddr(xwe2_q[l] ? xa_q : waddr),
        .wdata(xwe2_q[l] ? xd2_q : ln_q ? h32[8*(l%4)+:8] : rq_data), .raddr, .rdata(lanes_q[8*l+:8])
    );
  end

  // ---------------------------------------------------------------- rows out
  logic rbank_q, r_active_q, can_issue;
  logic [2:0] issued_q, last_q;             // a read's issue and its row's last beat, 1-3 cycles on
  logic [M_W-1:0] r_left_q;
  logic [M_W-1:0] r_row_q;                  // the row within the tile (attn: within the context)
  logic [AW-1:0] r_base_q;                  // r_row_q times the row stride (NB_MAX; attn: NB_D)
  logic [BW:0] r_beat_q;                    // the beat (ln: the value) within the row
  logic [BW+1:0] nb_q;                      // beats (ln: values) per row
  logic [2:0] half_q;
  logic [2:0] tail_q;                       // n mod 8: valid bytes of a row's last beat (0: all)
  logic [2:0][7:0] keep_q;
  wire logic [M_W-1:0] r_tile_rows = attn_q || r_left_q < M_W'(TR) ? r_left_q : M_W'(TR);
  wire logic r_row_end = (BW + 2)'(r_beat_q) == nb_q - 1'b1;
  wire logic r_tile_end = r_row_end && r_row_q == r_tile_rows - 1'b1;
  wire logic issue = r_active_q && full_q[rbank_q] && can_issue;
  assign raddr = (rbank_q ? AW'(HALF) : '0) + r_base_q + (ln_q ? AW'(r_beat_q >> 1) : AW'(r_beat_q));

  always_ff @(posedge clk) begin
    if (rst || start) begin
      full_q <= '0;
      wbank_q <= 1'b0;
      rbank_q <= 1'b0;
      issued_q <= '0;
      r_active_q <= start;
      r_left_q <= m;
      r_row_q <= '0;
      r_base_q <= '0;
      r_beat_q <= '0;
      nb_q <= ln ? (BW + 2)'(n) : (BW + 2)'((32'(n) + 32'd7) >> 3);
      tail_q <= n[2:0];
    end else begin
      issued_q <= {issued_q[1:0], issue};
      last_q <= {last_q[1:0], issue && (ln_q ? r_row_end : r_tile_end && r_left_q == r_tile_rows)};
      half_q <= {half_q[1:0], r_beat_q[0]};
      keep_q <= {keep_q[1:0], r_row_end && tail_q != 0 ? ~(8'hFF << tail_q) : 8'hFF};
      if (wr && b_tile_last) begin
        full_q[wbank_q] <= 1'b1;
        wbank_q <= !wbank_q;
      end
      if (xdone2_q) full_q[0] <= 1'b1;
      if (issue) begin
        r_beat_q <= r_row_end ? '0 : r_beat_q + 1'b1;
        if (r_row_end) begin
          r_row_q <= r_tile_end ? '0 : r_row_q + 1'b1;
          r_base_q <= r_tile_end ? '0 : r_base_q + (attn_q ? AW'(NB_D) : AW'(NB_MAX));
        end
        if (r_tile_end) begin
          full_q[rbank_q] <= 1'b0;
          rbank_q <= !rbank_q;
          r_left_q <= r_left_q - r_tile_rows;
          if (r_left_q == r_tile_rows) r_active_q <= 1'b0;
        end
      end
    end
  end

  logic [63:0] row_beat;
  always_comb begin
    for (int l = 0; l < 8; l++) row_beat[8*l+:8] = keep_q[2][l] ? lanes_q[8*l+:8] : 8'd0;
    if (ln_q) row_beat = {32'd0, half_q[2] ? lanes_q[63:32] : lanes_q[31:0]};
  end

  // the row within a tile matters only where values are gathered; the channel fits C_AW bits
  wire logic unused_walk = &{1'b0, a_op_last, a_row, a_col, b_active, x_row};

  // rows out: int8 beats, or (ln) h one value a beat with tlast on each row, into ln_tail
  logic [63:0] o_tdata, t_tdata;
  logic o_tvalid, o_tready, o_tlast, t_tvalid, t_tlast;
  row_out #(.W(64), .DEPTH(8)) u_out (  // issue to in_valid: 3 cycles (the buffer's latency)
      .clk, .rst(rst || start), .can_issue, .issue, .in_data(row_beat), .in_valid(issued_q[2]),
      .in_last(last_q[2]), .m_axis_tdata(o_tdata), .m_axis_tvalid(o_tvalid), .m_axis_tready(o_tready),
      .m_axis_tlast(o_tlast)
  );
  logic t_ready;
  wire logic unused_o = &{1'b0, o_tdata[63:32]};
  ln_tail #(.MAX_C(MAX_D), .MAX_M(MAX_M)) u_ln_tail (
      .clk, .rst, .start, .m, .c_we(l_we), .c_addr($clog2(MAX_D)'(c_addr)),
      .c_data({5'(l_data[LN_SHIFT_LSB+:LN_SHIFT_W]), 6'(l_data[LN_E_LSB+:LN_E_W]), l_data[LN_M_LSB+:LN_M_W],
               l_data[LN_BIAS_LSB+:LN_BIAS_W]}),  // rtl/ln_tail.sv's word
      .s_axis_tdata(o_tdata[31:0]), .s_axis_tvalid(o_tvalid && ln_q), .s_axis_tready(t_ready),
      .s_axis_tlast(o_tlast), .m_axis_tdata(t_tdata), .m_axis_tvalid(t_tvalid),
      .m_axis_tready(m_axis_tready), .m_axis_tlast(t_tlast)
  );
  assign o_tready = ln_q ? t_ready : m_axis_tready;
  assign m_axis_tdata = ln_q ? t_tdata : o_tdata;
  assign m_axis_tvalid = ln_q ? t_tvalid : o_tvalid;
  assign m_axis_tlast = ln_q ? t_tlast : o_tlast;
endmodule

`default_nettype wire
