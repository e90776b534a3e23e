// Walks the (row, column) of each value the matmul engine emits for an operation run as row tiles
// of at most TR rows, one engine job per tile: for each tile, for each column tile of N2 (the
// last clipped), for each block of N1 rows of the tile (the last clipped), the block's rows, each
// row's columns (rtl/mm.sv's output order for one job). `step` advances to the next value;
// tile_last / op_last mark the last value of a tile and of the operation. Used by the epilogue
// once for each place that must know where a value belongs.
`default_nettype none

module tile_walk #(
    parameter int N1 = 4,
    parameter int N2 = 4,
    parameter int TR = N1,          // rows per tile (one engine job)
    parameter int M_W = 8,
    parameter int N_W = 11,
    localparam int RW = TR > 1 ? $clog2(TR) : 1
) (
    input  wire logic            clk,
    input  wire logic            rst,
    input  wire logic            start,      // pulse: an operation of m rows, n columns
    input  wire logic [M_W-1:0]  m,          // >= 1
    input  wire logic [N_W-1:0]  n,          // >= 1
    input  wire logic            step,
    output logic                 active,
    output logic [RW-1:0]        row,        // within the tile
    output logic [N_W-1:0]       col,
    output logic                 tile_last,
    output logic                 op_last
);
  logic [M_W-1:0] rows_left_q;   // rows of this tile and the ones after it
  logic [N_W-1:0] n_q, col_base_q;
  logic [RW-1:0] row_base_q, i_q;
  logic [$clog2(N2 + 1)-1:0] j_q;

  wire logic [M_W-1:0] tile_rows = rows_left_q < M_W'(TR) ? rows_left_q : M_W'(TR);
  wire logic [M_W-1:0] block_left = tile_rows - M_W'(row_base_q);   // rows of this block and after
  wire logic [N_W-1:0] cols_left = n_q - col_base_q;
  wire logic last_col_tile = cols_left <= N_W'(N2);
  wire logic last_block = block_left <= M_W'(N1);
  wire logic last_col = last_col_tile ? N_W'(j_q) == cols_left - 1'b1 : 32'(j_q) == N2 - 1;
  wire logic last_row = last_block ? M_W'(i_q) == block_left - 1'b1 : 32'(i_q) == N1 - 1;
  assign row = row_base_q + i_q;
  assign col = col_base_q + N_W'(j_q);
  assign tile_last = active && last_col && last_row && last_block && last_col_tile;
  assign op_last = tile_last && rows_left_q == tile_rows;

  always_ff @(posedge clk) begin
    if (rst) begin
      active <= 1'b0;
    end else if (start) begin
      active <= 1'b1;
      rows_left_q <= m;
      n_q <= n;
      col_base_q <= '0;
      row_base_q <= '0;
      i_q <= '0;
      j_q <= '0;
    end else if (step && active) begin
      if (!last_col) begin
        j_q <= j_q + 1'b1;
      end else begin
        j_q <= '0;
        if (!last_row) begin
          i_q <= i_q + 1'b1;
        end else begin
          i_q <= '0;
          if (!last_block) begin
            row_base_q <= row_base_q + RW'(N1);
          end else begin
            row_base_q <= '0;
            if (!last_col_tile) begin
              col_base_q <= col_base_q + N_W'(N2);
            end else begin
              col_base_q <= '0;
              rows_left_q <= rows_left_q - tile_rows;
              if (rows_left_q == tile_rows) active <= 1'b0;
            end
          end
        end
      end
    end
  end
endmodule

`default_nettype wire
