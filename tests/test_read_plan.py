"""golden.layout.read_plan: the core's reads of an operation, applied to a memory image holding the
operands where the host puts them, give exactly the packet golden.layout.packet (tiled operations)
or attention_beats (attention) specifies; so the RTL address generator (rtl/read_plan.sv, checked
against read_plan by its bench) reads what the stream engine always took."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from golden.layout import attention_beats, packet, read_plan, rows_beats, weight_beats


def place(image: np.ndarray, addr: int, rows: np.ndarray, stride: int) -> None:
    """Rows of int8 (padded to whole beats) into ``image`` (bytes) from ``addr``, ``stride`` apart."""
    beats = rows_beats(rows)
    for i, row in enumerate(beats):
        image[addr + i * stride: addr + i * stride + 8 * len(row)] = row.view(np.uint8)


def run(image: np.ndarray, plan) -> tuple[np.ndarray, list[int]]:
    """The beats the plan reads, and the indices of the beats that carry tlast."""
    words, lasts = [], []
    for addr, beats, last in plan:
        words.append(image[addr:addr + 8 * beats].view("<u8"))
        if last:
            lasts.append(sum(len(w) for w in words) - 1)
    return np.concatenate(words), lasts


@given(st.integers(1, 20), st.integers(1, 40), st.integers(1, 12), st.integers(1, 9), st.integers(0, 3),
       st.booleans(), st.integers(0, 2**32 - 1))
def test_a_tiled_operation_reads_its_packet(m, k, n, tile_rows, side, resid, seed):
    rng = np.random.default_rng(seed)
    x = rng.integers(-128, 128, (m, k), dtype=np.int8)
    w = rng.integers(-128, 128, (k, n), dtype=np.int8)
    consts = [list(rng.integers(0, 2**63, side, dtype=np.uint64)) for _ in range(n)]
    r = rng.integers(-128, 128, (m, n), dtype=np.int8) if resid else None
    kb, rb = -(-k // 8), -(-n // 8)
    a_stride, r_stride = 8 * (kb + int(rng.integers(0, 3))), 8 * (rb + int(rng.integers(0, 3)))
    a_addr, r_addr, w_addr = 0x100, 0x4000, 0x9000
    image = np.zeros(0x20000, np.uint8)
    place(image, a_addr, x, a_stride)
    if resid:
        place(image, r_addr, r, r_stride)
    wts = weight_beats(w, consts)
    image[w_addr:w_addr + 8 * len(wts)] = wts.view(np.uint8)
    plan = read_plan(rows=m, kb=kb, n=n, wb=side + kb, rb=rb if resid else 0, tile_rows=tile_rows, a_addr=a_addr,
                     a_stride=a_stride, r_addr=r_addr, r_stride=r_stride, w_addr=w_addr)
    words, lasts = run(image, plan)
    want = packet(x, wts, tile_rows, r)
    assert np.array_equal(words, want)
    assert lasts == [len(want) - 1]


@given(st.integers(1, 16), st.integers(1, 4), st.sampled_from([8, 16, 24]), st.integers(0, 4), st.integers(0, 2**32 - 1))
def test_attention_reads_each_head_from_the_fused_qkv(t, heads, dh, pad, seed):
    """Head h's packet straight from the QKV rows (row stride: the row plus padding), no
    head-major copy; tlast ends each head's."""
    rng = np.random.default_rng(seed)
    qkv = rng.integers(-128, 128, (t, 3 * heads * dh), dtype=np.int8)
    stride = qkv.shape[1] + 8 * pad
    image = np.zeros(0x10000, np.uint8)
    place(image, 0x800, qkv, stride)
    plan = read_plan(rows=t, kb=3 * dh // 8, n=heads, a_addr=0x800, a_stride=stride, attn=True)
    words, lasts = run(image, plan)
    per_head = attention_beats(qkv, heads)
    assert np.array_equal(words, per_head.reshape(-1))
    assert lasts == [(h + 1) * per_head.shape[1] - 1 for h in range(heads)]


def test_addresses_wrap_at_32_bits_and_bad_counts_are_refused():
    plan = read_plan(rows=2, kb=1, n=1, wb=1, tile_rows=2, a_addr=2**32 - 8, a_stride=8, w_addr=0)
    assert plan == [(2**32 - 8, 1, False), (0, 1, False), (0, 1, True)]
    with pytest.raises(ValueError, match="rows must be >= 1"):
        read_plan(rows=0, kb=1, n=1, wb=1)
    with pytest.raises(ValueError, match="wb must be >= 1"):
        read_plan(rows=1, kb=1, n=1)


def test_each_operations_plan_reads_what_its_operands_make():
    """host/accel/operations.py's ``plan`` (what the driver reports as the core's reads) and ``operands``
    (what the host places in memory): placed as the driver places them, the plan's reads are the
    operation's packet, beat for beat, for every operation of the table."""
    from host.accel.operands import attention_problem, gelu_problem, linear_problem, ln_problem, matrices
    from host.accel.operations import BY_KEY

    rng = np.random.default_rng(11)
    jobs = {"matmul": matrices(13, 20, 9, rng), "linear": linear_problem(13, 20, 9, rng),
            "mm_gelu": gelu_problem(13, 20, 9, rng), "mm_ln": ln_problem(13, 20, 9, rng)}
    qkv, p = attention_problem(7, 2, 8, rng)
    jobs["attention"] = (qkv, 2, p)
    tile_rows = 5
    for key, args in jobs.items():
        op = BY_KEY[key]
        m, k, n = op.dims(*args)
        operands = op.operands(*args)
        image = np.zeros(0x40000, np.uint8)
        at = {"a": 0x1000, "r": 0x10000, "w": 0x20000}
        for name, beats in operands.items():
            image[at[name]:at[name] + beats.nbytes] = beats.reshape(-1).view(np.uint8)
        plan = op.plan(m, k, n, tile_rows)  # every operand at address 0
        stride_a = 8 * operands["a"].shape[1]
        want = (attention_beats(qkv, 2).reshape(-1) if key == "attention" else
                packet(np.asarray(args[0]).view(np.int8), operands["w"], tile_rows,
                       args[3] if key == "mm_ln" else None))
        assert sum(b for _, b, _ in plan) == want.size, key
        # the same reads with the operands where they lie, as the driver's registers say
        moved = read_plan(rows=m, kb=3 * k // 8 if key == "attention" else -(-k // 8), n=n,
                          wb=-(-k // 8) + op.side, rb=-(-n // 8) if key == "mm_ln" else 0, tile_rows=tile_rows,
                          a_addr=at["a"], a_stride=stride_a, r_addr=at["r"], r_stride=8 * -(-n // 8),
                          w_addr=at["w"], attn=key == "attention")
        assert [b for _, b, _ in moved] == [b for _, b, _ in plan], key
        words, _ = run(image, moved)
        assert np.array_equal(words, want), key
