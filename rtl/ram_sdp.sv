// Simple dual-port RAM (one write port, one read port, one clock) of DEPTH words of W bits, built
// from blocks that each fit one block RAM: every block is read and its output registered (the
// block RAM's own output register), and only then is the block chosen by the address's high bits
// and registered again. So no logic follows a block RAM before a flip-flop, whatever the depth; a
// memory deeper than one block RAM otherwise leaves it through a multiplexer, 2.5 ns of clock-to-
// out plus the multiplexer's LUTs.
// Write: `we` stores `wdata` at `waddr`. Read: `rdata` holds the word at `raddr`. Latency 3 cycles
// of ce: the read, the output register and the block's selection advance on the cycles ce is high
// (a stalled pipeline holds its read; tie ce high for a free-running one). A read of the address
// written in the same cycle returns the old word. Addresses at or past DEPTH are not stored and
// read undefined.
// BLOCK (words per block, a power of two) defaults to the depth of one RAMB18 at this width
// (2K x 9, 1K x 18, 512 x 36; 512 x 72 in a RAMB36 beyond that), so blocks tile the memory
// without rounding it up; a bench sets it small to exercise several blocks
// (tb/test_ram_sdp.py).
`default_nettype none

module ram_sdp #(
    parameter int W = 8,
    parameter int DEPTH = 1024,
    parameter int BLOCK = W <= 1 ? 16384 : W <= 2 ? 8192 : W <= 4 ? 4096 : W <= 9 ? 2048 : W <= 18 ? 1024 : 512,
    localparam int AW = DEPTH > 1 ? $clog2(DEPTH) : 1
) (
    input  wire logic          clk,
    input  wire logic          ce,
    input  wire logic          we,
    input  wire logic [AW-1:0] waddr,
    input  wire logic [W-1:0]  wdata,
    input  wire logic [AW-1:0] raddr,
    output logic      [W-1:0]  rdata
);
  localparam int CH = (1 << AW) > BLOCK ? BLOCK : 1 << AW;   // words per block, a power of two
  localparam int CHW = CH > 1 ? $clog2(CH) : 1;
  localparam int NCH = (DEPTH + CH - 1) / CH;
  localparam int CIW = NCH > 1 ? $clog2(NCH) : 1;

`ifdef __ICARUS__
  initial
`endif
  if (W < 1 || DEPTH < 2 || BLOCK < 2 || (BLOCK & (BLOCK - 1)) != 0) begin : g_bad_parameters
    $fatal(1, "ram_sdp: W=%0d >= 1, DEPTH=%0d >= 2 and BLOCK=%0d a power of two >= 2 expected", W, DEPTH, BLOCK);
  end

  wire logic [CIW-1:0] w_blk = CIW'(waddr >> CHW), r_blk = CIW'(raddr >> CHW);
  logic [CIW-1:0] r_blk_q, r_blk2_q;
  always_ff @(posedge clk) if (ce) begin
    r_blk_q <= r_blk;
    r_blk2_q <= r_blk_q;
  end
  logic [W-1:0] rd2 [NCH];
  for (genvar c = 0; c < NCH; c++) begin : g_blk
    logic [W-1:0] mem [CH];
    logic [W-1:0] rd_q, rd2_q;
    always_ff @(posedge clk) begin
      if (we && w_blk == CIW'(c)) mem[CHW'(waddr)] <= wdata;
      if (ce) begin
        rd_q <= mem[CHW'(raddr)];
        rd2_q <= rd_q;
      end
    end
    assign rd2[c] = rd2_q;
  end
  always_ff @(posedge clk) if (ce) rdata <= rd2[r_blk2_q];
endmodule

`default_nettype wire
