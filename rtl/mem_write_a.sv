// Address generator for the A buffer: A (M x K, int8) arrives row by row, KB = ceil(K/8) beats a
// row. Row r goes to bank r mod N1 at word address (r div N1) * KB + beat, so one read address
// gives the N1 rows of a row tile in parallel. Advances on `step`; `start` rewinds.
`default_nettype none

module mem_write_a #(
    parameter int N1 = 4,       // banks (rows of the systolic array)
    parameter int KB_W = 8,     // width of KB (beats per row)
    parameter int ADDR_W = 12   // word address width of a bank
) (
    input  wire logic                   clk,
    input  wire logic                   rst,
    input  wire logic                   start,
    input  wire logic [KB_W-1:0]        kb,
    input  wire logic                   step,
    output logic [$clog2(N1+1)-1:0]     bank,
    output logic [ADDR_W-1:0]           addr
);
  logic [KB_W-1:0] beat_q;
  logic [ADDR_W-1:0] base_q;

  assign addr = base_q + ADDR_W'(beat_q);

  always_ff @(posedge clk) begin
    if (rst || start) begin
      beat_q <= '0;
      bank <= '0;
      base_q <= '0;
    end else if (step) begin
      if (beat_q == kb - 1'b1) begin
        beat_q <= '0;
        if (bank == ($clog2(N1+1))'(N1 - 1)) begin
          bank <= '0;
          base_q <= base_q + ADDR_W'(kb);
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
