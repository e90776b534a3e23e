// Matrix multiply engine: D (M x N, int32) = A (M x K, 8-bit) * B (K x N, int8), with M, K, N and
// the operand mode set per job (start + cfg_*) up to the synthesis-time maxima. cfg_a_unsigned
// reads A as unsigned [0, 255] (softmax probabilities in P x V): each A byte enters the array as a
// 9-bit signed value, zero- or sign-extended, still one DSP48E1 per PE. Matches
// golden.matmul(a, b, a_unsigned).
//
// Input stream (64-bit beats, eight int8 each, byte 0 in bits 7:0), two packets per job:
//   1. A row by row, each row in KB = ceil(K/8) beats (the last beat zero-padded); tlast on the
//      last beat of A. A stays resident in N1 banks (row r in bank r mod N1).
//   2. B transposed (B^T, N x K) row by row, KB beats each; tlast on the last beat. Column tiles of
//      N2 columns of B go to two ping-pong buffers, so a tile loads while the previous computes.
// Output stream: D in tile order, two int32 per beat (first in the low half, a final odd value
// padded with zero), tlast on the last beat: for each column tile jt, for each row tile it, the
// rows of the (edge-clipped) N1 x N2 block in row-major order.
//
// Compute: per (jt, it) tile, Kp = max(K, N1 + N2 - 1) cycles feed the systolic array (zeros past K
// and past the matrix edges). A finished tile's results move from the array's snapshot to a drain
// register as the previous tile's drain ends, and drain from there (mem_read_d -> pair_out, two values
// a cycle when N2 is even) while the array computes; a tile's last k waits only while the tile
// before it has not yet moved to the drain register. Bad packet lengths follow
// section_in: err_short (zero-filled) and err_long (excess dropped) are sticky until the next start.
// Jobs: start takes a job while `ready`: idle, or with the previous job's last k out of the
// buffers while its last blocks are still in the array or draining (busy stays high until its
// last beat is taken). The new job's A loads meanwhile; its compute begins once the previous
// job has drained, so the output stays in job order.
// Configuration must satisfy 1 <= M <= MAX_M, 1 <= K <= MAX_K, 1 <= N <= MAX_N (the host checks).
`default_nettype none

module mm #(
    parameter int N1 = 4,        // systolic rows
    parameter int N2 = 4,        // systolic columns
    parameter int MAX_M = 128,   // largest M
    parameter int MAX_K = 768,   // largest K, a multiple of 8
    parameter int MAX_N = 1024,  // largest N
    localparam int M_W = $clog2(MAX_M + 1),
    localparam int K_W = $clog2(MAX_K + 1),
    localparam int N_W = $clog2(MAX_N + 1)
) (
    input  wire logic              clk,
    input  wire logic              rst,
    input  wire logic              start,
    input  wire logic [M_W-1:0]    cfg_m,
    input  wire logic [K_W-1:0]    cfg_k,
    input  wire logic [N_W-1:0]    cfg_n,
    input  wire logic              cfg_a_unsigned,
    output logic                   busy,
    output logic                   ready,         // a start now is taken (see the header)
    output logic                   err_short,
    output logic                   err_long,
    input  wire logic [63:0]       s_axis_tdata,
    input  wire logic              s_axis_tvalid,
    output logic                   s_axis_tready,
    input  wire logic              s_axis_tlast,
    output logic [63:0]            m_axis_tdata,
    output logic                   m_axis_tvalid,
    input  wire logic              m_axis_tready,
    output logic                   m_axis_tlast
);
  localparam int KB_MAX = MAX_K / 8;
  localparam int KB_W = $clog2(KB_MAX + 1);
  localparam int MT_MAX = (MAX_M + N1 - 1) / N1;
  localparam int A_DEPTH = MT_MAX * KB_MAX;
  localparam int A_AW = $clog2(A_DEPTH);
  localparam int B_AW = $clog2(2 * KB_MAX);
  localparam int ROWS_W = M_W > N_W ? M_W : N_W;
  localparam int RW = $clog2(N1 + 1);
  localparam int CW = $clog2(N2 + 1);
  localparam int KP_MIN = N1 + N2 - 1;

  // Parameter check: stops elaboration in yosys and Verilator; Icarus 11 has no elaboration-time
  // $fatal, so there the same block runs at time 0 and stops the simulation.
`ifdef __ICARUS__
  initial
`endif
  if (MAX_K % 8 != 0) begin : g_bad_parameters
    $fatal(1, "mm: MAX_K=%0d must be a multiple of 8", MAX_K);
  end

  // ---------------------------------------------------------------- job configuration
  logic [M_W-1:0] m_q;
  logic [K_W-1:0] k_q, kp_q;
  logic [N_W-1:0] n_q;
  logic [KB_W-1:0] kb_q;
  logic a_uns_q;
  always_ff @(posedge clk) begin
    if (start) begin
      a_uns_q <= cfg_a_unsigned;
      m_q <= cfg_m;
      k_q <= cfg_k;
      n_q <= cfg_n;
      kb_q <= KB_W'((cfg_k + K_W'(7)) >> 3);
      kp_q <= cfg_k > K_W'(KP_MIN) ? cfg_k : K_W'(KP_MIN);
    end
  end

  // ---------------------------------------------------------------- loader: stream -> buffers
  typedef enum logic [2:0] {L_IDLE, L_ARM_A, L_A, L_ARM_B, L_B} lstate_e;
  lstate_e lstate_q;
  logic arm, s_busy, wr_en, e_short, e_long, enable;
  logic [ROWS_W-1:0] rows;
  logic [63:0] wr_data;
  logic [1:0] buf_full_q;                  // B buffer holds a tile not yet consumed
  logic [RW-1:0] wa_bank;
  logic [A_AW-1:0] wa_addr;
  logic [CW-1:0] wb_bank, wb_cols;
  logic [B_AW-1:0] wb_addr;
  logic wb_buffer, wb_tile_done;
  logic [N_W-1:0] n_left_load_q;           // columns of B not yet loaded
  wire logic in_a = lstate_q == L_A;
  wire logic in_b = lstate_q == L_B;
  wire logic a_done = in_a && !s_busy;  // A is resident: compute may start
  logic a_ready_q;                       // A became resident while the previous job still drained

  assign arm = lstate_q == L_ARM_A || lstate_q == L_ARM_B;
  assign rows = lstate_q == L_ARM_A ? ROWS_W'(m_q) : ROWS_W'(n_q);
  assign enable = in_a || (in_b && !buf_full_q[wb_buffer]);
  assign wb_cols = n_left_load_q >= N_W'(N2) ? CW'(N2) : CW'(n_left_load_q);

  section_in #(.ROWS_W(ROWS_W), .KB_W(KB_W)) u_section_in (
      .clk, .rst, .arm, .rows, .kb(kb_q), .enable, .busy(s_busy), .wr_en, .wr_data,
      .err_short(e_short), .err_long(e_long),
      .s_axis_tdata, .s_axis_tvalid, .s_axis_tready, .s_axis_tlast
  );
  mem_write_a #(.N1(N1), .KB_W(KB_W), .ADDR_W(A_AW)) u_wa (
      .clk, .rst, .start, .kb(kb_q), .step(wr_en && in_a), .bank(wa_bank), .addr(wa_addr)
  );
  mem_write_b #(.N2(N2), .KB_W(KB_W), .KB_MAX(KB_MAX), .ADDR_W(B_AW)) u_wb (
      .clk, .rst, .start, .kb(kb_q), .cols(wb_cols), .step(wr_en && in_b), .bank(wb_bank),
      .addr(wb_addr), .buffer(wb_buffer), .tile_done(wb_tile_done)
  );

  always_ff @(posedge clk) begin
    if (rst) begin
      lstate_q <= L_IDLE;
      err_short <= 1'b0;
      err_long <= 1'b0;
    end else begin
      if (start) begin
        err_short <= 1'b0;
        err_long <= 1'b0;
      end else begin
        err_short <= err_short | e_short;
        err_long <= err_long | e_long;
      end
      case (lstate_q)
        L_IDLE: if (start) lstate_q <= L_ARM_A;
        L_ARM_A: lstate_q <= L_A;
        L_A: if (!s_busy) begin
          n_left_load_q <= n_q;
          lstate_q <= L_ARM_B;
        end
        L_ARM_B: lstate_q <= L_B;
        L_B: begin
          if (wb_tile_done) n_left_load_q <= n_left_load_q - N_W'(wb_cols);
          if (!s_busy) lstate_q <= L_IDLE;
        end
        default: lstate_q <= L_IDLE;
      endcase
    end
  end

  // ---------------------------------------------------------------- buffers
  logic [A_AW-1:0] ra_addr;
  logic [B_AW-1:0] rb_addr;
  wire [N1*64-1:0] a_word;
  wire [N2*64-1:0] b_word;
  for (genvar i = 0; i < N1; i++) begin : g_abank
    logic [63:0] mem [A_DEPTH];
    logic [63:0] rdata, rdata_q;
    always_ff @(posedge clk) begin
      if (wr_en && in_a && wa_bank == RW'(i)) mem[wa_addr] <= wr_data;
      rdata <= mem[ra_addr];
      rdata_q <= rdata;
    end
    assign a_word[i*64 +: 64] = rdata_q;
  end
  for (genvar j = 0; j < N2; j++) begin : g_bbank
    logic [63:0] mem [2 * KB_MAX];
    logic [63:0] rdata, rdata_q;
    always_ff @(posedge clk) begin
      if (wr_en && in_b && wb_bank == CW'(j)) mem[wb_addr] <= wr_data;
      rdata <= mem[rb_addr];
      rdata_q <= rdata;
    end
    assign b_word[j*64 +: 64] = rdata_q;
  end

  // ---------------------------------------------------------------- compute: buffers -> systolic
  typedef enum logic [1:0] {C_IDLE, C_RUN, C_FLUSH} cstate_e;
  cstate_e cstate_q;
  logic [K_W-1:0] k_c;                     // k of the beat being issued
  logic [M_W-1:0] row0_q;                  // first row of the current row tile
  logic [N_W-1:0] col0_q;                  // first column of the current column tile
  logic [A_AW-1:0] a_base_q;               // row tile * KB
  logic cbuf_q;                            // B buffer of the current column tile
  logic pend_q;                            // a tile issued its last k; its results are not yet
                                           // in the drain register
  logic issue, issue_last, tile_end_row, tile_end_col;
  logic [RW-1:0] rows_c;
  logic [CW-1:0] cols_c;

  assign rows_c = (m_q - row0_q) >= M_W'(N1) ? RW'(N1) : RW'(m_q - row0_q);
  assign cols_c = (n_q - col0_q) >= N_W'(N2) ? CW'(N2) : CW'(n_q - col0_q);
  assign issue_last = k_c == kp_q - 1'b1;
  assign issue = cstate_q == C_RUN && buf_full_q[cbuf_q] && !(issue_last && pend_q);
  assign tile_end_row = row0_q + M_W'(N1) >= m_q;  // last row tile of this column tile
  assign tile_end_col = col0_q + N_W'(N2) >= n_q;  // last column tile of the job
  assign ra_addr = a_base_q + A_AW'(k_c >> 3);
  assign rb_addr = (cbuf_q ? B_AW'(KB_MAX) : '0) + B_AW'(k_c >> 3);

  // stage 2: the buffers' read (BRAM latch); stage 3: their output registers; stage 4: the byte
  // of this k, masked past K and the matrix edges, registered into the array
  logic v_s2, last_s2, kvalid_s2, v_s3, last_s3, kvalid_s3, v_s4, last_s4;
  logic [2:0] byte_s2, byte_s3;
  logic [RW-1:0] rows_s2, rows_s3;
  logic [CW-1:0] cols_s2, cols_s3;
  logic [N1*9-1:0] a_in;   // 9 bits: an unsigned A byte is zero-extended, a signed one sign-extended
  logic [N2*8-1:0] b_in;
  always_ff @(posedge clk) begin
    for (int i = 0; i < N1; i++) begin
      logic [7:0] a_byte;
      a_byte = a_word[i*64 + 8*byte_s3 +: 8];
      a_in[i*9 +: 9] <= (kvalid_s3 && RW'(i) < rows_s3) ? {~a_uns_q & a_byte[7], a_byte} : 9'd0;
    end
    for (int j = 0; j < N2; j++)
      b_in[j*8 +: 8] <= (kvalid_s3 && CW'(j) < cols_s3) ? b_word[j*64 + 8*byte_s3 +: 8] : 8'd0;
    kvalid_s3 <= kvalid_s2;
    byte_s3 <= byte_s2;
    rows_s3 <= rows_s2;
    cols_s3 <= cols_s2;
  end

  // drain bookkeeping: captured when a tile issues its last k (pend_*); mem_read_d takes the shape
  // and drain_final_q the flag when its results move to the drain register (one tile draining,
  // one more in the array or its snapshot)
  logic [RW-1:0] pend_rows_q;
  logic [CW-1:0] pend_cols_q;
  logic drain_final_q, pend_final_q, drain_done, snap_q, copy;
  logic rd_active, rd_last, rd_pair, out_ready;
  logic [N1*N2*32-1:0] d_out;
  logic d_valid;

  always_ff @(posedge clk) begin
    if (rst) begin
      cstate_q <= C_IDLE;
      v_s2 <= 1'b0;
      last_s2 <= 1'b0;
      v_s3 <= 1'b0;
      last_s3 <= 1'b0;
      v_s4 <= 1'b0;
      last_s4 <= 1'b0;
      buf_full_q <= '0;
      pend_q <= 1'b0;
      snap_q <= 1'b0;
      a_ready_q <= 1'b0;
    end else begin
      v_s2 <= issue;
      last_s2 <= issue && issue_last;
      v_s3 <= v_s2;
      last_s3 <= last_s2;
      v_s4 <= v_s3;
      last_s4 <= last_s3;
      if (wb_tile_done) buf_full_q[wb_buffer] <= 1'b1;
      if (d_valid) snap_q <= 1'b1;
      if (copy) begin
        pend_q <= 1'b0;
        snap_q <= 1'b0;
        drain_final_q <= pend_final_q;
      end
      case (cstate_q)
        C_IDLE: if (a_done || a_ready_q) begin
          cstate_q <= C_RUN;
          a_ready_q <= 1'b0;
          k_c <= '0;
          row0_q <= '0;
          col0_q <= '0;
          a_base_q <= '0;
          cbuf_q <= 1'b0;
        end
        C_RUN: if (issue) begin
          if (issue_last) begin
            pend_q <= 1'b1;
            pend_rows_q <= rows_c;
            pend_cols_q <= cols_c;
            pend_final_q <= tile_end_row && tile_end_col;
            k_c <= '0;
            if (tile_end_row) begin
              row0_q <= '0;
              a_base_q <= '0;
              buf_full_q[cbuf_q] <= 1'b0;  // this B tile is used up
              cbuf_q <= ~cbuf_q;
              col0_q <= col0_q + N_W'(N2);
              if (tile_end_col) cstate_q <= C_FLUSH;
            end else begin
              row0_q <= row0_q + M_W'(N1);
              a_base_q <= a_base_q + A_AW'(kb_q);
            end
          end else begin
            k_c <= k_c + 1'b1;
          end
        end
        C_FLUSH: begin
          if (a_done) a_ready_q <= 1'b1;
          if (!pend_q && !rd_active && !m_axis_tvalid) cstate_q <= C_IDLE;
        end
        default: cstate_q <= C_IDLE;
      endcase
      if (start) buf_full_q <= '0;
    end
    kvalid_s2 <= k_c < k_q;
    byte_s2 <= k_c[2:0];
    rows_s2 <= rows_c;
    cols_s2 <= cols_c;
  end

  systolic #(.N1(N1), .N2(N2), .A_W(9)) u_array (
      .clk, .rst, .in_valid(v_s4), .in_last(last_s4), .a_in, .b_in, .d_out, .d_valid
  );

  // ---------------------------------------------------------------- drain: result bank -> stream
  // two values a cycle when N2 is even (a row's neighbours j, j + 1 from one 64-bit slice of the
  // bank, j even), else one
  localparam bit PAIR = N2 % 2 == 0;
  logic [$clog2(N1*N2)-1:0] rd_index;
  logic [63:0] rd_data;
  mem_read_d #(.N1(N1), .N2(N2), .PAIR(PAIR)) u_rd (
      .clk, .rst, .load(copy), .rows(pend_rows_q), .cols(pend_cols_q),
      .step(out_ready), .active(rd_active), .index(rd_index), .pair(rd_pair), .last(rd_last)
  );
  assign drain_done = rd_active && rd_last && out_ready;
  // the snapshot moves to the drain register as the previous tile's drain ends (or at once), so
  // tiles drain back to back while the array computes the next
  assign copy = snap_q && (!rd_active || drain_done);
  logic [N1*N2*32-1:0] d_hold;
  always_ff @(posedge clk) if (copy) d_hold <= d_out;
  if (PAIR) begin : g_pair
    assign rd_data = d_hold[64*32'(rd_index[$clog2(N1*N2)-1:1]) +: 64];
    wire logic unused_index0 = rd_index[0];  // even: the pair starts a 64-bit slice
  end else begin : g_single
    assign rd_data = {32'd0, d_hold[32*rd_index +: 32]};
  end

  pair_out u_pair_out (
      .clk, .rst, .s_axis_tdata(rd_data), .s_axis_tuser(rd_pair), .s_axis_tvalid(rd_active),
      .s_axis_tlast(rd_last && drain_final_q), .s_axis_tready(out_ready), .m_axis_tdata, .m_axis_tvalid, .m_axis_tready, .m_axis_tlast
  );

  assign busy = lstate_q != L_IDLE || cstate_q != C_IDLE || start;
  // the next job may start while this one's last tile is in the array or draining: its A is no
  // longer read once the last k has left the buffers' pipeline
  assign ready = !start && lstate_q == L_IDLE
              && (cstate_q == C_IDLE || (cstate_q == C_FLUSH && !v_s2 && !v_s3 && !v_s4));
endmodule

`default_nettype wire
