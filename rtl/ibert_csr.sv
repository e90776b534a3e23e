// AXI4-Lite slave: turns bus transactions into a simple register port (one write strobe, one
// combinational read address) for the register file that ibert_top implements from
// rtl/regs/ibert_regs.rdl. One transaction of each kind in flight; responses are always OKAY (an
// unmapped address reads 0 and ignores writes). AW and W may arrive in either order or together; an address
// that is not word-aligned matches no register.
`default_nettype none

module ibert_csr #(
    parameter int ADDR_W = 8
) (
    input  wire logic              clk,
    input  wire logic              rst,
    input  wire logic [ADDR_W-1:0] s_axil_awaddr,
    input  wire logic              s_axil_awvalid,
    output logic                   s_axil_awready,
    input  wire logic [31:0]       s_axil_wdata,
    input  wire logic [3:0]        s_axil_wstrb,
    input  wire logic              s_axil_wvalid,
    output logic                   s_axil_wready,
    output logic [1:0]             s_axil_bresp,
    output logic                   s_axil_bvalid,
    input  wire logic              s_axil_bready,
    input  wire logic [ADDR_W-1:0] s_axil_araddr,
    input  wire logic              s_axil_arvalid,
    output logic                   s_axil_arready,
    output logic [31:0]            s_axil_rdata,
    output logic [1:0]             s_axil_rresp,
    output logic                   s_axil_rvalid,
    input  wire logic              s_axil_rready,
    output logic                   wr_en,      // one cycle: write wr_data under wr_strb at wr_addr
    output logic [ADDR_W-1:0]      wr_addr,
    output logic [31:0]            wr_data,
    output logic [3:0]             wr_strb,
    output logic [ADDR_W-1:0]      rd_addr,    // the register file answers on rd_data, same cycle
    input  wire logic [31:0]       rd_data
);
  logic aw_full_q, w_full_q;

  assign s_axil_awready = !aw_full_q;
  assign s_axil_wready = !w_full_q;
  assign s_axil_bresp = 2'b00;
  assign s_axil_rresp = 2'b00;
  assign wr_en = aw_full_q && w_full_q && !s_axil_bvalid;
  assign s_axil_arready = !s_axil_rvalid;
  assign rd_addr = {s_axil_araddr[ADDR_W-1:2], 2'b00};  // a narrow access: its word (wstrb picks bytes)
  wire logic unused_byte_addr = &{1'b0, s_axil_araddr[1:0], s_axil_awaddr[1:0]};

  always_ff @(posedge clk) begin
    if (rst) begin
      aw_full_q <= 1'b0;
      w_full_q <= 1'b0;
      s_axil_bvalid <= 1'b0;
      s_axil_rvalid <= 1'b0;
    end else begin
      if (s_axil_awvalid && s_axil_awready) begin
        aw_full_q <= 1'b1;
        wr_addr <= {s_axil_awaddr[ADDR_W-1:2], 2'b00};
      end
      if (s_axil_wvalid && s_axil_wready) begin
        w_full_q <= 1'b1;
        wr_data <= s_axil_wdata;
        wr_strb <= s_axil_wstrb;
      end
      if (wr_en) begin
        aw_full_q <= 1'b0;
        w_full_q <= 1'b0;
        s_axil_bvalid <= 1'b1;
      end else if (s_axil_bready) begin
        s_axil_bvalid <= 1'b0;
      end
      if (s_axil_arvalid && s_axil_arready) begin
        s_axil_rvalid <= 1'b1;
        s_axil_rdata <= rd_data;
      end else if (s_axil_rready) begin
        s_axil_rvalid <= 1'b0;
      end
    end
  end
endmodule

`default_nettype wire
