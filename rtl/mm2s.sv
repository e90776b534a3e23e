// Memory to stream: packs int32 results two per 64-bit AXI-stream beat (first value in the low
// half). s_axis_tlast marks the final value of a transfer: its beat carries tlast, and a lone
// final value is padded with a zero high half. A one-beat output register; s_axis_tready is high
// when that register is empty or being taken. Throughput: one value per cycle in, a beat every two.
`default_nettype none

module mm2s (
    input  wire logic          clk,
    input  wire logic          rst,
    input  wire logic [31:0]   s_axis_tdata,
    input  wire logic          s_axis_tvalid,
    input  wire logic          s_axis_tlast,
    output logic               s_axis_tready,
    output logic [63:0]        m_axis_tdata,
    output logic               m_axis_tvalid,
    input  wire logic          m_axis_tready,
    output logic               m_axis_tlast
);
  logic half_q;          // a low half is waiting
  logic [31:0] low_q;

  assign s_axis_tready = ~m_axis_tvalid | m_axis_tready;

  always_ff @(posedge clk) begin
    if (rst) begin
      half_q <= 1'b0;
      m_axis_tvalid <= 1'b0;
      m_axis_tlast <= 1'b0;
    end else begin
      if (m_axis_tvalid && m_axis_tready) m_axis_tvalid <= 1'b0;
      if (s_axis_tvalid && s_axis_tready) begin
        if (half_q) begin
          m_axis_tdata <= {s_axis_tdata, low_q};
          m_axis_tvalid <= 1'b1;
          m_axis_tlast <= s_axis_tlast;
          half_q <= 1'b0;
        end else if (s_axis_tlast) begin
          m_axis_tdata <= {32'd0, s_axis_tdata};
          m_axis_tvalid <= 1'b1;
          m_axis_tlast <= 1'b1;
        end else begin
          low_q <= s_axis_tdata;
          half_q <= 1'b1;
        end
      end
    end
  end
endmodule

`default_nettype wire
