"""The register map's building blocks (the map itself is generated into :mod:`host.accel.regmap`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    """A bit field: ``width`` bits from ``lsb``; ``access`` is r, w, rw, w1c (write 1 to clear) or
    pulse (write 1 to act, reads 0); ``reset`` its value after reset."""

    name: str
    lsb: int
    width: int
    access: str
    reset: int

    @property
    def mask(self) -> int:
        return ((1 << self.width) - 1) << self.lsb

    def get(self, word: int) -> int:
        return (word & self.mask) >> self.lsb


@dataclass(frozen=True)
class Register:
    """A 32-bit register at byte ``offset`` and its fields."""

    name: str
    offset: int
    fields: tuple[Field, ...]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name}: no field {name!r} (fields: {', '.join(f.name for f in self.fields)})")

    @property
    def reset(self) -> int:
        return sum(f.reset << f.lsb for f in self.fields)

    def pack(self, **values: int) -> int:
        """The word with each named field set (others zero); a value too wide raises ValueError."""
        word = 0
        for name, v in values.items():
            f = self.field(name)
            if not 0 <= int(v) < 1 << f.width:
                raise ValueError(f"{self.name}.{name}: expected 0..{(1 << f.width) - 1}, got {v}")
            word |= int(v) << f.lsb
        return word

    def unpack(self, word: int) -> dict[str, int]:
        return {f.name: f.get(word) for f in self.fields}
