// Flat Verilog-2001 wrapper of ibert_top for Vivado IP integrator (a block design can reference a
// Verilog module, not a SystemVerilog one). The X_INTERFACE_INFO / X_INTERFACE_PARAMETER attributes
// let the block design infer: the AXI4-Lite slave s_axi_ctrl, the AXI4 read master m_axi_rd (to
// HP0: the operands) and write master m_axi_wr (to HP1: the results), the clock aclk and the
// active-low reset aresetn. Synchronous reset inside: aresetn is registered once.
`default_nettype none

module ibert_axi #(
    parameter integer N1 = 12,
    parameter integer N2 = 16,
    parameter integer MAX_M = 128,
    parameter integer MAX_K = 768,
    parameter integer MAX_N = 1024
) (
    (* X_INTERFACE_INFO = "xilinx.com:signal:clock:1.0 aclk CLK" *)
    (* X_INTERFACE_PARAMETER = "ASSOCIATED_BUSIF s_axi_ctrl:m_axi_rd:m_axi_wr, ASSOCIATED_RESET aresetn" *)
    input  wire        aclk,
    (* X_INTERFACE_INFO = "xilinx.com:signal:reset:1.0 aresetn RST" *)
    (* X_INTERFACE_PARAMETER = "POLARITY ACTIVE_LOW" *)
    input  wire        aresetn,

    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 s_axi_ctrl AWADDR" *)
    (* X_INTERFACE_PARAMETER = "PROTOCOL AXI4LITE, DATA_WIDTH 32, ADDR_WIDTH 8" *)
    input  wire [7:0]  s_axi_ctrl_awaddr,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 s_axi_ctrl AWPROT" *)
    input  wire [2:0]  s_axi_ctrl_awprot,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 s_axi_ctrl AWVALID" *)
    input  wire        s_axi_ctrl_awvalid,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 s_axi_ctrl AWREADY" *)
    output wire        s_axi_ctrl_awready,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 s_axi_ctrl WDATA" *)
    input  wire [31:0] s_axi_ctrl_wdata,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 s_axi_ctrl WSTRB" *)
    input  wire [3:0]  s_axi_ctrl_wstrb,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 s_axi_ctrl WVALID" *)
    input  wire        s_axi_ctrl_wvalid,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 s_axi_ctrl WREADY" *)
    output wire        s_axi_ctrl_wready,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 s_axi_ctrl BRESP" *)
    output wire [1:0]  s_axi_ctrl_bresp,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 s_axi_ctrl BVALID" *)
    output wire        s_axi_ctrl_bvalid,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 s_axi_ctrl BREADY" *)
    input  wire        s_axi_ctrl_bready,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 s_axi_ctrl ARADDR" *)
    input  wire [7:0]  s_axi_ctrl_araddr,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 s_axi_ctrl ARPROT" *)
    input  wire [2:0]  s_axi_ctrl_arprot,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 s_axi_ctrl ARVALID" *)
    input  wire        s_axi_ctrl_arvalid,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 s_axi_ctrl ARREADY" *)
    output wire        s_axi_ctrl_arready,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 s_axi_ctrl RDATA" *)
    output wire [31:0] s_axi_ctrl_rdata,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 s_axi_ctrl RRESP" *)
    output wire [1:0]  s_axi_ctrl_rresp,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 s_axi_ctrl RVALID" *)
    output wire        s_axi_ctrl_rvalid,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 s_axi_ctrl RREADY" *)
    input  wire        s_axi_ctrl_rready,

    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 m_axi_rd ARID" *)
    (* X_INTERFACE_PARAMETER = "PROTOCOL AXI4, READ_WRITE_MODE READ_ONLY, DATA_WIDTH 64, ADDR_WIDTH 32, ID_WIDTH 1, MAX_BURST_LENGTH 64, NUM_READ_OUTSTANDING 16, NUM_WRITE_OUTSTANDING 0" *)
    output wire [0:0]  m_axi_rd_arid,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 m_axi_rd ARADDR" *)
    output wire [31:0] m_axi_rd_araddr,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 m_axi_rd ARLEN" *)
    output wire [7:0]  m_axi_rd_arlen,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 m_axi_rd ARSIZE" *)
    output wire [2:0]  m_axi_rd_arsize,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 m_axi_rd ARBURST" *)
    output wire [1:0]  m_axi_rd_arburst,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 m_axi_rd ARCACHE" *)
    output wire [3:0]  m_axi_rd_arcache,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 m_axi_rd ARPROT" *)
    output wire [2:0]  m_axi_rd_arprot,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 m_axi_rd ARVALID" *)
    output wire        m_axi_rd_arvalid,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 m_axi_rd ARREADY" *)
    input  wire        m_axi_rd_arready,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 m_axi_rd RID" *)
    input  wire [0:0]  m_axi_rd_rid,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 m_axi_rd RDATA" *)
    input  wire [63:0] m_axi_rd_rdata,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 m_axi_rd RRESP" *)
    input  wire [1:0]  m_axi_rd_rresp,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 m_axi_rd RLAST" *)
    input  wire        m_axi_rd_rlast,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 m_axi_rd RVALID" *)
    input  wire        m_axi_rd_rvalid,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 m_axi_rd RREADY" *)
    output wire        m_axi_rd_rready,

    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 m_axi_wr AWID" *)
    (* X_INTERFACE_PARAMETER = "PROTOCOL AXI4, READ_WRITE_MODE WRITE_ONLY, DATA_WIDTH 64, ADDR_WIDTH 32, ID_WIDTH 1, MAX_BURST_LENGTH 16, NUM_READ_OUTSTANDING 0, NUM_WRITE_OUTSTANDING 8" *)
    output wire [0:0]  m_axi_wr_awid,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 m_axi_wr AWADDR" *)
    output wire [31:0] m_axi_wr_awaddr,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 m_axi_wr AWLEN" *)
    output wire [7:0]  m_axi_wr_awlen,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 m_axi_wr AWSIZE" *)
    output wire [2:0]  m_axi_wr_awsize,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 m_axi_wr AWBURST" *)
    output wire [1:0]  m_axi_wr_awburst,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 m_axi_wr AWCACHE" *)
    output wire [3:0]  m_axi_wr_awcache,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 m_axi_wr AWPROT" *)
    output wire [2:0]  m_axi_wr_awprot,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 m_axi_wr AWVALID" *)
    output wire        m_axi_wr_awvalid,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 m_axi_wr AWREADY" *)
    input  wire        m_axi_wr_awready,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 m_axi_wr WDATA" *)
    output wire [63:0] m_axi_wr_wdata,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 m_axi_wr WSTRB" *)
    output wire [7:0]  m_axi_wr_wstrb,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 m_axi_wr WLAST" *)
    output wire        m_axi_wr_wlast,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 m_axi_wr WVALID" *)
    output wire        m_axi_wr_wvalid,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 m_axi_wr WREADY" *)
    input  wire        m_axi_wr_wready,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 m_axi_wr BID" *)
    input  wire [0:0]  m_axi_wr_bid,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 m_axi_wr BRESP" *)
    input  wire [1:0]  m_axi_wr_bresp,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 m_axi_wr BVALID" *)
    input  wire        m_axi_wr_bvalid,
    (* X_INTERFACE_INFO = "xilinx.com:interface:aximm:1.0 m_axi_wr BREADY" *)
    output wire        m_axi_wr_bready
);
  reg rst;  // the PS holds aresetn low for many cycles after configuration
  always @(posedge aclk) rst <= !aresetn;

  ibert_top #(.N1(N1), .N2(N2), .MAX_M(MAX_M), .MAX_K(MAX_K), .MAX_N(MAX_N)) u_top (
      .clk(aclk), .rst(rst),
      .s_axil_awaddr(s_axi_ctrl_awaddr), .s_axil_awvalid(s_axi_ctrl_awvalid),
      .s_axil_awready(s_axi_ctrl_awready), .s_axil_wdata(s_axi_ctrl_wdata),
      .s_axil_wstrb(s_axi_ctrl_wstrb), .s_axil_wvalid(s_axi_ctrl_wvalid),
      .s_axil_wready(s_axi_ctrl_wready), .s_axil_bresp(s_axi_ctrl_bresp),
      .s_axil_bvalid(s_axi_ctrl_bvalid), .s_axil_bready(s_axi_ctrl_bready),
      .s_axil_araddr(s_axi_ctrl_araddr), .s_axil_arvalid(s_axi_ctrl_arvalid),
      .s_axil_arready(s_axi_ctrl_arready), .s_axil_rdata(s_axi_ctrl_rdata),
      .s_axil_rresp(s_axi_ctrl_rresp), .s_axil_rvalid(s_axi_ctrl_rvalid),
      .s_axil_rready(s_axi_ctrl_rready),
      .m_axi_rd_arid(m_axi_rd_arid), .m_axi_rd_araddr(m_axi_rd_araddr), .m_axi_rd_arlen(m_axi_rd_arlen),
      .m_axi_rd_arsize(m_axi_rd_arsize), .m_axi_rd_arburst(m_axi_rd_arburst), .m_axi_rd_arcache(m_axi_rd_arcache),
      .m_axi_rd_arprot(m_axi_rd_arprot), .m_axi_rd_arvalid(m_axi_rd_arvalid), .m_axi_rd_arready(m_axi_rd_arready),
      .m_axi_rd_rid(m_axi_rd_rid), .m_axi_rd_rdata(m_axi_rd_rdata), .m_axi_rd_rresp(m_axi_rd_rresp),
      .m_axi_rd_rlast(m_axi_rd_rlast), .m_axi_rd_rvalid(m_axi_rd_rvalid), .m_axi_rd_rready(m_axi_rd_rready),
      .m_axi_wr_awid(m_axi_wr_awid), .m_axi_wr_awaddr(m_axi_wr_awaddr), .m_axi_wr_awlen(m_axi_wr_awlen),
      .m_axi_wr_awsize(m_axi_wr_awsize), .m_axi_wr_awburst(m_axi_wr_awburst), .m_axi_wr_awcache(m_axi_wr_awcache),
      .m_axi_wr_awprot(m_axi_wr_awprot), .m_axi_wr_awvalid(m_axi_wr_awvalid), .m_axi_wr_awready(m_axi_wr_awready),
      .m_axi_wr_wdata(m_axi_wr_wdata), .m_axi_wr_wstrb(m_axi_wr_wstrb), .m_axi_wr_wlast(m_axi_wr_wlast),
      .m_axi_wr_wvalid(m_axi_wr_wvalid), .m_axi_wr_wready(m_axi_wr_wready), .m_axi_wr_bid(m_axi_wr_bid),
      .m_axi_wr_bresp(m_axi_wr_bresp), .m_axi_wr_bvalid(m_axi_wr_bvalid), .m_axi_wr_bready(m_axi_wr_bready)
  );

  // The protection bits carry nothing this core uses.
  wire unused = &{1'b0, s_axi_ctrl_awprot, s_axi_ctrl_arprot};
endmodule

`default_nettype wire
