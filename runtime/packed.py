"""
Inputs the compiled code reads packed: a contraction's weight (`pack-weights`).

The lowered entry marks such an argument `mlc.packed = {nr, n}` and types it
`memref<ceil(N/nr) x K x nr>` (docs/gemm.md); the user's signature keeps the
weight's own shape. `CompiledModule` packs a bound parameter once, at `bind`
(`support/packing.py`), and an input passed to a call on every call; an
exported library's weights file holds the packed array (docs/deployment.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from xdsl.dialects import llvm
from xdsl.dialects.builtin import DictionaryAttr, IntegerAttr, MemRefType, ModuleOp
from xdsl.utils.hints import isa

from mlc.runtime.signature import Signature, TensorSpec, aligned_empty
from mlc.support.abi import PACKED_ATTR, TYPE_ATTR
from mlc.support.packing import PACKED_RANKS, pack_weight

Array = np.ndarray[Any, Any]


@dataclass(frozen=True)
class Packing:
    """How one input is packed: panel width and which dimension is `n`."""

    nr: int
    n_dim: int
    shape: tuple[int, ...]
    """The packed shape the native code reads."""

    def pack(self, array: Array) -> Array:
        """`array` (checked against the user's spec) packed, 64-byte aligned."""
        out = aligned_empty(self.shape, array.dtype)
        return pack_weight(array, self.nr, self.n_dim, out)


def read_packing(module: ModuleOp, signature: Signature) -> tuple[Packing | None, ...]:
    """Per input of the lowered entry: its packing, or None."""
    packing: list[Packing | None] = [None] * len(signature.inputs)
    for op in module.ops:
        if not isinstance(op, llvm.FuncOp) or op.sym_name.data != signature.entry:
            continue
        attrs = op.arg_attrs.data if op.arg_attrs is not None else ()
        for index, (spec, entry) in enumerate(zip(signature.inputs, attrs)):
            found = _packing(entry, spec)
            packing[index] = found
    return tuple(packing)


def _packing(attrs: DictionaryAttr, spec: TensorSpec) -> Packing | None:
    packed, type_ = attrs.data.get(PACKED_ATTR), attrs.data.get(TYPE_ATTR)
    if not isinstance(packed, DictionaryAttr) or not isa(type_, MemRefType):
        return None
    nr, n_dim = packed.data.get("nr"), packed.data.get("n")
    if not isinstance(nr, IntegerAttr) or not isinstance(n_dim, IntegerAttr):
        return None
    shape = tuple(type_.get_shape())
    if shape == spec.shape or len(spec.shape) not in PACKED_RANKS:
        return None  # no weight's own type recorded: passed as it is
    return Packing(nr.value.data, n_dim.value.data, shape)


def native_inputs(
    signature: Signature,
    packing: Sequence[Packing | None],
    bound: Mapping[str, Array],
) -> dict[str, Array]:
    """The bound inputs as the native code reads them (packed where marked)."""
    native = dict(bound)
    for spec, packed in zip(signature.inputs, packing, strict=True):
        if packed is not None and spec.name in native:
            native[spec.name] = packed.pack(native[spec.name])
    return native


def native_signature(
    signature: Signature, packing: Sequence[Packing | None]
) -> Signature:
    """`signature` with each packed input's packed shape (the C ABI's)."""
    inputs = tuple(
        spec if packed is None else replace(spec, shape=packed.shape)
        for spec, packed in zip(signature.inputs, packing, strict=True)
    )
    return replace(signature, inputs=inputs)


__all__ = ["Packing", "native_inputs", "native_signature", "read_packing"]
