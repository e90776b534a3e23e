// Packet-length guard: hands a client the beats of one AXI-stream packet and makes it exactly as
// long as the client expects, so a packet of the wrong length never hangs the client and never
// leaks into the next packet (the idea of verilog-axis's axis_frame_length_adjust). The client
// counts its beats and raises `final_beat` while its next beat is the packet's expected last.
//   - tlast before the expected last beat (short): err_short pulses; the missing beats are handed
//     over as zeros (valid without input, s_axis_tready low), up to the expected last;
//   - no tlast on the expected last beat (long): err_long pulses; the excess is taken and dropped
//     up to its tlast;
//   - cancel: a packet begun (a beat taken, its tlast not yet) is drained up to its tlast, so the
//     DMA sending it completes; otherwise the guard goes idle at once.
// `enable` is the client's ready: a beat (`valid`, `data`) is taken when both are high (`step`).
// busy is high from `start` until the packet (with any dropped or drained excess) is over; `done`
// pulses when the expected last beat is taken, or, for a long packet, when its tlast is dropped.
// err_short / err_long are registered (the cycle after). Throughput: a beat a cycle.
`default_nettype none

module len_guard (
    input  wire logic          clk,
    input  wire logic          rst,
    input  wire logic          start,        // pulse, while idle: a packet begins
    input  wire logic          cancel,
    input  wire logic          enable,
    input  wire logic          final_beat,
    output logic               busy,
    output logic               want,         // waiting for a stream beat the client would take
    output logic               valid,
    output logic [63:0]        data,
    output logic               step,
    output logic               done,
    output logic               err_short,
    output logic               err_long,
    input  wire logic [63:0]   s_axis_tdata,
    input  wire logic          s_axis_tvalid,
    output logic               s_axis_tready,
    input  wire logic          s_axis_tlast
);
  typedef enum logic [2:0] {IDLE, RUN, FILL, DROP, DRAIN} state_e;
  state_e state_q;
  logic begun_q;
  wire logic run = state_q == RUN;
  wire logic take = s_axis_tvalid && s_axis_tready;

  assign busy = state_q != IDLE;
  assign want = run && enable;
  assign s_axis_tready = (run && enable) || state_q == DROP || state_q == DRAIN;
  assign valid = (run && s_axis_tvalid) || state_q == FILL;
  assign data = run ? s_axis_tdata : 64'd0;
  assign step = valid && enable;
  assign done = (step && final_beat && !(run && !s_axis_tlast)) || (state_q == DROP && take && s_axis_tlast);

  always_ff @(posedge clk) begin
    err_short <= 1'b0;
    err_long <= 1'b0;
    if (rst) begin
      state_q <= IDLE;
      begun_q <= 1'b0;
    end else if (cancel) begin
      state_q <= (run && begun_q) || state_q == DROP || state_q == DRAIN ? DRAIN : IDLE;
    end else begin
      if (take) begun_q <= 1'b1;
      case (state_q)
        IDLE: if (start) begin
          state_q <= RUN;
          begun_q <= 1'b0;
        end
        RUN: if (take) begin
          if (final_beat) begin
            state_q <= s_axis_tlast ? IDLE : DROP;
            err_long <= !s_axis_tlast;
          end else if (s_axis_tlast) begin
            state_q <= FILL;
            err_short <= 1'b1;
          end
        end
        FILL: if (step && final_beat) state_q <= IDLE;
        DROP, DRAIN: if (take && s_axis_tlast) state_q <= IDLE;
        default: state_q <= IDLE;
      endcase
    end
  end
endmodule

`default_nettype wire
