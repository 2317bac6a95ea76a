"""
The ONNX importer's driver: load and check a model, list every unsupported op
at once, read initializers and inputs, convert (or evaluate at import) node by
node, and build the entry function.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, cast

import numpy as np
import onnx
from xdsl.dialects import func
from xdsl.dialects.builtin import (
    ArrayAttr,
    DictionaryAttr,
    FileLineColLoc,
    IntAttr,
    LocationAttr,
    ModuleOp,
    NameLoc,
    StringAttr,
)
from xdsl.ir import Region, SSAValue
from xdsl.transforms.dead_code_elimination import region_dce
from xdsl.utils.exceptions import VerifyException

from mlc.dialects.graph.base import Array, Tensor
from mlc.frontend.common import (
    check_all_supported,
    check_elements,
    first_line,
    sanitize,
    tensor_type,
)
from mlc.frontend.model import ImportedModel, UnsupportedModelError

# The op-family modules fill CONVERTERS as they are imported.
from mlc.frontend.onnx import activation as activation
from mlc.frontend.onnx import attention as attention
from mlc.frontend.onnx import control as control
from mlc.frontend.onnx import conv_transpose as conv_transpose
from mlc.frontend.onnx import einsum as einsum
from mlc.frontend.onnx import elementwise as elementwise
from mlc.frontend.onnx import elementwise_math as elementwise_math
from mlc.frontend.onnx import flex_attention as flex_attention
from mlc.frontend.onnx import indexing as indexing
from mlc.frontend.onnx import logic as logic
from mlc.frontend.onnx import nn as nn
from mlc.frontend.onnx import normalization as normalization
from mlc.frontend.onnx import pooling as pooling
from mlc.frontend.onnx import quant as quant
from mlc.frontend.onnx import recurrent as recurrent
from mlc.frontend.onnx import reduction as reduction
from mlc.frontend.onnx import resample as resample
from mlc.frontend.onnx import rotary as rotary
from mlc.frontend.onnx import shape as shape
from mlc.frontend.onnx import spectral as spectral
from mlc.frontend.onnx import stateful as stateful
from mlc.frontend.onnx import window as window
from mlc.frontend.onnx.importer import (
    CONVERTERS,
    DEFAULT_DOMAINS,
    IMPORT_TIME_OPS,
    MAX_OPSET,
    MIN_OPSET,
    Importer,
    Node,
    Output,
    onnx_dtype,
    op_key,
    read_tensor,
    subgraph_reads,
)
from mlc.frontend.onnx.narrow import (
    check_narrow_inputs,
    mark_outputs,
    onnx_narrow,
    storage_array,
    type_name,
)
from mlc.frontend.onnx.versions import op_version, unsupported_form, upgrade
from mlc.support.abi import DTYPE_ATTR, NAME_ATTR
from mlc.support.narrow_types import STORAGE


def _default_opset(model: onnx.ModelProto) -> int:
    for entry in model.opset_import:
        if entry.domain in ("", "ai.onnx"):
            return int(entry.version)
    return MAX_OPSET


def foldable_nodes(model: onnx.ModelProto, known: Sequence[str] = ()) -> set[int]:
    """
    The nodes (by index) mlc has no converter for but whose inputs are all
    known at import time (initializers, constants, static shapes, `known`):
    onnx's reference implementation evaluates them at import.
    """
    return _foldable(model.graph, known)


def _foldable(graph: onnx.GraphProto, known: Iterable[str]) -> set[int]:
    constant = {init.name for init in graph.initializer} | set(known)
    constant.add("")
    foldable: set[int] = set()
    for index, node in enumerate(graph.node):
        inputs = [*node.input, *subgraph_reads(node)]
        if node.op_type in IMPORT_TIME_OPS or all(n in constant for n in inputs):
            constant.update(node.output)
            if node.op_type not in CONVERTERS and node.domain in DEFAULT_DOMAINS:
                foldable.add(index)
    return foldable


def _unsupported(
    graph: onnx.GraphProto, known: Iterable[str], opset: int
) -> list[tuple[str, str]]:
    """
    (op, node name) of every node neither converted nor folded, subgraphs too;
    a converted op in a form not run at `opset` is listed by that form's name.
    """
    foldable = _foldable(graph, known)
    unsupported: list[tuple[str, str]] = []
    for index, node in enumerate(graph.node):
        name = node.name or f"{node.op_type}_{index}"
        key = op_key(node)
        form = None
        if key in CONVERTERS and node.domain in DEFAULT_DOMAINS:
            form = unsupported_form(node, opset)
        elif key not in CONVERTERS and index not in foldable:
            form = key
        if form is not None:
            unsupported.append((form, name))
            continue
        for attr in node.attribute:
            if attr.type == onnx.AttributeProto.GRAPH:
                unsupported += _unsupported(attr.g, (), opset)
    return unsupported


def check_supported(
    model: onnx.ModelProto, source: str, known: Sequence[str] = ()
) -> set[int]:
    """
    Raise one `UnsupportedModelError` listing every unsupported op type, with
    its count and first node; return the nodes to evaluate at import time.
    """
    unsupported = _unsupported(model.graph, known, _default_opset(model))
    check_all_supported(source, "ONNX", unsupported)
    return foldable_nodes(model, known)


def convert_subgraph(
    importer: Importer, graph: onnx.GraphProto, inputs: Sequence[SSAValue | Array]
) -> list[SSAValue | Array]:
    """
    Convert a graph attribute's body (a FlexAttention modifier, a Loop body,
    ...) in place, its inputs bound to `inputs` (SSA values or constants);
    its outputs. Its names shadow the outer
    ones only while it is converted; it may read outer values.
    """
    if len(graph.input) != len(inputs):
        raise UnsupportedModelError(
            f"{importer.source}: subgraph '{graph.name}' takes {len(graph.input)} "
            f"inputs, given {len(inputs)}"
        )
    defined = [v.name for v in graph.input] + [i.name for i in graph.initializer]
    defined += [o for n in graph.node for o in n.output]
    saved = {name: importer.env.get(name) for name in defined}
    saved_narrow = {n: f for n, f in importer.narrow.items() if n in saved}
    location = importer.location
    for value, ssa in zip(graph.input, inputs, strict=True):
        importer.env[value.name] = ssa
    for init in graph.initializer:
        what = f"{importer.source}: subgraph initializer '{init.name}'"
        _bind_array(importer, init.name, read_tensor(init, what))
    known = [n for n in importer.env if importer.constant(n) is not None]
    foldable = _foldable(graph, [*known, *importer.initializers])
    for index, node in enumerate(graph.node):
        _convert_node(importer, node, index, index in foldable)
    results = [
        importer.env[v.name] if v.name in importer.env else importer.value(v.name)
        for v in graph.output
    ]
    if narrow_out := [v.name for v in graph.output if v.name in importer.narrow]:
        fmt = importer.narrow[narrow_out[0]]
        raise UnsupportedModelError(
            f"{importer.source}: subgraph '{graph.name}' output '{narrow_out[0]}' "
            f"is {type_name(fmt)}; mlc returns no narrow type from a subgraph"
        )
    for name, value in saved.items():
        if value is None:
            importer.env.pop(name, None)
        else:
            importer.env[name] = value
        importer.narrow.pop(name, None)
    importer.narrow.update(saved_narrow)
    importer.location = location
    return results


def _evaluate(node: Node) -> list[Output]:
    """A node on import-time constants, through onnx's reference implementation."""
    from onnx.reference import ReferenceEvaluator

    names = [n for n in node.proto.input if n]
    arrays = {n: node.importer.constant(n) for n in names}
    missing = [n for n, a in arrays.items() if a is None]
    if missing:
        raise node.error(f"input '{missing[0]}' must be known at import time")
    for n, fmt in node.importer.narrow.items():  # their ml_dtypes type
        if n in arrays:
            arrays[n] = cast(Array, arrays[n]).view(fmt.dtype)
    graph_inputs = [helper_value_info(n, cast(Array, a)) for n, a in arrays.items()]
    outputs = [
        onnx.helper.make_empty_tensor_value_info(n) for n in node.proto.output if n
    ]
    model = onnx.helper.make_model(
        onnx.helper.make_graph([node.proto], "fold", graph_inputs, outputs),
        opset_imports=[onnx.helper.make_opsetid("", node.opset)],
    )
    try:
        evaluator: Any = ReferenceEvaluator(model)  # onnx's stubs leave run() untyped
        results = evaluator.run(None, arrays)
    except Exception as error:  # onnx.reference raises anything numpy raises
        raise node.error(
            "mlc has no converter for this op and evaluating it at import with "
            f"onnx's reference implementation failed ({first_line(error)})"
        ) from None
    it = iter(cast(list[Array], results))
    return [np.asarray(next(it)) if n else None for n in node.proto.output]


def helper_value_info(name: str, array: Array) -> onnx.ValueInfoProto:
    elem_type = onnx.helper.np_dtype_to_tensor_dtype(array.dtype)
    return onnx.helper.make_tensor_value_info(name, elem_type, list(array.shape))


def _input_type(
    value: onnx.ValueInfoProto,
    source: str,
    input_shapes: Mapping[str, Sequence[int]],
) -> Tensor:
    where = f"{source}: input '{value.name}'"
    if not value.type.HasField("tensor_type"):
        raise UnsupportedModelError(f"{where} is not a tensor")
    tensor = value.type.tensor_type
    dtype = STORAGE if onnx_narrow(tensor.elem_type) else onnx_dtype(tensor.elem_type)
    if value.name in input_shapes:
        shape = [int(d) for d in input_shapes[value.name]]
        check_elements(shape, where)
        return tensor_type(dtype, shape)
    if not tensor.HasField("shape"):
        raise UnsupportedModelError(
            f"{where} has no shape (not even a rank); give it with input_shapes"
        )
    shape: list[int] = []
    for dim in tensor.shape.dim:
        if not dim.HasField("dim_value"):
            raise UnsupportedModelError(
                f"{where} has a dynamic dimension "
                f"'{dim.dim_param or '?'}'; give its shape with input_shapes"
            )
        shape.append(int(dim.dim_value))
    check_elements(shape, where)
    return tensor_type(dtype, shape)


def _node_location(node: onnx.NodeProto, name: str, source: str) -> LocationAttr:
    file_loc = FileLineColLoc(StringAttr(source), IntAttr(0), IntAttr(0))
    return NameLoc(StringAttr(name), NameLoc(StringAttr(node.op_type), file_loc))


def _attribute(attr: onnx.AttributeProto) -> Any:
    """An attribute's Python value; strings are `str`."""
    value = onnx.helper.get_attribute_value(attr)
    if isinstance(value, bytes):
        return value.decode()
    return value


def _bind(importer: Importer, array: Array) -> str:
    """A fresh ONNX name for an import-time constant (an upgraded attribute)."""
    name = f"mlc.attribute.{len(importer.env)}"
    while name in importer.env:
        name += "_"
    importer.env[name] = array
    return name


def _convert_node(
    importer: Importer, proto: onnx.NodeProto, index: int, fold: bool
) -> None:
    name = proto.name or f"{proto.op_type}_{index}"
    version = op_version(proto.op_type, importer.opset) or importer.opset
    if not fold:
        proto = upgrade(proto, version, lambda array: _bind(importer, array))
    attrs = {a.name: _attribute(a) for a in proto.attribute}
    node = Node(importer, proto, name, attrs, version)
    importer.location = _node_location(proto, name, importer.source)
    try:
        outputs = _run_converter(node, fold)
    except VerifyException as error:
        raise node.error(str(error)) from None
    except UnsupportedModelError as error:
        if str(error).startswith(importer.source):
            raise
        raise node.error(str(error)) from None
    except (ValueError, TypeError, IndexError, KeyError) as error:
        raise node.error(first_line(error)) from None
    for i, out_name in enumerate(proto.output):
        if not out_name:
            continue
        if i >= len(outputs) or outputs[i] is None:
            raise node.error(f"output {i} is not supported")
        output = cast(SSAValue | Array, outputs[i])
        if isinstance(output, np.ndarray):
            _bind_array(importer, out_name, output)
        else:
            importer.env[out_name] = output


def _run_converter(node: Node, fold: bool) -> list[Output]:
    """The node's outputs: converted, or evaluated at import when `fold`."""
    if fold:
        return _evaluate(node)
    check_narrow_inputs(node)
    outputs = list(CONVERTERS[op_key(node.proto)](node))
    mark_outputs(node)
    return outputs


def _bind_array(importer: Importer, name: str, array: Array) -> None:
    """A known value; one of a narrow type as its storage bytes."""
    stored, fmt = storage_array(array)
    importer.env[name] = stored
    if fmt is not None:
        importer.narrow[name] = fmt


def load_model(model: str | Path | onnx.ModelProto) -> tuple[onnx.ModelProto, str]:
    """The model proto and the name diagnostics use for it."""
    if isinstance(model, onnx.ModelProto):
        proto, source = model, f"{model.graph.name or 'model'}.onnx"
    else:
        source = str(model)
        path = Path(model)
        if path.is_file() and path.stat().st_size == 0:
            raise UnsupportedModelError(
                f"{source}: error: the file is empty (0 bytes), not an ONNX model"
            )
        load = cast(Callable[[str], onnx.ModelProto], onnx.load)
        try:
            proto = load(source)
        except Exception as error:  # OSError, protobuf's DecodeError (no public base)
            message = str(error).splitlines()[0] if str(error) else type(error).__name__
            raise UnsupportedModelError(
                f"{source}: error: cannot load: {message}"
            ) from None
    if not proto.HasField("graph") or not proto.graph.output:
        raise UnsupportedModelError(
            f"{source}: error: not an ONNX model: it has no graph outputs"
        )
    return proto, source


def _read_initializers(importer: Importer) -> None:
    for init in importer.model.graph.initializer:
        what = f"{importer.source}: initializer '{init.name}'"
        stored, fmt = storage_array(read_tensor(init, what))
        importer.initializers[init.name] = stored
        if fmt is not None:
            importer.narrow[init.name] = fmt


def import_onnx(
    model: str | Path | onnx.ModelProto,
    input_shapes: Mapping[str, Sequence[int]] | None = None,
    input_values: Mapping[str, Array] | None = None,
) -> ImportedModel:
    """
    Import an ONNX model as a graph-dialect module with its parameter values.

    `input_shapes` fixes the shapes of inputs with dynamic dimensions;
    `input_values` fixes the values of graph inputs, which are then constants
    rather than arguments (a shape or axes operand that a model takes as an
    input must be fixed so; `constant_operand_inputs` lists them). See
    `mlc.import_onnx` for the full description.
    """
    proto, source = load_model(model)
    opset = _default_opset(proto)
    if not MIN_OPSET <= opset <= MAX_OPSET:
        raise UnsupportedModelError(
            f"{source}: opset {opset} is not supported (mlc imports opsets "
            f"{MIN_OPSET} to {MAX_OPSET})"
        )
    foldable = check_supported(proto, source, list(input_values or {}))
    inputs = frozenset(value.name for value in proto.graph.input)
    importer = Importer(proto, source, opset, overridable=inputs)
    _read_initializers(importer)
    for name, array in (input_values or {}).items():
        _bind_array(importer, name, np.asarray(array))
    arg_attrs: list[DictionaryAttr] = []
    for value in proto.graph.input:
        if value.name in importer.initializers or value.name in importer.env:
            continue
        type_ = _input_type(value, source, input_shapes or {})
        importer.env[value.name] = importer.add_argument(
            type_, importer.unique_name(value.name)
        )
        if fmt := onnx_narrow(value.type.tensor_type.elem_type):
            importer.narrow[value.name] = fmt
        arg_attrs.append(_dtype_attr(importer, value.name))
    num_inputs = len(importer.block.args)
    for index, node in enumerate(proto.graph.node):
        _convert_node(importer, node, index, index in foldable)
    importer.location = None
    results = [importer.value(out.name) for out in proto.graph.output]
    importer.block.add_op(func.ReturnOp(*results))
    entry = sanitize(proto.graph.name) if proto.graph.name else "main"
    region = Region(importer.block)
    region_dce(region)
    arg_attrs += [DictionaryAttr({})] * (len(importer.block.args) - num_inputs)
    # Parameters no op uses any more (folded away) are dropped.
    for arg in list(importer.block.args[num_inputs:]):
        if arg.first_use is None:
            assert arg.name_hint is not None
            del importer.param_values[arg.name_hint]
            del arg_attrs[arg.index]
            importer.block.erase_arg(arg)
    function = func.FuncOp(
        entry,
        (importer.block.arg_types, [r.type for r in results]),
        region,
        arg_attrs=ArrayAttr(arg_attrs) if importer.narrow else None,
        res_attrs=ArrayAttr(
            _result_attrs(importer, out.name) for out in proto.graph.output
        ),
    )
    module = ModuleOp([function])
    try:
        module.verify()
    except VerifyException as error:
        raise UnsupportedModelError(f"{source}: error: {error}") from None
    return ImportedModel(module, entry, dict(importer.param_values))


def _result_attrs(importer: Importer, name: str) -> DictionaryAttr:
    """A result's `mlc.name`, and `mlc.dtype` when it is narrow."""
    return DictionaryAttr(
        {NAME_ATTR: StringAttr(name), **_dtype_attr(importer, name).data}
    )


def _dtype_attr(importer: Importer, name: str) -> DictionaryAttr:
    """`{mlc.dtype = "<ml_dtypes name>"}` for a narrow graph input or output."""
    fmt = importer.narrow.get(name)
    return DictionaryAttr({} if fmt is None else {DTYPE_ATTR: StringAttr(fmt.name)})
