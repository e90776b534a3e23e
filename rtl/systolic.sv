// Output-stationary N1 x N2 systolic array of pe: D = A (N1 x K) * B (K x N2) per tile.
//
// Each cycle with in_valid, a_in[i] = A[i][k] and b_in[j] = B[k][j] for one k (unskewed); in_last
// marks k = K-1. Ports are packed vectors (Icarus 11 cannot connect unpacked array ports
// between modules). Row i of A and its valid/last are delayed i cycles and column j of B j cycles
// (sreg), so PE (i, j) meets A[i][k] and B[k][j] together. When the bottom-right PE finishes a
// tile, every PE's result is copied to d_out (row-major, element i*N2 + j) and d_valid pulses; d_out
// then holds until the next tile completes, so it can be drained while the next tile computes.
//
// Constraint: a tile needs K >= N1 + N2 - 1 (pad with zero pairs), so that the next tile's last
// cannot overwrite a PE's result before the snapshot. Latency: last operand to d_valid is
// N1 + N2 + 2 cycles (the skew, pe's four, the snapshot). Throughput: N1 * N2 MACs per cycle. Matches golden.matmul.
`default_nettype none

module systolic #(
    parameter int N1 = 4,                      // rows of the array (rows of A per tile)
    parameter int N2 = 4,                      // columns of the array (columns of B per tile)
    parameter int A_W = ibert_pkg::ACT_BITS,   // operand a width (signed)
    parameter int B_W = ibert_pkg::ACT_BITS,   // operand b width (signed)
    parameter int ACC_W = ibert_pkg::ACC_BITS  // accumulator width (signed)
) (
    input  wire logic                    clk,
    input  wire logic                    rst,
    input  wire logic                    in_valid,
    input  wire logic                    in_last,
    input  wire logic [N1*A_W-1:0]       a_in,    // a_in[i] = A[i][k] in bits i*A_W +: A_W
    input  wire logic [N2*B_W-1:0]       b_in,    // b_in[j] = B[k][j] in bits j*B_W +: B_W
    output logic [N1*N2*ACC_W-1:0]       d_out,   // D[i][j] in bits (i*N2 + j)*ACC_W +: ACC_W
    output logic                         d_valid
);
  // Parameter check: stops elaboration in yosys and Verilator; Icarus 11 has no elaboration-time
  // $fatal, so there the same block runs at time 0 and stops the simulation.
`ifdef __ICARUS__
  initial
`endif
  if (N1 < 1 || N2 < 1) begin : g_bad_parameters
    $fatal(1, "systolic: N1=%0d, N2=%0d must be >= 1", N1, N2);
  end

  // a, valid and last flow right along a row; b flows down a column. Internal wiring is packed
  // (Icarus 11 leaves module outputs tied to elements of 2-D unpacked arrays undriven).
  // Row i's horizontal signals at column position j (0..N2) sit at index i*(N2+1) + j;
  // column j's vertical b at row position i (0..N1) at index i*N2 + j.
  localparam int HN = N1 * (N2 + 1);
  localparam int VN = (N1 + 1) * N2;
  wire [HN*A_W-1:0]       a_h;
  wire [HN-1:0]           v_h, l_h;
  wire [VN*B_W-1:0]       b_v;
  wire [N1*N2*ACC_W-1:0]  res;
  wire [N1*N2-1:0]        res_valid;

  for (genvar i = 0; i < N1; i++) begin : g_row_skew
    sreg #(.W(A_W), .DEPTH(i)) u_a (
        .clk, .rst(1'b0), .ce(1'b1), .d(a_in[i*A_W +: A_W]), .q(a_h[i*(N2+1)*A_W +: A_W])
    );
    sreg #(.W(2), .DEPTH(i)) u_ctl (
        .clk, .rst, .ce(1'b1), .d({in_valid, in_last}), .q({v_h[i*(N2+1)], l_h[i*(N2+1)]})
    );
  end
  for (genvar j = 0; j < N2; j++) begin : g_col_skew
    sreg #(.W(B_W), .DEPTH(j)) u_b (
        .clk, .rst(1'b0), .ce(1'b1), .d(b_in[j*B_W +: B_W]), .q(b_v[j*B_W +: B_W])
    );
  end

  for (genvar i = 0; i < N1; i++) begin : g_r
    for (genvar j = 0; j < N2; j++) begin : g_c
      localparam int H = i * (N2 + 1) + j;  // this PE's horizontal input index
      localparam int V = i * N2 + j;        // this PE's vertical input index
      localparam int R = i * N2 + j;        // this PE's result index (row-major)
      pe #(.A_W(A_W), .B_W(B_W), .ACC_W(ACC_W)) u_pe (
          .clk, .rst,
          .in_valid(v_h[H]), .in_last(l_h[H]), .a_in(a_h[H*A_W +: A_W]), .b_in(b_v[V*B_W +: B_W]),
          .out_valid(v_h[H+1]), .out_last(l_h[H+1]), .a_out(a_h[(H+1)*A_W +: A_W]),
          .b_out(b_v[(V+N2)*B_W +: B_W]),
          .result(res[R*ACC_W +: ACC_W]), .result_valid(res_valid[R])
      );
    end
  end

  // What leaves the array's right and bottom edges is not needed.
  for (genvar i = 0; i < N1; i++) begin : g_right_edge
    wire unused_right = ^{a_h[(i*(N2+1)+N2)*A_W +: A_W], v_h[i*(N2+1)+N2], l_h[i*(N2+1)+N2]};
  end
  wire unused_bottom = ^b_v[N1*N2*B_W +: N2*B_W];

  always_ff @(posedge clk) begin
    if (rst) begin
      d_valid <= 1'b0;
    end else begin
      d_valid <= res_valid[N1*N2-1];
    end
    if (res_valid[N1*N2-1]) begin
      d_out <= res;
    end
  end
endmodule

`default_nettype wire
