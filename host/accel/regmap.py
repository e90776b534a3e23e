"""Generated from rtl/regs/ibert_regs.rdl by python3 -m host.accel.regmap_gen: do not edit."""

from host.accel.registers import Field, Register

OP_NONE = 0  # No operation (start with it sets bad_op).
OP_MATMUL = 1  # D = A x B: int8 A (M x K) and int8 B^T (N x K) in, int32 D out (mm's stream layout).
OP_LINEAR = 2  # golden.linear: requant(A x W + bias) per channel, int8 rows out (golden.layout.pack_linear).
OP_MM_GELU = 3  # golden.mm_gelu: requant(GELU(A x W + b)) per channel, int8 rows out (golden.layout.pack_mm_gelu).
OP_ATTENTION = 5  # golden.attention: all heads' attention; DIM_M = T tokens, DIM_K = d_head (a multiple of 8, <= MAX_DH), DIM_N = heads; the input is the fused QKV (T rows of 3D int8 at A_ADDR, A_STRIDE apart, golden.qkv_columns order), each head's Q, K and V read in place (golden.read_plan); int8 context rows (T x D) out.
OP_MM_LN = 4  # golden.mm_ln: requant(LayerNorm(residual_add(A x W, R))) per channel over rows of N <= MAX_D, int8 rows out (golden.layout.pack_mm_ln).

REGISTERS = {
    'ID': Register('ID', 0x00, (
        Field('id', 0, 32, 'r', 0x49425254),
    )),
    'VERSION': Register('VERSION', 0x04, (
        Field('minor', 0, 16, 'r', 0x0),
        Field('major', 16, 16, 'r', 0x3),
    )),
    'CTRL': Register('CTRL', 0x08, (
        Field('start', 0, 1, 'pulse', 0x0),
        Field('abort', 1, 1, 'pulse', 0x0),
    )),
    'STATUS': Register('STATUS', 0x0C, (
        Field('busy', 0, 1, 'r', 0x0),
        Field('done', 1, 1, 'r', 0x0),
    )),
    'ERROR': Register('ERROR', 0x10, (
        Field('bad_dims', 0, 1, 'w1c', 0x0),
        Field('bad_op', 1, 1, 'w1c', 0x0),
        Field('start_busy', 2, 1, 'w1c', 0x0),
        Field('in_short', 3, 1, 'w1c', 0x0),
        Field('in_long', 4, 1, 'w1c', 0x0),
        Field('aborted', 5, 1, 'w1c', 0x0),
        Field('axi_read', 6, 1, 'w1c', 0x0),
        Field('axi_write', 7, 1, 'w1c', 0x0),
    )),
    'OP': Register('OP', 0x14, (
        Field('code', 0, 4, 'rw', 0x0),
        Field('a_unsigned', 8, 1, 'rw', 0x0),
    )),
    'DIM_M': Register('DIM_M', 0x18, (
        Field('value', 0, 16, 'rw', 0x0),
    )),
    'DIM_K': Register('DIM_K', 0x1C, (
        Field('value', 0, 16, 'rw', 0x0),
    )),
    'DIM_N': Register('DIM_N', 0x20, (
        Field('value', 0, 16, 'rw', 0x0),
    )),
    'SOFTMAX_X0': Register('SOFTMAX_X0', 0x24, (
        Field('x0', 0, 17, 'rw', 0x0),
        Field('in_shift', 24, 5, 'rw', 0x0),
    )),
    'SOFTMAX_QB': Register('SOFTMAX_QB', 0x28, (
        Field('value', 0, 21, 'rw', 0x0),
    )),
    'SOFTMAX_QC': Register('SOFTMAX_QC', 0x2C, (
        Field('value', 0, 31, 'rw', 0x0),
    )),
    'SOFTMAX_RECIP': Register('SOFTMAX_RECIP', 0x30, (
        Field('value', 0, 23, 'rw', 0x0),
    )),
    'CTX_M': Register('CTX_M', 0x34, (
        Field('value', 0, 32, 'rw', 0x0),
    )),
    'CTX_E': Register('CTX_E', 0x38, (
        Field('value', 0, 6, 'rw', 0x0),
    )),
    'MAX_M': Register('MAX_M', 0x40, (
        Field('value', 0, 16, 'r', 0x0),
    )),
    'MAX_K': Register('MAX_K', 0x44, (
        Field('value', 0, 16, 'r', 0x0),
    )),
    'MAX_N': Register('MAX_N', 0x48, (
        Field('value', 0, 16, 'r', 0x0),
    )),
    'ARRAY': Register('ARRAY', 0x4C, (
        Field('rows', 0, 8, 'r', 0x0),
        Field('cols', 8, 8, 'r', 0x0),
        Field('tile_rows', 16, 8, 'r', 0x0),
    )),
    'MAX_D': Register('MAX_D', 0x50, (
        Field('value', 0, 16, 'r', 0x0),
    )),
    'MAX_DH': Register('MAX_DH', 0x54, (
        Field('value', 0, 16, 'r', 0x0),
    )),
    'MAX_HEADS': Register('MAX_HEADS', 0x58, (
        Field('value', 0, 16, 'r', 0x0),
    )),
    'CYCLES_BUSY': Register('CYCLES_BUSY', 0x60, (
        Field('value', 0, 32, 'r', 0x0),
    )),
    'CYCLES_STARVED': Register('CYCLES_STARVED', 0x64, (
        Field('value', 0, 32, 'r', 0x0),
    )),
    'CYCLES_STALLED': Register('CYCLES_STALLED', 0x68, (
        Field('value', 0, 32, 'r', 0x0),
    )),
    'A_ADDR': Register('A_ADDR', 0x70, (
        Field('value', 0, 32, 'rw', 0x0),
    )),
    'A_STRIDE': Register('A_STRIDE', 0x74, (
        Field('value', 0, 32, 'rw', 0x0),
    )),
    'R_ADDR': Register('R_ADDR', 0x78, (
        Field('value', 0, 32, 'rw', 0x0),
    )),
    'R_STRIDE': Register('R_STRIDE', 0x7C, (
        Field('value', 0, 32, 'rw', 0x0),
    )),
    'W_ADDR': Register('W_ADDR', 0x80, (
        Field('value', 0, 32, 'rw', 0x0),
    )),
    'OUT_ADDR': Register('OUT_ADDR', 0x84, (
        Field('value', 0, 32, 'rw', 0x0),
    )),
    'OUT_BEATS': Register('OUT_BEATS', 0x88, (
        Field('value', 0, 32, 'r', 0x0),
    )),
}
