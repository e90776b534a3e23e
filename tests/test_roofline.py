"""host/accel/roofline.py, the first-principles bound every benchmark and the driver report against,
checked against figures derived by hand (issue 19's table: all-MiniLM-L6-v2's layer at T = 128 on
the 12 x 14 array), and the driver's CallTiming using it rather than the design's own traffic."""

import pytest

from host.accel.driver import CallTiming
from host.accel.roofline import Work, work

PES = 12 * 14


@pytest.mark.parametrize("op, shape, cycles", [
    ("linear", (128, 384, 1152), 337_042),     # QKV projection: 56.6 M MACs
    ("attention", (128, 32, 12), 74_898),      # 12 heads of 32: 2 T^2 D MACs
    ("mm_ln", (128, 384, 384), 112_347),       # output projection
    ("mm_gelu", (128, 384, 1536), 449_390),    # FFN in
    ("mm_ln", (128, 1536, 384), 449_390),      # FFN out
])
def test_minilm_layer_at_128_tokens(op, shape, cycles):
    assert round(work(op, *shape).cycles(PES)) == cycles
    assert work(op, *shape).bound(PES) == "compute"


def test_bytes_needed_once():
    # a 16-token linear 384 -> 1152: x, W, and 16 bytes of requant constants per channel
    assert work("OP_LINEAR", 16, 384, 1152) == Work(16 * 384 * 1152, 16 * 384 + 384 * 1152 + 1152 * 16, 16 * 1152)
    # OP_MM_LN also reads its residual rows; OP_MATMUL writes int32
    assert work("mm_ln", 4, 8, 8).bytes_in == 4 * 8 + 8 * 8 + 8 * 32 + 4 * 8
    assert work("matmul", 4, 8, 8).bytes_out == 4 * 4 * 8
    # a short sequence is bound by the weights streaming in, not by the array
    assert work("mm_gelu", 16, 384, 1536).bound(PES) == "stream in"
    with pytest.raises(ValueError, match="op: expected one of"):
        work("conv", 1, 1, 1)


def test_call_timing_bounds_by_what_is_needed_not_what_was_sent():
    """What a design sends beyond what is needed (here attention's QKV rows once per head, as the
    design before register map 2.0 did) is its cost, not the bound."""
    sent_once = CallTiming("OP_ATTENTION", (128, 32, 12), 0, 0, 0, 900_000, in_beats=128 * 1152 // 8)
    sent_per_head = CallTiming("OP_ATTENTION", (128, 32, 12), 0, 0, 0, 900_000, in_beats=12 * 128 * 1152 // 8)
    assert sent_once.roofline(PES) == sent_per_head.roofline(PES) == pytest.approx(74_898, abs=1)
