"""Hypothesis strategies shared by the golden tests: integer arrays that reach their edges, and
constants derived from realistic scales."""

from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from golden import constants as C


def ints(bits: int, signed: bool = True) -> st.SearchStrategy[int]:
    lo, hi = (-(1 << (bits - 1)), (1 << (bits - 1)) - 1) if signed else (0, (1 << bits) - 1)
    return st.integers(lo, hi)


def arrays(bits: int, shape, signed: bool = True, dtype=np.int64) -> st.SearchStrategy[np.ndarray]:
    """Integer arrays of ``bits`` width; hypothesis draws min, max and zero often."""
    return hnp.arrays(dtype, shape, elements=ints(bits, signed))


#: Softmax score scales from far finer than i-exp's int32 limit (in_shift > 0) to coarse.
score_scales = st.floats(1e-7, 3e-2)
softmax_consts = score_scales.map(C.softmax_consts)

#: i-GELU input scales of a dense layer's int32 output, with the output shift.
gelu_scales = st.floats(1e-6, 2e-2)
gelu_consts = st.builds(lambda s, sh: C.gelu_consts(s, sh)[0], gelu_scales, st.integers(0, 20))
