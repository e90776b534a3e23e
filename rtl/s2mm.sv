// Stream to memory: accepts one section of an AXI-stream packet of exactly BEATS beats (64-bit,
// eight packed int8) and turns it into memory write strobes; an address generator (mem_write_A,
// mem_write_B) maps each strobe to a bank and address.
//
// Bad lengths never hang and never leak into the next transfer:
//   - tlast before BEATS beats (too short): err_short pulses, the remaining words are written as
//     zeros without consuming input, and the section completes;
//   - no tlast on beat BEATS (too long): err_long pulses, the section completes with its BEATS
//     words, and further beats are consumed and dropped up to and including the next tlast.
// `enable` gates acceptance (and zero filling), so the writer can wait for a free buffer.
// Throughput: one beat per cycle while enabled.
`default_nettype none

module s2mm #(
    parameter int COUNT_W = 20   // width of the beat counter (sections up to 2^COUNT_W - 1 beats)
) (
    input  wire logic               clk,
    input  wire logic               rst,
    input  wire logic               arm,          // pulse: start a section of `beats` beats
    input  wire logic [COUNT_W-1:0] beats,
    input  wire logic               enable,
    output logic                    busy,         // armed, filling or discarding
    output logic                    wr_en,
    output logic [63:0]             wr_data,
    output logic                    err_short,    // one-cycle pulses
    output logic                    err_long,
    input  wire logic [63:0]        s_axis_tdata,
    input  wire logic               s_axis_tvalid,
    output logic                    s_axis_tready,
    input  wire logic               s_axis_tlast
);
  typedef enum logic [1:0] {IDLE, RUN, FILL, DROP} state_e;
  state_e state_q;
  logic [COUNT_W-1:0] left_q;  // words still to write in this section

  wire logic take = s_axis_tvalid & s_axis_tready;
  assign s_axis_tready = (state_q == RUN && enable) || state_q == DROP;
  assign busy = state_q != IDLE;
  assign wr_en = (state_q == RUN && take) || (state_q == FILL && enable);
  assign wr_data = state_q == RUN ? s_axis_tdata : 64'd0;

  always_ff @(posedge clk) begin
    err_short <= 1'b0;
    err_long <= 1'b0;
    if (rst) begin
      state_q <= IDLE;
      left_q <= '0;
    end else begin
      case (state_q)
        IDLE: if (arm) begin
          left_q <= beats;
          state_q <= beats == '0 ? IDLE : RUN;
        end
        RUN: if (take) begin
          left_q <= left_q - 1'b1;
          if (left_q == 1) begin
            if (!s_axis_tlast) begin
              err_long <= 1'b1;
              state_q <= DROP;
            end else begin
              state_q <= IDLE;
            end
          end else if (s_axis_tlast) begin
            err_short <= 1'b1;
            state_q <= FILL;
          end
        end
        FILL: if (enable) begin
          left_q <= left_q - 1'b1;
          if (left_q == 1) state_q <= IDLE;
        end
        DROP: if (take && s_axis_tlast) state_q <= IDLE;
        default: state_q <= IDLE;
      endcase
    end
  end
endmodule

`default_nettype wire
