// The attention's V transpose buffer: V_h's rows go in a beat (eight elements of a row) a cycle,
// and V_h^T's rows come out a beat (eight elements of a column, from eight consecutive rows) a
// cycle. Eight byte memories with a skewed layout: element (t, c) lives in memory (t + c) mod 8
// at address t * MAX_DH / 8 + c / 8, so the eight elements of a row beat and the eight of a
// column beat each sit in eight different memories. Two banks, so one head's V can come in while
// the previous head's is read.
// Write: `we` stores row `w_row`'s beat `w_beat` (elements (w_row, 8 w_beat + l) in byte l) in
// bank `w_bank`.
// Read: `r_row0` (a multiple of 8) and `r_col` ask for elements (r_row0 + l, r_col), l = 0..7, of
// bank `r_bank`, in byte l of `r_data`. Latency 3 cycles: the memories' read, their output
// register, then that register rotated into place. Rows past what was written read whatever the
// memories hold. Matches golden's np.transpose on the rows written (tb/test_attention_vt.py).
`default_nettype none

module attention_vt #(
    parameter int MAX_T = 64,     // rows, a power of two
    parameter int MAX_DH = 64,    // columns, a power of two, >= 8
    localparam int T_W = $clog2(MAX_T + 1),
    localparam int DH_W = $clog2(MAX_DH + 1)
) (
    input  wire logic               clk,
    input  wire logic               we,
    input  wire logic               w_bank,
    input  wire logic [T_W-1:0]     w_row,
    input  wire logic [DH_W-4:0]    w_beat,
    input  wire logic [63:0]        w_data,
    input  wire logic               r_bank,
    input  wire logic [T_W-1:0]     r_row0,
    input  wire logic [DH_W-1:0]    r_col,
    output logic [63:0]             r_data
);
  localparam int DB = MAX_DH / 8;
  localparam int AW = $clog2(MAX_T * DB);

`ifdef __ICARUS__
  initial
`endif
  if (MAX_T < 8 || (MAX_T & (MAX_T - 1)) != 0 || MAX_DH < 8 || (MAX_DH & (MAX_DH - 1)) != 0)
  begin : g_bad_parameters
    $fatal(1, "attention_vt: MAX_T and MAX_DH must be powers of two, at least 8");
  end

  wire logic [AW:0] w_addr = {w_bank, AW'(AW'(w_row) * AW'(DB) + AW'(w_beat))};
  wire logic [2:0] rot = r_col[2:0];
  logic [2:0] rot_q, rot_q2;
  logic [63:0] rd;
  for (genvar m = 0; m < 8; m++) begin : g_mem
    logic [7:0] mem [2 * MAX_T * DB];
    logic [7:0] rd_q, rd_q2;                           // the read and the block RAM's output register
    wire logic [2:0] j_w = 3'(m) - 3'(w_row);          // the beat's byte that lands here
    wire logic [2:0] l_r = 3'(m) - rot;                // the row offset read from here
    wire logic [AW:0] raddr = {r_bank, AW'(AW'(r_row0 + T_W'(l_r)) * AW'(DB) + AW'(r_col >> 3))};
    always_ff @(posedge clk) begin
      if (we) mem[w_addr] <= w_data[8*j_w+:8];
      rd_q <= mem[raddr];
      rd_q2 <= rd_q;
    end
    assign rd[8*m+:8] = rd_q2;
  end
  // byte l of the column beat (row r_row0 + l) came from memory (l + col) mod 8
  always_ff @(posedge clk) begin
    rot_q <= rot;
    rot_q2 <= rot_q;
    for (int l = 0; l < 8; l++) r_data[8*l+:8] <= rd[8*((l + 32'(rot_q2)) % 8)+:8];
  end
endmodule

`default_nettype wire
