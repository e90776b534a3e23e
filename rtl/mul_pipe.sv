// Pipelined signed multiplier for products wider than one DSP48E1 (25 x 18 signed): p = a * b.
//
// a is split into a low 24-bit unsigned chunk and a signed high chunk (when A_W > 25), b into a
// low 17-bit unsigned chunk and a signed high chunk (when B_W > 18). Every partial product fits
// one DSP48E1 with all three of its own register levels: input (AREG/BREG), product (MREG) and
// output (PREG), so the array never chains DSPs combinationally and a partial leaves its DSP from
// the P register (0.3 ns after the clock, against 1.8 ns from M); the partials are then added in
// two registered levels (one carry chain each). Latency 5 cycles, one product per cycle, all
// stages enabled by ce (a stalled pipeline holds). Exact: |p| < 2^(A_W + B_W - 2) fits
// P_W = A_W + B_W bits.
`default_nettype none

module mul_pipe #(
    parameter int A_W = 33,   // a width (signed), at most 49
    parameter int B_W = 32,   // b width (signed), at most 34
    localparam int P_W = A_W + B_W
) (
    input  wire logic                    clk,
    input  wire logic                    ce,
    input  wire logic signed [A_W-1:0]   a,
    input  wire logic signed [B_W-1:0]   b,
    output logic signed [P_W-1:0]        p
);
  localparam int AL = A_W > 25 ? 24 : 0;   // low chunk of a (unsigned), 0 if a fits one DSP port
  localparam int BL = B_W > 18 ? 17 : 0;   // low chunk of b (unsigned)
  localparam int AH = A_W - AL;            // high chunk of a (signed)
  localparam int BH = B_W - BL;
  localparam int LLW = AL + BL > 0 ? AL + BL : 1;

  // Parameter check: stops elaboration in yosys and Verilator; Icarus 11 has no elaboration-time
  // $fatal, so there the same block runs at time 0 and stops the simulation.
`ifdef __ICARUS__
  initial
`endif
  if (A_W > 49 || B_W > 34 || AH > 25 || BH > 18) begin : g_bad_parameters
    $fatal(1, "mul_pipe: A_W=%0d (at most 49) and B_W=%0d (at most 34) do not split into DSP48E1 products", A_W, B_W);
  end

  // stage 1: input registers (the DSPs' AREG/BREG)
  logic signed [A_W-1:0] a_q;
  logic signed [B_W-1:0] b_q;
  always_ff @(posedge clk) if (ce) begin
    a_q <= a;
    b_q <= b;
  end
  wire logic signed [AH-1:0] ah = a_q[A_W-1:AL];
  wire logic signed [BH-1:0] bh = b_q[B_W-1:BL];

  // stage 2: partial products, each one DSP48E1 (hh = high x high; lh = low a x high b; ...),
  // registered in its MREG (*_m); stage 3: the same again in its PREG (*_q)
  logic signed [AH+BH-1:0] hh_m, hh_q;
  logic signed [AL+BH:0] lh_q;     // unsigned a chunk as a non-negative signed operand
  logic signed [AH+BL:0] hl_q;
  logic [LLW-1:0] ll_q;
  if (AL > 0) begin : g_alo
    wire logic signed [AL:0] al = {1'b0, a_q[AL-1:0]};
    logic signed [AL+BH:0] lh_m;
    always_ff @(posedge clk) if (ce) begin
      lh_m <= al * bh;
      lh_q <= lh_m;
    end
  end else begin : g_ano
    assign lh_q = '0;
  end
  if (BL > 0) begin : g_blo
    wire logic signed [BL:0] bl = {1'b0, b_q[BL-1:0]};
    logic signed [AH+BL:0] hl_m;
    always_ff @(posedge clk) if (ce) begin
      hl_m <= ah * bl;
      hl_q <= hl_m;
    end
  end else begin : g_bno
    assign hl_q = '0;
  end
  if (AL > 0 && BL > 0) begin : g_lolo
    logic [LLW-1:0] ll_m;
    always_ff @(posedge clk) if (ce) begin
      ll_m <= a_q[AL-1:0] * b_q[BL-1:0];
      ll_q <= ll_m;
    end
  end else begin : g_nolo
    assign ll_q = '0;
  end
  always_ff @(posedge clk) if (ce) begin
    hh_m <= ah * bh;
    hh_q <= hh_m;
  end

  // stage 4: the partials of each a chunk; stage 5: the whole product
  logic signed [P_W-1:0] hi_q, lo_q;
  always_ff @(posedge clk) if (ce) begin
    hi_q <= (P_W'(hh_q) <<< BL) + P_W'(hl_q);                  // ah * b
    lo_q <= (P_W'(lh_q) <<< BL) + P_W'($signed({1'b0, ll_q}));  // al * b
    p <= (hi_q <<< AL) + lo_q;
  end
endmodule

`default_nettype wire
