// The core's read side: an AXI4 read master that turns row commands (an address and a count of
// 64-bit beats, rtl/read_plan.sv) into bursts and hands the data back as one AXI-stream, in command
// order, with tlast on the last beat of every command marked `last`.
//
// Bursts: INCR, 8-byte beats, at most MAX_BURST beats and never across a MAX_BURST x 8-byte
// boundary (so never across a 4 KB one, AXI4's rule), one ID (so the data returns in order).
// Several bursts stay outstanding: a burst is raised on AR only when the read FIFO (DEPTH beats, a
// block RAM) has room for all of it, so rready is always high and DDR's latency hides behind the
// FIFO (DEPTH beats in flight or queued; at one beat a cycle that covers DEPTH cycles of latency).
//
// Errors: a beat with a SLVERR or DECERR response pulses `err` (its data goes on unchanged; the
// top aborts the operation). cancel: drops the commands and the data not yet delivered, at once
// (idle for the caller the next cycle). An AR already raised stays raised until taken, as AXI asks,
// and the beats of every burst raised are still taken from the bus and dropped by count as they
// come (at most 2 DEPTH); new bursts may be raised meanwhile, their data follows the dropped beats
// in order. `idle` is high when nothing is outstanding on the bus.
// Throughput: one beat a cycle; a burst split off every cycle, a command taken every second cycle.
`default_nettype none

module mm2s #(
    parameter int ADDR_W = 32,      // byte address width
    parameter int LEN_W = 8,        // width of a command's beat count
    parameter int MAX_BURST = 64,   // beats per burst: a power of two, 2 .. 256
    parameter int DEPTH = 512,      // read FIFO entries (a power of two >= MAX_BURST): beats in flight
    parameter int MAX_BURSTS = 16   // bursts in flight (their tlast marks), a power of two
) (
    input  wire logic              clk,
    input  wire logic              rst,
    input  wire logic              cancel,
    // row commands
    input  wire logic [ADDR_W-1:0] cmd_addr,      // 8-byte aligned
    input  wire logic [LEN_W-1:0]  cmd_beats,     // >= 1
    input  wire logic              cmd_last,      // tlast on this command's last beat
    input  wire logic              cmd_valid,
    output logic                   cmd_ready,
    // AXI4 read address and data
    output logic [0:0]             m_axi_arid,
    output logic [ADDR_W-1:0]      m_axi_araddr,
    output logic [7:0]             m_axi_arlen,
    output logic [2:0]             m_axi_arsize,
    output logic [1:0]             m_axi_arburst,
    output logic [3:0]             m_axi_arcache,
    output logic [2:0]             m_axi_arprot,
    output logic                   m_axi_arvalid,
    input  wire logic              m_axi_arready,
    input  wire logic [0:0]        m_axi_rid,
    input  wire logic [63:0]       m_axi_rdata,
    input  wire logic [1:0]        m_axi_rresp,
    input  wire logic              m_axi_rlast,
    input  wire logic              m_axi_rvalid,
    output logic                   m_axi_rready,
    // the data, in command order
    output logic [63:0]            m_axis_tdata,
    output logic                   m_axis_tvalid,
    input  wire logic              m_axis_tready,
    output logic                   m_axis_tlast,
    output logic                   err,           // one-cycle pulse: a beat answered SLVERR or DECERR
    output logic                   idle           // no burst outstanding on the bus
);
  localparam int BW = $clog2(MAX_BURST);          // burst-offset bits of a beat address
  localparam int AW = $clog2(DEPTH);
  localparam int CW = AW + 2;                     // counts up to 2 DEPTH (dropped beats)

`ifdef __ICARUS__
  initial
`endif
  if (MAX_BURST < 2 || MAX_BURST > 256 || (1 << BW) != MAX_BURST || (1 << AW) != DEPTH || DEPTH < MAX_BURST
      || MAX_BURSTS < 2 || (MAX_BURSTS & (MAX_BURSTS - 1)) != 0 || LEN_W < 1 || ADDR_W < 12) begin : g_bad_parameters
    $fatal(1, "mm2s: MAX_BURST a power of two in 2..256, DEPTH a power of two >= MAX_BURST, MAX_BURSTS a power of two >= 2");
  end

  assign m_axi_arid = 1'b0;
  assign m_axi_arsize = 3'd3;      // 8 bytes a beat
  assign m_axi_arburst = 2'b01;    // INCR
  assign m_axi_arcache = 4'b0011;  // normal, non-cacheable, bufferable (Zynq HP ports)
  assign m_axi_arprot = 3'b000;
  assign m_axi_rready = 1'b1;      // room was reserved for every beat raised

  // ---------------------------------------------------------------- split: command -> bursts
  logic [ADDR_W-1:0] cur_addr_q;
  logic [LEN_W-1:0] cur_left_q;
  logic cur_last_q, cur_valid_q;
  // the beats to the next MAX_BURST boundary (1 .. MAX_BURST), and the burst taken from the command
  localparam int LW = LEN_W > BW + 1 ? LEN_W : BW + 1;
  wire logic [BW:0] to_edge = (BW + 1)'(MAX_BURST) - (BW + 1)'(cur_addr_q[3+:BW]);
  wire logic whole = LW'(cur_left_q) <= LW'(to_edge);
  wire logic [BW:0] blen = whole ? (BW + 1)'(cur_left_q) : to_edge;
  logic [ADDR_W-1:0] sp_addr_q;
  logic [BW:0] sp_len_q;
  logic sp_last_q, sp_valid_q;
  wire logic sp_take;                              // the AR stage takes the split burst
  wire logic sp_load = cur_valid_q && (!sp_valid_q || sp_take);
  assign cmd_ready = !cur_valid_q;

  // ---------------------------------------------------------------- AR: raise when the FIFO has room
  logic [CW-1:0] reserved_q;  // beats raised on AR and not yet delivered on m_axis
  logic [CW-1:0] pend_q;      // beats raised on AR and not yet received (this operation's)
  logic [CW-1:0] drop_q;      // beats raised before a cancel and not yet received: dropped
  logic flags_ready, flag_head, flags_valid, flag_tlast;
  wire logic room = reserved_q + CW'(sp_len_q) <= CW'(DEPTH);
  assign sp_take = sp_valid_q && (!m_axi_arvalid || m_axi_arready) && room && flags_ready
                && drop_q < CW'(DEPTH) && !cancel;
  wire logic ar_hs = m_axi_arvalid && m_axi_arready;

  // ---------------------------------------------------------------- R: into the FIFO, or dropped
  wire logic r_beat = m_axi_rvalid;
  wire logic r_stale = drop_q != '0;
  wire logic r_keep = r_beat && !r_stale;
  wire logic burst_end = r_keep && m_axi_rlast;
  logic err_q;
  assign err = err_q;

  // the tlast mark of each burst raised, in order (popped at the burst's rlast)
  fifo #(.W(1), .DEPTH(MAX_BURSTS)) u_flags (
      .clk, .rst(rst || cancel), .s_axis_tdata(sp_last_q), .s_axis_tvalid(sp_take),
      .s_axis_tready(flags_ready), .s_axis_tlast(1'b0), .m_axis_tdata(flag_head), .m_axis_tvalid(flags_valid),
      .m_axis_tready(burst_end), .m_axis_tlast(flag_tlast)
  );

  // the read FIFO: a block RAM (ram_sdp: latency 3) in front of a small output FIFO (row_out)
  logic [AW:0] wr_q, rd_q;
  logic [2:0] rd_pipe_q;        // reads in the RAM's three-cycle pipeline
  logic can_issue;
  wire logic rd_issue = wr_q != rd_q && can_issue;
  logic [64:0] ram_q;
  ram_sdp #(.W(65), .DEPTH(DEPTH)) u_ram (
      .clk, .ce(1'b1), .we(r_keep), .waddr(wr_q[AW-1:0]), .wdata({m_axi_rlast && flag_head, m_axi_rdata}),
      .raddr(rd_q[AW-1:0]), .rdata(ram_q)
  );
  row_out #(.W(64), .DEPTH(8)) u_out (
      .clk, .rst(rst || cancel), .can_issue, .issue(rd_issue), .in_data(ram_q[63:0]), .in_valid(rd_pipe_q[2]),
      .in_last(ram_q[64]), .m_axis_tdata, .m_axis_tvalid, .m_axis_tready, .m_axis_tlast
  );
  wire logic out_beat = m_axis_tvalid && m_axis_tready;
  assign idle = pend_q == '0 && drop_q == '0 && !m_axi_arvalid;
  wire logic unused = &{1'b0, m_axi_rid, m_axi_rresp[0], flags_valid, flag_tlast};

  always_ff @(posedge clk) begin
    if (rst) begin
      cur_valid_q <= 1'b0;
      sp_valid_q <= 1'b0;
      m_axi_arvalid <= 1'b0;
      reserved_q <= '0;
      pend_q <= '0;
      drop_q <= '0;
      wr_q <= '0;
      rd_q <= '0;
      rd_pipe_q <= '0;
      err_q <= 1'b0;
    end else begin
      err_q <= r_keep && m_axi_rresp[1];
      // command -> split
      if (cmd_valid && cmd_ready && !cancel) begin
        cur_addr_q <= cmd_addr;
        cur_left_q <= cmd_beats;
        cur_last_q <= cmd_last;
        cur_valid_q <= cmd_beats != '0;
      end else if (sp_load) begin
        cur_addr_q <= cur_addr_q + (ADDR_W'(blen) << 3);
        cur_left_q <= cur_left_q - LEN_W'(blen);
        if (whole) cur_valid_q <= 1'b0;
      end
      if (sp_load) begin
        sp_addr_q <= cur_addr_q;
        sp_len_q <= blen;
        sp_last_q <= cur_last_q && whole;
        sp_valid_q <= 1'b1;
      end else if (sp_take) begin
        sp_valid_q <= 1'b0;
      end
      // AR: a raised address stays until taken
      if (sp_take) begin
        m_axi_arvalid <= 1'b1;
        m_axi_araddr <= sp_addr_q;
        m_axi_arlen <= 8'(sp_len_q - 1'b1);
      end else if (ar_hs) begin
        m_axi_arvalid <= 1'b0;
      end
      reserved_q <= reserved_q + (sp_take ? CW'(sp_len_q) : '0) - CW'(out_beat);
      pend_q <= pend_q + (sp_take ? CW'(sp_len_q) : '0) - CW'(r_keep);
      if (r_beat && r_stale) drop_q <= drop_q - 1'b1;
      if (r_keep) wr_q <= wr_q + 1'b1;
      if (rd_issue) rd_q <= rd_q + 1'b1;
      rd_pipe_q <= {rd_pipe_q[1:0], rd_issue};
      if (cancel) begin  // the raised beats not yet received become dropped beats
        cur_valid_q <= 1'b0;
        sp_valid_q <= 1'b0;
        drop_q <= drop_q - CW'(r_beat && r_stale) + pend_q - CW'(r_keep);
        pend_q <= '0;
        reserved_q <= '0;
        wr_q <= '0;
        rd_q <= '0;
        rd_pipe_q <= '0;
        err_q <= 1'b0;
      end
    end
  end
endmodule

`default_nettype wire
