// Leading-one position detector: pos = floor(log2 x), -1 when x = 0 (combinational priority
// encoder, used by the nonlinear units for normalizing shifts). Matches golden.lopd.
`default_nettype none

module lopd #(
    parameter int W = 32,                          // input width (unsigned)
    localparam int POS_W = $clog2(W) + 1           // signed position width, holds -1..W-1
) (
    input  wire logic [W-1:0]          x,
    output logic signed [POS_W-1:0]    pos
);
  always_comb begin
    pos = '1;  // -1: no bit set
    for (int i = 0; i < W; i++) begin
      if (x[i]) pos = POS_W'(i);
    end
  end
endmodule

`default_nettype wire
