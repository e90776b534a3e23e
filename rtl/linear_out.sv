// The requant epilogue of OP_LINEAR: takes the matmul engine's int32 values (two per beat, in the
// engine's order for row tiles of N1 rows; tile_walk tracks each value's row and column), requants
// each with its channel's constants, and sends int8 rows, row-major, eight per beat (each row
// padded with zeros to whole beats), tlast on the last beat of the operation. Matches
// golden.linear together with the engine.
//
// Channel constants {e, bias, m} are written into a RAM by channel (c_we/c_addr/c_data) as they
// arrive beside the weights. A tile's int8 results are gathered in one half of a ping-pong buffer
// (eight byte lanes, written one byte a cycle), which is read out row by row while the next tile
// fills the other half. A full half stalls the requant pipeline, hence the engine.
`default_nettype none

module linear_out #(
    parameter int N1 = 4,
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
    input  wire logic [M_W-1:0]    m,
    input  wire logic [N_W-1:0]    n,
    input  wire logic              c_we,
    input  wire logic [C_AW-1:0]   c_addr,
    input  wire logic [69:0]       c_data,       // {e[5:0], bias[31:0], m[31:0]}
    input  wire logic [63:0]       s_axis_tdata,
    input  wire logic              s_axis_tvalid,
    output logic                   s_axis_tready,
    output logic [63:0]            m_axis_tdata,
    output logic                   m_axis_tvalid,
    input  wire logic              m_axis_tready,
    output logic                   m_axis_tlast
);
  localparam int RW = N1 > 1 ? $clog2(N1) : 1;
  localparam int NB_MAX = (MAX_N + 7) / 8;
  localparam int BW = NB_MAX > 1 ? $clog2(NB_MAX) : 1;
  localparam int AW = 1 + RW + BW;                   // {bank, row, beat}

  // ---------------------------------------------------------------- constants by channel
  logic [69:0] cram [MAX_N];
  logic [69:0] cdata_q;
  always_ff @(posedge clk) if (c_we) cram[c_addr] <= c_data;

  // ---------------------------------------------------------------- values in: walker A
  logic a_active, a_tile_last, a_op_last, sel_q, s1_valid_q, rq_ready;
  logic [RW-1:0] a_row;
  logic [N_W-1:0] a_col;
  logic [31:0] q_q;
  wire logic move = s_axis_tvalid && a_active && (!s1_valid_q || rq_ready);
  assign s_axis_tready = move && (sel_q || a_tile_last);  // a job's odd final value: the pad goes too

  tile_walk #(.N1(N1), .N2(N2), .M_W(M_W), .N_W(N_W)) u_walk_in (
      .clk, .rst, .start, .m, .n, .step(move), .active(a_active), .row(a_row), .col(a_col),
      .tile_last(a_tile_last), .op_last(a_op_last)
  );

  always_ff @(posedge clk) begin
    if (rst || start) begin
      sel_q <= 1'b0;
      s1_valid_q <= 1'b0;
    end else begin
      if (move) begin
        q_q <= sel_q ? s_axis_tdata[63:32] : s_axis_tdata[31:0];
        cdata_q <= cram[C_AW'(a_col)];
        sel_q <= !sel_q && !a_tile_last;
        s1_valid_q <= 1'b1;
      end else if (rq_ready) begin
        s1_valid_q <= 1'b0;
      end
    end
  end

  // ---------------------------------------------------------------- requant
  logic signed [7:0] rq_data;
  logic rq_valid, rq_take, rq_last_unused;
  requant #(.IN_W(32), .M_W(32), .OUT_W(8)) u_requant (
      .clk, .rst(rst || start),
      .s_axis_tdata({cdata_q[69:64], cdata_q[31:0], cdata_q[63:32], q_q}),
      .s_axis_tvalid(s1_valid_q), .s_axis_tready(rq_ready), .s_axis_tlast(1'b0),
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

  tile_walk #(.N1(N1), .N2(N2), .M_W(M_W), .N_W(N_W)) u_walk_out (
      .clk, .rst, .start, .m, .n, .step(wr), .active(b_active), .row(b_row), .col(b_col),
      .tile_last(b_tile_last), .op_last(b_op_last_unused)
  );

  wire logic [AW-1:0] waddr = {wbank_q, b_row, BW'(b_col >> 3)};
  logic [7:0] lane_q [8];
  logic [AW-1:0] raddr;
  for (genvar l = 0; l < 8; l++) begin : g_lane
    logic [7:0] mem [2 ** AW];
    always_ff @(posedge clk) begin
      if (wr && b_col[2:0] == 3'(l)) mem[waddr] <= rq_data;
      lane_q[l] <= mem[raddr];
    end
  end

  // ---------------------------------------------------------------- rows out
  logic rbank_q, r_active_q, can_issue, issued_q, last_q;
  logic [M_W-1:0] r_left_q;
  logic [RW-1:0] r_row_q;
  logic [BW-1:0] r_beat_q;
  logic [BW:0] nb_q;                        // beats per row
  logic [2:0] tail_q;                       // n mod 8: valid bytes of a row's last beat (0: all)
  logic [7:0] keep_q;
  wire logic [M_W-1:0] r_tile_rows = r_left_q < M_W'(N1) ? r_left_q : M_W'(N1);
  wire logic r_row_end = (BW + 1)'(r_beat_q) == nb_q - 1'b1;
  wire logic r_tile_end = r_row_end && M_W'(r_row_q) == r_tile_rows - 1'b1;
  wire logic issue = r_active_q && full_q[rbank_q] && can_issue;
  assign raddr = {rbank_q, r_row_q, r_beat_q};

  always_ff @(posedge clk) begin
    if (rst || start) begin
      full_q <= '0;
      wbank_q <= 1'b0;
      rbank_q <= 1'b0;
      issued_q <= 1'b0;
      r_active_q <= start;
      r_left_q <= m;
      r_row_q <= '0;
      r_beat_q <= '0;
      nb_q <= (BW + 1)'((32'(n) + 32'd7) >> 3);
      tail_q <= n[2:0];
    end else begin
      issued_q <= issue;
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
  always_comb for (int l = 0; l < 8; l++) row_beat[8*l+:8] = keep_q[l] ? lane_q[l] : 8'd0;

  // the row within a tile matters only where values are gathered; the channel fits C_AW bits
  wire logic unused_walk = &{1'b0, a_op_last, a_row, a_col[N_W-1], b_active};

  row_out #(.W(64), .DEPTH(4)) u_out (
      .clk, .rst(rst || start), .can_issue, .issue, .in_data(row_beat), .in_valid(issued_q),
      .in_last(last_q), .m_axis_tdata, .m_axis_tvalid, .m_axis_tready, .m_axis_tlast
  );
endmodule

`default_nettype wire
