"""
What a compiled entry function takes and returns, and the checks on its inputs.

A `Signature` is read from the entry function at the level the user wrote it:
tensor arguments and results (graph and tensor levels), or memref arguments
with the trailing outputs marked `mlc.out` (loop level), or the pointer
arguments of an `llvm.func` that declare the memref they point to with an
`mlc.type = memref<...>` attribute (and `mlc.out`). Each becomes a
`TensorSpec` of a name (the argument's SSA name, `arg<i>` without one; outputs
of a tensor function are `out<i>`), a static shape and a numpy dtype. The
native ABI (docs/architecture.md, "Runtime contract") takes one pointer per
spec: the inputs, then the outputs, each C-contiguous, at any address (no
alignment is promised), none overlapping an output.

`check_array` is the gate in front of native code: every argument is checked
against its spec and a mismatch is an `InputError` naming the argument, what
was expected and what was given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
from xdsl.dialects import func, llvm
from xdsl.dialects.builtin import (
    DYNAMIC_INDEX,
    ArrayAttr,
    BFloat16Type,
    DictionaryAttr,
    Float16Type,
    Float32Type,
    Float64Type,
    IndexType,
    IntegerType,
    MemRefType,
    ModuleOp,
    Signedness,
    StringAttr,
    TensorType,
    i64,
)
from xdsl.ir import Attribute
from xdsl.utils.hints import isa

from mlc.dialects.graph.base import BFLOAT16
from mlc.support.abi import (
    ALIGNMENT,
    DTYPE_ATTR,
    NAME_ATTR,
    OUT_ATTR,
    PACKED_ATTR,
    TYPE_ATTR,
)
from mlc.support.narrow_types import STORAGE, narrow_dtype

Array = np.ndarray[Any, Any]

# The loop level marks outputs with OUT_ATTR; convert-func-to-llvm keeps it and
# records each public pointer argument's memref type as TYPE_ATTR.


class InputError(ValueError):
    """An argument that does not match the compiled function's signature."""


class CompileError(Exception):
    """A one-line reason why a source could not be compiled."""


class OutOfMemoryError(MemoryError):
    """A compiled call that could not allocate a buffer; names its size."""

    def __init__(self, entry: str, nbytes: int) -> None:
        super().__init__(
            f"@{entry}: out of memory: could not allocate a buffer of {nbytes} "
            f"bytes ({nbytes / 2**30:.3g} GiB)"
        )
        self.nbytes = nbytes


@dataclass(frozen=True)
class TensorSpec:
    """One argument or result of a compiled function."""

    name: str
    shape: tuple[int, ...]
    dtype: np.dtype[Any]

    def __str__(self) -> str:
        return f"{self.name}: {_describe(self.shape, self.dtype)}"


@dataclass(frozen=True)
class Signature:
    """The entry function's inputs and outputs, in ABI order."""

    entry: str
    inputs: tuple[TensorSpec, ...]
    outputs: tuple[TensorSpec, ...]

    def __str__(self) -> str:
        inputs = ", ".join(map(str, self.inputs))
        outputs = ", ".join(map(str, self.outputs))
        return f"@{self.entry}({inputs}) -> ({outputs})"


# --------------------------------------------------------------------------- #
# Reading the signature
# --------------------------------------------------------------------------- #


def dtype_of(element_type: Attribute) -> np.dtype[Any]:
    """The numpy dtype of an element type (`i1` bool, `uiN` unsigned, ...)."""
    match element_type:
        case BFloat16Type():
            return BFLOAT16
        case Float16Type():
            return np.dtype(np.float16)
        case Float32Type():
            return np.dtype(np.float32)
        case Float64Type():
            return np.dtype(np.float64)
        case IndexType():
            return np.dtype(np.int64)
        case IntegerType() if element_type.width.data == 1:
            return np.dtype(np.bool_)
        case IntegerType() if element_type.width.data in (8, 16, 32, 64):
            unsigned = element_type.signedness.data == Signedness.UNSIGNED
            return np.dtype(f"{'u' if unsigned else ''}int{element_type.width.data}")
        case _:
            raise CompileError(f"element type {element_type} is not supported")


def public_functions(module: ModuleOp) -> list[str]:
    """The names of the module's public functions that have a body."""
    names: list[str] = []
    for op in module.ops:
        if isinstance(op, func.FuncOp) and not op.is_declaration:
            if op.sym_visibility is None or op.sym_visibility.data == "public":
                names.append(op.sym_name.data)
        elif isinstance(op, llvm.FuncOp) and op.body.blocks:
            if op.linkage.linkage.data == "external":
                names.append(op.sym_name.data)
    return names


def choose_entry(module: ModuleOp, entry: str | None) -> str:
    """`entry` if the module has that public function, else its only one."""
    names = public_functions(module)
    if entry is not None:
        if entry not in names:
            available = ", ".join(f"@{n}" for n in names) or "none"
            raise CompileError(
                f"no public function @{entry} in the module (public: {available})"
            )
        return entry
    if not names:
        raise CompileError("the module has no public function to compile")
    if len(names) > 1:
        listed = ", ".join(f"@{n}" for n in names)
        raise CompileError(
            f"the module has several public functions ({listed}); choose one "
            "with entry=..."
        )
    return names[0]


def read_signature(module: ModuleOp, entry: str) -> Signature:
    """The signature of public function `entry` at its level."""
    op = function_op(module, entry)
    block = op.body.blocks.first
    assert block is not None
    names = _unique([arg.name_hint or f"arg{i}" for i, arg in enumerate(block.args)])
    inputs: list[TensorSpec] = []
    outputs: list[TensorSpec] = []
    for index, (name, type_) in enumerate(zip(names, op.function_type.inputs.data)):
        attrs = _arg_attrs(op.arg_attrs, index)
        if isinstance(op, llvm.FuncOp):
            type_ = _declared_type(entry, name, attrs)
        packed = attrs.get(PACKED_ATTR)  # stored packed: the weight's own type
        if isinstance(packed, DictionaryAttr) and "type" in packed.data:
            type_ = packed.data["type"]
        spec = _narrow(entry, _spec(entry, name, type_), attrs)
        is_out = OUT_ATTR in attrs
        if is_out and not isinstance(type_, MemRefType):
            raise CompileError(f"@{entry}: '{name}' is marked {OUT_ATTR} but no memref")
        if outputs and not is_out:
            raise CompileError(
                f"@{entry}: input '{name}' follows an {OUT_ATTR} output (outputs "
                "must be the trailing arguments)"
            )
        (outputs if is_out else inputs).append(spec)
    results = () if isinstance(op, llvm.FuncOp) else op.function_type.outputs.data
    for index, type_ in enumerate(results):
        if not isa(type_, TensorType[Attribute]):
            raise CompileError(
                f"@{entry}: result #{index} has type {type_}; only tensor results "
                "are supported"
            )
        spec = _spec(entry, _result_name(op, index), type_)
        outputs.append(_narrow(entry, spec, _result_attrs(op, index)))
    return Signature(entry, tuple(inputs), tuple(outputs))


def _result_name(op: func.FuncOp | llvm.FuncOp, index: int) -> str:
    """A result's `mlc.name` (an imported model's output name), else `out<i>`."""
    res_attrs = op.res_attrs if isinstance(op, func.FuncOp) else None
    if res_attrs is not None:
        name = res_attrs.data[index].data.get(NAME_ATTR)
        if isinstance(name, StringAttr):
            return name.data
    return f"out{index}"


def _result_attrs(op: func.FuncOp | llvm.FuncOp, index: int) -> dict[str, Attribute]:
    res_attrs = op.res_attrs if isinstance(op, func.FuncOp) else None
    return {} if res_attrs is None else dict(res_attrs.data[index].data)


def _narrow(entry: str, spec: TensorSpec, attrs: dict[str, Attribute]) -> TensorSpec:
    """
    A `ui8` argument or result marked `mlc.dtype`: the narrow type (ml_dtypes)
    whose storage bytes it holds, which the caller passes and gets back.
    """
    name = attrs.get(DTYPE_ATTR)
    if name is None:
        return spec
    dtype = narrow_dtype(name.data) if isinstance(name, StringAttr) else None
    if dtype is None or spec.dtype != STORAGE:
        raise CompileError(
            f"@{entry}: '{spec.name}' has {DTYPE_ATTR} = {name}, expected the name "
            "of a narrow type (float8_e4m3fn, int4, ...) on a ui8 tensor"
        )
    return TensorSpec(spec.name, spec.shape, dtype)


def _unique(names: list[str]) -> list[str]:
    """
    The names, a repeat suffixed `_1`, `_2`, ... as xDSL prints it.

    xDSL drops a trailing `_<digits>` from a parsed name (`%w_1` is `w`), so
    two arguments may share one; inputs bind by name, so each must be unique.
    """
    taken = set(names)
    unique: list[str] = []
    for name in names:
        if name in unique:
            count = 1
            while f"{name}_{count}" in taken or f"{name}_{count}" in unique:
                count += 1
            name = f"{name}_{count}"
        unique.append(name)
    return unique


def function_op(module: ModuleOp, name: str) -> func.FuncOp | llvm.FuncOp:
    """The `func.func` or `llvm.func` named `name`."""
    for op in module.ops:
        if isinstance(op, func.FuncOp | llvm.FuncOp) and op.sym_name.data == name:
            return op
    raise CompileError(f"no function @{name} in the module")


def _arg_attrs(
    arg_attrs: ArrayAttr[DictionaryAttr] | None, index: int
) -> dict[str, Attribute]:
    if arg_attrs is None:
        return {}
    return dict(arg_attrs.data[index].data)


def _declared_type(entry: str, name: str, attrs: dict[str, Attribute]) -> Attribute:
    """An llvm.func's pointer argument's memref type, from its `mlc.type`."""
    type_ = attrs.get(TYPE_ATTR)
    if type_ is None:
        raise CompileError(
            f"@{entry} is an llvm.func and its argument '{name}' has no "
            f"{TYPE_ATTR} attribute (a pointer carries no shape)"
        )
    return type_


def _spec(entry: str, name: str, type_: Attribute) -> TensorSpec:
    if not (isa(type_, TensorType[Attribute]) or isa(type_, MemRefType[Attribute])):
        raise CompileError(
            f"@{entry}: argument '{name}' has type {type_}; only tensors (or "
            "memrefs) are supported"
        )
    shape = tuple(type_.get_shape())
    if DYNAMIC_INDEX in shape:
        raise CompileError(
            f"@{entry}: argument '{name}' has a dynamic shape ({type_}); only "
            "static shapes are supported"
        )
    element_type: Attribute = type_.get_element_type()
    try:
        dtype = dtype_of(element_type)
    except CompileError as error:
        raise CompileError(f"@{entry}: argument '{name}': {error}") from error
    return TensorSpec(name, shape, dtype)


# --------------------------------------------------------------------------- #
# Checking arguments
# --------------------------------------------------------------------------- #


def aligned_empty(shape: Sequence[int], dtype: np.dtype[Any]) -> Array:
    """An uninitialized C-contiguous array whose data is 64-byte aligned."""
    nbytes = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    raw = np.empty(nbytes + ALIGNMENT, dtype=np.uint8)
    start = -raw.ctypes.data % ALIGNMENT
    return raw[start : start + nbytes].view(dtype).reshape(shape)


def raw_bits(array: Array) -> Array:
    """An array of an ml_dtypes type (bf16, the narrow types) as unsigned ints."""
    return array.view(np.dtype(f"uint{array.itemsize * 8}"))


def is_aligned(array: Array) -> bool:
    return array.ctypes.data % ALIGNMENT == 0


def check_array(spec: TensorSpec, value: object, what: str) -> Array:
    """
    `value` as an array native code may read for `spec`, else an `InputError`.

    An ndarray must match exactly (dtype, shape, C-contiguous); a scalar or
    list is converted with `np.asarray` when that is a same-kind cast. The
    result is `value` itself when it is an ndarray (used in place, at any
    address: inputs need no alignment), else the converted array.
    A masked array is refused: native code would read the masked elements.
    """
    if isinstance(value, np.ma.MaskedArray):
        raise InputError(
            f"{what}: a masked array (native code has no mask; pass "
            "np.ma.filled(value, fill) or value.data)"
        )
    if isinstance(value, np.ndarray):
        array = cast(Array, value)
    else:
        array = _converted(spec, value, what)
    if array.dtype != spec.dtype or array.shape != spec.shape:
        raise InputError(
            f"{what}: expected shape {spec.shape} and dtype {spec.dtype}, got "
            f"shape {array.shape} and dtype {array.dtype}"
        )
    if not array.flags.c_contiguous:
        raise InputError(
            f"{what}: expected a C-contiguous array, got strides {array.strides} "
            "(use np.ascontiguousarray)"
        )
    return array


def check_output(spec: TensorSpec, value: object, what: str) -> Array:
    """
    `value` as an array native code may write for output `spec` (`out=`).

    It must be an ndarray of exactly `spec`'s dtype and shape, C-contiguous
    and writeable, else an `InputError`; it may have any address.
    """
    if not isinstance(value, np.ndarray):
        raise InputError(
            f"{what}: expected an array {_describe(spec.shape, spec.dtype)} to "
            f"write, got {type(value).__name__}"
        )
    array = check_array(spec, cast(Array, value), what)
    if not array.flags.writeable:
        raise InputError(f"{what}: the array is read-only")
    return array


def _converted(spec: TensorSpec, value: object, what: str) -> Array:
    try:
        array = cast(Array, np.asarray(value))
    except (ValueError, TypeError) as error:
        raise InputError(
            f"{what}: expected an array {_describe(spec.shape, spec.dtype)}, got "
            f"{type(value).__name__} ({error})"
        ) from error
    if array.dtype != spec.dtype and np.can_cast(array.dtype, spec.dtype, "same_kind"):
        return array.astype(spec.dtype)
    if array.dtype == object:
        raise InputError(
            f"{what}: expected an array {_describe(spec.shape, spec.dtype)}, got "
            f"{type(value).__name__}"
        )
    return array


def _describe(shape: tuple[int, ...], dtype: np.dtype[Any]) -> str:
    dims = "x".join(map(str, shape))
    return f"{dims}x{dtype}" if dims else f"{dtype}"


def check_entry_abi(module: ModuleOp, signature: Signature) -> bool:
    """
    The lowered entry takes one pointer per input and output, and returns
    void or an `i64` status; True for the status.
    """
    for op in module.ops:
        if isinstance(op, llvm.FuncOp) and op.sym_name.data == signature.entry:
            inputs = op.function_type.inputs.data
            count = len(signature.inputs) + len(signature.outputs)
            pointers = all(isinstance(t, llvm.LLVMPointerType) for t in inputs)
            if len(inputs) != count or not pointers:
                raise CompileError(
                    f"@{signature.entry}: the lowered function takes "
                    f"({', '.join(map(str, inputs))}), expected {count} pointers "
                    "(inputs, then outputs)"
                )
            output = op.function_type.output
            if isinstance(output, llvm.LLVMVoidType):
                return False
            if output != i64:
                raise CompileError(
                    f"@{signature.entry}: the lowered function returns {output}, "
                    "expected void or an i64 status"
                )
            return True
    raise CompileError(f"@{signature.entry} is missing after lowering")
