// The fused epilogue after the matmul engine: takes its int32 values (two per beat, in the
// engine's order for row tiles of TR rows; tile_walk tracks each value's row and column) and sends
// int8 rows, row-major, eight per beat (each row padded with zeros to whole beats), tlast on the
// last beat of the operation. Per value, by channel:
//   gelu = 0 (OP_LINEAR, golden.linear):   requant(q, m, e, bias)
//   gelu = 1 (OP_MM_GELU, golden.mm_gelu): requant(gelu(sat32(q + b)), m, e, bias)
// The channel constants are written into two RAMs by channel as they arrive beside the weights:
// {e, bias, m} of the output requant (q_we/q_data) and {shift, q1, qc, qb, b} of the bias and
// GELU (g_we/g_data). Each RAM is read where its stage begins: the GELU constants where values
// enter, the requant's where they leave the GELU (or enter, without it), each place following
// the values with its own tile_walk. A tile's int8 results are gathered in one half of a
// ping-pong buffer (eight byte lanes, written one byte a cycle), which is read out row by row
// while the next tile fills the other half. A full half stalls the pipeline, hence the engine.
`default_nettype none

module epilogue #(
    parameter int N1 = 4,
    parameter int TR = N1,          // rows per tile (one engine job)
    parameter int N2 = 4,
    parameter int MAX_M = 128,
    parameter int MAX_N = 1024,
    localparam int M_W = $clog2(MAX_M + 1),
    localparam int N_W = $clog2(MAX_N + 1),
    localparam int C_AW = $clog2(MAX_N)
) (
    input  wire logic              clk,
    input  wire logic              rst,
    input  wire logic              start,        // pulse: an operation of m rows, n channels
    input  wire logic              gelu,         // with start: bias and GELU before the requant
    input  wire logic [M_W-1:0]    m,
    input  wire logic [N_W-1:0]    n,
    input  wire logic [C_AW-1:0]   c_addr,       // the channel of q_data / g_data
    input  wire logic              q_we,
    input  wire logic [69:0]       q_data,       // {e[5:0], bias[31:0], m[31:0]}
    input  wire logic              g_we,
    input  wire logic [138:0]      g_data,       // {shift[5:0], q1[31:0], qc[45:0], qb[22:0], b[31:0]}
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

  logic gelu_q;
  always_ff @(posedge clk) if (start) gelu_q <= gelu;

  // ---------------------------------------------------------------- constants by channel
  logic [69:0] qram [MAX_N];
  logic [138:0] gram [MAX_N];
  logic [69:0] qc_q;
  logic [138:0] gc_q;
  always_ff @(posedge clk) begin
    if (q_we) qram[c_addr] <= q_data;
    if (g_we) gram[c_addr] <= g_data;
  end

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
  // p1: the value, its constants read as it enters; p1r: the RAM's output register (a block RAM
  // read with its output registered); p2: the 33-bit sum; p3: saturated.
  logic [3:0] pv_q;
  logic signed [31:0] p1_q, p1r_q, p3_q;
  logic signed [32:0] p2_q;
  logic [138:0] gr_q;
  logic [106:0] g2_q, g3_q;                 // {shift, q1, qc, qb} carried along
  logic g_ready, g_valid, g_last_unused, post_ready;
  logic signed [31:0] g_data_out;
  wire logic p_adv = g_ready || !pv_q[3];
  always_ff @(posedge clk) begin
    if (rst || start) begin
      pv_q <= '0;
    end else if (p_adv) begin
      pv_q <= {pv_q[2:0], u_take && gelu_q};
      if (u_take) begin
        p1_q <= u_data;
        gc_q <= gram[C_AW'(a_col)];
      end
      p1r_q <= p1_q;
      gr_q <= gc_q;
      p2_q <= 33'(p1r_q) + 33'($signed(gr_q[31:0]));
      g2_q <= gr_q[138:32];
      p3_q <= p2_q > 33'sh7FFFFFFF ? 32'sh7FFFFFFF : p2_q < -33'sh80000000 ? -32'sh80000000 : p2_q[31:0];
      g3_q <= g2_q;
    end
  end
  assign u_ready = gelu_q ? p_adv : post_ready;

  gelu u_gelu (
      .clk, .rst(rst || start), .s_axis_tdata({g3_q, p3_q}), .s_axis_tvalid(pv_q[3]),
      .s_axis_tready(g_ready), .s_axis_tlast(1'b0), .m_axis_tdata(g_data_out), .m_axis_tvalid(g_valid),
      .m_axis_tready(gelu_q && post_ready), .m_axis_tlast(g_last_unused)
  );

  // ---------------------------------------------------------------- requant: walker C
  // s1: the value, its constants read as it moves in; s2: the RAM's output register.
  logic c_active, c_tile_last_unused, c_op_last_unused, s1_valid_q, s2_valid_q, rq_ready;
  logic [RW-1:0] c_row_unused;
  logic [N_W-1:0] c_col;
  logic [31:0] q_q, q2_q;
  logic [69:0] qc2_q;
  wire logic post_valid = gelu_q ? g_valid : u_valid;
  wire logic s_adv = rq_ready || !s2_valid_q;
  assign post_ready = c_active && s_adv;
  wire logic move = post_valid && post_ready;

  tile_walk #(.N1(N1), .N2(N2), .TR(TR), .M_W(M_W), .N_W(N_W)) u_walk_rq (
      .clk, .rst, .start, .m, .n, .step(move), .active(c_active), .row(c_row_unused), .col(c_col),
      .tile_last(c_tile_last_unused), .op_last(c_op_last_unused)
  );

  always_ff @(posedge clk) begin
    if (rst || start) begin
      s1_valid_q <= 1'b0;
      s2_valid_q <= 1'b0;
    end else if (s_adv) begin
      s1_valid_q <= move;
      if (move) begin
        q_q <= gelu_q ? g_data_out : u_data;
        qc_q <= qram[C_AW'(c_col)];
      end
      s2_valid_q <= s1_valid_q;
      q2_q <= q_q;
      qc2_q <= qc_q;
    end
  end

  logic signed [7:0] rq_data;
  logic rq_valid, rq_take, rq_last_unused;
  requant #(.IN_W(32), .M_W(32), .OUT_W(8)) u_requant (
      .clk, .rst(rst || start),
      .s_axis_tdata({qc2_q[69:64], qc2_q[31:0], qc2_q[63:32], q2_q}),
      .s_axis_tvalid(s2_valid_q), .s_axis_tready(rq_ready), .s_axis_tlast(1'b0),
      .m_axis_tdata(rq_data), .m_axis_tvalid(rq_valid), .m_axis_tready(rq_take),
      .m_axis_tlast(rq_last_unused)
  );

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
  wire logic [AW-1:0] waddr = (wbank_q ? AW'(HALF) : '0) + AW'(b_row) * AW'(NB_MAX) + AW'(b_col >> 3);
  logic [63:0] lanes;
  logic [AW-1:0] raddr;
  for (genvar l = 0; l < 8; l++) begin : g_lane
    logic [7:0] mem [2 * HALF];
    logic [7:0] rd_q;
    always_ff @(posedge clk) begin
      if (wr && b_col[2:0] == 3'(l)) mem[waddr] <= rq_data;
      rd_q <= mem[raddr];
    end
    assign lanes[8*l+:8] = rd_q;
  end

  // ---------------------------------------------------------------- rows out
  logic rbank_q, r_active_q, can_issue, issued_q, last_q, issued2_q, last2_q;
  logic [M_W-1:0] r_left_q;
  logic [RW-1:0] r_row_q;
  logic [BW-1:0] r_beat_q;
  logic [BW:0] nb_q;                        // beats per row
  logic [2:0] tail_q;                       // n mod 8: valid bytes of a row's last beat (0: all)
  logic [7:0] keep_q, keep2_q;
  logic [63:0] lanes_q;                     // the buffer's output register
  wire logic [M_W-1:0] r_tile_rows = r_left_q < M_W'(TR) ? r_left_q : M_W'(TR);
  wire logic r_row_end = (BW + 1)'(r_beat_q) == nb_q - 1'b1;
  wire logic r_tile_end = r_row_end && M_W'(r_row_q) == r_tile_rows - 1'b1;
  wire logic issue = r_active_q && full_q[rbank_q] && can_issue;
  assign raddr = (rbank_q ? AW'(HALF) : '0) + AW'(r_row_q) * AW'(NB_MAX) + AW'(r_beat_q);

  always_ff @(posedge clk) begin
    if (rst || start) begin
      full_q <= '0;
      wbank_q <= 1'b0;
      rbank_q <= 1'b0;
      issued_q <= 1'b0;
      issued2_q <= 1'b0;
      r_active_q <= start;
      r_left_q <= m;
      r_row_q <= '0;
      r_beat_q <= '0;
      nb_q <= (BW + 1)'((32'(n) + 32'd7) >> 3);
      tail_q <= n[2:0];
    end else begin
      issued_q <= issue;
      issued2_q <= issued_q;
      last2_q <= last_q;
      keep2_q <= keep_q;
      lanes_q <= lanes;
      last_q <= issue && r_tile_end && r_left_q == r_tile_rows;
      keep_q <= r_row_end && tail_q != 0 ? ~(8'hFF << tail_q) : 8'hFF;
      if (wr && b_tile_last) begin
        full_q[wbank_q] <= 1'b1;
        wbank_q <= !wbank_q;
      end
      if (issue) begin
        r_beat_q <= r_row_end ? '0 : r_beat_q + 1'b1;
        if (r_row_end) r_row_q <= r_tile_end ? '0 : r_row_q + 1'b1;
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
  always_comb for (int l = 0; l < 8; l++) row_beat[8*l+:8] = keep2_q[l] ? lanes_q[8*l+:8] : 8'd0;

  // the row within a tile matters only where values are gathered; the channel fits C_AW bits
  wire logic unused_walk = &{1'b0, a_op_last, a_row, a_col, c_col, b_active};

  row_out #(.W(64), .DEPTH(8)) u_out (  // issue to in_valid: 2 cycles (read, output register)
      .clk, .rst(rst || start), .can_issue, .issue, .in_data(row_beat), .in_valid(issued2_q),
      .in_last(last2_q), .m_axis_tdata, .m_axis_tvalid, .m_axis_tready, .m_axis_tlast
  );
endmodule

`default_nettype wire
