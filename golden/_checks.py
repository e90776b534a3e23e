"""Boundary checks shared by the golden functions.

Every public golden function validates its inputs here and then computes on int64 arrays: a wrong
dtype raises ``TypeError`` and a value outside the declared width or a mismatched shape raises
``ValueError``, each naming what was expected and what came.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .widths import signed_range, unsigned_range


def _describe(x: np.ndarray) -> str:
    return f"dtype {x.dtype}, shape {x.shape}"


def checked(name: str, x: Any, lo: int, hi: int) -> np.ndarray:
    """``x`` as an integer array (its own dtype) after checking every value is in [lo, hi].

    The value scan is skipped when the dtype itself cannot leave [lo, hi] (an int8 array checked
    as int8): golden outputs are typed, so chained golden calls pay for no second scan.
    """
    arr = np.asarray(x)
    if arr.dtype.kind not in "iu":
        raise TypeError(f"{name}: expected an integer array, got {_describe(arr)}")
    info = np.iinfo(arr.dtype)
    if arr.size and (info.min < lo or info.max > hi):
        amin, amax = int(arr.min()), int(arr.max())
        if amin < lo or amax > hi:
            raise ValueError(
                f"{name}: expected values in [{lo}, {hi}], got values in [{amin}, {amax}]"
            )
    return arr


def int_array(name: str, x: Any, lo: int, hi: int) -> np.ndarray:
    """``x`` as an int64 array after checking it is integer-typed with every value in [lo, hi]."""
    return checked(name, x, lo, hi).astype(np.int64, copy=False)


def signed_array(name: str, x: Any, bits: int, as_int64: bool = True) -> np.ndarray:
    """``x`` checked as a signed ``bits``-bit integer array, returned as int64 (or as it came)."""
    lo, hi = signed_range(bits)
    arr = checked(f"{name} (int{bits})", x, lo, hi)
    return arr.astype(np.int64, copy=False) if as_int64 else arr


def unsigned_array(name: str, x: Any, bits: int) -> np.ndarray:
    """``x`` checked as an unsigned ``bits``-bit integer array, returned as int64."""
    lo, hi = unsigned_range(bits)
    return int_array(f"{name} (uint{bits})", x, lo, hi)


def int_scalar(name: str, x: Any, lo: int, hi: int) -> int:
    """``x`` as a Python int after checking it is an integer (not bool) in [lo, hi]."""
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, (int, np.integer)):
        raise TypeError(f"{name}: expected an integer, got {type(x).__name__} {x!r}")
    v = int(x)
    if v < lo or v > hi:
        raise ValueError(f"{name}: expected an integer in [{lo}, {hi}], got {v}")
    return v


def per_channel(name: str, x: Any, channels: int, lo: int, hi: int) -> np.ndarray:
    """A scalar or a (channels,) vector, checked to [lo, hi], as int64 (scalar -> 0-d array)."""
    arr = int_array(name, x, lo, hi)
    if arr.ndim == 0 or arr.shape == (channels,):
        return arr
    raise ValueError(f"{name}: expected a scalar or shape ({channels},), got shape {arr.shape}")


def row_length(name: str, arr: np.ndarray, lo: int, hi: int) -> int:
    """Length of the last axis of ``arr``, checked to [lo, hi]."""
    if arr.ndim < 1:
        raise ValueError(f"{name}: expected at least one axis (rows), got a scalar")
    n = arr.shape[-1]
    if n < lo or n > hi:
        raise ValueError(f"{name}: expected a row length in [{lo}, {hi}], got {n}")
    return n


def saturate(x: np.ndarray, bits: int) -> np.ndarray:
    """Clamp int64 ``x`` to the signed ``bits``-bit range (saturation, never wrap-around)."""
    lo, hi = signed_range(bits)
    return np.clip(x, lo, hi)


def signed_dtype(bits: int) -> type[np.signedinteger]:
    """The narrowest numpy signed dtype holding ``bits`` bits."""
    for dt in (np.int8, np.int16, np.int32, np.int64):
        if bits <= np.iinfo(dt).bits:
            return dt
    raise ValueError(f"no numpy signed dtype holds {bits} bits")
