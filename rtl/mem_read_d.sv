// Address generator for draining one result tile: walks rows 0..rows-1 and, in each, columns
// 0..cols-1 of the N1 x N2 result bank (edge tiles are clipped to the matrix), giving the bank
// index i*N2 + j. `load` starts a walk; `step` advances; `last` marks the final index.
`default_nettype none

module mem_read_d #(
    parameter int N1 = 4,   // rows of the result tile
    parameter int N2 = 4    // columns of the result tile
) (
    input  wire logic                        clk,
    input  wire logic                        rst,
    input  wire logic                        load,
    input  wire logic [$clog2(N1+1)-1:0]     rows,
    input  wire logic [$clog2(N2+1)-1:0]     cols,
    input  wire logic                        step,
    output logic                             active,
    output logic [$clog2(N1*N2)-1:0]         index,
    output logic                             last
);
  localparam int RW = $clog2(N1 + 1);
  localparam int CW = $clog2(N2 + 1);
  localparam int IW = $clog2(N1 * N2);
  logic [RW-1:0] i_q, rows_q;
  logic [CW-1:0] j_q, cols_q;

  assign index = IW'(i_q) * IW'(N2) + IW'(j_q);
  assign last = active && i_q == rows_q - 1'b1 && j_q == cols_q - 1'b1;

  always_ff @(posedge clk) begin
    if (rst) begin
      active <= 1'b0;
    end else if (load) begin
      active <= 1'b1;
      i_q <= '0;
      j_q <= '0;
      rows_q <= rows;
      cols_q <= cols;
    end else if (step && active) begin
      if (last) begin
        active <= 1'b0;
      end else if (j_q == cols_q - 1'b1) begin
        j_q <= '0;
        i_q <= i_q + 1'b1;
      end else begin
        j_q <= j_q + 1'b1;
      end
    end
  end
endmodule

`default_nettype wire
