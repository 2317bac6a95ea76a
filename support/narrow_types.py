"""
The narrow element types mlc carries as bytes: 8-, 4- and 2-bit floats and
4- and 2-bit integers (ONNX `FLOAT8E4M3FN` ... `UINT2`), none of them a graph
dialect type.

Inside a graph such a value is a `ui8` tensor of its one-byte storage, as
ml_dtypes holds one element per byte: a float's bit pattern in the low bits, an
integer's two's complement low bits (`int4` -1 is `0x0F`). Only conversions
(the ONNX importer's Cast, CastLike, QuantizeLinear, DequantizeLinear) and data
movement read them. At the ABI a graph input or output of a narrow type is that
byte; the entry's argument or result attribute `mlc.dtype` (`DTYPE_ATTR`) names
the ml_dtypes type the runtime accepts and returns, viewing the bytes.

`NarrowFormat` describes one type: its ml_dtypes dtype and, for floats, the
parameters of rounding to it (`frontend/onnx/narrow.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ml_dtypes
import numpy as np

STORAGE = np.dtype(np.uint8)
"""The graph element type that carries every narrow type: its storage byte."""


@dataclass(frozen=True)
class NarrowFormat:
    """
    A narrow type: `name` (ml_dtypes'), `bits`, and for floats the mantissa
    bits, the exponent bias, the largest finite magnitude code, and what an
    overflow or a NaN becomes.
    """

    name: str
    bits: int
    is_float: bool
    mantissa: int = 0
    bias: int = 0
    max_code: int = 0
    """The largest finite magnitude (the code without the sign bit)."""
    inf_code: int | None = None
    """The infinity's magnitude code; None: an overflow is NaN (or saturates)."""
    nan_code: int = 0
    """NaN's magnitude code, its sign kept (FNUZ: NaN is the lone `0x80`)."""
    fnuz: bool = False
    """No negative zero; the one NaN is `0x80`."""
    always_saturates: bool = False
    """No infinity and no NaN to overflow to: overflow gives ±max."""

    @property
    def dtype(self) -> np.dtype[Any]:
        return np.dtype(getattr(ml_dtypes, self.name))

    @property
    def signed(self) -> bool:
        return self.is_float or not self.name.startswith("u")

    def decode_table(self, dtype: np.dtype[Any]) -> np.ndarray[Any, Any]:
        """Each of the 256 bytes read as this type, then converted to `dtype`."""
        every = np.arange(256, dtype=STORAGE).view(self.dtype)
        with np.errstate(over="ignore", invalid="ignore"):  # to inf, NaN to int
            return every.astype(dtype)


FORMATS: tuple[NarrowFormat, ...] = (
    NarrowFormat("float8_e4m3fn", 8, True, 3, 7, 0x7E, None, 0x7F),
    NarrowFormat("float8_e4m3fnuz", 8, True, 3, 8, 0x7F, None, 0, fnuz=True),
    NarrowFormat("float8_e5m2", 8, True, 2, 15, 0x7B, 0x7C, 0x7E),
    NarrowFormat("float8_e5m2fnuz", 8, True, 2, 16, 0x7F, None, 0, fnuz=True),
    NarrowFormat("float8_e8m0fnu", 8, True, 0, 127, 0xFE, None, 0xFF),
    NarrowFormat("float4_e2m1fn", 4, True, 1, 1, 0x7, None, 0, always_saturates=True),
    NarrowFormat("int4", 4, False),
    NarrowFormat("uint4", 4, False),
    NarrowFormat("int2", 2, False),
    NarrowFormat("uint2", 2, False),
)

BY_NAME = {f.name: f for f in FORMATS}


def narrow_format(dtype: np.dtype[Any]) -> NarrowFormat | None:
    """The narrow format of an ml_dtypes dtype, else None."""
    return BY_NAME.get(dtype.name) if dtype.isbuiltin != 1 else None


def narrow_dtype(name: str) -> np.dtype[Any] | None:
    """The ml_dtypes dtype of a narrow type's name (`DTYPE_ATTR`), else None."""
    found = BY_NAME.get(name)
    return None if found is None else found.dtype
