// OP_ATTENTION (golden.attention): all heads of the attention core on the one array.
//
// Input: one packet per head, `heads` in all: head h's columns of the fused QKV projection
// (golden.qkv_columns order), T rows of 3 d_head int8 (its Q, K and V side by side; the host
// sends the projection head-major, so every byte crosses the stream once). The unit keeps
// Q_h and K_h in row buffers, V_h in a transpose buffer (rtl/attention_vt.sv: a row of V in and a
// row of V^T out, one beat a cycle either way). Per query tile of up to TR rows:
//   S = Q_h[tile] K_h^T   (engine: A = the tile's Q rows, B^T = K_h; int32 out, stored as the
//                          engine sends it, two a beat at full rate, into one of two S banks,
//                          and read back by row)
//   P = softmax(S)        (two rtl/softmax.sv units, even and odd rows; uint8, gathered by row
//                          into one of two P banks)
//   C = P V_h             (engine: A = P unsigned, B^T = V_h^T from the transpose buffer)
//   ctx = requant(C, ctx_m, ctx_e)  (int8, written to the context store at (row, h d_head + col))
// The tiles run as a pipeline of three streams (S jobs, softmax passes, C jobs; see "phases"), so
// tile i's softmax overlaps the engine's S(i + 1) and C(i - 1).
// The engine's input comes from here (a feeder reading the buffers through row_out's credits);
// its output comes back here (S as whole beats; C two values a beat, tile_walk following each
// one's row and column).
// x_done pulses when the last head's context is written; the caller sends the context rows.
// Input packets of the wrong length are handled by rtl/len_guard.sv, as in axis_frame and section_in
// (err_short: the rest read as zeros; err_long: the excess dropped to tlast); cancel returns to
// idle, the guard draining a packet begun (busy until its tlast).
`default_nettype none

module attention #(
    parameter int N1 = 4,
    parameter int N2 = 4,
    parameter int TR = 4,            // query rows per tile: the engine's MAX_M
    parameter int MAX_T = 64,        // tokens, a power of two
    parameter int MAX_DH = 64,       // head size, a power of two, >= 8
    parameter int MAX_HEADS = 16,
    localparam int T_W = $clog2(MAX_T + 1),
    localparam int DH_W = $clog2(MAX_DH + 1),
    localparam int H_W = $clog2(MAX_HEADS + 1),
    localparam int COL_W = $clog2(MAX_HEADS * MAX_DH + 1),
    localparam int J_W = T_W > DH_W ? T_W : DH_W,  // the engine's dimensions: T or d_head
    localparam int R_W = $clog2(MAX_T + TR + 1)    // a tile's first row, up to one tile past T
) (
    input  wire logic               clk,
    input  wire logic               rst,
    input  wire logic               start,        // pulse: t tokens, d_head dh, heads
    input  wire logic               cancel,
    input  wire logic [T_W-1:0]     t,
    input  wire logic [DH_W-1:0]    dh,           // a multiple of 8
    input  wire logic [H_W-1:0]     heads,
    input  wire logic signed [16:0] x0,           // softmax constants, held while busy
    input  wire logic [20:0]        qb,
    input  wire logic [30:0]        qc,
    input  wire logic [22:0]        x0_recip,
    input  wire logic [4:0]         in_shift,
    input  wire logic [31:0]        ctx_m,
    input  wire logic [5:0]         ctx_e,
    output logic                    busy,
    output logic                    want,         // waiting for an input beat it would take
    output logic                    err_short,    // one-cycle pulses
    output logic                    err_long,
    input  wire logic [63:0]        s_axis_tdata,
    input  wire logic               s_axis_tvalid,
    output logic                    s_axis_tready,
    input  wire logic               s_axis_tlast,
    // the engine (rtl/mm.sv)
    output logic                    mm_start,
    output logic [J_W-1:0]          mm_m,
    output logic [J_W-1:0]          mm_k,         // d_head or T
    output logic [J_W-1:0]          mm_n,
    output logic                    mm_unsigned,
    input  wire logic               mm_busy,
    output logic [63:0]             e_tdata,
    output logic                    e_tvalid,
    input  wire logic               e_tready,
    output logic                    e_tlast,
    input  wire logic [63:0]        d_tdata,
    input  wire logic               d_tvalid,
    output logic                    d_tready,
    input  wire logic               d_tlast,
    // the context, one byte at a time, and its end
    output logic                    x_we,
    output logic [T_W-1:0]          x_row,
    output logic [COL_W-1:0]        x_col,
    output logic [7:0]              x_data,
    output logic                    x_done
);
  localparam int DB = MAX_DH / 8;                 // beats of a row of Q or K (the maximum)
  localparam int TB = MAX_T / 8 > 1 ? MAX_T / 8 : 1;  // beats of a row of P
  localparam int QAW = $clog2(MAX_T * DB);
  localparam int TRH = (TR + 1) / 2;             // rows of P per softmax unit
  localparam int PAW = $clog2(TRH * TB > 1 ? TRH * TB : 2) + 1;  // {bank, address in the bank}
  localparam int SAW = $clog2(TR * MAX_T);       // S values of a tile; {bank, beat} addresses a beat
  localparam int N2_W = $clog2(N2 + 1);
  localparam int RW = TR > 1 ? $clog2(TR) : 1;
  localparam int BW = $clog2(TB + 1);

`ifdef __ICARUS__
  initial
`endif
  if (MAX_T < 8 || (MAX_T & (MAX_T - 1)) != 0 || MAX_DH < 8 || (MAX_DH & (MAX_DH - 1)) != 0)
  begin : g_bad_parameters
    $fatal(1, "attention: MAX_T and MAX_DH must be powers of two, at least 8");
  end

  // ---------------------------------------------------------------- configuration
  logic [T_W-1:0] t_q;
  logic [DH_W-1:0] dh_q;
  logic [H_W-1:0] heads_q, head_q;
  logic [COL_W-1:0] hcol_q;                     // the head's first context column
  logic [DH_W-4:0] dhb_q;                       // beats of a Q / K / V row: dh / 8
  logic [BW-1:0] tb_q;                          // beats of a P row: ceil(T / 8)

  // ---------------------------------------------------------------- phases
  // P_IN takes a head's packet (the next head's comes in during P_RUN once this head's S jobs are
  // done, when it can); P_RUN runs its query tiles as a pipeline of three streams, each
  // counting the tiles it finished: the engine's S jobs (into S bank i mod 2), the softmax (S bank
  // -> P bank i mod 2) and the engine's C jobs (P bank -> context). S(i) waits for the softmax of
  // tile i - 2 (its S bank), the softmax of tile i for S(i) and for C(i - 2) (its P bank), C(i)
  // for the softmax of tile i; the engine takes a ready C before a ready S.
  typedef enum logic [1:0] {P_IDLE, P_IN, P_RUN, P_DONE} phase_e;
  phase_e ph_q;
  typedef enum logic [1:0] {E_IDLE, E_GO, E_S, E_C} estate_e;
  estate_e es_q;                                // the engine's job
  typedef enum logic [1:0] {M_IDLE, M_PREP, M_RUN} mstate_e;
  mstate_e ms_q;                                // the softmax pass
  logic s_done_q, c_done_q, mm_idle_q;        // the S job's values all stored; the C job's written
  logic [T_W-1:0] s_cnt_q, m_cnt_q, c_cnt_q;    // tiles done by each stream
  logic [R_W-1:0] s_r0_q, m_r0_q, c_r0_q;       // the first row of each stream's next tile
  logic eng_c_q, eng_bank_q;                    // the engine's job: C (else S), its bank
  logic [T_W-1:0] eng_r0_q, eng_tr_q;           // its tile's first row and rows
  logic m_bank_q, m_start, m_go_q;              // the softmax pass's banks (S read, P written)
  logic [T_W-1:0] m_tr_q;                       // its tile's rows
  logic g_busy;                                 // the input's length guard (draining after cancel)
  assign busy = ph_q != P_IDLE || g_busy;
  wire logic running = ph_q == P_RUN;
  wire logic c_ready = c_r0_q < R_W'(t_q) && m_cnt_q > c_cnt_q;
  wire logic s_ready = s_r0_q < R_W'(t_q) && m_cnt_q + 1'b1 >= s_cnt_q;
  wire logic m_ready = m_r0_q < R_W'(t_q) && s_cnt_q > m_cnt_q && c_cnt_q + 1'b1 >= m_cnt_q;
  // rows from each stream's next tile to T (read only while that tile is below T)
  wire logic [T_W-1:0] s_left = t_q - T_W'(s_r0_q), c_left = t_q - T_W'(c_r0_q), m_left = t_q - T_W'(m_r0_q);

  // ---------------------------------------------------------------- ingest
  // the row's beats: Q, K, V, dhb beats each; the packet's length: rtl/len_guard.sv, armed as
  // each head's input phase begins
  logic [T_W-1:0] in_row_q;
  logic [1:0] in_part_q;
  logic [DH_W-4:0] in_b_q;
  logic in_step, in_done, g_valid_unused;
  logic [63:0] in_data;
  wire logic in_final = in_row_q == t_q - 1'b1 && in_part_q == 2'd2 && in_b_q == dhb_q - 1'b1;
  // the next head's packet may come in once this head's S jobs are done (Q and K are free; V goes
  // to the other bank of attention_vt): pre_q says it has
  logic pre_q;
  wire logic last_head = head_q == heads_q - 1'b1;
  wire logic pre_ok = ph_q == P_RUN && s_r0_q >= R_W'(t_q) && !last_head && !pre_q;
  wire logic in_arm = (ph_q == P_IN || pre_ok) && !g_busy && !in_done;
  wire logic in_vbank = ph_q == P_RUN ? ~head_q[0] : head_q[0];
  len_guard u_guard (
      .clk, .rst, .start(in_arm), .cancel, .enable(1'b1), .final_beat(in_final), .busy(g_busy), .want,
      .valid(g_valid_unused), .data(in_data), .step(in_step), .done(in_done), .err_short, .err_long,
      .s_axis_tdata, .s_axis_tvalid, .s_axis_tready, .s_axis_tlast
  );
  wire logic keep = in_step;
  wire logic [QAW-1:0] in_addr = QAW'(in_row_q) * QAW'(DB) + QAW'(in_b_q);

  logic [63:0] qbuf [MAX_T * DB];
  logic [63:0] kbuf [MAX_T * DB];
  logic [63:0] q_rd, k_rd;                      // read registers; the feeder registers them again
  logic [QAW-1:0] q_raddr, k_raddr;
  always_ff @(posedge clk) begin
    if (keep && in_part_q == 2'd0) qbuf[in_addr] <= in_data;
    if (keep && in_part_q == 2'd1) kbuf[in_addr] <= in_data;
    q_rd <= qbuf[q_raddr];
    k_rd <= kbuf[k_raddr];
  end

  always_ff @(posedge clk) begin
    if (rst || cancel || in_arm) begin
      in_row_q <= '0;
      in_part_q <= '0;
      in_b_q <= '0;
    end else begin
      if (in_step) begin
        if (in_b_q == dhb_q - 1'b1) begin
          in_b_q <= '0;
          if (in_part_q == 2'd2) begin
            in_part_q <= '0;
            in_row_q <= in_row_q == t_q - 1'b1 ? '0 : in_row_q + 1'b1;
          end else begin
            in_part_q <= in_part_q + 1'b1;
          end
        end else begin
          in_b_q <= in_b_q + 1'b1;
        end
      end
    end
  end

  // ---------------------------------------------------------------- the engine's input: feeder
  // Sections A then B of the job: (S) the tile's Q rows then K_h, dhb beats each; (C) the tile's P
  // rows then V_h^T rows, tb beats each, the bytes past T zeroed on the way (the buffers hold
  // whatever came before there; rtl/mm.sv's input contract has the last beat zero-padded). Reads
  // are issued against row_out's credits; a beat reaches row_out three cycles after its read
  // (Q, K, P: read, output register, the source's select; V: rtl/attention_vt.sv's latency of 3).
  logic f_active_q, f_sec_q, f_job_c_q, can_issue;
  logic [J_W-1:0] f_row_q;
  logic [BW-1:0] f_beat_q;
  wire logic [J_W-1:0] f_rows = f_sec_q ? (f_job_c_q ? J_W'(dh_q) : J_W'(t_q)) : J_W'(eng_tr_q);
  wire logic [BW-1:0] f_beats = f_job_c_q ? tb_q : BW'(dhb_q);
  wire logic f_row_end = f_beat_q == f_beats - 1'b1;
  wire logic f_sec_end = f_row_end && f_row_q == f_rows - 1'b1;
  wire logic f_issue = f_active_q && can_issue;
  logic [1:0] f_src1_q, f_src2_q;               // 0 Q, 1 K, 2 P, 3 V
  logic f_last1_q, f_last2_q, f_last3_q, f_v1_q, f_v2_q, f_v3_q, f_is_v3_q;
  logic [63:0] q_rd2, k_rd2, p_rd2, qkp_rd3;
  logic [63:0] p_rd [2];                        // the P buffers of the even and odd rows
  logic f_par1_q;
  logic [7:0] f_keep1_q, f_keep2_q, f_keep3_q;  // the beat's bytes inside the row (C: below T)
  logic [PAW-1:0] p_raddr;
  assign q_raddr = QAW'(eng_r0_q + T_W'(f_row_q)) * QAW'(DB) + QAW'(f_beat_q);
  assign k_raddr = QAW'(f_row_q) * QAW'(DB) + QAW'(f_beat_q);
  assign p_raddr = {eng_bank_q, (PAW - 1)'(PAW'(f_row_q >> 1) * PAW'(TB) + PAW'(f_beat_q))};

  // V transposed (rtl/attention_vt.sv): V_h^T rows for the C jobs, a beat a cycle
  logic [63:0] v_rd3;                           // three cycles after the read, as qkp_rd3
  attention_vt #(.MAX_T(MAX_T), .MAX_DH(MAX_DH)) u_vt (
      .clk, .we(keep && in_part_q == 2'd2), .w_bank(in_vbank), .w_row(in_row_q), .w_beat(in_b_q), .w_data(in_data),
      .r_bank(head_q[0]),
      .r_row0(T_W'(f_beat_q) << 3), .r_col(DH_W'(f_row_q)), .r_data(v_rd3)
  );

  always_ff @(posedge clk) begin
    if (rst || cancel) begin
      f_active_q <= 1'b0;
      f_v1_q <= 1'b0;
      f_v2_q <= 1'b0;
      f_v3_q <= 1'b0;
    end else begin
      if (mm_start) begin
        f_active_q <= 1'b1;
        f_job_c_q <= eng_c_q;
        f_sec_q <= 1'b0;
        f_row_q <= '0;
        f_beat_q <= '0;
      end else if (f_issue) begin
        f_beat_q <= f_row_end ? '0 : f_beat_q + 1'b1;
        if (f_row_end) f_row_q <= f_sec_end ? '0 : f_row_q + 1'b1;
        if (f_sec_end) begin
          f_sec_q <= 1'b1;
          if (f_sec_q) f_active_q <= 1'b0;
        end
      end
      f_v1_q <= f_issue;
      f_v2_q <= f_v1_q;
      f_v3_q <= f_v2_q;
    end
    q_rd2 <= q_rd;
    k_rd2 <= k_rd;
    p_rd2 <= p_rd[f_par1_q];
    f_src1_q <= {f_job_c_q, f_sec_q};
    f_par1_q <= f_row_q[0];
    for (int l = 0; l < 8; l++) f_keep1_q[l] <= !f_job_c_q || {f_beat_q, 3'(l)} < (BW + 3)'(t_q);
    f_keep2_q <= f_keep1_q;
    f_keep3_q <= f_keep2_q;
    f_last1_q <= f_sec_end;
    f_src2_q <= f_src1_q;
    f_last2_q <= f_last1_q;
    case (f_src2_q)
      2'd0: qkp_rd3 <= q_rd2;
      2'd1: qkp_rd3 <= k_rd2;
      default: for (int l = 0; l < 8; l++) qkp_rd3[8*l+:8] <= f_keep2_q[l] ? p_rd2[8*l+:8] : 8'd0;
    endcase
    f_is_v3_q <= f_src2_q == 2'd3;
    f_last3_q <= f_last2_q;
  end
  logic [63:0] f_beat;
  always_comb for (int l = 0; l < 8; l++) f_beat[8*l+:8] = !f_is_v3_q ? qkp_rd3[8*l+:8] : f_keep3_q[l] ? v_rd3[8*l+:8] : 8'd0;

  row_out #(.W(64), .DEPTH(8)) u_feed (
      .clk, .rst(rst || cancel), .can_issue, .issue(f_issue), .in_data(f_beat), .in_valid(f_v3_q),
      .in_last(f_last3_q), .m_axis_tdata(e_tdata), .m_axis_tvalid(e_tvalid), .m_axis_tready(e_tready),
      .m_axis_tlast(e_tlast)
  );

  // ---------------------------------------------------------------- the engine's output
  logic w_active, w_tile_last, w_op_last, sel_q, u_ready;
  logic [RW-1:0] w_row;
  logic [J_W-1:0] w_col;
  wire logic job_go = mm_start;
  wire logic u_valid = d_tvalid && w_active && es_q == E_C;
  wire logic [31:0] u_data = sel_q ? d_tdata[63:32] : d_tdata[31:0];
  wire logic u_take = u_valid && u_ready;
  wire logic s_take = d_tvalid && es_q == E_S;  // S: whole beats, as they come
  assign d_tready = s_take || (u_take && (sel_q || w_tile_last));
  wire logic unused_d = &{1'b0, d_tlast};
  tile_walk #(.N1(N1), .N2(N2), .TR(TR), .M_W(T_W), .N_W(J_W)) u_walk (
      .clk, .rst(rst || cancel), .start(job_go), .m(eng_tr_q), .n(eng_c_q ? J_W'(dh_q) : J_W'(t_q)),
      .step(u_take), .active(w_active), .row(w_row), .col(w_col), .tile_last(w_tile_last),
      .op_last(w_op_last)
  );
  always_ff @(posedge clk) begin
    if (rst || cancel || job_go) sel_q <= 1'b0;
    else if (u_take) sel_q <= !sel_q && !w_tile_last;
  end

  // S: the engine's beats in its order (value i of the job in beat i / 2); read back by row:
  // in column tile ct (width w: N2, or T - cb_last for the last), row r, column c, the value's
  // index is ct tr N2 + r w + c mod N2 (every earlier column tile is N2 wide and tr rows tall)
  // two banks, the second at 2^(SAW-1), in rtl/ram_sdp.sv (latency 3), then the half (4)
  localparam int SD = (1 << (SAW - 1)) + TR * MAX_T / 2;
  logic [63:0] s_rd3;
  logic [31:0] s_val_q;
  logic [SAW-1:0] s_wptr_q, s_pos;
  logic [2:0] s_half_q;
  ram_sdp #(.W(64), .DEPTH(SD)) u_sbuf (
      .clk, .ce(1'b1), .we(s_take), .waddr($clog2(SD)'({eng_bank_q, (SAW - 1)'(s_wptr_q >> 1)})), .wdata(d_tdata),
      .raddr($clog2(SD)'({m_bank_q, (SAW - 1)'(s_pos >> 1)})), .rdata(s_rd3)
  );
  always_ff @(posedge clk) begin
    s_half_q <= {s_half_q[1:0], s_pos[0]};
    s_val_q <= s_half_q[2] ? s_rd3[63:32] : s_rd3[31:0];
  end
  // the last column tile's first column, found while the head's packet comes in; tr N2 of the
  // softmax pass's tile, from its rows (registered in M_PREP, two cycles before the pass starts)
  logic [T_W-1:0] cb_last_q;
  logic [SAW-1:0] trn2_q;
  always_ff @(posedge clk) begin
    trn2_q <= SAW'(m_tr_q) * SAW'(N2);
    if (start) cb_last_q <= '0;
    else if (ph_q == P_IN && 32'(cb_last_q) + N2 < 32'(t_q)) cb_last_q <= cb_last_q + T_W'(N2);
  end

  // softmax: the tile's rows of S in, P rows out into the P buffer (a write enable per byte)
  logic sm_active_q;
  logic [3:0] sm_v_q, sm_l_q, sm_u_q;          // an issue, its row's end and its unit, 1-4 cycles on
  logic [1:0] sm_can;
  logic [RW-1:0] sm_row_q;
  logic [T_W-1:0] sm_col_q, sm_cb_q;
  logic [N2_W-1:0] sm_cm_q;                    // sm_col_q - sm_cb_q: the column in its tile
  logic [SAW-1:0] sm_ctb_q, sm_rn2_q, sm_rwl_q;   // ct tr N2, r N2, r w_last
  wire logic sm_issue = sm_active_q && sm_can[sm_row_q[0]];   // row r to softmax unit r mod 2
  wire logic sm_row_end = sm_col_q == t_q - 1'b1;
  wire logic sm_last_tile = sm_cb_q == cb_last_q;
  assign s_pos = sm_ctb_q + (sm_last_tile ? sm_rwl_q : sm_rn2_q) + SAW'(sm_cm_q);
  logic [T_W-1:0] p_rows [2];                   // rows of P written by each unit
  for (genvar u = 0; u < 2; u++) begin : g_sm
    logic [31:0] sm_tdata;
    logic sm_tvalid, sm_tready, sm_tlast, sm_err_unused, p_valid, p_last;
    logic [7:0] p_data;
    row_out #(.W(32), .DEPTH(8)) u_feed (
        .clk, .rst(rst || cancel), .can_issue(sm_can[u]), .issue(sm_issue && sm_row_q[0] == 1'(u)),
        .in_data(s_val_q), .in_valid(sm_v_q[3] && sm_u_q[3] == 1'(u)), .in_last(sm_l_q[3]),
        .m_axis_tdata(sm_tdata), .m_axis_tvalid(sm_tvalid), .m_axis_tready(sm_tready), .m_axis_tlast(sm_tlast)
    );
    softmax #(.MAX_N(MAX_T)) u_softmax (
        .clk, .rst(rst || cancel), .x0, .qb, .qc, .x0_recip, .in_shift, .err_long(sm_err_unused),
        .s_axis_tdata(sm_tdata), .s_axis_tvalid(sm_tvalid), .s_axis_tready(sm_tready),
        .s_axis_tlast(sm_tlast), .m_axis_tdata(p_data), .m_axis_tvalid(p_valid), .m_axis_tready(1'b1),
        .m_axis_tlast(p_last)
    );
    // P rows 2 i + u at row i of this unit's buffer
    logic [T_W-1:0] p_row_q, p_col_q;
    wire logic [PAW-1:0] p_waddr = {m_bank_q, (PAW - 1)'(PAW'(p_row_q) * PAW'(TB) + PAW'(p_col_q >> 3))};
    // one 64-bit memory with a write enable per byte (one block RAM, where eight byte-wide
    // memories of two banks would take eight)
    logic [63:0] p_mem [(1 << (PAW - 1)) + TRH * TB];  // two banks, the second at 2^(PAW-1)
    logic [63:0] p_rd_q;
    always_ff @(posedge clk) begin
      for (int l = 0; l < 8; l++)
        if (p_valid && p_col_q[2:0] == 3'(l)) p_mem[p_waddr][8*l+:8] <= p_data;
      p_rd_q <= p_mem[p_raddr];
    end
    assign p_rd[u] = p_rd_q;
    always_ff @(posedge clk) begin
      if (rst || cancel || m_start) begin
        p_row_q <= '0;
        p_col_q <= '0;
      end else if (p_valid) begin
        p_col_q <= p_last ? '0 : p_col_q + 1'b1;
        if (p_last) p_row_q <= p_row_q + 1'b1;
      end
    end
    assign p_rows[u] = p_row_q;
  end

  // C: requant to int8, then to the context store at (r0 + row, hcol + col)
  logic signed [7:0] c_data;
  logic c_valid, c_last_unused, rq_ready;
  assign u_ready = es_q == E_C ? rq_ready : 1'b1;
  requant #(.IN_W(24), .M_W(32), .OUT_W(8)) u_requant (  // |P V| < 255 * 128 * 128 < 2^23
      .clk, .rst(rst || cancel), .s_axis_tdata({ctx_e, ctx_m, 24'd0, u_data[23:0]}),
      .s_axis_tvalid(u_valid), .s_axis_tready(rq_ready), .s_axis_tlast(1'b0),
      .m_axis_tdata(c_data), .m_axis_tvalid(c_valid), .m_axis_tready(1'b1), .m_axis_tlast(c_last_unused)
  );
  logic x_active_unused, x_tile_last_unused, x_op_last;
  logic [RW-1:0] x_wrow;
  logic [J_W-1:0] x_wcol;
  tile_walk #(.N1(N1), .N2(N2), .TR(TR), .M_W(T_W), .N_W(J_W)) u_walk_x (
      .clk, .rst(rst || cancel), .start(mm_start && eng_c_q), .m(eng_tr_q), .n(J_W'(dh_q)), .step(c_valid),
      .active(x_active_unused), .row(x_wrow), .col(x_wcol), .tile_last(x_tile_last_unused),
      .op_last(x_op_last)
  );
  always_ff @(posedge clk) begin
    x_we <= c_valid;
    x_row <= eng_r0_q + T_W'(x_wrow);
    x_col <= hcol_q + COL_W'(x_wcol);
    x_data <= c_data;
  end
  wire logic unused_w = &{1'b0, w_op_last, w_row, w_col, u_data[31:24], s_wptr_q[0]};

  // ---------------------------------------------------------------- sequencing
  // The engine is started when it was idle the cycle before (its busy follows its start at once).
  always_ff @(posedge clk) mm_idle_q <= !mm_busy && !mm_start;
  always_ff @(posedge clk) begin
    x_done <= 1'b0;
    if (rst) begin
      ph_q <= P_IDLE;
      es_q <= E_IDLE;
      ms_q <= M_IDLE;
      sm_active_q <= 1'b0;
      pre_q <= 1'b0;
    end else if (cancel) begin
      ph_q <= P_IDLE;  // the guard drains a packet begun
      es_q <= E_IDLE;
      ms_q <= M_IDLE;
      sm_active_q <= 1'b0;
      pre_q <= 1'b0;
    end else begin
      sm_v_q <= {sm_v_q[2:0], sm_issue};
      sm_u_q <= {sm_u_q[2:0], sm_row_q[0]};
      sm_l_q <= {sm_l_q[2:0], sm_issue && sm_row_end};
      if (s_take) s_wptr_q <= s_wptr_q + SAW'(2);
      if (s_take && d_tlast) s_done_q <= 1'b1;
      if (c_valid && x_op_last) c_done_q <= 1'b1;
      if (sm_issue) begin
        if (sm_row_end) begin
          sm_col_q <= '0;
          sm_cb_q <= '0;
          sm_cm_q <= '0;
          sm_ctb_q <= '0;
          sm_rn2_q <= sm_rn2_q + SAW'(N2);
          sm_rwl_q <= sm_rwl_q + SAW'(t_q - cb_last_q);
          sm_row_q <= sm_row_q + 1'b1;
          if (T_W'(sm_row_q) == m_tr_q - 1'b1) sm_active_q <= 1'b0;
        end else begin
          sm_col_q <= sm_col_q + 1'b1;
          if (32'(sm_cm_q) == N2 - 1) begin
            sm_cm_q <= '0;
            sm_cb_q <= sm_cb_q + T_W'(N2);
            sm_ctb_q <= sm_ctb_q + trn2_q;
          end else begin
            sm_cm_q <= sm_cm_q + 1'b1;
          end
        end
      end

      // the engine: a ready C job before a ready S job
      case (es_q)
        E_IDLE: if (running && (c_ready || s_ready)) begin
          eng_c_q <= c_ready;
          eng_r0_q <= T_W'(c_ready ? c_r0_q : s_r0_q);
          eng_tr_q <= c_ready ? (c_left < T_W'(TR) ? c_left : T_W'(TR)) : (s_left < T_W'(TR) ? s_left : T_W'(TR));
          eng_bank_q <= c_ready ? c_cnt_q[0] : s_cnt_q[0];
          es_q <= E_GO;
        end
        E_GO: if (mm_idle_q) begin
          s_done_q <= 1'b0;
          c_done_q <= 1'b0;
          s_wptr_q <= '0;
          es_q <= eng_c_q ? E_C : E_S;
        end
        E_S: if (s_done_q && !mm_busy) begin
          s_cnt_q <= s_cnt_q + 1'b1;
          s_r0_q <= s_r0_q + R_W'(TR);
          es_q <= E_IDLE;
        end
        E_C: if (c_done_q && !mm_busy) begin
          c_cnt_q <= c_cnt_q + 1'b1;
          c_r0_q <= c_r0_q + R_W'(TR);
          es_q <= E_IDLE;
        end
        default: es_q <= E_IDLE;
      endcase

      // the softmax pass: M_PREP registers the tile's rows (and tr N2 from them) before the pass
      case (ms_q)
        M_IDLE: if (running && m_ready) begin
          m_tr_q <= m_left < T_W'(TR) ? m_left : T_W'(TR);
          m_bank_q <= m_cnt_q[0];
          ms_q <= M_PREP;
        end
        M_PREP: if (m_go_q) begin
          sm_active_q <= 1'b1;
          sm_row_q <= '0;
          sm_col_q <= '0;
          sm_cb_q <= '0;
          sm_cm_q <= '0;
          sm_ctb_q <= '0;
          sm_rn2_q <= '0;
          sm_rwl_q <= '0;
          ms_q <= M_RUN;
        end
        M_RUN: if (!sm_active_q && p_rows[0] + p_rows[1] == m_tr_q) begin
          m_cnt_q <= m_cnt_q + 1'b1;
          m_r0_q <= m_r0_q + R_W'(TR);
          ms_q <= M_IDLE;
        end
        default: ms_q <= M_IDLE;
      endcase

      case (ph_q)
        P_IDLE: if (start && !g_busy) begin
          t_q <= t;
          dh_q <= dh;
          dhb_q <= (DH_W - 3)'(dh >> 3);
          tb_q <= BW'((32'(t) + 32'd7) >> 3);
          heads_q <= heads;
          head_q <= '0;
          hcol_q <= '0;
          ph_q <= P_IN;
        end
        P_IN: if (in_done) begin
          {s_cnt_q, m_cnt_q, c_cnt_q} <= '0;
          {s_r0_q, m_r0_q, c_r0_q} <= '0;
          ph_q <= P_RUN;
        end
        P_RUN: begin
          if (in_done) pre_q <= 1'b1;
          if (c_r0_q >= R_W'(t_q) && es_q == E_IDLE) begin  // the head's last C job is done
            if (last_head) begin
              ph_q <= P_DONE;
            end else begin
              head_q <= head_q + 1'b1;
              hcol_q <= hcol_q + COL_W'(dh_q);
              pre_q <= 1'b0;
              if (pre_q || in_done) begin  // the next head's packet is in: run it
                {s_cnt_q, m_cnt_q, c_cnt_q} <= '0;
                {s_r0_q, m_r0_q, c_r0_q} <= '0;
              end else begin
                ph_q <= P_IN;                // wait for it (its packet may be coming in already)
              end
            end
          end
        end
        P_DONE: begin
          x_done <= 1'b1;
          ph_q <= P_IDLE;
        end
        default: ph_q <= P_IDLE;
      endcase
    end
  end
  // M_PREP lasts two cycles: m_tr_q, then trn2_q
  always_ff @(posedge clk) m_go_q <= ms_q == M_PREP && !m_go_q && !m_start;
  assign m_start = ms_q == M_PREP && m_go_q;

  // the engine's jobs: S (m = tile rows, k = d_head, n = T), C (m = tile rows, k = T, n = d_head)
  assign mm_start = es_q == E_GO && mm_idle_q;
  assign mm_m = J_W'(eng_tr_q);
  assign mm_k = eng_c_q ? J_W'(t_q) : J_W'(dh_q);
  assign mm_n = eng_c_q ? J_W'(dh_q) : J_W'(t_q);
  assign mm_unsigned = eng_c_q;
endmodule

`default_nettype wire
