// Exact unsigned division, q = floor(n / d), W-bit operands, restoring shift-subtract: one quotient
// bit per cycle. Latency W + 1 cycles from the accepted input to the result, one division in
// flight (s_axis_tready is high only when idle). Fixed latency, against the course design's 2 to
// 34 cycles: LayerNorm and softmax divide once per row (hundreds of cycles), so throughput is never
// the limit and the small iterative form is the right trade. d = 0 gives all ones (2^W - 1);
// callers never divide by zero (LayerNorm tests for a zero root first). Matches golden.div(n, d, W).
// Input tdata = {d, n}.
`default_nettype none

module div #(
    parameter int W = 32   // operand width (unsigned)
) (
    input  wire logic             clk,
    input  wire logic             rst,
    input  wire logic [2*W-1:0]   s_axis_tdata,
    input  wire logic             s_axis_tvalid,
    output logic                  s_axis_tready,
    input  wire logic             s_axis_tlast,
    output logic [W-1:0]          m_axis_tdata,
    output logic                  m_axis_tvalid,
    input  wire logic             m_axis_tready,
    output logic                  m_axis_tlast
);
  localparam int CW = $clog2(W + 1);
  logic busy_q, last_q;
  logic [CW-1:0] bit_q;        // quotient bits still to decide
  logic [W-1:0] n_q, d_q, q_q;
  logic [W-1:0] rem_q;         // always below d

  assign s_axis_tready = ~busy_q & ~m_axis_tvalid;

  always_ff @(posedge clk) begin
    if (rst) begin
      busy_q <= 1'b0;
      m_axis_tvalid <= 1'b0;
    end else begin
      if (m_axis_tvalid && m_axis_tready) m_axis_tvalid <= 1'b0;
      if (s_axis_tvalid && s_axis_tready) begin
        busy_q <= 1'b1;
        n_q <= s_axis_tdata[W-1:0];
        d_q <= s_axis_tdata[2*W-1:W];
        last_q <= s_axis_tlast;
        rem_q <= '0;
        bit_q <= CW'(W);
      end else if (busy_q) begin
        logic [W:0] trial;         // (rem << 1) | next bit, up to 2d - 1: one bit wider
        trial = {rem_q, n_q[W-1]};
        n_q <= n_q << 1;
        if (trial >= {1'b0, d_q}) begin
          rem_q <= W'(trial - {1'b0, d_q});
          q_q <= {q_q[W-2:0], 1'b1};
        end else begin
          rem_q <= W'(trial);
          q_q <= {q_q[W-2:0], 1'b0};
        end
        bit_q <= bit_q - 1'b1;
        if (bit_q == 1) begin
          busy_q <= 1'b0;
          m_axis_tvalid <= 1'b1;
        end
      end
    end
  end

  assign m_axis_tdata = q_q;
  assign m_axis_tlast = last_q;
endmodule

`default_nettype wire
