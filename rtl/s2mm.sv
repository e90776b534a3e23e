// The core's write side: an AXI4 write master that writes one AXI-stream packet (64-bit beats, up
// to its tlast) to consecutive addresses from `addr`, and says when all of it is in memory.
//
// start (with addr, 8-byte aligned) arms it for one packet. Beats gather in a FIFO (DEPTH, in LUTs);
// a burst is raised on AW once the FIFO holds all of it: MAX_BURST beats, or fewer to the next
// MAX_BURST x 8-byte boundary (so never across a 4 KB one), or the packet's rest after its tlast.
// Its beats follow on W once AW is taken (INCR, one ID, all strobes on). `done` pulses when every
// burst of the packet has its write response, and `busy` falls with it: the data is in memory.
// `beats` counts the packet's beats taken so far.
//
// Errors: a SLVERR or DECERR write response pulses `err` (the top aborts the operation).
// cancel: disarms at once (busy falls the next cycle) and drops the beats no burst holds yet. The
// bursts already raised finish on the bus, as AXI asks, with their strobes off (nothing more is
// written), and their responses are counted off as they come; a new packet may start meanwhile.
// `idle` is high when nothing is outstanding on the bus.
// Throughput: one beat a cycle.
`default_nettype none

module s2mm #(
    parameter int ADDR_W = 32,      // byte address width
    parameter int MAX_BURST = 16,   // beats per burst: a power of two, 2 .. 256 (16: the HP ports' AXI3 bursts)
    parameter int DEPTH = 64,       // FIFO entries, a power of two >= 2 MAX_BURST
    parameter int MAX_BURSTS = 8,   // bursts awaiting their write response, a power of two
    parameter int BEATS_W = 24      // width of the beat count
) (
    input  wire logic              clk,
    input  wire logic              rst,
    input  wire logic              start,         // pulse: arm for one packet at addr
    input  wire logic [ADDR_W-1:0] addr,
    input  wire logic              cancel,
    input  wire logic [63:0]       s_axis_tdata,
    input  wire logic              s_axis_tvalid,
    output logic                   s_axis_tready,
    input  wire logic              s_axis_tlast,
    // AXI4 write address, data and response
    output logic [0:0]             m_axi_awid,
    output logic [ADDR_W-1:0]      m_axi_awaddr,
    output logic [7:0]             m_axi_awlen,
    output logic [2:0]             m_axi_awsize,
    output logic [1:0]             m_axi_awburst,
    output logic [3:0]             m_axi_awcache,
    output logic [2:0]             m_axi_awprot,
    output logic                   m_axi_awvalid,
    input  wire logic              m_axi_awready,
    output logic [63:0]            m_axi_wdata,
    output logic [7:0]             m_axi_wstrb,
    output logic                   m_axi_wlast,
    output logic                   m_axi_wvalid,
    input  wire logic              m_axi_wready,
    input  wire logic [0:0]        m_axi_bid,
    input  wire logic [1:0]        m_axi_bresp,
    input  wire logic              m_axi_bvalid,
    output logic                   m_axi_bready,
    output logic                   busy,          // armed: the packet is not all in memory yet
    output logic                   done,          // one-cycle pulse: the packet is in memory
    output logic                   err,           // one-cycle pulse: a write answered SLVERR or DECERR
    output logic [BEATS_W-1:0]     beats,         // beats of the packet taken
    output logic                   idle           // no burst outstanding on the bus
);
  localparam int BW = $clog2(MAX_BURST);
  localparam int AW = $clog2(DEPTH);
  localparam int QW = $clog2(MAX_BURSTS);

`ifdef __ICARUS__
  initial
`endif
  if (MAX_BURST < 2 || MAX_BURST > 256 || (1 << BW) != MAX_BURST || (1 << AW) != DEPTH || DEPTH < 2 * MAX_BURST
      || MAX_BURSTS < 2 || (1 << QW) != MAX_BURSTS || ADDR_W < 12) begin : g_bad_parameters
    $fatal(1, "s2mm: MAX_BURST a power of two in 2..256, DEPTH a power of two >= 2 MAX_BURST, MAX_BURSTS a power of two >= 2");
  end

  assign m_axi_awid = 1'b0;
  assign m_axi_awsize = 3'd3;
  assign m_axi_awburst = 2'b01;
  assign m_axi_awcache = 4'b0011;
  assign m_axi_awprot = 3'b000;
  assign m_axi_bready = 1'b1;

  logic armed_q, got_last_q;
  logic [ADDR_W-1:0] addr_q;                 // the next burst's address
  logic [63:0] mem [DEPTH];
  logic [AW:0] wr_q, rd_q;
  logic [AW:0] free_beats_q;                 // beats in the FIFO that no burst holds yet
  logic [QW:0] b_pend_q, b_stale_q;          // bursts raised awaiting a response: this packet's, before a cancel
  logic [AW:0] w_stale_q;                    // W beats of bursts raised before a cancel
  logic [BEATS_W-1:0] beats_q;
  assign beats = beats_q;

  // ---------------------------------------------------------------- in
  wire logic full = (wr_q - rd_q) == (AW + 1)'(DEPTH);
  assign s_axis_tready = armed_q && !got_last_q && !full;
  wire logic push = s_axis_tvalid && s_axis_tready;

  // ---------------------------------------------------------------- AW: a burst once its beats are here
  wire logic [BW:0] to_edge = (BW + 1)'(MAX_BURST) - (BW + 1)'(addr_q[3+:BW]);
  wire logic enough = free_beats_q >= (AW + 1)'(to_edge);
  wire logic tail = got_last_q && free_beats_q != '0;      // the packet's rest, shorter than to_edge
  wire logic [BW:0] blen = enough ? to_edge : (BW + 1)'(free_beats_q);
  logic wq_ready, wq_valid, wq_tlast;
  logic [BW:0] wq_len;
  wire logic raise = armed_q && (enough || tail) && (!m_axi_awvalid || m_axi_awready)
                  && (QW + 2)'(b_pend_q) + (QW + 2)'(b_stale_q) < (QW + 2)'(MAX_BURSTS) && !cancel;
  wire logic aw_hs = m_axi_awvalid && m_axi_awready;

  // the lengths of the bursts whose address was taken, for W
  fifo #(.W(BW + 1), .DEPTH(MAX_BURSTS)) u_wq (
      .clk, .rst, .s_axis_tdata((BW + 1)'(m_axi_awlen) + 1'b1),
      .s_axis_tvalid(aw_hs), .s_axis_tready(wq_ready), .s_axis_tlast(1'b0), .m_axis_tdata(wq_len),
      .m_axis_tvalid(wq_valid), .m_axis_tready(m_axi_wvalid && m_axi_wready && m_axi_wlast), .m_axis_tlast(wq_tlast)
  );

  // ---------------------------------------------------------------- W
  logic [BW:0] wbeat_q;                      // beat within the current burst
  assign m_axi_wvalid = wq_valid && wr_q != rd_q;
  assign m_axi_wdata = mem[rd_q[AW-1:0]];
  assign m_axi_wlast = wbeat_q == wq_len - 1'b1;
  assign m_axi_wstrb = w_stale_q != '0 ? 8'h00 : 8'hFF;
  wire logic w_hs = m_axi_wvalid && m_axi_wready;

  // ---------------------------------------------------------------- B
  wire logic b_stale = b_stale_q != '0;
  logic err_q, done_q;
  assign err = err_q;
  assign done = done_q;
  assign busy = armed_q;
  assign idle = b_pend_q == '0 && b_stale_q == '0 && !m_axi_awvalid && !wq_valid;
  wire logic finished = armed_q && got_last_q && free_beats_q == '0 && !m_axi_awvalid && !wq_valid
                     && b_pend_q == '0;
  wire logic unused = &{1'b0, m_axi_bid, m_axi_bresp[0], wq_ready, wq_tlast};

  always_ff @(posedge clk) begin
    if (push) mem[wr_q[AW-1:0]] <= s_axis_tdata;
    if (rst) begin
      armed_q <= 1'b0;
      got_last_q <= 1'b0;
      wr_q <= '0;
      rd_q <= '0;
      free_beats_q <= '0;
      b_pend_q <= '0;
      b_stale_q <= '0;
      w_stale_q <= '0;
      wbeat_q <= '0;
      m_axi_awvalid <= 1'b0;
      err_q <= 1'b0;
      done_q <= 1'b0;
      beats_q <= '0;
    end else begin
      err_q <= m_axi_bvalid && !b_stale && m_axi_bresp[1];
      done_q <= finished;
      if (finished) armed_q <= 1'b0;
      if (start && !armed_q) begin
        armed_q <= 1'b1;
        got_last_q <= 1'b0;
        addr_q <= addr;
        beats_q <= '0;
      end
      if (push) begin
        wr_q <= wr_q + 1'b1;
        beats_q <= beats_q + 1'b1;
        if (s_axis_tlast) got_last_q <= 1'b1;
      end
      free_beats_q <= free_beats_q + (AW + 1)'(push) - (raise ? (AW + 1)'(blen) : '0);
      if (raise) begin
        m_axi_awvalid <= 1'b1;
        m_axi_awaddr <= addr_q;
        m_axi_awlen <= 8'(blen - 1'b1);
        addr_q <= addr_q + (ADDR_W'(blen) << 3);
      end else if (aw_hs) begin
        m_axi_awvalid <= 1'b0;
      end
      if (w_hs) begin
        rd_q <= rd_q + 1'b1;
        wbeat_q <= m_axi_wlast ? '0 : wbeat_q + 1'b1;
        if (w_stale_q != '0) w_stale_q <= w_stale_q - 1'b1;
      end
      b_pend_q <= b_pend_q + (QW + 1)'(raise) - (QW + 1)'(m_axi_bvalid && !b_stale);
      if (m_axi_bvalid && b_stale) b_stale_q <= b_stale_q - 1'b1;
      if (cancel) begin
        // beats no burst holds are dropped from the FIFO's tail; the raised bursts finish unwritten
        armed_q <= 1'b0;
        got_last_q <= 1'b0;
        done_q <= 1'b0;
        err_q <= 1'b0;
        wr_q <= wr_q - free_beats_q;
        free_beats_q <= '0;
        w_stale_q <= wr_q - free_beats_q - rd_q - (AW + 1)'(w_hs);
        b_stale_q <= b_stale_q - (QW + 1)'(m_axi_bvalid && b_stale) + b_pend_q - (QW + 1)'(m_axi_bvalid && !b_stale);
        b_pend_q <= '0;
      end
    end
  end
endmodule

`default_nettype wire
