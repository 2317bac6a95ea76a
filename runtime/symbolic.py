"""
Symbolic signatures: inputs and outputs whose dimensions may be symbols.

A `SymbolicSpec` is a name, dims (a size, a named symbol such as `batch`, or
`?` for an unnamed dimension) and a numpy dtype; a `SymbolicSignature` the
entry's inputs and outputs. `ir_signature` reads one from a graph- or
tensor-level entry (`tensor<?x4xf32>`). The checks a call runs before any
compilation live here too: `as_array` (dtype, rank) and `bind_dims` (fixed
dimensions, one value per named symbol); `resolve_shapes` checks shapes
given up front (`input_shapes`), and `unshaped_inputs` says which input
still needs one and how to give it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import numpy as np
from xdsl.dialects import func
from xdsl.dialects.builtin import DYNAMIC_INDEX, ModuleOp, TensorType
from xdsl.ir import Attribute
from xdsl.utils.hints import isa

from mlc.runtime.signature import (
    CompileError,
    InputError,
    dtype_of,
    function_op,
)
from mlc.runtime.signature import (
    _unique as unique_names,  # pyright: ignore[reportPrivateUsage]
)

if TYPE_CHECKING:
    pass


Array = np.ndarray[Any, Any]
Dim = int | str
"""A dimension: a size, or a symbol (`'batch'`; `'?'` for an unnamed one)."""
Shapes = Mapping[str, Sequence[int]]
"""Concrete shapes by input name."""


ANONYMOUS = "?"

# --------------------------------------------------------------------------- #
# Symbolic signatures
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class SymbolicSpec:
    """An input or output whose dimensions may be symbols."""

    name: str
    dims: tuple[Dim, ...]
    dtype: np.dtype[Any]

    @property
    def is_static(self) -> bool:
        return all(isinstance(d, int) for d in self.dims)

    def __str__(self) -> str:
        return f"{self.name}: {describe(self.dims, self.dtype)}"


@dataclass(frozen=True)
class SymbolicSignature:
    """An entry's inputs and outputs with symbolic dimensions, in ABI order."""

    entry: str
    inputs: tuple[SymbolicSpec, ...]
    outputs: tuple[SymbolicSpec, ...]

    @property
    def is_static(self) -> bool:
        return all(spec.is_static for spec in self.inputs)

    def __str__(self) -> str:
        inputs = ", ".join(map(str, self.inputs))
        outputs = ", ".join(map(str, self.outputs))
        return f"@{self.entry}({inputs}) -> ({outputs})"


def describe(dims: Sequence[Dim], dtype: np.dtype[Any]) -> str:
    """`batchx3xfloat32`, as `Signature` prints a static shape."""
    text = "x".join(map(str, dims))
    return f"{text}x{dtype}" if text else str(dtype)


def _dims_of(type_: Attribute) -> tuple[Dim, ...]:
    assert isa(type_, TensorType[Attribute])
    return tuple(ANONYMOUS if d == DYNAMIC_INDEX else d for d in type_.get_shape())


def ir_signature(module: ModuleOp, entry: str) -> SymbolicSignature | None:
    """
    The symbolic signature of a tensor-level `func.func` entry, else None.

    None for an entry below the tensor level (memrefs, llvm.func), whose
    signature `read_signature` reads and whose dynamic shapes it refuses.
    """
    op = function_op(module, entry)
    if not isinstance(op, func.FuncOp):
        return None
    types = [*op.function_type.inputs.data, *op.function_type.outputs.data]
    if not all(isa(t, TensorType[Attribute]) for t in types):
        return None
    block = op.body.blocks.first
    assert block is not None
    names = unique_names([a.name_hint or f"arg{i}" for i, a in enumerate(block.args)])
    inputs = tuple(
        _ir_spec(entry, name, type_)
        for name, type_ in zip(names, op.function_type.inputs.data, strict=True)
    )
    outputs = tuple(
        _ir_spec(entry, _result_name(op, i), type_)
        for i, type_ in enumerate(op.function_type.outputs.data)
    )
    return SymbolicSignature(entry, inputs, outputs)


def _result_name(op: func.FuncOp, index: int) -> str:
    from mlc.support.abi import NAME_ATTR

    if op.res_attrs is not None:
        name = op.res_attrs.data[index].data.get(NAME_ATTR)
        if name is not None and hasattr(name, "data"):
            return str(cast(Any, name).data)
    return f"out{index}"


def _ir_spec(entry: str, name: str, type_: Attribute) -> SymbolicSpec:
    assert isa(type_, TensorType[Attribute])
    try:
        dtype = dtype_of(type_.get_element_type())
    except CompileError as error:
        raise CompileError(f"@{entry}: argument '{name}': {error}") from error
    return SymbolicSpec(name, _dims_of(type_), dtype)


# --------------------------------------------------------------------------- #
# Checking arguments against symbolic specs
# --------------------------------------------------------------------------- #


def as_array(spec: SymbolicSpec, value: object, what: str) -> Array:
    """`value` as an array of `spec`'s dtype and rank (dims are checked apart)."""
    if isinstance(value, np.ndarray):
        array = cast(Array, value)
    else:
        try:
            array = cast(Array, np.asarray(value))
        except (ValueError, TypeError) as error:
            raise InputError(
                f"{what}: expected an array {describe(spec.dims, spec.dtype)}, got "
                f"{type(value).__name__} ({error})"
            ) from error
        if array.dtype != spec.dtype and np.can_cast(
            array.dtype, spec.dtype, "same_kind"
        ):
            array = array.astype(spec.dtype)
    if array.dtype != spec.dtype or array.ndim != len(spec.dims):
        raise InputError(
            f"{what}: expected shape ({', '.join(map(str, spec.dims))}) and dtype "
            f"{spec.dtype}, got shape {array.shape} and dtype {array.dtype}"
        )
    return array


def bind_dims(
    spec: SymbolicSpec,
    shape: tuple[int, ...],
    what: str,
    symbols: dict[str, tuple[int, str]],
) -> None:
    """
    Check `shape` against `spec`'s fixed dimensions and named symbols.

    `symbols` maps each named symbol seen so far to its value and where it
    was set; a second input giving `batch` another value is an `InputError`.
    """
    for axis, (dim, size) in enumerate(zip(spec.dims, shape, strict=True)):
        if isinstance(dim, int):
            if dim != size:
                raise InputError(
                    f"{what}: expected shape ({', '.join(map(str, spec.dims))}), got "
                    f"{shape} (dimension {axis} is fixed at {dim})"
                )
        elif dim != ANONYMOUS:
            seen = symbols.setdefault(dim, (size, spec.name))
            if seen[0] != size:
                raise InputError(
                    f"{what}: dimension {axis} is '{dim}', which is {seen[0]} in "
                    f"'{seen[1]}', got {size}"
                )


# --------------------------------------------------------------------------- #
# Fixing shapes up front
# --------------------------------------------------------------------------- #


def resolve_shapes(
    signature: SymbolicSignature, input_shapes: Shapes | None, name: str
) -> dict[str, tuple[int, ...]]:
    """
    `input_shapes`, checked against `signature` (names, ranks, fixed dims).

    Raises a `CompileError` naming the source for an unknown input, a wrong
    rank or a size that contradicts a fixed dimension.
    """
    shapes: dict[str, tuple[int, ...]] = {}
    specs = {spec.name: spec for spec in signature.inputs}
    for input_name, shape in (input_shapes or {}).items():
        spec = specs.get(input_name)
        if spec is None:
            listed = ", ".join(specs) or "none"
            raise CompileError(
                f"{name}: error: input_shapes names '{input_name}', which is no "
                f"input of @{signature.entry} (inputs: {listed})"
            )
        try:
            concrete = tuple(int(d) for d in shape)
        except (TypeError, ValueError):
            concrete = None
        if concrete is None or any(d < 0 for d in concrete):
            raise CompileError(
                f"{name}: error: input_shapes['{input_name}'] must be a sequence of "
                f"sizes >= 0, got {shape!r}"
            )
        why = None
        if len(concrete) != len(spec.dims):
            why = f"rank {len(concrete)}, the input's is {len(spec.dims)}"
        else:
            fixed = [
                (axis, dim)
                for axis, (dim, size) in enumerate(zip(spec.dims, concrete))
                if isinstance(dim, int) and dim != size
            ]
            if fixed:
                why = f"dimension {fixed[0][0]} is fixed at {fixed[0][1]}"
        if why is not None:
            raise CompileError(
                f"{name}: error: input_shapes['{input_name}'] = {concrete} does not "
                f"fit '{spec}' ({why})"
            )
        shapes[input_name] = concrete
    return shapes


def fix_signature(
    signature: SymbolicSignature, shapes: Mapping[str, tuple[int, ...]]
) -> SymbolicSignature:
    """`signature` with the given inputs' dims replaced by their shapes."""
    inputs = tuple(
        SymbolicSpec(s.name, shapes[s.name], s.dtype) if s.name in shapes else s
        for s in signature.inputs
    )
    return SymbolicSignature(signature.entry, inputs, signature.outputs)


def unshaped_inputs(
    signature: SymbolicSignature, given: Mapping[str, object] | None, flag: str
) -> str | None:
    """
    Why `signature` cannot be compiled without more shapes, else None.

    Names the first input with a symbolic dimension that `given` does not
    fix, and how `flag` (`--input-shape`, `input_shapes`) would fix it.
    """
    for spec in signature.inputs:
        if spec.is_static or spec.name in (given or {}):
            continue
        symbol = next(d for d in spec.dims if isinstance(d, str))
        example = "x".join("D" if isinstance(d, str) else str(d) for d in spec.dims)
        how = (
            f"--input-shape {spec.name}={example}"
            if flag.startswith("--")
            else f"{flag}={{'{spec.name}': ({example.replace('x', ', ')})}}"
        )
        return (
            f"input '{spec.name}' ({describe(spec.dims, spec.dtype)}) has a symbolic "
            f"dimension '{symbol}'; give its shape with {how}"
        )
    return None


__all__ = [
    "ANONYMOUS",
    "Array",
    "Dim",
    "Shapes",
    "SymbolicSignature",
    "SymbolicSpec",
    "as_array",
    "bind_dims",
    "describe",
    "fix_signature",
    "ir_signature",
    "resolve_shapes",
    "unshaped_inputs",
]
