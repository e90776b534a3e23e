// Ping-pong row storage for the row units (softmax, layernorm): rows of 1..MAX elements arrive on
// s_axis (tlast ends a row) into one bank while the processor reads the other, so rows overlap.
//
// Ingest: one element per cycle while the bank being filled is free. The caller keeps its own
// row statistics from in_take / in_first / in_data and captures them per bank at in_close (the
// row's tlast taken, into bank in_bank). Elements past MAX are dropped (the row is its first MAX
// elements) and err_long is set until reset.
// Processor: rd_full says bank rd_bank holds a complete row of rd_len elements; rd_data is the
// element at rd_index two cycles after it is presented (the memory read and its output register);
// rd_release (one cycle) frees the bank and moves to the other one. Banks sit at 0 and MAX (no
// power-of-two padding). Matches no golden function of its own: it is checked through softmax and
// layernorm, whose rows it carries.
`default_nettype none

module row_buffer #(
    parameter int W = 32,     // element width
    parameter int MAX = 128,  // longest row (synthesis-time maximum)
    localparam int AW = $clog2(MAX),
    localparam int LW = $clog2(MAX + 1)
) (
    input  wire logic            clk,
    input  wire logic            rst,
    input  wire logic [W-1:0]    s_axis_tdata,
    input  wire logic            s_axis_tvalid,
    output logic                 s_axis_tready,
    input  wire logic            s_axis_tlast,
    output logic                 in_take,    // s_axis_tdata is stored this cycle
    output logic                 in_first,   // ... and it is its row's first element
    output logic                 in_close,   // the row's tlast is taken this cycle
    output logic                 in_bank,    // the bank being filled
    output logic                 err_long,   // a row was longer than MAX (sticky until reset)
    output logic                 rd_full,    // bank rd_bank holds a complete row
    output logic [LW-1:0]        rd_len,     // its length
    output logic                 rd_bank,
    input  wire logic            rd_release, // done with bank rd_bank
    input  wire logic [AW-1:0]   rd_index,
    output logic [W-1:0]         rd_data     // element rd_index of bank rd_bank, two cycles later
);
  // Parameter check: stops elaboration in yosys and Verilator; Icarus 11 has no elaboration-time
  // $fatal, so there the same block runs at time 0 and stops the simulation.
`ifdef __ICARUS__
  initial
`endif
  if (MAX < 2) begin : g_bad_parameters
    $fatal(1, "row_buffer: MAX=%0d must be >= 2", MAX);
  end

  localparam int DW = $clog2(2 * MAX);
  logic [W-1:0] mem [2 * MAX];
  logic [LW-1:0] wcount_q;
  logic [1:0] full_q;
  logic [LW-1:0] len_q [2];
  wire logic take = s_axis_tvalid & s_axis_tready;
  wire logic room = wcount_q < LW'(MAX);

  assign s_axis_tready = ~full_q[in_bank];
  assign in_take = take & room;
  assign in_first = wcount_q == '0;
  assign in_close = take & s_axis_tlast;
  assign rd_full = full_q[rd_bank];
  assign rd_len = len_q[rd_bank];

  wire logic [DW-1:0] waddr = (in_bank ? DW'(MAX) : '0) + DW'(wcount_q);
  wire logic [DW-1:0] raddr = (rd_bank ? DW'(MAX) : '0) + DW'(rd_index);
  logic [W-1:0] rd_q;
  always_ff @(posedge clk) begin
    if (in_take) mem[waddr] <= s_axis_tdata;
    rd_q <= mem[raddr];
    rd_data <= rd_q;
  end

  always_ff @(posedge clk) begin
    if (rst) begin
      in_bank <= 1'b0;
      rd_bank <= 1'b0;
      wcount_q <= '0;
      full_q <= '0;
      err_long <= 1'b0;
    end else begin
      if (rd_release) begin
        full_q[rd_bank] <= 1'b0;
        rd_bank <= ~rd_bank;
      end
      if (take) begin
        if (room) wcount_q <= wcount_q + 1'b1;
        else err_long <= 1'b1;
        if (s_axis_tlast) begin
          full_q[in_bank] <= 1'b1;
          len_q[in_bank] <= room ? wcount_q + 1'b1 : wcount_q;
          in_bank <= ~in_bank;
          wcount_q <= '0;
        end
      end
    end
  end
endmodule

`default_nettype wire
