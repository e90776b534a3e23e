// Stream to memory: accepts one section of an AXI-stream packet of exactly ROWS x KB beats (64-bit,
// eight packed int8, KB beats a row) and turns it into memory write strobes; an address generator (mem_write_a,
// mem_write_b) maps each strobe to a bank and address.
//
// Bad lengths never hang and never leak into the next transfer:
//   - tlast before ROWS x KB beats (too short): err_short pulses, the remaining words are written as
//     zeros without consuming input, and the section completes;
//   - no tlast on the last beat (too long): err_long pulses, the section completes with its BEATS
//     words, and further beats are consumed and dropped up to and including the next tlast.
// `enable` gates acceptance (and zero filling), so the writer can wait for a free buffer.
// Counting rows and beats separately keeps the section size free of a multiplier.
// Throughput: one beat per cycle while enabled.
`default_nettype none

module s2mm #(
    parameter int ROWS_W = 11,   // width of the row count
    parameter int KB_W = 8       // width of the beats-per-row count
) (
    input  wire logic               clk,
    input  wire logic               rst,
    input  wire logic               arm,          // pulse: start a section of rows x kb beats
    input  wire logic [ROWS_W-1:0]  rows,         // >= 1
    input  wire logic [KB_W-1:0]    kb,           // >= 1
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
  logic [ROWS_W-1:0] rows_left_q;  // rows not finished, the current one included
  logic [KB_W-1:0] beat_q, kb_q;    // beat within the current row
  wire logic final_word = rows_left_q == 1 && beat_q == kb_q - 1'b1;

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
    end else begin
      if (wr_en) begin  // one word written: step the row/beat counters
        if (beat_q == kb_q - 1'b1) begin
          beat_q <= '0;
          rows_left_q <= rows_left_q - 1'b1;
        end else begin
          beat_q <= beat_q + 1'b1;
        end
      end
      case (state_q)
        IDLE: if (arm) begin
          rows_left_q <= rows;
          kb_q <= kb;
          beat_q <= '0;
          state_q <= (rows == '0 || kb == '0) ? IDLE : RUN;
        end
        RUN: if (take) begin
          if (final_word) begin
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
        FILL: if (enable && final_word) state_q <= IDLE;
        DROP: if (take && s_axis_tlast) state_q <= IDLE;
        default: state_q <= IDLE;
      endcase
    end
  end
endmodule

`default_nettype wire
