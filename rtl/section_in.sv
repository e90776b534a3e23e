// One section of an input packet: accepts one section of an AXI-stream packet of exactly ROWS x KB beats (64-bit,
// eight packed int8, KB beats a row) and turns it into memory write strobes; an address generator (mem_write_a,
// mem_write_b) maps each strobe to a bank and address.
//
// Bad lengths never hang and never leak into the next transfer (rtl/len_guard.sv):
//   - tlast before ROWS x KB beats (too short): err_short pulses, the remaining words are written as
//     zeros without consuming input, and the section completes;
//   - no tlast on the last beat (too long): err_long pulses, the section completes with its BEATS
//     words, and further beats are consumed and dropped up to and including the next tlast.
// `enable` gates acceptance (and zero filling), so the writer can wait for a free buffer.
// Counting rows and beats separately keeps the section size free of a multiplier.
// Throughput: one beat per cycle while enabled.
`default_nettype none

module section_in #(
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
  logic [ROWS_W-1:0] rows_left_q;  // rows not finished, the current one included
  logic [KB_W-1:0] beat_q, kb_q;    // beat within the current row
  wire logic final_word = rows_left_q == 1 && beat_q == kb_q - 1'b1;
  logic done_unused, want_unused, valid_unused;

  len_guard u_guard (
      .clk, .rst, .start(arm && !busy && rows != '0 && kb != '0), .cancel(1'b0), .enable,
      .final_beat(final_word), .busy, .want(want_unused), .valid(valid_unused), .data(wr_data),
      .step(wr_en), .done(done_unused), .err_short, .err_long,
      .s_axis_tdata, .s_axis_tvalid, .s_axis_tready, .s_axis_tlast
  );

  always_ff @(posedge clk) begin
    if (arm && !busy) begin
      rows_left_q <= rows;
      kb_q <= kb;
      beat_q <= '0;
    end else if (wr_en) begin  // one word written: step the row/beat counters
      if (beat_q == kb_q - 1'b1) begin
        beat_q <= '0;
        rows_left_q <= rows_left_q - 1'b1;
      end else begin
        beat_q <= beat_q + 1'b1;
      end
    end
  end
endmodule

`default_nettype wire
