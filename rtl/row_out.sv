// The output end of a row unit: a FIFO and the credits that keep it from overflowing. The caller
// issues an element only when can_issue is high (a credit is free) and delivers it on in_* some
// fixed number of cycles later; a credit returns when the element leaves on m_axis. So the
// caller's pipeline never needs to stall, whatever its depth, and m_axis backpressure only pauses
// issuing. One element per cycle at full rate when DEPTH exceeds the caller's issue-to-in_valid
// latency plus 2 (a credit comes back two cycles after its element enters); a smaller DEPTH stays
// correct but issues only DEPTH elements per latency + 2 cycles.
`default_nettype none

module row_out #(
    parameter int W = 32,       // element width
    parameter int DEPTH = 8     // FIFO entries, a power of two: elements in flight plus queued
) (
    input  wire logic          clk,
    input  wire logic          rst,
    output logic               can_issue,
    input  wire logic          issue,
    input  wire logic [W-1:0]  in_data,
    input  wire logic          in_valid,
    input  wire logic          in_last,
    output logic [W-1:0]       m_axis_tdata,
    output logic               m_axis_tvalid,
    input  wire logic          m_axis_tready,
    output logic               m_axis_tlast
);
  localparam int CRW = $clog2(DEPTH + 1);
  logic [CRW-1:0] credits_q;
  assign can_issue = credits_q != '0;

  always_ff @(posedge clk) begin
    if (rst) credits_q <= CRW'(DEPTH);
    else credits_q <= credits_q - CRW'(issue) + CRW'(m_axis_tvalid & m_axis_tready);
  end

  logic ready_unused;  // always high: every element in flight holds a credit
  fifo #(.W(W), .DEPTH(DEPTH)) u_fifo (
      .clk, .rst, .s_axis_tdata(in_data), .s_axis_tvalid(in_valid), .s_axis_tready(ready_unused),
      .s_axis_tlast(in_last), .m_axis_tdata, .m_axis_tvalid, .m_axis_tready, .m_axis_tlast
  );
endmodule

`default_nettype wire
