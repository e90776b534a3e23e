"""The parameter sets each module's bench runs with: what the suite (tests/test_rtl.py) builds,
and what the mutation bench (bench/mutants.py) and the structure tests take from it."""

#: (module, HDL parameters) on both simulators: every module's first set. Verilator is two-state and
#: what the main job runs; Icarus is four-state, so an X that reaches a checked output fails there.
CASES = [
    ("pe", {}),
    ("lopd", {"W": 32}),
    ("fifo", {"W": 8, "DEPTH": 4}),
    ("sqrt", {"W": 32}),
    ("div", {"W": 32}),
    ("exp", {}),
    ("gelu", {}),
    ("row_buffer", {"W": 32, "MAX": 5}),
    ("row_out", {"W": 8, "DEPTH": 8}),
    ("softmax", {"MAX_N": 20}),
    ("layernorm", {"MAX_C": 24}),
    ("mul_pipe", {"A_W": 22, "B_W": 24}),
    ("tile_walk", {"N1": 4, "N2": 4, "TR": 12, "M_W": 6, "N_W": 6}),
    ("residual_add", {}),
    ("requant", {"OUT_W": 8}),
    ("ibert_csr", {"ADDR_W": 8}),
    ("axis_frame", {"ROWS_W": 4, "KB_W": 3}),
    ("ln_tail", {"MAX_C": 24, "MAX_M": 8}),
    ("epilogue", {"N1": 2, "N2": 3, "TR": 4, "MAX_M": 16, "MAX_N": 64}),  # LayerNorm rows of two beats
    ("sreg", {"W": 8, "DEPTH": 3}),
    ("systolic", {"N1": 2, "N2": 2}),
    ("section_in", {"ROWS_W": 4, "KB_W": 3}),
    ("pair_out", {}),
    ("len_guard", {}),
    ("ram_sdp", {"W": 12, "DEPTH": 16}),
    ("attention_vt", {"MAX_T": 16, "MAX_DH": 16}),
    # an odd N2 (C comes back two values a beat across column tiles), tiles of two array rows' blocks
    ("attention", {"N1": 2, "N2": 3, "TR": 4, "MAX_T": 16, "MAX_DH": 16, "MAX_HEADS": 3}),
    ("mem_write_a", {"N1": 4, "KB_W": 3, "ADDR_W": 8}),
    ("mem_write_b", {"N2": 4, "KB_W": 3, "KB_MAX": 8, "ADDR_W": 4}),
    ("mem_read_d", {"N1": 4, "N2": 4}),
    ("mm", {"N1": 2, "N2": 2, "MAX_M": 32, "MAX_K": 64, "MAX_N": 32}),
    ("read_plan", {"ROWS_W": 5, "LEN_W": 4}),
    # more bursts in flight than the FIFO holds, so the room check is what holds them back
    ("mm2s", {"MAX_BURST": 8, "DEPTH": 16, "LEN_W": 6, "MAX_BURSTS": 4}),
    ("s2mm", {"MAX_BURST": 4, "DEPTH": 8, "MAX_BURSTS": 2, "BEATS_W": 10}),
]

#: Further sets, varying widths, depths and shapes, each on the one simulator where it costs less
#: (measured in the suite): Icarus compiles no C++, so short runs are cheaper there.
ICARUS_CASES = [
    ("pe", {"A_W": 9}),
    ("lopd", {"W": 7}),
    ("fifo", {"W": 64, "DEPTH": 32}),
    ("sqrt", {"W": 8}),
    ("sqrt", {"W": 32, "ITERATIVE": 1}),
    ("sqrt", {"W": 8, "ITERATIVE": 1}),
    ("div", {"W": 9}),
    ("row_buffer", {"W": 8, "MAX": 24}),
    ("row_out", {"W": 32, "DEPTH": 4}),
    ("softmax", {"MAX_N": 128}),
    ("mul_pipe", {"A_W": 33, "B_W": 32}),
    ("tile_walk", {"N1": 3, "N2": 5, "M_W": 5, "N_W": 5}),
    ("residual_add", {"R_W": 8}),
    ("requant", {"OUT_W": 22}),
    ("requant", {"OUT_W": 32}),
    # the gather buffer split into three block RAMs a lane, as BERT-sized buffers are
    ("epilogue", {"N1": 2, "N2": 3, "TR": 4, "MAX_M": 16, "MAX_N": 24, "RAM_BLOCK": 8}),
    ("sreg", {"W": 8, "DEPTH": 0}),
    ("sreg", {"W": 8, "DEPTH": 1}),
    ("systolic", {"N1": 4, "N2": 4}),
    ("systolic", {"N1": 4, "N2": 4, "A_W": 9}),
    ("section_in", {"ROWS_W": 11, "KB_W": 8}),
    ("ram_sdp", {"W": 8, "DEPTH": 40, "BLOCK": 8}),
    ("ram_sdp", {"W": 64, "DEPTH": 24, "BLOCK": 8}),
    ("attention_vt", {"MAX_T": 64, "MAX_DH": 32}),
    ("mem_write_a", {"N1": 3, "KB_W": 3, "ADDR_W": 8}),
    ("mem_write_a", {"N1": 8, "KB_W": 8, "ADDR_W": 11}),
    ("mem_write_b", {"N2": 8, "KB_W": 8, "KB_MAX": 96, "ADDR_W": 8}),
    ("mem_read_d", {"N1": 8, "N2": 5}),
    ("mem_read_d", {"N1": 3, "N2": 6, "PAIR": 1}),
]

#: The top with OP_ATTENTION (the gather buffer holds 32 context rows of 64 bytes; 4 heads at most), a whole small
#: layer, and tiles of three blocks of array rows (what a wide array uses to keep pace with its
#: weights): every bench on Verilator; on Icarus (ten times slower) the directed attention test.
ATTENTION_TOP = ("ibert_top", {"N1": 4, "N2": 4, "MAX_M": 32, "MAX_K": 256, "MAX_N": 256, "TILE_ROWS": 12,
                                "MAX_HEADS": 4})  # few enough heads of 8 to fit: the heads bound is reachable
#: On Icarus, every bench of the top with a buffer too small for the attention's context (so
#: OP_ATTENTION is not built, and refused): the other operations and the control plane.
ICARUS_TOP = ("ibert_top", {"N1": 4, "N2": 4, "MAX_M": 64, "MAX_K": 128, "MAX_N": 64})


#: Further sets whose long runs are faster on Verilator, and BERT-sized sets too slow for Icarus
#: (ten times slower there): Verilator only.
VERILATOR_CASES = [
    ("layernorm", {"MAX_C": 768}),
    ("systolic", {"N1": 8, "N2": 4}),
    ("mm", {"N1": 4, "N2": 4, "MAX_M": 64, "MAX_K": 128, "MAX_N": 64}),
    # rows a multiple of the columns (both simulators run the square 2x2)
    ("mm", {"N1": 8, "N2": 4, "MAX_M": 64, "MAX_K": 128, "MAX_N": 64}),
    ("mm", {"N1": 8, "N2": 8, "MAX_M": 128, "MAX_K": 768, "MAX_N": 1024}),
    # the data movers as the device builds them
    ("mm2s", {}),
    ("s2mm", {}),
    # the array shape planned for the xc7z020 (rows not a power of two), small maxima
    ("ibert_top", {"N1": 12, "N2": 14, "MAX_M": 64, "MAX_K": 64, "MAX_N": 64, "MAX_DH": 16}),
    ATTENTION_TOP,
]
