// Address generator for draining one result tile: walks rows 0..rows-1 and, in each, columns
// 0..cols-1 of the N1 x N2 result bank (edge tiles are clipped to the matrix), giving the bank
// index i*N2 + j. With PAIR (N2 even) a step covers two columns: `index` is even, and `pair`
// says whether index + 1 (the next column of the same row) is in the tile too; a row of odd
// length ends with a single. Without PAIR a step covers one column (`pair` low). `load` starts a
// walk; `step` advances; `last` marks the final step.
`default_nettype none

module mem_read_d #(
    parameter int N1 = 4,   // rows of the result tile
    parameter int N2 = 4,   // columns of the result tile
    parameter bit PAIR = 0  // two columns a step (N2 must be even)
) (
    input  wire logic                        clk,
    input  wire logic                        rst,
    input  wire logic                        load,
    input  wire logic [$clog2(N1+1)-1:0]     rows,
    input  wire logic [$clog2(N2+1)-1:0]     cols,
    input  wire logic                        step,
    output logic                             active,
    output logic [$clog2(N1*N2)-1:0]         index,
    output logic                             pair,
    output logic                             last
);
  localparam int RW = $clog2(N1 + 1);
  localparam int CW = $clog2(N2 + 1);
  localparam int IW = $clog2(N1 * N2);

`ifdef __ICARUS__
  initial
`endif
  if (PAIR && N2 % 2 != 0) begin : g_bad_parameters
    $fatal(1, "mem_read_d: PAIR needs an even N2, got %0d", N2);
  end

  logic [RW-1:0] i_q, rows_q;
  logic [CW-1:0] j_q, cols_q;
  logic row_end_q;           // this step ends its row (registered, from the step before)

  wire logic [CW:0] j_next = {1'b0, j_q} + (PAIR ? (CW + 1)'(2) : (CW + 1)'(1));
  assign index = IW'(i_q) * IW'(N2) + IW'(j_q);
  assign pair = PAIR && {1'b0, j_q} + 1'b1 < {1'b0, cols_q};
  assign last = active && i_q == rows_q - 1'b1 && row_end_q;

  always_ff @(posedge clk) begin
    if (rst) begin
      active <= 1'b0;
    end else if (load) begin
      active <= 1'b1;
      i_q <= '0;
      j_q <= '0;
      rows_q <= rows;
      cols_q <= cols;
      row_end_q <= (PAIR ? (CW + 1)'(2) : (CW + 1)'(1)) >= {1'b0, cols};
    end else if (step && active) begin
      if (last) begin
        active <= 1'b0;
      end else if (row_end_q) begin
        j_q <= '0;
        i_q <= i_q + 1'b1;
        row_end_q <= (PAIR ? (CW + 1)'(2) : (CW + 1)'(1)) >= {1'b0, cols_q};
      end else begin
        j_q <= CW'(j_next);
        row_end_q <= j_next + (PAIR ? (CW + 1)'(2) : (CW + 1)'(1)) >= {1'b0, cols_q};
      end
    end
  end
endmodule

`default_nettype wire
