"""
The models `mlc.runtime.specialize` compiles per input shape, and how.

A `ShapeSource` has a name, a `SymbolicSignature` and `build(shapes,
options)`, the `CompiledModule` for concrete shapes: graph-level IR has its
entry's argument types replaced and every graph op's result type re-inferred
(`retype_entry`), then verified; an ONNX model is imported again with the
shapes as `input_shapes` (its `Shape` chains fold for them); a PyTorch
module is imported again with example inputs of the shapes. A shape the
model refuses is an `InputError`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, cast

from xdsl.dialects import arith, func
from xdsl.dialects.builtin import FunctionType, ModuleOp, TensorType
from xdsl.ir import Attribute, SSAValue
from xdsl.utils.exceptions import VerifyException

from mlc.dialects.graph.base import GraphOp
from mlc.runtime.signature import (
    CompileError,
    InputError,
    function_op,
)
from mlc.runtime.symbolic import (
    ANONYMOUS,
    Dim,
    SymbolicSignature,
    SymbolicSpec,
    ir_signature,
)

if TYPE_CHECKING:
    from onnx import ModelProto


class ShapeSource(ABC):
    """A model with symbolic input dims and how to compile it for given shapes."""

    name: str
    """How diagnostics name the model."""
    signature: SymbolicSignature
    """The inputs a variant takes (an imported model's parameters are bound)."""

    @abstractmethod
    def build(self, shapes: Mapping[str, tuple[int, ...]], options: Any) -> Any:
        """
        The `CompiledModule` for these shapes (every input named).

        `options` are `mlc.runtime.compiled`'s compile options (optimization
        level, threads, timer). An `InputError` when the model refuses the
        shapes.
        """


def static(options: Any) -> Any:
    """The compile options for a variant: its shapes are all given."""
    from dataclasses import replace

    return replace(options, input_shapes=None)


class IRSource(ShapeSource):
    """Graph-level IR: the entry re-typed and its result types re-inferred."""

    def __init__(
        self,
        module: ModuleOp,
        signature: SymbolicSignature,
        name: str,
    ) -> None:
        self.module = module
        self.signature = signature
        self.name = name

    def build(self, shapes: Mapping[str, tuple[int, ...]], options: Any) -> Any:
        from mlc.runtime.compiled import (
            _compile_module,  # pyright: ignore[reportPrivateUsage]
        )

        module = self.module.clone()
        retype_entry(module, self.signature, shapes, self.name)
        return _compile_module(module, self.signature.entry, static(options), self.name)


class OnnxSource(ShapeSource):
    """An ONNX model, imported anew with the shapes as `input_shapes`."""

    def __init__(self, proto: ModelProto, name: str, origin: str | None) -> None:
        self.proto = proto
        self.name = name
        # Imported from its path when it has one, so the importer's
        # diagnostics name the file.
        self.origin: str | ModelProto = proto if origin is None else origin
        self.signature = onnx_signature(proto)

    def build(self, shapes: Mapping[str, tuple[int, ...]], options: Any) -> Any:
        from mlc.frontend import UnsupportedModelError, import_onnx
        from mlc.runtime.compiled import (
            _compile_source,  # pyright: ignore[reportPrivateUsage]
        )

        try:
            imported = import_onnx(self.origin, dict(shapes))
        except UnsupportedModelError as error:
            raise InputError(
                f"@{self.signature.entry}: the inputs' shapes do not fit the model: "
                f"{error}"
            ) from None
        return _compile_source(imported, self.signature.entry, static(options))


class TorchSource(ShapeSource):
    """A PyTorch module, imported anew with example inputs of the shapes."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.name = "<model>"
        static = model.static
        full = ir_signature(static.module, static.entry)
        assert full is not None  # the importer writes graph-level tensors
        count = len(model.input_dims)
        inputs = tuple(
            SymbolicSpec(spec.name, dims, spec.dtype)
            for spec, dims in zip(full.inputs[:count], model.input_dims, strict=True)
        )
        outputs = tuple(
            SymbolicSpec(spec.name, dims, spec.dtype)
            for spec, dims in zip(full.outputs, model.output_dims, strict=True)
        )
        self.signature = SymbolicSignature(full.entry, inputs, outputs)

    def build(self, shapes: Mapping[str, tuple[int, ...]], options: Any) -> Any:
        from mlc.runtime.compiled import (
            _compile_source,  # pyright: ignore[reportPrivateUsage]
        )

        try:
            imported = self.model.specialize_import(shapes)
        except ValueError as error:  # UnsupportedModelError: torch refuses
            raise InputError(
                f"@{self.signature.entry}: the inputs' shapes do not fit the model: "
                f"{error}"
            ) from None
        return _compile_source(imported, self.signature.entry, static(options))


def onnx_signature(proto: ModelProto) -> SymbolicSignature:
    """The graph inputs (not initializers) and outputs, with their `dim_param`s."""
    import onnx

    from mlc.frontend.common import sanitize
    from mlc.frontend.onnx.importer import onnx_dtype

    initializers = {init.name for init in proto.graph.initializer}

    def spec(value: onnx.ValueInfoProto) -> SymbolicSpec:
        tensor = value.type.tensor_type
        dims: list[Dim] = []
        for dim in tensor.shape.dim:
            if dim.HasField("dim_value"):
                dims.append(int(dim.dim_value))
            else:
                dims.append(dim.dim_param or ANONYMOUS)
        return SymbolicSpec(value.name, tuple(dims), onnx_dtype(tensor.elem_type))

    inputs = tuple(spec(v) for v in proto.graph.input if v.name not in initializers)
    outputs = tuple(spec(v) for v in proto.graph.output)
    entry = sanitize(proto.graph.name) if proto.graph.name else "main"
    return SymbolicSignature(entry, inputs, outputs)


def retype_entry(
    module: ModuleOp,
    signature: SymbolicSignature,
    shapes: Mapping[str, tuple[int, ...]],
    name: str,
) -> None:
    """
    Give the entry's arguments `shapes` and re-infer its ops' result types.

    Graph ops infer their result type from their operands; `arith.constant`
    keeps its own; `func.return` sets the function's result types. Any other
    op whose operands changed type cannot be re-typed: a `CompileError`. A
    graph op whose inference refuses the shapes is an `InputError` (the
    inputs do not fit the model).
    """
    from mlc.support.verifier import verify_located

    op = function_op(module, signature.entry)
    assert isinstance(op, func.FuncOp)
    block = op.body.blocks.first
    assert block is not None
    changed: set[SSAValue] = set()
    for spec, arg in zip(signature.inputs, block.args, strict=True):
        type_ = cast(TensorType[Attribute], arg.type)
        new = TensorType(type_.get_element_type(), shapes[spec.name])
        if new != type_:
            # xDSL 0.74 gives SSAValue.type no setter; a block argument's type
            # is re-assigned in place so its uses need no rewriting.
            arg._type = new  # pyright: ignore[reportPrivateUsage, reportAttributeAccessIssue]
            changed.add(arg)
    results: list[Attribute] = list(op.function_type.outputs.data)
    for inner in block.ops:
        if not any(operand in changed for operand in inner.operands):
            continue
        if isinstance(inner, GraphOp):
            if _reinfer(inner, signature.entry):
                changed.add(inner.results[0])
        elif isinstance(inner, func.ReturnOp):
            results = [v.type for v in inner.arguments]
        elif not isinstance(inner, arith.ConstantOp):
            raise CompileError(
                f"{name}: error: '{inner.name}' in @{signature.entry} takes a value "
                "of symbolic shape; mlc specializes only graph-level entries"
            )
    op.function_type = FunctionType.from_lists([a.type for a in block.args], results)
    if errors := verify_located(module):
        raise InputError(
            f"@{signature.entry}: the inputs' shapes do not fit the model: "
            f"{errors[0].format(name)}"
        )


def _reinfer(op: GraphOp, entry: str) -> bool:
    """Re-infer a graph op's result type in place; whether it changed."""
    try:
        inferred = type(op).infer_result_type(
            op.operand_types_in_order(), op.inference_properties()
        )
    except VerifyException as error:
        raise InputError(
            f"@{entry}: the inputs' shapes do not fit the model: {error}"
        ) from None
    result: SSAValue = op.results[0]
    if inferred == result.type:
        return False
    # As for block arguments: xDSL 0.74's SSAValue.type has no setter.
    result._type = inferred  # pyright: ignore[reportPrivateUsage, reportAttributeAccessIssue]
    return True


__all__ = [
    "IRSource",
    "OnnxSource",
    "ShapeSource",
    "TorchSource",
    "onnx_signature",
    "retype_entry",
    "static",
]
