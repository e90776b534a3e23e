// The accelerator top: AXI4-Lite control (the register map of rtl/regs/ibert_regs.rdl, through
// ibert_csr), an AXI4 read master (m_axi_rd, HP0) that fetches the operands from memory and an
// AXI4 write master (m_axi_wr, HP1) that writes the results back (64-bit, INCR bursts that never
// cross 4 KB), and the operations behind them.
//
// An operation: write OP, DIM_* and the operand addresses (A_ADDR, A_STRIDE, R_ADDR, R_STRIDE,
// W_ADDR, OUT_ADDR), write CTRL.start, wait for STATUS.done (the output is in memory). Start is
// refused (a sticky ERROR bit, nothing runs) while busy, for an operation code that does not
// exist, or for a dimension of zero or above its maximum (MAX_* registers). The read side
// (rtl/read_plan.sv, rtl/mm2s.sv) reads the operation's input packet as golden.read_plan plans it
// and hands it to the units as one stream; the write side (rtl/s2mm.sv) writes the output stream
// to OUT_ADDR. An error response on either master sets ERROR.axi_read / axi_write and ends the
// operation as an abort does. CTRL.abort: STATUS.busy falls within 2 cycles, whatever the state
// and whatever the bus does: the units are reset, the masters cancelled (their raised bursts
// finish on the bus in the background, reads dropped, writes with strobes off).
//
// Every operation runs as row tiles of TILE_ROWS rows, one mm job each (TILE_ROWS >= N1 N2 / 8, so
// that a tile's compute outlasts its weights on the 64-bit read side): the input packet holds, per
// tile, the tile's rows of A, then the N rows of B^T (the weights, with their channel's constants
// ahead of each row for the fused operations: the weight part at W_ADDR), each row ceil(K/8)
// beats; the weights are read once per row tile, and the array's A buffer holds one tile
// (golden.layout.packet, golden.read_plan).
// Operations:
//   OP_MATMUL: D = A x B, A signed or (OP.a_unsigned) unsigned (golden.layout.pack_matmul); the
//   output is D as int32 pairs, per row tile in mm's tile order (golden.layout.matmul_order).
//   OP_LINEAR: golden.linear, requant(A W + bias) per channel: two constant beats per channel
//   (golden.layout.pack_linear); the output is int8 rows, row-major (epilogue).
//   OP_MM_GELU: golden.mm_gelu, requant(GELU(A W + b)): five constant beats per channel
//   (golden.layout.pack_mm_gelu); int8 rows out.
//   OP_MM_LN: golden.mm_ln, requant(layernorm(residual_add(A W, R))) per channel over rows of
//   N <= MAX_D: each tile's A rows are followed by its rows of the residual R (int8, ceil(N/8)
//   beats each, from R_ADDR), and four constant beats go ahead of each channel's weights
//   (golden.layout.pack_mm_ln); int8 rows out.
//   OP_ATTENTION: golden.attention, all heads (rtl/attention.sv): DIM_M = T, DIM_K = d_head, DIM_N =
//   heads; the fused QKV projection (golden.qkv_columns order, T rows at A_ADDR) read head by
//   head in place, DIM_N packets of T rows of 3 d_head bytes (golden.layout.attention_beats); the
//   softmax and context constants from their registers; int8 context rows (T x D) out, gathered in
//   the epilogue's buffer. Built when the buffer holds MAX_M context rows of MAX_D bytes (ATTN_OK;
//   MAX_DH reads 0 and the code is refused otherwise).
`default_nettype none

module ibert_top
  import ibert_pkg::*, ibert_regs_pkg::*;
#(
    parameter int N1 = 8,        // systolic rows
    parameter int N2 = 8,        // systolic columns
    parameter int MAX_M = 128,
    parameter int MAX_K = 768,
    parameter int MAX_N = 1024,
    parameter int MAX_D = MAX_N / 4,  // the longest LayerNorm row (OP_MM_LN's N), the hidden size
    parameter int MAX_DH = 64,        // the largest head size (OP_ATTENTION), a power of two
    parameter int MAX_HEADS = 16,
    // rows per tile: N1 per block of 8 array columns (so the weights keep pace with the array)
    parameter int TILE_ROWS = N1 * ((N2 + 7) / 8),
    localparam int M_W = $clog2(MAX_M + 1),
    localparam int K_W = $clog2(MAX_K + 1),
    localparam int N_W = $clog2(MAX_N + 1)
) (
    input  wire logic        clk,
    input  wire logic        rst,
    input  wire logic [7:0]  s_axil_awaddr,
    input  wire logic        s_axil_awvalid,
    output logic             s_axil_awready,
    input  wire logic [31:0] s_axil_wdata,
    input  wire logic [3:0]  s_axil_wstrb,
    input  wire logic        s_axil_wvalid,
    output logic             s_axil_wready,
    output logic [1:0]       s_axil_bresp,
    output logic             s_axil_bvalid,
    input  wire logic        s_axil_bready,
    input  wire logic [7:0]  s_axil_araddr,
    input  wire logic        s_axil_arvalid,
    output logic             s_axil_arready,
    output logic [31:0]      s_axil_rdata,
    output logic [1:0]       s_axil_rresp,
    output logic             s_axil_rvalid,
    input  wire logic        s_axil_rready,
    // AXI4 read master (HP0): the operands, as golden.read_plan plans them
    output logic [0:0]       m_axi_rd_arid,
    output logic [31:0]      m_axi_rd_araddr,
    output logic [7:0]       m_axi_rd_arlen,
    output logic [2:0]       m_axi_rd_arsize,
    output logic [1:0]       m_axi_rd_arburst,
    output logic [3:0]       m_axi_rd_arcache,
    output logic [2:0]       m_axi_rd_arprot,
    output logic             m_axi_rd_arvalid,
    input  wire logic        m_axi_rd_arready,
    input  wire logic [0:0]  m_axi_rd_rid,
    input  wire logic [63:0] m_axi_rd_rdata,
    input  wire logic [1:0]  m_axi_rd_rresp,
    input  wire logic        m_axi_rd_rlast,
    input  wire logic        m_axi_rd_rvalid,
    output logic             m_axi_rd_rready,
    // AXI4 write master (HP1): the results
    output logic [0:0]       m_axi_wr_awid,
    output logic [31:0]      m_axi_wr_awaddr,
    output logic [7:0]       m_axi_wr_awlen,
    output logic [2:0]       m_axi_wr_awsize,
    output logic [1:0]       m_axi_wr_awburst,
    output logic [3:0]       m_axi_wr_awcache,
    output logic [2:0]       m_axi_wr_awprot,
    output logic             m_axi_wr_awvalid,
    input  wire logic        m_axi_wr_awready,
    output logic [63:0]      m_axi_wr_wdata,
    output logic [7:0]       m_axi_wr_wstrb,
    output logic             m_axi_wr_wlast,
    output logic             m_axi_wr_wvalid,
    input  wire logic        m_axi_wr_wready,
    input  wire logic [0:0]  m_axi_wr_bid,
    input  wire logic [1:0]  m_axi_wr_bresp,
    input  wire logic        m_axi_wr_bvalid,
    output logic             m_axi_wr_bready
);
  localparam int KB_W = $clog2(MAX_K / 8 + 1);
  localparam int MM_M_W = $clog2(TILE_ROWS + 1);
  localparam int ROWS_W = M_W > N_W ? M_W : N_W;
  // OP_ATTENTION's context (MAX_M rows of MAX_D bytes) lives in the epilogue's gather buffer
  localparam bit ATTN_OK = MAX_M * ((MAX_D + 7) / 8) <= 2 * TILE_ROWS * ((MAX_N + 7) / 8)
                        && (MAX_M & (MAX_M - 1)) == 0 && MAX_M >= 8 && MAX_DH <= MAX_D;
  localparam int T_W = $clog2(MAX_M + 1);

`ifdef __ICARUS__
  initial
`endif
  if (MAX_M >= 1 << DIM_M_VALUE_W || MAX_K >= 1 << DIM_K_VALUE_W || MAX_N >= 1 << DIM_N_VALUE_W
      || MAX_HEADS < 1 || MAX_HEADS >= 1 << DIM_N_VALUE_W || TILE_ROWS < N1 || TILE_ROWS > 255 || MAX_D > MAX_K)
  begin : g_bad_parameters
    $fatal(1, "ibert_top: MAX_M, MAX_K, MAX_N and MAX_HEADS (>= 1) fit the DIM registers; N1 <= TILE_ROWS <= 255; MAX_D <= MAX_K");
  end

  // ---------------------------------------------------------------- register port
  logic wr_en;
  logic [7:0] wr_addr, rd_addr;
  logic [31:0] wr_data, rd_data;
  logic [3:0] wr_strb;
  ibert_csr #(.ADDR_W(8)) u_csr (
      .clk, .rst, .s_axil_awaddr, .s_axil_awvalid, .s_axil_awready, .s_axil_wdata, .s_axil_wstrb,
      .s_axil_wvalid, .s_axil_wready, .s_axil_bresp, .s_axil_bvalid, .s_axil_bready,
      .s_axil_araddr, .s_axil_arvalid, .s_axil_arready, .s_axil_rdata, .s_axil_rresp,
      .s_axil_rvalid, .s_axil_rready, .wr_en, .wr_addr, .wr_data, .wr_strb, .rd_addr, .rd_data
  );

  function automatic logic [31:0] merge(logic [31:0] old, logic [31:0] data, logic [3:0] strb);
    for (int b = 0; b < 4; b++) if (strb[b]) old[8*b+:8] = data[8*b+:8];
    return old;
  endfunction

  logic [31:0] op_q, dim_m_q, dim_k_q, dim_n_q, sm_x0_q, sm_qb_q, sm_qc_q, sm_recip_q, ctx_m_q, ctx_e_q;
  logic [$clog2(ERROR_MASK + 1)-1:0] err_q;  // up to ERROR's highest field
  logic busy_q, done_q, out_done_q;
  logic [31:0] a_addr_q, a_stride_q, r_addr_q, r_stride_q, w_addr_q, out_addr_q;
  logic [31:0] cyc_busy_q, cyc_starved_q, cyc_stalled_q;
  wire logic [3:0] code = op_q[OP_CODE_LSB+:OP_CODE_W];
  wire logic write_ctrl = wr_en && wr_addr == A_CTRL;
  wire logic start_req = write_ctrl && wr_strb[0] && wr_data[CTRL_START_LSB];
  wire logic abort_req = write_ctrl && wr_strb[0] && wr_data[CTRL_ABORT_LSB];
  wire logic is_attn = code == OP_ATTENTION;
  // attention: d_head a multiple of 8 up to MAX_DH, 1..MAX_HEADS heads, heads x d_head <= MAX_D.
  // The checks are registered (dims_ok_q, op_ok_q) and so is the hidden size: a register write
  // takes at least two cycles (ibert_csr), so a start written right after an OP or DIM write sees
  // them current. heads x d_head <= MAX_D is checked as heads <= MAX_D / d_head for the d_head
  // written (no product on the path into launch); the hidden size in beats, heads x d_head / 8, is
  // a few shifted adds in LUTs.
  localparam int HEADS_W = $clog2(MAX_HEADS + 1);
  localparam int DH8_W = $clog2(MAX_DH / 8 + 1);
  localparam int HB_W = $clog2(MAX_HEADS * (MAX_DH / 8) + 1);
  wire logic [HEADS_W-1:0] heads = HEADS_W'(dim_n_q);
  wire logic [DH8_W-1:0] dh8 = DH8_W'(dim_k_q >> 3);
  logic heads_fit;
  always_comb begin
    heads_fit = 1'b0;
    for (int d = 1; d <= MAX_DH / 8; d++) if (dh8 == DH8_W'(d)) heads_fit = dim_n_q <= 32'(MAX_D / (8 * d));
  end
  function automatic logic [HB_W-1:0] beats(logic [HEADS_W-1:0] h, logic [DH8_W-1:0] d8);
    beats = '0;
    for (int i = 0; i < DH8_W; i++) if (d8[i]) beats = beats + (HB_W'(h) << i);
  endfunction
  logic [HB_W-1:0] hidden_b_q;
  logic dims_ok_q, op_ok_q;
  wire logic [HB_W+2:0] hidden = {hidden_b_q, 3'd0};
  wire logic attn_dims_ok = dim_m_q >= 1 && dim_m_q <= MAX_M && dim_k_q >= 8 && dim_k_q <= MAX_DH
                         && dim_k_q[2:0] == 3'd0 && dim_n_q >= 1 && dim_n_q <= MAX_HEADS && heads_fit;
  wire logic dims_ok = is_attn ? attn_dims_ok
                     : dim_m_q >= 1 && dim_m_q <= MAX_M && dim_k_q >= 1 && dim_k_q <= MAX_K
                       && dim_n_q >= 1 && dim_n_q <= (code == OP_MM_LN ? MAX_D : MAX_N);
  wire logic op_ok = code == OP_MATMUL || code == OP_LINEAR || code == OP_MM_GELU || code == OP_MM_LN
                  || (is_attn && ATTN_OK);
  always_ff @(posedge clk) begin
    hidden_b_q <= beats(heads, dh8);
    dims_ok_q <= dims_ok;
    op_ok_q <= op_ok;
  end
  wire logic tiled = code != OP_MATMUL;  // with the epilogue
  wire logic frame_busy, f_busy, a_busy;
  // the read side's stream (in) and the write side's (out): the operation's packets, as the
  // AXI DMA carried them before the core moved its own data
  logic [63:0] s_axis_tdata, m_axis_tdata;
  logic s_axis_tvalid, s_axis_tready, s_axis_tlast, m_axis_tvalid, m_axis_tready, m_axis_tlast;
  assign frame_busy = f_busy || a_busy;  // an input packet may still be in flight
  wire logic launch = start_req && !abort_req && !busy_q && !frame_busy && op_ok_q && dims_ok_q;

  // ---------------------------------------------------------------- datapath
  logic unit_rst, mm_busy, f_want, f_short, f_long;
  logic side_valid;
  logic [63:0] side_data;
  logic [ROWS_W-1:0] side_row, res_row;
  logic [2:0] side_beat;
  logic res_valid;
  logic [KB_W-1:0] res_beat;
  wire logic is_ln = code == OP_MM_LN;
  logic [63:0] epi_tdata;
  logic epi_tready, epi_tvalid, epi_tlast;
  logic [M_W-1:0] tile_left_q;                  // A rows whose mm job has not started
  wire logic [M_W-1:0] first_rows = dim_m_q > TILE_ROWS ? M_W'(TILE_ROWS) : M_W'(dim_m_q);
  wire logic [M_W-1:0] next_rows = tile_left_q > M_W'(TILE_ROWS) ? M_W'(TILE_ROWS) : tile_left_q;
  logic tile_go_q;                              // start the next tile's mm job now
  // The next tile's job starts while this one's last block drains (mm's ready), except in
  // OP_MATMUL, whose packet ends at the last job's tlast, so its jobs wait for mm to be idle.
  // (OP_MM_LN's next residual rows wait for the epilogue's r_free instead: axis_frame's res_go.)
  logic mm_ready, r_free;
  wire logic want_tile = busy_q && tile_left_q != 0 && (tiled ? mm_ready : !mm_busy) && !tile_go_q;
  logic a_mm_start, a_mm_unsigned;
  localparam int AJ_W = T_W > $clog2(MAX_DH + 1) ? T_W : $clog2(MAX_DH + 1);
  logic [AJ_W-1:0] a_mm_m, a_mm_k, a_mm_n;
  wire logic mm_start = is_attn ? a_mm_start : (launch || tile_go_q);
  logic [63:0] f_tdata, mm_tdata, a_tdata;
  logic f_tvalid, f_tready, f_tlast, mm_tvalid, mm_tready, mm_tlast, a_tvalid, a_tlast, e_in_tready;
  logic f_s_tready, a_s_tready, a_want, a_short, a_long, a_d_tready;
  assign s_axis_tready = f_s_tready || a_s_tready;
  logic mm_err_short, mm_err_long;
  // an abort, or an error response on either master, ends the operation: a reset of the units
  // one cycle late, the masters cancelled at once
  logic rd_err, wr_err;
  wire logic kill = abort_req || (busy_q && (rd_err || wr_err));
  always_ff @(posedge clk) unit_rst <= rst || kill;

  localparam int SIDE_MAX = LINEAR_CONST_BEATS + (GELU_CONST_BEATS > LN_CONST_BEATS ? GELU_CONST_BEATS : LN_CONST_BEATS);
  // the constant beats ahead of each weight row
  wire logic [2:0] side_beats = code == OP_MM_GELU ? 3'(LINEAR_CONST_BEATS + GELU_CONST_BEATS)
                              : is_ln ? 3'(LINEAR_CONST_BEATS + LN_CONST_BEATS)
                              : code == OP_LINEAR ? 3'(LINEAR_CONST_BEATS) : 3'd0;
  axis_frame #(.ROWS_W(ROWS_W), .KB_W(KB_W)) u_frame (
      .clk, .rst(unit_rst), .start(launch && !is_attn), .cancel(1'b0), .rows_a(ROWS_W'(dim_m_q)),
      .tile_rows(ROWS_W'(TILE_ROWS)), .rows_b(ROWS_W'(dim_n_q)),
      .kb(KB_W'((dim_k_q + 7) >> 3)),
      .side(side_beats), .res_go(r_free),
      .rb(is_ln ? KB_W'((dim_n_q + 7) >> 3) : '0), .busy(f_busy), .want(f_want),
      .err_short(f_short), .err_long(f_long), .side_valid, .side_data, .side_row, .side_beat,
      .res_valid, .res_row, .res_beat,
      .s_axis_tdata, .s_axis_tvalid, .s_axis_tready(f_s_tready),
      .s_axis_tlast, .m_axis_tdata(f_tdata), .m_axis_tvalid(f_tvalid), .m_axis_tready(f_tready),
      .m_axis_tlast(f_tlast)
  );
  // the engine's input: the framer's, or the attention unit's feeder
  assign f_tready = !is_attn && e_in_tready;
  mm #(.N1(N1), .N2(N2), .MAX_M(TILE_ROWS), .MAX_K(MAX_K), .MAX_N(MAX_N)) u_mm (
      .clk, .rst(unit_rst), .start(mm_start),
      .cfg_m(is_attn ? MM_M_W'(a_mm_m) : MM_M_W'(launch ? first_rows : next_rows)),
      .cfg_k(is_attn ? K_W'(a_mm_k) : K_W'(dim_k_q)), .cfg_n(is_attn ? N_W'(a_mm_n) : N_W'(dim_n_q)),
      .cfg_a_unsigned(is_attn ? a_mm_unsigned : op_q[OP_A_UNSIGNED_LSB] && code == OP_MATMUL),
      .busy(mm_busy), .ready(mm_ready), .err_short(mm_err_short), .err_long(mm_err_long),
      .s_axis_tdata(is_attn ? a_tdata : f_tdata), .s_axis_tvalid(is_attn ? a_tvalid : f_tvalid),
      .s_axis_tready(e_in_tready), .s_axis_tlast(is_attn ? a_tlast : f_tlast), .m_axis_tdata(mm_tdata), .m_axis_tvalid(mm_tvalid),
      .m_axis_tready(mm_tready), .m_axis_tlast(mm_tlast)
  );

  // The epilogue; each channel's constants arrive on the framer's side port ahead of its weights,
  // as words of golden.layout.CONST_WORDS: "linear" (the requant), then "gelu" (OP_MM_GELU) or
  // "ln" (OP_MM_LN). A word is written to its RAM on its last beat, the earlier ones kept here.
  localparam int SIDE_HIST = (GELU_CONST_BEATS > LN_CONST_BEATS ? GELU_CONST_BEATS : LN_CONST_BEATS) - 1;
  logic [SIDE_HIST*64-1:0] side_hist_q;         // the previous beats, the latest on top
  always_ff @(posedge clk) if (side_valid) side_hist_q <= (SIDE_HIST*64)'({side_data, side_hist_q} >> 64);
  // the word of B beats that ends with this beat: its bit 0 in the oldest of the B
  wire logic [(SIDE_HIST+1)*64-1:0] side_words = {side_data, side_hist_q};
  wire logic [2:0] lin_end = 3'(LINEAR_CONST_BEATS - 1);
  wire logic unused_side = &{1'b0, side_row, side_data, res_row, res_beat};  // each fits its RAM's address

  // OP_ATTENTION: the attention unit drives the engine and writes the context into the epilogue
  logic x_we, x_done;
  logic [T_W-1:0] x_row;
  logic [$clog2(MAX_HEADS * MAX_DH + 1)-1:0] x_col;
  logic [7:0] x_data;
  if (ATTN_OK) begin : g_attn
    attention #(.N1(N1), .N2(N2), .TR(TILE_ROWS), .MAX_T(MAX_M), .MAX_DH(MAX_DH), .MAX_HEADS(MAX_HEADS)) u_attention (
        .clk, .rst(unit_rst), .start(launch && is_attn), .cancel(1'b0), .t(T_W'(dim_m_q)),
        .dh($clog2(MAX_DH + 1)'(dim_k_q)), .heads($clog2(MAX_HEADS + 1)'(dim_n_q)),
        .x0(sm_x0_q[SOFTMAX_X0_X0_LSB+:SOFTMAX_X0_X0_W]), .qb(sm_qb_q[SOFTMAX_QB_VALUE_LSB+:SOFTMAX_QB_VALUE_W]),
        .qc(sm_qc_q[SOFTMAX_QC_VALUE_LSB+:SOFTMAX_QC_VALUE_W]),
        .x0_recip(sm_recip_q[SOFTMAX_RECIP_VALUE_LSB+:SOFTMAX_RECIP_VALUE_W]),
        .in_shift(sm_x0_q[SOFTMAX_X0_IN_SHIFT_LSB+:SOFTMAX_X0_IN_SHIFT_W]), .ctx_m(ctx_m_q),
        .ctx_e(ctx_e_q[CTX_E_VALUE_LSB+:CTX_E_VALUE_W]), .busy(a_busy), .want(a_want), .err_short(a_short), .err_long(a_long),
        .s_axis_tdata, .s_axis_tvalid, .s_axis_tready(a_s_tready), .s_axis_tlast,
        .mm_start(a_mm_start), .mm_m(a_mm_m), .mm_k(a_mm_k), .mm_n(a_mm_n), .mm_unsigned(a_mm_unsigned),
        .mm_busy, .e_tdata(a_tdata), .e_tvalid(a_tvalid), .e_tready(is_attn && e_in_tready),
        .e_tlast(a_tlast), .d_tdata(mm_tdata), .d_tvalid(mm_tvalid && is_attn), .d_tready(a_d_tready),
        .d_tlast(mm_tlast), .x_we, .x_row, .x_col, .x_data, .x_done
    );
  end else begin : g_no_attn
    assign {a_busy, a_want, a_short, a_long, a_s_tready, a_mm_start, a_mm_unsigned, a_tvalid, a_tlast} = '0;
    assign {a_mm_m, a_mm_k, a_mm_n, a_tdata, a_d_tready} = '0;
    assign {x_we, x_done, x_row, x_col, x_data} = '0;
    wire logic unused_attn = &{1'b0, sm_x0_q, sm_qb_q, sm_qc_q, sm_recip_q, ctx_m_q, ctx_e_q};
  end
  wire logic unused_attn_bits = &{1'b0, x_col, a_mm_m};  // the context column and tile rows fit narrower
  epilogue #(.N1(N1), .N2(N2), .TR(TILE_ROWS), .MAX_M(MAX_M), .MAX_N(MAX_N), .MAX_D(MAX_D)) u_epilogue (
      .clk, .rst(unit_rst), .start(launch && tiled), .gelu(code == OP_MM_GELU), .ln(is_ln), .attn(is_attn),
      .m(M_W'(dim_m_q)),
      .n(is_attn ? N_W'(hidden) : N_W'(dim_n_q)), .c_addr($clog2(MAX_N)'(side_row)),
      .q_we(side_valid && side_beat == lin_end),
      .q_data(side_words[64*(SIDE_HIST+1-LINEAR_CONST_BEATS)+:LINEAR_CONST_BITS]),
      .g_we(side_valid && side_beat == lin_end + 3'(GELU_CONST_BEATS)),
      .g_data(side_words[64*(SIDE_HIST+1-GELU_CONST_BEATS)+:GELU_CONST_BITS]),
      .l_we(side_valid && side_beat == lin_end + 3'(LN_CONST_BEATS) && is_ln),
      .l_data(side_words[64*(SIDE_HIST+1-LN_CONST_BEATS)+:LN_CONST_BITS]),
      .r_we(res_valid), .r_row($clog2(TILE_ROWS > 1 ? TILE_ROWS : 2)'(res_row)),
      .r_beat($clog2((MAX_D + 7) / 8 + 1)'(res_beat)), .r_data(side_data), .r_free,
      .x_we, .x_row(M_W'(x_row)), .x_col($clog2(MAX_D + 1)'(x_col)), .x_data, .x_done,
      .s_axis_tdata(mm_tdata), .s_axis_tvalid(mm_tvalid && tiled && !is_attn),
      .s_axis_tready(epi_tready), .m_axis_tdata(epi_tdata), .m_axis_tvalid(epi_tvalid),
      .m_axis_tready(busy_q && !out_done_q && m_axis_tready), .m_axis_tlast(epi_tlast)
  );

  // Output: the operation's stream, to the write side.
  assign m_axis_tdata = tiled ? epi_tdata : mm_tdata;
  assign m_axis_tvalid = busy_q && !out_done_q && (tiled ? epi_tvalid : mm_tvalid);
  assign m_axis_tlast = tiled ? epi_tlast : mm_tlast && tile_left_q == 0;  // the last tile's
  assign mm_tready = is_attn ? a_d_tready
                   : tiled ? epi_tready : busy_q && !out_done_q && m_axis_tready;

  // ---------------------------------------------------------------- memory
  // The read side: golden.read_plan's row reads, as bursts on m_axi_rd, into s_axis. A row is at
  // most MAX_K / 8 weight beats and the constants ahead of them, MAX_D / 8 residual beats, or a
  // head's 3 MAX_DH / 8.
  localparam int ROW_BEATS = MAX_K / 8 + 1 + SIDE_MAX > MAX_D / 8 + 1 ? MAX_K / 8 + 1 + SIDE_MAX : MAX_D / 8 + 1;
  localparam int LEN_W = $clog2((ROW_BEATS > 3 * MAX_DH / 8 ? ROW_BEATS : 3 * MAX_DH / 8) + 1);
  wire logic [KB_W-1:0] kb = KB_W'((dim_k_q + 7) >> 3);
  wire logic [LEN_W-1:0] head_beats = LEN_W'(dh8) + (LEN_W'(dh8) << 1);  // 3 d_head / 8
  logic [LEN_W-1:0] cmd_beats;
  logic [31:0] cmd_addr;
  logic cmd_last, cmd_valid, cmd_ready, plan_busy;
  read_plan #(.ADDR_W(32), .ROWS_W(ROWS_W), .LEN_W(LEN_W)) u_plan (
      .clk, .rst, .start(launch), .cancel(kill), .attn(is_attn), .rows(ROWS_W'(dim_m_q)),
      .tile_rows(ROWS_W'(TILE_ROWS)), .n(ROWS_W'(dim_n_q)), .kb(is_attn ? head_beats : LEN_W'(kb)),
      .rb(is_ln ? LEN_W'((dim_n_q + 7) >> 3) : '0), .wb(LEN_W'(kb) + LEN_W'(side_beats)),
      .a_addr(a_addr_q), .a_stride(a_stride_q), .r_addr(r_addr_q), .r_stride(r_stride_q), .w_addr(w_addr_q),
      .busy(plan_busy), .cmd_addr, .cmd_beats, .cmd_last, .cmd_valid, .cmd_ready
  );
  logic rd_idle_unused, wr_idle_unused, wr_busy_unused, wr_done;
  logic [23:0] out_beats;
  mm2s #(.ADDR_W(32), .LEN_W(LEN_W), .MAX_BURST(64), .DEPTH(512), .MAX_BURSTS(16)) u_mm2s (
      .clk, .rst, .cancel(kill), .cmd_addr, .cmd_beats, .cmd_last, .cmd_valid, .cmd_ready,
      .m_axi_arid(m_axi_rd_arid), .m_axi_araddr(m_axi_rd_araddr), .m_axi_arlen(m_axi_rd_arlen),
      .m_axi_arsize(m_axi_rd_arsize), .m_axi_arburst(m_axi_rd_arburst), .m_axi_arcache(m_axi_rd_arcache),
      .m_axi_arprot(m_axi_rd_arprot), .m_axi_arvalid(m_axi_rd_arvalid), .m_axi_arready(m_axi_rd_arready),
      .m_axi_rid(m_axi_rd_rid), .m_axi_rdata(m_axi_rd_rdata), .m_axi_rresp(m_axi_rd_rresp),
      .m_axi_rlast(m_axi_rd_rlast), .m_axi_rvalid(m_axi_rd_rvalid), .m_axi_rready(m_axi_rd_rready),
      .m_axis_tdata(s_axis_tdata), .m_axis_tvalid(s_axis_tvalid), .m_axis_tready(s_axis_tready),
      .m_axis_tlast(s_axis_tlast), .err(rd_err), .idle(rd_idle_unused)
  );
  // The write side: the output packet to OUT_ADDR on m_axi_wr; the operation is done once all of
  // it is acknowledged.
  s2mm #(.ADDR_W(32), .MAX_BURST(16), .DEPTH(64), .MAX_BURSTS(8), .BEATS_W(24)) u_s2mm (
      .clk, .rst, .start(launch), .addr(out_addr_q), .cancel(kill),
      .s_axis_tdata(m_axis_tdata), .s_axis_tvalid(m_axis_tvalid), .s_axis_tready(m_axis_tready),
      .s_axis_tlast(m_axis_tlast),
      .m_axi_awid(m_axi_wr_awid), .m_axi_awaddr(m_axi_wr_awaddr), .m_axi_awlen(m_axi_wr_awlen),
      .m_axi_awsize(m_axi_wr_awsize), .m_axi_awburst(m_axi_wr_awburst), .m_axi_awcache(m_axi_wr_awcache),
      .m_axi_awprot(m_axi_wr_awprot), .m_axi_awvalid(m_axi_wr_awvalid), .m_axi_awready(m_axi_wr_awready),
      .m_axi_wdata(m_axi_wr_wdata), .m_axi_wstrb(m_axi_wr_wstrb), .m_axi_wlast(m_axi_wr_wlast),
      .m_axi_wvalid(m_axi_wr_wvalid), .m_axi_wready(m_axi_wr_wready), .m_axi_bid(m_axi_wr_bid),
      .m_axi_bresp(m_axi_wr_bresp), .m_axi_bvalid(m_axi_wr_bvalid), .m_axi_bready(m_axi_wr_bready),
      .busy(wr_busy_unused), .done(wr_done), .err(wr_err), .beats(out_beats), .idle(wr_idle_unused)
  );
  wire logic unused_mem = &{1'b0, rd_idle_unused, wr_idle_unused, wr_busy_unused, plan_busy};

  // ---------------------------------------------------------------- control and status
  always_ff @(posedge clk) begin
    if (rst) begin
      op_q <= OP_RESET;
      dim_m_q <= DIM_M_RESET;
      dim_k_q <= DIM_K_RESET;
      dim_n_q <= DIM_N_RESET;
      sm_x0_q <= SOFTMAX_X0_RESET;
      sm_qb_q <= SOFTMAX_QB_RESET;
      sm_qc_q <= SOFTMAX_QC_RESET;
      sm_recip_q <= SOFTMAX_RECIP_RESET;
      ctx_m_q <= CTX_M_RESET;
      ctx_e_q <= CTX_E_RESET;
      err_q <= $bits(err_q)'(ERROR_RESET);
      busy_q <= 1'b0;
      done_q <= 1'b0;
      a_addr_q <= A_ADDR_RESET;
      a_stride_q <= A_STRIDE_RESET;
      r_addr_q <= R_ADDR_RESET;
      r_stride_q <= R_STRIDE_RESET;
      w_addr_q <= W_ADDR_RESET;
      out_addr_q <= OUT_ADDR_RESET;
      tile_go_q <= 1'b0;
      tile_left_q <= '0;
      out_done_q <= 1'b0;
      cyc_busy_q <= '0;
      cyc_starved_q <= '0;
      cyc_stalled_q <= '0;
    end else begin
      if (wr_en && !busy_q) begin  // the operation registers are frozen while an operation runs
        case (wr_addr)
          A_OP: op_q <= merge(op_q, wr_data, wr_strb);
          A_DIM_M: dim_m_q <= merge(dim_m_q, wr_data, wr_strb) & DIM_M_MASK;
          A_DIM_K: dim_k_q <= merge(dim_k_q, wr_data, wr_strb) & DIM_K_MASK;
          A_DIM_N: dim_n_q <= merge(dim_n_q, wr_data, wr_strb) & DIM_N_MASK;
          A_SOFTMAX_X0: sm_x0_q <= merge(sm_x0_q, wr_data, wr_strb) & SOFTMAX_X0_MASK;
          A_SOFTMAX_QB: sm_qb_q <= merge(sm_qb_q, wr_data, wr_strb) & SOFTMAX_QB_MASK;
          A_SOFTMAX_QC: sm_qc_q <= merge(sm_qc_q, wr_data, wr_strb) & SOFTMAX_QC_MASK;
          A_SOFTMAX_RECIP: sm_recip_q <= merge(sm_recip_q, wr_data, wr_strb) & SOFTMAX_RECIP_MASK;
          A_CTX_M: ctx_m_q <= merge(ctx_m_q, wr_data, wr_strb) & CTX_M_MASK;
          A_CTX_E: ctx_e_q <= merge(ctx_e_q, wr_data, wr_strb) & CTX_E_MASK;
          A_A_ADDR: a_addr_q <= merge(a_addr_q, wr_data, wr_strb) & A_ADDR_MASK;
          A_A_STRIDE: a_stride_q <= merge(a_stride_q, wr_data, wr_strb) & A_STRIDE_MASK;
          A_R_ADDR: r_addr_q <= merge(r_addr_q, wr_data, wr_strb) & R_ADDR_MASK;
          A_R_STRIDE: r_stride_q <= merge(r_stride_q, wr_data, wr_strb) & R_STRIDE_MASK;
          A_W_ADDR: w_addr_q <= merge(w_addr_q, wr_data, wr_strb) & W_ADDR_MASK;
          A_OUT_ADDR: out_addr_q <= merge(out_addr_q, wr_data, wr_strb) & OUT_ADDR_MASK;
          default: ;
        endcase
      end
      if (wr_en && wr_addr == A_ERROR && wr_strb[0]) err_q <= err_q & ~wr_data[$bits(err_q)-1:0];
      // hardware sets win over a clear in the same cycle
      if (start_req && !abort_req) begin
        if (busy_q || frame_busy) err_q[ERROR_START_BUSY_LSB] <= 1'b1;
        else if (!op_ok_q) err_q[ERROR_BAD_OP_LSB] <= 1'b1;
        else if (!dims_ok_q) err_q[ERROR_BAD_DIMS_LSB] <= 1'b1;
      end
      if (f_short || a_short || mm_err_short) err_q[ERROR_IN_SHORT_LSB] <= 1'b1;  // mm's own: never, framed
      if (f_long || a_long || mm_err_long) err_q[ERROR_IN_LONG_LSB] <= 1'b1;

      tile_go_q <= want_tile && !abort_req;
      if (launch) tile_left_q <= dim_m_q > TILE_ROWS && !is_attn ? M_W'(dim_m_q) - M_W'(TILE_ROWS) : '0;
      else if (abort_req) tile_left_q <= '0;
      else if (tile_go_q) tile_left_q <= tile_left_q - next_rows;
      if (launch) begin
        busy_q <= 1'b1;
        done_q <= 1'b0;
        out_done_q <= 1'b0;
        cyc_busy_q <= '0;
        cyc_starved_q <= '0;
        cyc_stalled_q <= '0;
      end
      if (busy_q) begin
        if (~&cyc_busy_q) cyc_busy_q <= cyc_busy_q + 1'b1;
        if ((f_want || a_want) && !s_axis_tvalid && ~&cyc_starved_q) cyc_starved_q <= cyc_starved_q + 1'b1;
        if (m_axis_tvalid && !m_axis_tready && ~&cyc_stalled_q) cyc_stalled_q <= cyc_stalled_q + 1'b1;
      end
      if (wr_done && busy_q) out_done_q <= 1'b1;  // the whole output is in memory
      if (busy_q && rd_err) err_q[ERROR_AXI_READ_LSB] <= 1'b1;
      if (busy_q && wr_err) err_q[ERROR_AXI_WRITE_LSB] <= 1'b1;
      if (busy_q && out_done_q && !frame_busy && !mm_busy && tile_left_q == 0) begin
        busy_q <= 1'b0;
        done_q <= 1'b1;
      end
      if (kill) begin
        if (busy_q && abort_req) err_q[ERROR_ABORTED_LSB] <= 1'b1;
        busy_q <= 1'b0;
        done_q <= 1'b0;
      end
    end
  end

  always_comb begin
    case (rd_addr)
      A_ID: rd_data = ID_RESET;
      A_VERSION: rd_data = VERSION_RESET;
      A_STATUS: rd_data = 32'(busy_q || frame_busy) << STATUS_BUSY_LSB | 32'(done_q) << STATUS_DONE_LSB;
      A_ERROR: rd_data = 32'(err_q);
      A_OP: rd_data = op_q;
      A_DIM_M: rd_data = dim_m_q;
      A_DIM_K: rd_data = dim_k_q;
      A_DIM_N: rd_data = dim_n_q;
      A_MAX_M: rd_data = 32'(MAX_M);
      A_MAX_K: rd_data = 32'(MAX_K);
      A_MAX_N: rd_data = 32'(MAX_N);
      A_MAX_D: rd_data = 32'(MAX_D);
      A_MAX_DH: rd_data = ATTN_OK ? 32'(MAX_DH) : 32'd0;
      A_MAX_HEADS: rd_data = ATTN_OK ? 32'(MAX_HEADS) : 32'd0;
      A_SOFTMAX_X0: rd_data = sm_x0_q;
      A_SOFTMAX_QB: rd_data = sm_qb_q;
      A_SOFTMAX_QC: rd_data = sm_qc_q;
      A_SOFTMAX_RECIP: rd_data = sm_recip_q;
      A_CTX_M: rd_data = ctx_m_q;
      A_CTX_E: rd_data = ctx_e_q;
      A_ARRAY: rd_data = 32'(N1) << ARRAY_ROWS_LSB | 32'(N2) << ARRAY_COLS_LSB
                      | 32'(TILE_ROWS) << ARRAY_TILE_ROWS_LSB;
      A_A_ADDR: rd_data = a_addr_q;
      A_A_STRIDE: rd_data = a_stride_q;
      A_R_ADDR: rd_data = r_addr_q;
      A_R_STRIDE: rd_data = r_stride_q;
      A_W_ADDR: rd_data = w_addr_q;
      A_OUT_ADDR: rd_data = out_addr_q;
      A_OUT_BEATS: rd_data = 32'(out_beats);
      A_CYCLES_BUSY: rd_data = cyc_busy_q;
      A_CYCLES_STARVED: rd_data = cyc_starved_q;
      A_CYCLES_STALLED: rd_data = cyc_stalled_q;
      default: rd_data = '0;
    endcase
  end
endmodule

`default_nettype wire
