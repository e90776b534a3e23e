// Synchronous FIFO with AXI-stream ports (tdata + tlast), DEPTH entries (a power of two).
// s_axis_tready = not full, m_axis_tvalid = not empty: neither depends on the other side's
// handshake. The head is read combinationally from the storage (distributed RAM or registers).
// Latency: a word written in one cycle is visible at the output the next. Throughput: one word
// per cycle in and out simultaneously.
`default_nettype none

module fifo #(
    parameter int W = 8,        // data width
    parameter int DEPTH = 16    // entries, a power of two >= 2
) (
    input  wire logic          clk,
    input  wire logic          rst,
    input  wire logic [W-1:0]  s_axis_tdata,
    input  wire logic          s_axis_tvalid,
    output logic               s_axis_tready,
    input  wire logic          s_axis_tlast,
    output logic [W-1:0]       m_axis_tdata,
    output logic               m_axis_tvalid,
    input  wire logic          m_axis_tready,
    output logic               m_axis_tlast
);
  localparam int AW = $clog2(DEPTH);

  // Parameter check: stops elaboration in yosys and Verilator; Icarus 11 has no elaboration-time
  // $fatal, so there the same block runs at time 0 and stops the simulation.
`ifdef __ICARUS__
  initial
`endif
  if (DEPTH < 2 || (1 << AW) != DEPTH) begin : g_bad_parameters
    $fatal(1, "fifo: DEPTH=%0d must be a power of two >= 2", DEPTH);
  end

  logic [W:0] mem [DEPTH];      // {tlast, tdata}
  logic [AW:0] wr_q, rd_q;      // one extra bit tells full from empty
  logic push, pop;

  assign s_axis_tready = (wr_q - rd_q) != (AW+1)'(DEPTH);
  assign m_axis_tvalid = wr_q != rd_q;
  assign push = s_axis_tvalid & s_axis_tready;
  assign pop = m_axis_tvalid & m_axis_tready;
  assign {m_axis_tlast, m_axis_tdata} = mem[rd_q[AW-1:0]];

  always_ff @(posedge clk) begin
    if (rst) begin
      wr_q <= '0;
      rd_q <= '0;
    end else begin
      if (push) wr_q <= wr_q + 1'b1;
      if (pop) rd_q <= rd_q + 1'b1;
    end
    if (push) mem[wr_q[AW-1:0]] <= {s_axis_tlast, s_axis_tdata};
  end
endmodule

`default_nettype wire
