// The read side's address generator: one operation's input packet as row commands for rtl/mm2s.sv,
// each an address, a count of 64-bit beats and whether the packet (or, for attention, the head's
// packet) ends with it; golden.layout.read_plan is the same list.
//
// Tiled operations (attn = 0): per row tile of tile_rows rows (the last may be shorter), the tile's
// A rows (kb beats each, from a_addr, a_stride bytes apart), then its rows of R (rb beats each, from
// r_addr, r_stride apart; none when rb = 0), then the n weight rows (wb beats each, back to back
// from w_addr: the weight part packed once per model, golden.layout.weight_beats); `last` on the
// final tile's last weight row. So the weights are read once per row tile, the activations once.
// Attention (attn = 1): per head h < n, the rows t < rows of its Q_h K_h V_h columns, kb beats at
// a_addr + t a_stride + h kb 8 (the fused QKV in golden.qkv_columns order, no head-major copy);
// `last` on each head's final row.
// Addresses wrap at ADDR_W bits; a row's address advances by an add, never a multiply.
// Throughput: a command a cycle while cmd_ready is high.
`default_nettype none

module read_plan #(
    parameter int ADDR_W = 32,     // byte address width
    parameter int ROWS_W = 11,     // width of row counts
    parameter int LEN_W = 8        // width of beat counts
) (
    input  wire logic              clk,
    input  wire logic              rst,
    input  wire logic              start,        // pulse: plan one operation (ignored while busy)
    input  wire logic              cancel,
    input  wire logic              attn,
    input  wire logic [ROWS_W-1:0] rows,         // A rows (attention: tokens), >= 1
    input  wire logic [ROWS_W-1:0] tile_rows,    // rows per tile, >= 1 (attention: unused)
    input  wire logic [ROWS_W-1:0] n,            // weight rows (attention: heads), >= 1
    input  wire logic [LEN_W-1:0]  kb,           // beats per A row (attention: per head row), >= 1
    input  wire logic [LEN_W-1:0]  rb,           // beats per R row, 0: no R section
    input  wire logic [LEN_W-1:0]  wb,           // beats per weight row (its constants and weights), >= 1
    input  wire logic [ADDR_W-1:0] a_addr,
    input  wire logic [ADDR_W-1:0] a_stride,
    input  wire logic [ADDR_W-1:0] r_addr,
    input  wire logic [ADDR_W-1:0] r_stride,
    input  wire logic [ADDR_W-1:0] w_addr,
    output logic                   busy,
    output logic [ADDR_W-1:0]      cmd_addr,
    output logic [LEN_W-1:0]       cmd_beats,
    output logic                   cmd_last,
    output logic                   cmd_valid,
    input  wire logic              cmd_ready
);
  typedef enum logic [1:0] {S_A, S_R, S_W, S_H} section_e;
  section_e sec_q;
  logic [ROWS_W-1:0] left_q, row_q, tile_q, n_q, rows_q;
  logic [LEN_W-1:0] kb_q, rb_q, wb_q;
  logic [ADDR_W-1:0] addr_q, a_next_q, r_next_q, a_stride_q, r_stride_q, w_addr_q, head_q;

  wire logic [ROWS_W-1:0] now = left_q < tile_q ? left_q : tile_q;   // this tile's rows
  wire logic [ROWS_W-1:0] sec_rows = sec_q == S_W ? n_q : sec_q == S_H ? rows_q : now;
  wire logic sec_end = row_q == sec_rows - 1'b1;
  wire logic final_tile = left_q == now;
  wire logic step = cmd_valid && cmd_ready;

  assign cmd_addr = addr_q;
  assign cmd_beats = sec_q == S_A || sec_q == S_H ? kb_q : sec_q == S_R ? rb_q : wb_q;
  assign cmd_last = sec_end && (sec_q == S_H || (sec_q == S_W && final_tile));
  assign cmd_valid = busy;

  always_ff @(posedge clk) begin
    if (rst || cancel) begin
      busy <= 1'b0;
    end else if (start && !busy) begin
      busy <= 1'b1;
      sec_q <= attn ? S_H : S_A;
      left_q <= rows;
      rows_q <= rows;
      tile_q <= tile_rows;
      n_q <= n;
      kb_q <= kb;
      rb_q <= rb;
      wb_q <= wb;
      row_q <= '0;
      addr_q <= a_addr;
      head_q <= a_addr;
      a_stride_q <= a_stride;
      r_stride_q <= r_stride;
      r_next_q <= r_addr;
      w_addr_q <= w_addr;
    end else if (step) begin
      row_q <= sec_end ? '0 : row_q + 1'b1;
      case (sec_q)
        S_A: begin
          addr_q <= addr_q + a_stride_q;
          if (sec_end) begin
            a_next_q <= addr_q + a_stride_q;
            sec_q <= rb_q != '0 ? S_R : S_W;
            addr_q <= rb_q != '0 ? r_next_q : w_addr_q;
          end
        end
        S_R: begin
          addr_q <= addr_q + r_stride_q;
          if (sec_end) begin
            r_next_q <= addr_q + r_stride_q;
            sec_q <= S_W;
            addr_q <= w_addr_q;
          end
        end
        S_W: begin
          addr_q <= addr_q + (ADDR_W'(wb_q) << 3);
          if (sec_end) begin
            left_q <= left_q - now;
            sec_q <= S_A;
            addr_q <= a_next_q;
            if (final_tile) busy <= 1'b0;
          end
        end
        default: begin  // S_H: n_q counts the heads left
          addr_q <= addr_q + a_stride_q;
          if (sec_end) begin
            head_q <= head_q + (ADDR_W'(kb_q) << 3);
            addr_q <= head_q + (ADDR_W'(kb_q) << 3);
            n_q <= n_q - 1'b1;
            if (n_q == 1) busy <= 1'b0;
          end
        end
      endcase
    end
  end
endmodule

`default_nettype wire
