// The accelerator top: AXI4-Lite control (the register map of rtl/regs/ibert_regs.rdl, through
// ibert_csr), one AXI4-Stream in and one out (64-bit), and the operations behind them.
//
// An operation: write OP and DIM_*, write CTRL.start, send one packet, receive one packet. Start is
// refused (a sticky ERROR bit, nothing runs) while busy, for an operation code that does not exist,
// or for a dimension of zero or above its maximum (MAX_* registers). Input packets of the wrong
// length set ERROR.in_short / in_long and the operation still completes (axis_frame). CTRL.abort
// returns to idle from any state: the units are reset, an input packet already begun is drained
// to its tlast, and an output packet already begun is closed with one zero beat carrying tlast.
//
// Every operation runs as row tiles of TILE_ROWS rows, one mm job each (TILE_ROWS >= N1 N2 / 8, so
// that a tile's compute outlasts its weights on the 64-bit stream): the packet holds, per tile, the
// tile's rows of A, then the N rows of B^T (the weights, with their channel's constants ahead of
// each row for the fused operations), each row ceil(K/8) beats; the weights cross the stream once
// per row tile, and the array's A buffer holds one tile (golden.layout.pack_*).
// Operations:
//   OP_MATMUL: D = A x B, A signed or (OP.a_unsigned) unsigned (golden.layout.pack_matmul); the
//   output is D as int32 pairs, per row tile in mm's tile order (golden.layout.matmul_order).
//   OP_LINEAR: golden.linear, requant(A W + bias) per channel: two constant beats per channel
//   (golden.layout.pack_linear); the output is int8 rows, row-major (epilogue).
//   OP_MM_GELU: golden.mm_gelu, requant(GELU(A W + b)): five constant beats per channel
//   (golden.layout.pack_mm_gelu); int8 rows out.
//   OP_MM_LN: golden.mm_ln, requant(layernorm(residual_add(A W, R))) per channel over rows of
//   N <= MAX_D: each tile's A rows are followed by its rows of the residual R (int8, ceil(N/8)
//   beats each), and four constant beats go ahead of each channel's weights
//   (golden.layout.pack_mm_ln); int8 rows out.
`default_nettype none

module ibert_top
  import ibert_regs_pkg::*;
#(
    parameter int N1 = 8,        // systolic rows
    parameter int N2 = 8,        // systolic columns
    parameter int MAX_M = 128,
    parameter int MAX_K = 768,
    parameter int MAX_N = 1024,
    parameter int MAX_D = MAX_N / 4,  // the longest LayerNorm row (OP_MM_LN's N)
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
    input  wire logic [63:0] s_axis_tdata,
    input  wire logic        s_axis_tvalid,
    output logic             s_axis_tready,
    input  wire logic        s_axis_tlast,
    output logic [63:0]      m_axis_tdata,
    output logic             m_axis_tvalid,
    input  wire logic        m_axis_tready,
    output logic             m_axis_tlast
);
  localparam int KB_W = $clog2(MAX_K / 8 + 1);
  localparam int MM_M_W = $clog2(TILE_ROWS + 1);
  localparam int ROWS_W = M_W > N_W ? M_W : N_W;

`ifdef __ICARUS__
  initial
`endif
  if (MAX_M >= 1 << 16 || MAX_K >= 1 << 16 || MAX_N >= 1 << 16 || TILE_ROWS < N1 || TILE_ROWS > 255
      || MAX_D > MAX_K)
  begin : g_bad_parameters
    $fatal(1, "ibert_top: the DIM registers hold 16 bits; N1 <= TILE_ROWS <= 255; MAX_D <= MAX_K");
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

  logic [31:0] op_q, dim_m_q, dim_k_q, dim_n_q;
  logic [5:0] err_q;
  logic busy_q, done_q, closing_q, out_done_q, out_begun_q;
  logic [31:0] cyc_busy_q, cyc_starved_q, cyc_stalled_q;
  wire logic [3:0] code = op_q[OP_CODE_LSB+:OP_CODE_W];
  wire logic write_ctrl = wr_en && wr_addr == A_CTRL;
  wire logic start_req = write_ctrl && wr_strb[0] && wr_data[CTRL_START_LSB];
  wire logic abort_req = write_ctrl && wr_strb[0] && wr_data[CTRL_ABORT_LSB];
  wire logic dims_ok = dim_m_q >= 1 && dim_m_q <= MAX_M && dim_k_q >= 1 && dim_k_q <= MAX_K
                    && dim_n_q >= 1 && dim_n_q <= (code == OP_MM_LN ? MAX_D : MAX_N);
  wire logic op_ok = code == OP_MATMUL || code == OP_LINEAR || code == OP_MM_GELU || code == OP_MM_LN;
  wire logic tiled = code != OP_MATMUL;  // with the epilogue
  wire logic frame_busy;
  wire logic launch = start_req && !abort_req && !busy_q && !frame_busy && op_ok && dims_ok;

  // ---------------------------------------------------------------- datapath
  logic unit_rst, mm_busy, f_want, f_short, f_long;
  logic side_valid;
  logic [63:0] side_data, side_lo_q, side_g0_q, side_g1_q;
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
  wire logic want_tile = busy_q && tile_left_q != 0 && !mm_busy && !tile_go_q;
  wire logic mm_start = launch || tile_go_q;
  logic [63:0] f_tdata, mm_tdata;
  logic f_tvalid, f_tready, f_tlast, mm_tvalid, mm_tready, mm_tlast;
  logic mm_err_short, mm_err_long;
  always_ff @(posedge clk) unit_rst <= rst || abort_req;  // one cycle late: abort is a reset

  axis_frame #(.ROWS_W(ROWS_W), .KB_W(KB_W)) u_frame (
      .clk, .rst, .start(launch), .cancel(abort_req), .rows_a(ROWS_W'(dim_m_q)),
      .tile_rows(ROWS_W'(TILE_ROWS)), .rows_b(ROWS_W'(dim_n_q)),
      .kb(KB_W'((dim_k_q + 7) >> 3)),
      .side(code == OP_MM_GELU ? 3'd5 : is_ln ? 3'd4 : code == OP_LINEAR ? 3'd2 : 3'd0),
      .rb(is_ln ? KB_W'((dim_n_q + 7) >> 3) : '0), .busy(frame_busy), .want(f_want),
      .err_short(f_short), .err_long(f_long), .side_valid, .side_data, .side_row, .side_beat,
      .res_valid, .res_row, .res_beat,
      .s_axis_tdata, .s_axis_tvalid, .s_axis_tready,
      .s_axis_tlast, .m_axis_tdata(f_tdata), .m_axis_tvalid(f_tvalid), .m_axis_tready(f_tready),
      .m_axis_tlast(f_tlast)
  );
  mm #(.N1(N1), .N2(N2), .MAX_M(TILE_ROWS), .MAX_K(MAX_K), .MAX_N(MAX_N)) u_mm (
      .clk, .rst(unit_rst), .start(mm_start), .cfg_m(MM_M_W'(launch ? first_rows : next_rows)),
      .cfg_k(K_W'(dim_k_q)),
      .cfg_n(N_W'(dim_n_q)), .cfg_a_unsigned(op_q[OP_A_UNSIGNED_LSB] && code == OP_MATMUL), .busy(mm_busy),
      .err_short(mm_err_short), .err_long(mm_err_long),
      .s_axis_tdata(f_tdata), .s_axis_tvalid(f_tvalid), .s_axis_tready(f_tready),
      .s_axis_tlast(f_tlast), .m_axis_tdata(mm_tdata), .m_axis_tvalid(mm_tvalid),
      .m_axis_tready(mm_tready), .m_axis_tlast(mm_tlast)
  );

  // The epilogue; each channel's constants arrive on the framer's side port ahead of its weights:
  // {bias, m}, {e} of the requant, then (OP_MM_GELU) {shift, q1, qc, qb, b} in three beats, or
  // (OP_MM_LN) {ln bias, m_r}, {ln_m, shift[20:16], ln_e[13:8], e_r[5:0]}.
  always_ff @(posedge clk) begin
    if (side_valid && side_beat == 3'd0) side_lo_q <= side_data;
    if (side_valid && side_beat == 3'd2) side_g0_q <= side_data;
    if (side_valid && side_beat == 3'd3) side_g1_q <= side_data;
  end
  wire logic unused_side = &{1'b0, side_row, side_data, res_row, res_beat};  // each fits its RAM's address
  epilogue #(.N1(N1), .N2(N2), .TR(TILE_ROWS), .MAX_M(MAX_M), .MAX_N(MAX_N), .MAX_D(MAX_D)) u_epilogue (
      .clk, .rst(unit_rst), .start(launch && tiled), .gelu(code == OP_MM_GELU), .ln(is_ln),
      .m(M_W'(dim_m_q)),
      .n(N_W'(dim_n_q)), .c_addr($clog2(MAX_N)'(side_row)),
      .q_we(side_valid && side_beat == 3'd1), .q_data({side_data[5:0], side_lo_q}),
      .g_we(side_valid && side_beat == 3'd4), .g_data({side_data[10:0], side_g1_q, side_g0_q}),
      .l_we(side_valid && side_beat == 3'd3 && is_ln),
      .l_data({side_data[20:16], side_data[13:8], side_data[63:32], side_g0_q[63:32], side_data[5:0],
               side_g0_q[31:0]}),
      .r_we(res_valid), .r_row($clog2(TILE_ROWS > 1 ? TILE_ROWS : 2)'(res_row)),
      .r_beat($clog2((MAX_D + 7) / 8 + 1)'(res_beat)), .r_data(side_data),
      .s_axis_tdata(mm_tdata), .s_axis_tvalid(mm_tvalid && tiled),
      .s_axis_tready(epi_tready), .m_axis_tdata(epi_tdata), .m_axis_tvalid(epi_tvalid),
      .m_axis_tready(busy_q && !out_done_q && !closing_q && m_axis_tready), .m_axis_tlast(epi_tlast)
  );

  // Output: the operation's stream, or the one closing beat after an abort.
  wire logic [63:0] out_tdata = tiled ? epi_tdata : mm_tdata;
  wire logic out_tvalid = tiled ? epi_tvalid : mm_tvalid;
  wire logic out_tlast = tiled ? epi_tlast : mm_tlast && tile_left_q == 0;  // the last tile's
  assign m_axis_tdata = closing_q ? 64'd0 : out_tdata;
  assign m_axis_tvalid = closing_q || (busy_q && !out_done_q && out_tvalid);
  assign m_axis_tlast = closing_q || out_tlast;
  assign mm_tready = tiled ? epi_tready : busy_q && !out_done_q && !closing_q && m_axis_tready;
  wire logic out_beat = m_axis_tvalid && m_axis_tready;

  // ---------------------------------------------------------------- control and status
  always_ff @(posedge clk) begin
    if (rst) begin
      op_q <= OP_RESET;
      dim_m_q <= DIM_M_RESET;
      dim_k_q <= DIM_K_RESET;
      dim_n_q <= DIM_N_RESET;
      err_q <= '0;
      busy_q <= 1'b0;
      done_q <= 1'b0;
      closing_q <= 1'b0;
      tile_go_q <= 1'b0;
      tile_left_q <= '0;
      out_done_q <= 1'b0;
      out_begun_q <= 1'b0;
      cyc_busy_q <= '0;
      cyc_starved_q <= '0;
      cyc_stalled_q <= '0;
    end else begin
      if (wr_en && !busy_q) begin  // the operation registers are frozen while an operation runs
        case (wr_addr)
          A_OP: op_q <= merge(op_q, wr_data, wr_strb);
          A_DIM_M: dim_m_q <= merge(dim_m_q, wr_data, wr_strb) & 32'hFFFF;
          A_DIM_K: dim_k_q <= merge(dim_k_q, wr_data, wr_strb) & 32'hFFFF;
          A_DIM_N: dim_n_q <= merge(dim_n_q, wr_data, wr_strb) & 32'hFFFF;
          default: ;
        endcase
      end
      if (wr_en && wr_addr == A_ERROR && wr_strb[0]) err_q <= err_q & ~wr_data[5:0];
      // hardware sets win over a clear in the same cycle
      if (start_req && !abort_req) begin
        if (busy_q || frame_busy) err_q[ERROR_START_BUSY_LSB] <= 1'b1;
        else if (!op_ok) err_q[ERROR_BAD_OP_LSB] <= 1'b1;
        else if (!dims_ok) err_q[ERROR_BAD_DIMS_LSB] <= 1'b1;
      end
      if (f_short || mm_err_short) err_q[ERROR_IN_SHORT_LSB] <= 1'b1;  // mm's own: never, framed
      if (f_long || mm_err_long) err_q[ERROR_IN_LONG_LSB] <= 1'b1;

      tile_go_q <= want_tile && !abort_req;
      if (launch) tile_left_q <= dim_m_q > TILE_ROWS ? M_W'(dim_m_q) - M_W'(TILE_ROWS) : '0;
      else if (abort_req) tile_left_q <= '0;
      else if (tile_go_q) tile_left_q <= tile_left_q - next_rows;
      if (launch) begin
        busy_q <= 1'b1;
        done_q <= 1'b0;
        out_done_q <= 1'b0;
        out_begun_q <= 1'b0;
        cyc_busy_q <= '0;
        cyc_starved_q <= '0;
        cyc_stalled_q <= '0;
      end
      if (busy_q) begin
        if (~&cyc_busy_q) cyc_busy_q <= cyc_busy_q + 1'b1;
        if (f_want && !s_axis_tvalid && ~&cyc_starved_q) cyc_starved_q <= cyc_starved_q + 1'b1;
        if (m_axis_tvalid && !m_axis_tready && ~&cyc_stalled_q) cyc_stalled_q <= cyc_stalled_q + 1'b1;
      end
      if (out_beat && !closing_q) begin
        out_begun_q <= 1'b1;
        if (m_axis_tlast) out_done_q <= 1'b1;
      end
      if (busy_q && out_done_q && !frame_busy && !mm_busy && tile_left_q == 0) begin
        busy_q <= 1'b0;
        done_q <= 1'b1;
      end
      if (closing_q && m_axis_tready) closing_q <= 1'b0;
      if (abort_req) begin
        if (busy_q) err_q[ERROR_ABORTED_LSB] <= 1'b1;
        closing_q <= busy_q && out_begun_q && !out_done_q;
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
      A_ARRAY: rd_data = 32'(N1) << ARRAY_ROWS_LSB | 32'(N2) << ARRAY_COLS_LSB
                      | 32'(TILE_ROWS) << ARRAY_TILE_ROWS_LSB;
      A_CYCLES_BUSY: rd_data = cyc_busy_q;
      A_CYCLES_STARVED: rd_data = cyc_starved_q;
      A_CYCLES_STALLED: rd_data = cyc_stalled_q;
      default: rd_data = '0;
    endcase
  end
endmodule

`default_nettype wire
