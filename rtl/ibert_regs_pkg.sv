// Generated from rtl/regs/ibert_regs.rdl by python3 -m host.accel.regmap_gen: do not edit.
`default_nettype none

/* verilator lint_off UNUSEDPARAM */
package ibert_regs_pkg;
  localparam logic [3:0] OP_NONE = 4'd0;
  localparam logic [3:0] OP_MATMUL = 4'd1;
  localparam logic [3:0] OP_LINEAR = 4'd2;
  localparam logic [3:0] OP_MM_GELU = 4'd3;
  localparam logic [3:0] OP_ATTENTION = 4'd5;
  localparam logic [3:0] OP_MM_LN = 4'd4;
  localparam logic [7:0] A_ID = 8'h00;
  localparam int ID_ID_LSB = 0, ID_ID_W = 32;
  localparam logic [31:0] ID_RESET = 32'h49425254;
  localparam logic [31:0] ID_MASK = 32'hFFFFFFFF;  // the bits its fields hold
  localparam logic [7:0] A_VERSION = 8'h04;
  localparam int VERSION_MINOR_LSB = 0, VERSION_MINOR_W = 16;
  localparam int VERSION_MAJOR_LSB = 16, VERSION_MAJOR_W = 16;
  localparam logic [31:0] VERSION_RESET = 32'h00030000;
  localparam logic [31:0] VERSION_MASK = 32'hFFFFFFFF;  // the bits its fields hold
  localparam logic [7:0] A_CTRL = 8'h08;
  localparam int CTRL_START_LSB = 0, CTRL_START_W = 1;
  localparam int CTRL_ABORT_LSB = 1, CTRL_ABORT_W = 1;
  localparam logic [31:0] CTRL_RESET = 32'h00000000;
  localparam logic [31:0] CTRL_MASK = 32'h00000003;  // the bits its fields hold
  localparam logic [7:0] A_STATUS = 8'h0C;
  localparam int STATUS_BUSY_LSB = 0, STATUS_BUSY_W = 1;
  localparam int STATUS_DONE_LSB = 1, STATUS_DONE_W = 1;
  localparam logic [31:0] STATUS_RESET = 32'h00000000;
  localparam logic [31:0] STATUS_MASK = 32'h00000003;  // the bits its fields hold
  localparam logic [7:0] A_ERROR = 8'h10;
  localparam int ERROR_BAD_DIMS_LSB = 0, ERROR_BAD_DIMS_W = 1;
  localparam int ERROR_BAD_OP_LSB = 1, ERROR_BAD_OP_W = 1;
  localparam int ERROR_START_BUSY_LSB = 2, ERROR_START_BUSY_W = 1;
  localparam int ERROR_IN_SHORT_LSB = 3, ERROR_IN_SHORT_W = 1;
  localparam int ERROR_IN_LONG_LSB = 4, ERROR_IN_LONG_W = 1;
  localparam int ERROR_ABORTED_LSB = 5, ERROR_ABORTED_W = 1;
  localparam int ERROR_AXI_READ_LSB = 6, ERROR_AXI_READ_W = 1;
  localparam int ERROR_AXI_WRITE_LSB = 7, ERROR_AXI_WRITE_W = 1;
  localparam logic [31:0] ERROR_RESET = 32'h00000000;
  localparam logic [31:0] ERROR_MASK = 32'h000000FF;  // the bits its fields hold
  localparam logic [7:0] A_OP = 8'h14;
  localparam int OP_CODE_LSB = 0, OP_CODE_W = 4;
  localparam int OP_A_UNSIGNED_LSB = 8, OP_A_UNSIGNED_W = 1;
  localparam logic [31:0] OP_RESET = 32'h00000000;
  localparam logic [31:0] OP_MASK = 32'h0000010F;  // the bits its fields hold
  localparam logic [7:0] A_DIM_M = 8'h18;
  localparam int DIM_M_VALUE_LSB = 0, DIM_M_VALUE_W = 16;
  localparam logic [31:0] DIM_M_RESET = 32'h00000000;
  localparam logic [31:0] DIM_M_MASK = 32'h0000FFFF;  // the bits its fields hold
  localparam logic [7:0] A_DIM_K = 8'h1C;
  localparam int DIM_K_VALUE_LSB = 0, DIM_K_VALUE_W = 16;
  localparam logic [31:0] DIM_K_RESET = 32'h00000000;
  localparam logic [31:0] DIM_K_MASK = 32'h0000FFFF;  // the bits its fields hold
  localparam logic [7:0] A_DIM_N = 8'h20;
  localparam int DIM_N_VALUE_LSB = 0, DIM_N_VALUE_W = 16;
  localparam logic [31:0] DIM_N_RESET = 32'h00000000;
  localparam logic [31:0] DIM_N_MASK = 32'h0000FFFF;  // the bits its fields hold
  localparam logic [7:0] A_SOFTMAX_X0 = 8'h24;
  localparam int SOFTMAX_X0_X0_LSB = 0, SOFTMAX_X0_X0_W = 17;
  localparam int SOFTMAX_X0_IN_SHIFT_LSB = 24, SOFTMAX_X0_IN_SHIFT_W = 5;
  localparam logic [31:0] SOFTMAX_X0_RESET = 32'h00000000;
  localparam logic [31:0] SOFTMAX_X0_MASK = 32'h1F01FFFF;  // the bits its fields hold
  localparam logic [7:0] A_SOFTMAX_QB = 8'h28;
  localparam int SOFTMAX_QB_VALUE_LSB = 0, SOFTMAX_QB_VALUE_W = 21;
  localparam logic [31:0] SOFTMAX_QB_RESET = 32'h00000000;
  localparam logic [31:0] SOFTMAX_QB_MASK = 32'h001FFFFF;  // the bits its fields hold
  localparam logic [7:0] A_SOFTMAX_QC = 8'h2C;
  localparam int SOFTMAX_QC_VALUE_LSB = 0, SOFTMAX_QC_VALUE_W = 31;
  localparam logic [31:0] SOFTMAX_QC_RESET = 32'h00000000;
  localparam logic [31:0] SOFTMAX_QC_MASK = 32'h7FFFFFFF;  // the bits its fields hold
  localparam logic [7:0] A_SOFTMAX_RECIP = 8'h30;
  localparam int SOFTMAX_RECIP_VALUE_LSB = 0, SOFTMAX_RECIP_VALUE_W = 23;
  localparam logic [31:0] SOFTMAX_RECIP_RESET = 32'h00000000;
  localparam logic [31:0] SOFTMAX_RECIP_MASK = 32'h007FFFFF;  // the bits its fields hold
  localparam logic [7:0] A_CTX_M = 8'h34;
  localparam int CTX_M_VALUE_LSB = 0, CTX_M_VALUE_W = 32;
  localparam logic [31:0] CTX_M_RESET = 32'h00000000;
  localparam logic [31:0] CTX_M_MASK = 32'hFFFFFFFF;  // the bits its fields hold
  localparam logic [7:0] A_CTX_E = 8'h38;
  localparam int CTX_E_VALUE_LSB = 0, CTX_E_VALUE_W = 6;
  localparam logic [31:0] CTX_E_RESET = 32'h00000000;
  localparam logic [31:0] CTX_E_MASK = 32'h0000003F;  // the bits its fields hold
  localparam logic [7:0] A_MAX_M = 8'h40;
  localparam int MAX_M_VALUE_LSB = 0, MAX_M_VALUE_W = 16;
  localparam logic [31:0] MAX_M_RESET = 32'h00000000;
  localparam logic [31:0] MAX_M_MASK = 32'h0000FFFF;  // the bits its fields hold
  localparam logic [7:0] A_MAX_K = 8'h44;
  localparam int MAX_K_VALUE_LSB = 0, MAX_K_VALUE_W = 16;
  localparam logic [31:0] MAX_K_RESET = 32'h00000000;
  localparam logic [31:0] MAX_K_MASK = 32'h0000FFFF;  // the bits its fields hold
  localparam logic [7:0] A_MAX_N = 8'h48;
  localparam int MAX_N_VALUE_LSB = 0, MAX_N_VALUE_W = 16;
  localparam logic [31:0] MAX_N_RESET = 32'h00000000;
  localparam logic [31:0] MAX_N_MASK = 32'h0000FFFF;  // the bits its fields hold
  localparam logic [7:0] A_ARRAY = 8'h4C;
  localparam int ARRAY_ROWS_LSB = 0, ARRAY_ROWS_W = 8;
  localparam int ARRAY_COLS_LSB = 8, ARRAY_COLS_W = 8;
  localparam int ARRAY_TILE_ROWS_LSB = 16, ARRAY_TILE_ROWS_W = 8;
  localparam logic [31:0] ARRAY_RESET = 32'h00000000;
  localparam logic [31:0] ARRAY_MASK = 32'h00FFFFFF;  // the bits its fields hold
  localparam logic [7:0] A_MAX_D = 8'h50;
  localparam int MAX_D_VALUE_LSB = 0, MAX_D_VALUE_W = 16;
  localparam logic [31:0] MAX_D_RESET = 32'h00000000;
  localparam logic [31:0] MAX_D_MASK = 32'h0000FFFF;  // the bits its fields hold
  localparam logic [7:0] A_MAX_DH = 8'h54;
  localparam int MAX_DH_VALUE_LSB = 0, MAX_DH_VALUE_W = 16;
  localparam logic [31:0] MAX_DH_RESET = 32'h00000000;
  localparam logic [31:0] MAX_DH_MASK = 32'h0000FFFF;  // the bits its fields hold
  localparam logic [7:0] A_MAX_HEADS = 8'h58;
  localparam int MAX_HEADS_VALUE_LSB = 0, MAX_HEADS_VALUE_W = 16;
  localparam logic [31:0] MAX_HEADS_RESET = 32'h00000000;
  localparam logic [31:0] MAX_HEADS_MASK = 32'h0000FFFF;  // the bits its fields hold
  localparam logic [7:0] A_CYCLES_BUSY = 8'h60;
  localparam int CYCLES_BUSY_VALUE_LSB = 0, CYCLES_BUSY_VALUE_W = 32;
  localparam logic [31:0] CYCLES_BUSY_RESET = 32'h00000000;
  localparam logic [31:0] CYCLES_BUSY_MASK = 32'hFFFFFFFF;  // the bits its fields hold
  localparam logic [7:0] A_CYCLES_STARVED = 8'h64;
  localparam int CYCLES_STARVED_VALUE_LSB = 0, CYCLES_STARVED_VALUE_W = 32;
  localparam logic [31:0] CYCLES_STARVED_RESET = 32'h00000000;
  localparam logic [31:0] CYCLES_STARVED_MASK = 32'hFFFFFFFF;  // the bits its fields hold
  localparam logic [7:0] A_CYCLES_STALLED = 8'h68;
  localparam int CYCLES_STALLED_VALUE_LSB = 0, CYCLES_STALLED_VALUE_W = 32;
  localparam logic [31:0] CYCLES_STALLED_RESET = 32'h00000000;
  localparam logic [31:0] CYCLES_STALLED_MASK = 32'hFFFFFFFF;  // the bits its fields hold
  localparam logic [7:0] A_A_ADDR = 8'h70;
  localparam int A_ADDR_VALUE_LSB = 0, A_ADDR_VALUE_W = 32;
  localparam logic [31:0] A_ADDR_RESET = 32'h00000000;
  localparam logic [31:0] A_ADDR_MASK = 32'hFFFFFFFF;  // the bits its fields hold
  localparam logic [7:0] A_A_STRIDE = 8'h74;
  localparam int A_STRIDE_VALUE_LSB = 0, A_STRIDE_VALUE_W = 32;
  localparam logic [31:0] A_STRIDE_RESET = 32'h00000000;
  localparam logic [31:0] A_STRIDE_MASK = 32'hFFFFFFFF;  // the bits its fields hold
  localparam logic [7:0] A_R_ADDR = 8'h78;
  localparam int R_ADDR_VALUE_LSB = 0, R_ADDR_VALUE_W = 32;
  localparam logic [31:0] R_ADDR_RESET = 32'h00000000;
  localparam logic [31:0] R_ADDR_MASK = 32'hFFFFFFFF;  // the bits its fields hold
  localparam logic [7:0] A_R_STRIDE = 8'h7C;
  localparam int R_STRIDE_VALUE_LSB = 0, R_STRIDE_VALUE_W = 32;
  localparam logic [31:0] R_STRIDE_RESET = 32'h00000000;
  localparam logic [31:0] R_STRIDE_MASK = 32'hFFFFFFFF;  // the bits its fields hold
  localparam logic [7:0] A_W_ADDR = 8'h80;
  localparam int W_ADDR_VALUE_LSB = 0, W_ADDR_VALUE_W = 32;
  localparam logic [31:0] W_ADDR_RESET = 32'h00000000;
  localparam logic [31:0] W_ADDR_MASK = 32'hFFFFFFFF;  // the bits its fields hold
  localparam logic [7:0] A_OUT_ADDR = 8'h84;
  localparam int OUT_ADDR_VALUE_LSB = 0, OUT_ADDR_VALUE_W = 32;
  localparam logic [31:0] OUT_ADDR_RESET = 32'h00000000;
  localparam logic [31:0] OUT_ADDR_MASK = 32'hFFFFFFFF;  // the bits its fields hold
  localparam logic [7:0] A_OUT_BEATS = 8'h88;
  localparam int OUT_BEATS_VALUE_LSB = 0, OUT_BEATS_VALUE_W = 32;
  localparam logic [31:0] OUT_BEATS_RESET = 32'h00000000;
  localparam logic [31:0] OUT_BEATS_MASK = 32'hFFFFFFFF;  // the bits its fields hold
endpackage
/* verilator lint_on UNUSEDPARAM */

`default_nettype wire
