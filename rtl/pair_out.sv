// Output pairs: packs int32 results two per 64-bit AXI-stream beat (first value in the low
// half), taking one or two values a cycle: s_axis_tdata holds a value in its low half and, when
// s_axis_tuser (pair) is high, the next value in its high half. s_axis_tlast marks the transfer's
// final value(s): their beat carries tlast, and a lone final value is padded with a zero high half.
// A one-beat output register; s_axis_tready is high when that register is empty or being taken,
// except for the cycle after a pair that ends a transfer behind a held value (two beats leave for
// one input). Throughput: two values a cycle in pairs (a beat a cycle), one value a cycle singly.
`default_nettype none

module pair_out (
    input  wire logic          clk,
    input  wire logic          rst,
    input  wire logic [63:0]   s_axis_tdata,
    input  wire logic          s_axis_tuser,   // pair: the high half holds a value too
    input  wire logic          s_axis_tvalid,
    input  wire logic          s_axis_tlast,
    output logic               s_axis_tready,
    output logic [63:0]        m_axis_tdata,
    output logic               m_axis_tvalid,
    input  wire logic          m_axis_tready,
    output logic               m_axis_tlast
);
  logic half_q;          // a low half is waiting
  logic tail_q;          // ... and it is the transfer's last value: it leaves on its own next
  logic [31:0] low_q;
  wire logic out_free = ~m_axis_tvalid | m_axis_tready;
  wire logic [31:0] v0 = s_axis_tdata[31:0], v1 = s_axis_tdata[63:32];

  assign s_axis_tready = out_free && !tail_q;

  always_ff @(posedge clk) begin
    if (rst) begin
      half_q <= 1'b0;
      tail_q <= 1'b0;
      m_axis_tvalid <= 1'b0;
      m_axis_tlast <= 1'b0;
    end else begin
      if (m_axis_tvalid && m_axis_tready) m_axis_tvalid <= 1'b0;
      if (tail_q && out_free) begin
        m_axis_tdata <= {32'd0, low_q};
        m_axis_tvalid <= 1'b1;
        m_axis_tlast <= 1'b1;
        tail_q <= 1'b0;
        half_q <= 1'b0;
      end else if (s_axis_tvalid && s_axis_tready) begin
        if (half_q) begin
          m_axis_tdata <= {v0, low_q};
          m_axis_tvalid <= 1'b1;
          if (s_axis_tuser) begin     // v1 waits for a partner, or leaves alone if it is the last
            low_q <= v1;
            tail_q <= s_axis_tlast;
            m_axis_tlast <= 1'b0;
          end else begin
            m_axis_tlast <= s_axis_tlast;
            half_q <= 1'b0;
          end
        end else if (s_axis_tuser || s_axis_tlast) begin
          m_axis_tdata <= {s_axis_tuser ? v1 : 32'd0, v0};
          m_axis_tvalid <= 1'b1;
          m_axis_tlast <= s_axis_tlast;
        end else begin
          low_q <= v0;
          half_q <= 1'b1;
        end
      end
    end
  end
endmodule

`default_nettype wire
