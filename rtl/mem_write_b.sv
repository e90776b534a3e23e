// Address generator for the ping-pong B buffers: B arrives transposed (column n of B is row n of
// the stream, KB = ceil(K/8) beats each), one column tile of up to N2 columns at a time. Column
// j of the tile goes to bank j at word address buffer * KB_MAX + beat. `tile_done` pulses with the
// last beat of a tile (`cols` columns; the final tile may be narrower), and `buffer` flips after it.
`default_nettype none

module mem_write_b #(
    parameter int N2 = 4,       // banks (columns of the systolic array)
    parameter int KB_W = 8,     // width of KB
    parameter int KB_MAX = 96,  // words per buffer in a bank (MAX_K / 8)
    parameter int ADDR_W = 8    // word address width of a bank (two buffers)
) (
    input  wire logic                   clk,
    input  wire logic                   rst,
    input  wire logic                   start,
    input  wire logic [KB_W-1:0]        kb,
    input  wire logic [$clog2(N2+1)-1:0] cols,   // columns in the current tile
    input  wire logic                   step,
    output logic [$clog2(N2+1)-1:0]     bank,
    output logic [ADDR_W-1:0]           addr,
    output logic                        buffer,  // which of the two buffers is being written
    output logic                        tile_done
);
  logic [KB_W-1:0] beat_q;

  assign addr = (buffer ? ADDR_W'(KB_MAX) : '0) + ADDR_W'(beat_q);
  assign tile_done = step && beat_q == kb - 1'b1 && bank == cols - 1'b1;

  always_ff @(posedge clk) begin
    if (rst || start) begin
      beat_q <= '0;
      bank <= '0;
      buffer <= 1'b0;
    end else if (step) begin
      if (beat_q == kb - 1'b1) begin
        beat_q <= '0;
        if (tile_done) begin
          bank <= '0;
          buffer <= ~buffer;
        end else begin
          bank <= bank + 1'b1;
        end
      end else begin
        beat_q <= beat_q + 1'b1;
      end
    end
  end
endmodule

`default_nettype wire
