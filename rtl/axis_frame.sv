// Frames one host packet for the matmul engine: the packet holds one or more row tiles, each an A
// section (min(tile_rows, rows left) rows), an R section (as many rows, rb beats each; none when
// rb = 0) then a B section (rows_b rows). A and B rows are `side` beats for the side port
// (per-channel constants, B rows only) then kb beats for the engine. The engine gets its A and B
// beats with tlast on the last beat of each section; side beats go to side_* with the B row
// (channel) they belong to; R beats (OP_MM_LN's residual rows) go to res_* with their row in the
// tile and beat in the row, each section's first beat only once res_go is high (the epilogue's
// residual buffer is free: its previous tile's last value has read its row), the later beats as
// they come. The host sends one packet per operation; any length it gets
// wrong is handled here (rtl/len_guard.sv), so the engine behind never waits:
//   - tlast before the last beat (short): err_short pulses; the missing beats go out as zeros;
//   - no tlast on the last beat (long): err_long pulses; the excess is dropped up to its tlast;
//   - cancel (abort): a packet already begun is drained up to its tlast (so the DMA completes).
// Counting rows and beats separately keeps the length free of a multiplier.
`default_nettype none

module axis_frame #(
    parameter int ROWS_W = 11,
    parameter int KB_W = 8,
    parameter int SIDE_MAX = 5
) (
    input  wire logic               clk,
    input  wire logic               rst,
    input  wire logic               start,       // pulse: frame one packet
    input  wire logic               cancel,
    input  wire logic [ROWS_W-1:0]  rows_a,      // A rows in the whole packet, >= 1
    input  wire logic [ROWS_W-1:0]  tile_rows,   // A rows per tile, >= 1
    input  wire logic [ROWS_W-1:0]  rows_b,      // B rows per tile, >= 1
    input  wire logic [KB_W-1:0]    kb,          // engine beats per row, >= 1
    input  wire logic [2:0]         side,        // side beats ahead of each B row, <= SIDE_MAX
    input  wire logic [KB_W-1:0]    rb,          // beats per R row (0: no R section)
    output logic                    busy,
    output logic                    want,        // waiting for an input beat it would take
    output logic                    err_short,   // one-cycle pulses
    output logic                    err_long,
    output logic                    side_valid,  // a side beat: always taken
    output logic [63:0]             side_data,
    output logic [ROWS_W-1:0]       side_row,
    output logic [2:0]              side_beat,
    input  wire logic               res_go,      // a tile's R section may begin (its first beat waits)
    output logic                    res_valid,   // an R beat, taken (data on side_data)
    output logic [ROWS_W-1:0]       res_row,
    output logic [KB_W-1:0]         res_beat,
    input  wire logic [63:0]        s_axis_tdata,
    input  wire logic               s_axis_tvalid,
    output logic                    s_axis_tready,
    input  wire logic               s_axis_tlast,
    output logic [63:0]             m_axis_tdata,
    output logic                    m_axis_tvalid,
    input  wire logic               m_axis_tready,
    output logic                    m_axis_tlast
);
  typedef enum logic [1:0] {S_A, S_R, S_B} section_e;
  section_e sec_q;
  logic [ROWS_W-1:0] a_left_q, row_q, rows_b_q, tile_q;
  logic [KB_W:0] beat_q;                   // beat within the row
  logic [KB_W-1:0] kb_q, rb_q;
  logic [2:0] side_q;

  wire logic [ROWS_W-1:0] rows_a_now = a_left_q < tile_q ? a_left_q : tile_q;  // this tile's A rows
  wire logic in_b = sec_q == S_B;
  wire logic in_r = sec_q == S_R;
  wire logic [ROWS_W-1:0] sec_rows = in_b ? rows_b_q : rows_a_now;
  wire logic [KB_W:0] row_len = in_b ? (KB_W + 1)'(kb_q) + (KB_W + 1)'(side_q)
                              : (KB_W + 1)'(in_r ? rb_q : kb_q);
  wire logic is_side = in_r || (in_b && beat_q < (KB_W + 1)'(side_q));
  wire logic row_end = beat_q == row_len - 1'b1;
  wire logic section_end = row_q == sec_rows - 1'b1 && row_end;
  wire logic final_beat = section_end && in_b && a_left_q == rows_a_now;
  wire logic r_first = in_r && row_q == '0 && beat_q == '0;

  // the packet's length: rtl/len_guard.sv (side and R beats are taken as they come, but for an R
  // section's first, which waits for res_go)
  logic valid, step, done_unused;
  logic [63:0] data;
  len_guard u_guard (
      .clk, .rst, .start(start && !busy), .cancel, .enable(r_first ? res_go : m_axis_tready || is_side), .final_beat,
      .busy, .want, .valid, .data, .step, .done(done_unused), .err_short, .err_long,
      .s_axis_tdata, .s_axis_tvalid, .s_axis_tready, .s_axis_tlast
  );
  assign m_axis_tvalid = valid && !is_side;
  assign m_axis_tdata = data;
  assign m_axis_tlast = section_end;
  wire logic side_any = valid && is_side;
  assign side_valid = side_any && in_b;
  assign res_valid = side_any && in_r && (!r_first || res_go);
  assign res_row = row_q;
  assign res_beat = KB_W'(beat_q);
  assign side_data = data;
  assign side_row = row_q;
  assign side_beat = beat_q[2:0];

  always_ff @(posedge clk) begin
    if (!rst && !cancel) begin
      if (start && !busy) begin
        sec_q <= S_A;
        a_left_q <= rows_a;
        tile_q <= tile_rows;
        rows_b_q <= rows_b;
        row_q <= '0;
        beat_q <= '0;
        kb_q <= kb;
        rb_q <= rb;
        side_q <= side > 3'(SIDE_MAX) ? 3'(SIDE_MAX) : side;
      end
      if (step) begin
        if (row_end) begin
          beat_q <= '0;
          row_q <= section_end ? '0 : row_q + 1'b1;
          if (section_end) begin
            sec_q <= sec_q == S_A && rb_q != 0 ? S_R : sec_q == S_B ? S_A : S_B;
            if (in_b) a_left_q <= a_left_q - rows_a_now;
          end
        end else begin
          beat_q <= beat_q + 1'b1;
        end
      end
    end
  end
endmodule

`default_nettype wire
