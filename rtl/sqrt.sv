// Exact integer square root, floor(sqrt(x)) of a W-bit unsigned x, digit by digit (restoring):
// one pipeline stage decides one result bit, W/2 stages in all, exactly golden.sqrt's loop.
// Latency W/2 cycles, throughput one result per cycle; a stalled output stalls the pipeline
// (s_axis_tready = m_axis_tready or an empty last stage). tlast travels with its value.
// Matches golden.sqrt(x, W).
`default_nettype none

module sqrt #(
    parameter int W = 32   // input width, even
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
        // stage i tries the bit worth 2^(W-2-2i) of the remaining square
        logic [W-1:0] rem, res, trial;
        rem = i == 0 ? s_axis_tdata : rem_q[i-1];
        res = i == 0 ? '0 : res_q[i-1];
        trial = res + (W'(1) << (W - 2 - 2 * i));
        if (rem >= trial) begin
          rem_q[i] <= rem - trial;
          res_q[i] <= (res >> 1) + (W'(1) << (W - 2 - 2 * i));
        end else begin
          rem_q[i] <= rem;
          res_q[i] <= res >> 1;
        end
      end
    end
  end

  assign m_axis_tdata = res_q[S-1][S-1:0];
  assign m_axis_tvalid = valid_q[S-1];
  assign m_axis_tlast = last_q[S-1];
endmodule

`default_nettype wire
