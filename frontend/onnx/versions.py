"""
ONNX op versions: each node is converted in the form of its op at the
model's opset.

An op's version at opset N is the `since_version` of its newest schema not
after N (`op_version`). The converters are written for the newest forms;
`upgrade` rewrites a node of an older form before it is converted:

- operands that were attributes become inputs bound to import-time constants:
  Split `split` (before 13), Squeeze/Unsqueeze `axes` (13), ReduceSum `axes`
  (13), the other Reduce* `axes` (18), Slice `starts`/`ends`/`axes` (10),
  Reshape `shape` (5), Pad `paddings`/`pads`/`value` (11), Clip `min`/`max`
  (11);
- defaults and spellings that changed are made explicit: Concat's `axis`
  (1 before opset 4), Cast's `to` (a type name before 6).

Differences of meaning are the converters' (they read `Node.version`):
Softmax, LogSoftmax and Hardmax before 13 work on the input coerced to 2-D
at `axis` (default 1); Add, Sub, Mul, Div, Pow, And, Or, Xor, Equal, Less
and Greater before 7 broadcast `B` only with `broadcast = 1`, aligned at
`axis` (`legacy_broadcast`); BatchNormalization before 14 is in training mode
when it has more than one output; Dropout's mask has the input's type before
10. What mlc cannot run in an older form is named by `unsupported_form` and
listed with the unsupported ops, before anything is converted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeAlias

import numpy as np
import onnx
import onnx.defs
from xdsl.ir import SSAValue

from mlc.dialects import graph
from mlc.dialects.graph.base import Array
from mlc.frontend.common import value_shape
from mlc.frontend.onnx.importer import Node

_I64, _F32 = np.dtype(np.int64), np.dtype(np.float32)
_REDUCE_18 = (
    "ReduceMean", "ReduceMax", "ReduceMin", "ReduceL1", "ReduceL2",
    "ReduceSumSquare", "ReduceLogSum", "ReduceLogSumExp", "ReduceProd",
)  # fmt: skip

_Moved: TypeAlias = tuple[int, tuple[str, ...], np.dtype[Any]]
_MOVED: dict[str, tuple[int, tuple[_Moved, ...]]] = {
    "Split": (13, ((1, ("split",), _I64),)),
    "Squeeze": (13, ((1, ("axes",), _I64),)),
    "Unsqueeze": (13, ((1, ("axes",), _I64),)),
    "ReduceSum": (13, ((1, ("axes",), _I64),)),
    **{op: (18, ((1, ("axes",), _I64),)) for op in _REDUCE_18},
    "Slice": (
        10,
        ((1, ("starts",), _I64), (2, ("ends",), _I64), (3, ("axes",), _I64)),
    ),
    "Reshape": (5, ((1, ("shape",), _I64),)),
    "Pad": (11, ((1, ("pads", "paddings"), _I64), (2, ("value",), _F32))),
    "Clip": (11, ((1, ("min",), _F32), (2, ("max",), _F32))),
}  # fmt: skip
"""
By op type: the version from which the operands are inputs, and before it the
attributes (by name, older spellings last) that hold them, by input index.
"""

LEGACY_BROADCAST = frozenset(
    {"Add", "Sub", "Mul", "Div", "Pow", "And", "Or", "Xor", "Equal", "Less", "Greater"}
)
"""The ops whose `broadcast` and `axis` (before version 7) `legacy_broadcast` reads."""


def op_version(op_type: str, opset: int) -> int | None:
    """The version of an `ai.onnx` op at `opset`; None if it has none there."""
    try:
        return int(onnx.defs.get_schema(op_type, opset).since_version)
    except onnx.defs.SchemaError:
        return None


def unsupported_form(node: onnx.NodeProto, opset: int) -> str | None:
    """Why mlc cannot convert this node in its op's form at `opset`, if so."""
    version = op_version(node.op_type, opset)
    if version is None:
        return f"{node.op_type} does not exist in opset {opset}"
    attrs = {a.name: a for a in node.attribute}
    if node.op_type == "Tile" and version < 6:
        return "Tile before opset 6 (tiles and axis inputs)"
    if node.op_type == "BatchNormalization" and version < 9:
        spatial = attrs.get("spatial")
        if spatial is not None and spatial.i == 0:
            return f"BatchNormalization-{version} with spatial = 0"
    if node.op_type == "BatchNormalization" and version < 14:
        if any(i < len(node.output) and node.output[i] for i in (3, 4)):
            return f"BatchNormalization-{version} saved_mean/saved_var outputs"
    return None


def upgrade(
    node: onnx.NodeProto, version: int, bind: Callable[[Array], str]
) -> onnx.NodeProto:
    """
    The node in its op's newest form: attribute operands as inputs (each
    array given to `bind`, which returns the name it is bound to), changed
    defaults explicit. A node already in that form is returned as it is.
    """
    op_type = node.op_type
    moved = _MOVED.get(op_type)
    cast_name = op_type == "Cast" and version < 6
    concat_axis = op_type == "Concat" and version < 4
    if not (moved and version < moved[0]) and not cast_name and not concat_axis:
        return node
    new = onnx.NodeProto()
    new.CopyFrom(node)
    attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
    if cast_name:
        to = attrs["to"]
        name = to.decode() if isinstance(to, bytes) else str(to)
        _set_attr(new, "to", int(onnx.TensorProto.DataType.Value(name.upper())))
    if concat_axis and "axis" not in attrs:
        _set_attr(new, "axis", 1)
    if moved and version < moved[0]:
        _move_attributes(new, attrs, moved[1], bind)
    return new


def _move_attributes(
    node: onnx.NodeProto,
    attrs: dict[str, Any],
    moved: tuple[_Moved, ...],
    bind: Callable[[Array], str],
) -> None:
    for index, names, dtype in moved:
        found = next((n for n in names if n in attrs), None)
        for name in names:
            _drop_attr(node, name)
        if found is None or (index < len(node.input) and node.input[index]):
            continue  # absent; or Split-1's sizes given as an input
        while len(node.input) <= index:
            node.input.append("")
        node.input[index] = bind(np.asarray(attrs[found], dtype))


def _set_attr(node: onnx.NodeProto, name: str, value: int) -> None:
    _drop_attr(node, name)
    node.attribute.append(onnx.helper.make_attribute(name, value))


def _drop_attr(node: onnx.NodeProto, name: str) -> None:
    for i, attr in enumerate(node.attribute):
        if attr.name == name:
            del node.attribute[i]
            return


def legacy_broadcast(node: Node, a: SSAValue, b: SSAValue) -> SSAValue:
    """
    `b` as the binary ops before version 7 read it: with `broadcast = 1` its
    dims align with `a`'s from `axis` (default: the trailing dims), so it is
    reshaped with ones around them; without, it has `a`'s shape already.
    """
    if node.proto.op_type not in LEGACY_BROADCAST or node.version >= 7:
        return b
    if not node.attr("broadcast", 0):
        return b
    a_shape, b_shape = value_shape(a), value_shape(b)
    rank, count = len(a_shape), len(b_shape)
    axis = int(node.attr("axis", rank - count))
    axis %= max(rank, 1)
    shape = [1] * axis + list(b_shape) + [1] * (rank - axis - count)
    if tuple(shape) == b_shape:
        return b
    return node.emit(graph.ReshapeOp(b, shape))
