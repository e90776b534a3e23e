// Exact integer square root, floor(sqrt(x)) of a W-bit unsigned x, digit by digit (restoring):
// each step decides one result bit by a compare and a subtract, W/2 steps, exactly golden.sqrt's
// loop. Matches golden.sqrt(x, W). tlast travels with its value.
//   ITERATIVE = 0: one pipeline stage per step. Latency W/2 cycles, one result per cycle; a stalled
//     output stalls the pipeline (s_axis_tready = m_axis_tready or an empty last stage).
//   ITERATIVE = 1: one step unit used W/2 times, for a root per row (LayerNorm). Latency W/2 + 1
//     cycles, one root in flight (s_axis_tready is high only when idle with the output taken).
`default_nettype none

module sqrt #(
    parameter int W = 32,          // input width, even
    parameter bit ITERATIVE = 0    // 1: one step unit, W/2 cycles per root
) (
    input  wire logic             clk,
    input  wire logic             rst,
    input  wire logic [W-1:0]     s_axis_tdata,
    input  wire logic             s_axis_tvalid,
    output logic                  s_axis_tready,
    input  wire logic             s_axis_tlast,
    output logic [W/2-1:0]        m_axis_tdata,
    output logic                  m_axis_tvalid,
    input  wire logic             m_axis_tready,
    output logic                  m_axis_tlast
);
  localparam int S = W / 2;

  // Parameter check: stops elaboration in yosys and Verilator; Icarus 11 has no elaboration-time
  // $fatal, so there the same block runs at time 0 and stops the simulation.
`ifdef __ICARUS__
  initial
`endif
  if (W % 2 != 0 || W < 2) begin : g_bad_parameters
    $fatal(1, "sqrt: W=%0d must be even and >= 2", W);
  end

  // one step: try the bit worth `one` of the remaining square
  function automatic logic [2*W-1:0] step(logic [W-1:0] rem, logic [W-1:0] res, logic [W-1:0] one);
    logic [W-1:0] trial;
    trial = res + one;
    return rem >= trial ? {rem - trial, (res >> 1) + one} : {rem, res >> 1};
  endfunction

  if (ITERATIVE) begin : g_iterative
    localparam int CW = $clog2(S + 1);
    logic busy_q, last_q;
    logic [CW-1:0] left_q;     // steps still to take
    logic [W-1:0] rem_q, res_q, one_q;
    assign s_axis_tready = ~busy_q & ~m_axis_tvalid;
    always_ff @(posedge clk) begin
      if (rst) begin
        busy_q <= 1'b0;
        m_axis_tvalid <= 1'b0;
      end else begin
        if (m_axis_tvalid && m_axis_tready) m_axis_tvalid <= 1'b0;
        if (s_axis_tvalid && s_axis_tready) begin
          busy_q <= 1'b1;
          left_q <= CW'(S);
          rem_q <= s_axis_tdata;
          res_q <= '0;
          one_q <= W'(1) << (W - 2);
          last_q <= s_axis_tlast;
        end else if (busy_q) begin
          {rem_q, res_q} <= step(rem_q, res_q, one_q);
          one_q <= one_q >> 2;
          left_q <= left_q - 1'b1;
          if (left_q == CW'(1)) begin
            busy_q <= 1'b0;
            m_axis_tvalid <= 1'b1;
          end
        end
      end
    end
    assign m_axis_tdata = res_q[S-1:0];
    assign m_axis_tlast = last_q;
    wire unused_iter = ^{rem_q, res_q[W-1:S]};
  end else begin : g_pipelined
    logic [S-1:0] valid_q, last_q;
    logic [W-1:0] rem_q [S];
    logic [W-1:0] res_q [S];
    logic advance;
    assign advance = m_axis_tready | ~valid_q[S-1];
    assign s_axis_tready = advance;

    always_ff @(posedge clk) begin
      if (rst) begin
        valid_q <= '0;
        last_q <= '0;
      end else if (advance) begin
        valid_q <= {valid_q[S-2:0], s_axis_tvalid};
        last_q <= {last_q[S-2:0], s_axis_tlast};
      end
      if (advance) begin
        for (int i = 0; i < S; i++) begin
          // stage i tries the bit worth 2^(W-2-2i)
          {rem_q[i], res_q[i]} <= step(i == 0 ? s_axis_tdata : rem_q[i-1], i == 0 ? '0 : res_q[i-1],
                                       W'(1) << (W - 2 - 2 * i));
        end
      end
    end

    assign m_axis_tdata = res_q[S-1][S-1:0];
    assign m_axis_tvalid = valid_q[S-1];
    assign m_axis_tlast = last_q[S-1];
  end
endmodule

`default_nettype wire
