"""
ONNX converters: Scan, If and Loop, whose iteration structure is known at
import, unrolled (or resolved) in place as the recurrent ops are.

The bodies are graph attributes converted in place (`driver.convert_subgraph`),
their inputs bound to the values of the step, so whatever a body computes
from constants folds at import.

- **Scan** runs one body conversion per step of the (static) sequence: each
  scan input is sliced at the step along its axis (`scan_input_axes`, in the
  order `scan_input_directions` says), the states are carried, and the
  per-step scan outputs are stacked along `scan_output_axes` (reversed where
  `scan_output_directions` is 1). Opset 8's form runs each batch entry
  (axis 0 of every operand; the sequence is axis 1 of the scan inputs) for
  its `sequence_lens` (known at import) and pads its scan outputs past the
  length with zeros, as onnxruntime does.
- **If** with a condition known at import converts only the chosen branch;
  otherwise both branches are converted and each output is a `where` of
  them, when the two have the same static shape and element type.
- **Loop** unrolls when its trip count `M` and initial `cond` are known at
  import and the body's condition output folds to a constant at each step
  (a passed-through `cond` or a constant `true` do); the loop-carried values
  are carried and the scan outputs stacked along a new axis 0.

What cannot be resolved at import (a data-dependent trip count or
condition, branches of different shapes, more than `MAX_STEPS` steps) is
refused in one line naming the node and why.
"""

from __future__ import annotations

from typing import Any, TypeAlias

import numpy as np
import onnx
from xdsl.ir import SSAValue

from mlc.dialects import graph
from mlc.dialects.graph.base import Array
from mlc.frontend.common import value_dtype, value_shape
from mlc.frontend.onnx.importer import (
    Node,
    Output,
    constant_of,
    converter,
    onnx_dtype,
)

Value: TypeAlias = SSAValue | Array
"""A value in a body: an SSA value, or a constant known at import."""

MAX_STEPS = 4096
"""Loops and scans of more steps than this are refused (each step is unrolled)."""


# --------------------------------------------------------------------------- #
# Values that may be constants
# --------------------------------------------------------------------------- #


def _operand(node: Node, index: int) -> Value:
    """Input `index` as a constant when it is known at import, else as SSA."""
    value = node.input(index)
    array = constant_of(value)
    return value if array is None else array


def _known(value: Value) -> Array | None:
    """The value when it is known at import."""
    return constant_of(value) if isinstance(value, SSAValue) else value


def _shape(value: Value) -> tuple[int, ...]:
    return value_shape(value) if isinstance(value, SSAValue) else tuple(value.shape)


def _dtype(value: Value) -> np.dtype[Any]:
    return value_dtype(value) if isinstance(value, SSAValue) else value.dtype


def _take(node: Node, x: Value, axis: int, index: int) -> Value:
    """Entry `index` of `x` along `axis`, that axis dropped."""
    if not isinstance(x, SSAValue):
        return np.take(x, index, axis=axis)
    part = node.emit(graph.SliceOp(x, [index], [index + 1], [axis]))
    return node.emit(graph.SqueezeOp(part, [axis]))


def _stack(node: Node, values: list[Value], axis: int) -> Value:
    """`values` (of one shape) stacked along a new `axis`."""
    if not any(isinstance(v, SSAValue) for v in values):
        return np.stack([np.asarray(v) for v in values], axis=axis)
    parts = [node.emit(graph.UnsqueezeOp(node.value(v), [axis])) for v in values]
    if len(parts) == 1:
        return parts[0]
    return node.emit(graph.ConcatOp(parts, axis))


def _body(node: Node, name: str) -> onnx.GraphProto:
    body = node.attr(name)
    if not isinstance(body, onnx.GraphProto):
        raise node.error(f"attribute {name} must be a graph")
    return body


def _run(node: Node, body: onnx.GraphProto, inputs: list[Value]) -> list[Value]:
    """`body` converted in place, its inputs bound to `inputs`; its outputs."""
    from mlc.frontend.onnx.driver import convert_subgraph  # the driver imports us

    return convert_subgraph(node.importer, body, inputs)


def _static_empty(node: Node, body: onnx.GraphProto, index: int, what: str) -> Array:
    """A scan output of zero steps: its per-step type read from the body."""
    value = body.output[index]
    tensor = value.type.tensor_type
    dims = list(tensor.shape.dim) if tensor.HasField("shape") else None
    if dims is None or any(not d.HasField("dim_value") for d in dims):
        raise node.error(
            f"{what} runs zero steps and the body does not give the static "
            f"shape of its scan output '{value.name}'"
        )
    shape = [0, *(int(d.dim_value) for d in dims)]
    return np.empty(shape, onnx_dtype(tensor.elem_type))


# --------------------------------------------------------------------------- #
# Scan
# --------------------------------------------------------------------------- #


def _axes(node: Node, name: str, count: int, ranks: list[int]) -> list[int]:
    """A per-operand axis attribute (default 0), normalized against `ranks`."""
    axes = [int(a) for a in node.attr(name, [0] * count)]
    if len(axes) != count:
        raise node.error(f"{name} has {len(axes)} entries for {count} operands")
    for axis, rank in zip(axes, ranks, strict=True):
        if not -rank <= axis < rank:
            raise node.error(f"{name} entry {axis} is out of range for rank {rank}")
    return [a % r for a, r in zip(axes, ranks, strict=True)]


def _directions(node: Node, name: str, count: int) -> list[bool]:
    """A per-operand direction attribute (default 0): True where reversed."""
    directions = [int(d) for d in node.attr(name, [0] * count)]
    if len(directions) != count or any(d not in (0, 1) for d in directions):
        raise node.error(f"{name} must be {count} entries of 0 or 1, got {directions}")
    return [d == 1 for d in directions]


def _scan_steps(
    node: Node,
    body: onnx.GraphProto,
    states: list[Value],
    scans: list[tuple[Value, int, bool]],
    length: int,
) -> tuple[list[Value], list[list[Value]]]:
    """
    `length` steps of a Scan body over `scans` (value, axis, reversed):
    the final states and each scan output's values, in step order.
    """
    outputs: list[list[Value]] = [[] for _ in body.output[len(states) :]]
    for step in range(length):
        slices = [
            _take(node, x, axis, length - 1 - step if backward else step)
            for x, axis, backward in scans
        ]
        results = _run(node, body, [*states, *slices])
        states = results[: len(states)]
        for values, result in zip(outputs, results[len(states) :], strict=True):
            values.append(result)
    return states, outputs


def _check_body(node: Node, body: onnx.GraphProto, inputs: int, outputs: int) -> None:
    if len(body.input) != inputs or len(body.output) < outputs:
        raise node.error(
            f"the body takes {len(body.input)} inputs and returns "
            f"{len(body.output)} outputs; the node gives {inputs} inputs and "
            f"expects at least {outputs} outputs"
        )


def _sequence_length(node: Node, scans: list[Value], axes: list[int]) -> int:
    lengths = {_shape(x)[axis] for x, axis in zip(scans, axes, strict=True)}
    if len(lengths) != 1:
        raise node.error(f"the scan inputs have different lengths {sorted(lengths)}")
    length = lengths.pop()
    if length > MAX_STEPS:
        raise node.error(f"a scan of {length} steps (more than {MAX_STEPS})")
    return length


def _num_scan_inputs(node: Node, operands: int) -> int:
    count = node.attr("num_scan_inputs")
    if count is None or not 0 < int(count) <= operands:
        raise node.error(f"num_scan_inputs {count} does not fit {operands} operands")
    return int(count)


def _scan9(node: Node, body: onnx.GraphProto) -> list[Output]:
    """Scan 9 and later: no batch axis, per-operand axes and directions."""
    operands = [_operand(node, i) for i in range(len(node.proto.input))]
    count = _num_scan_inputs(node, len(operands))
    states, scans = operands[:-count], operands[-count:]
    _check_body(node, body, len(operands), len(states))
    axes = _axes(node, "scan_input_axes", count, [len(_shape(x)) for x in scans])
    backward = _directions(node, "scan_input_directions", count)
    length = _sequence_length(node, scans, axes)
    finals, outputs = _scan_steps(
        node, body, states, list(zip(scans, axes, backward, strict=True)), length
    )
    outs = len(outputs)
    if length == 0:
        first = len(states)
        empty = [_static_empty(node, body, first + k, "Scan") for k in range(outs)]
        return [*finals, *empty]
    ranks = [len(_shape(values[0])) + 1 for values in outputs]
    out_axes = _axes(node, "scan_output_axes", outs, ranks)
    reverse = _directions(node, "scan_output_directions", outs)
    stacked = [
        _stack(node, values[::-1] if back else values, axis)
        for values, axis, back in zip(outputs, out_axes, reverse, strict=True)
    ]
    return [*finals, *stacked]


def _zeros_like(node: Node, value: Value) -> Array:
    return np.zeros(_shape(value), _dtype(value))


def _scan8(node: Node, body: onnx.GraphProto) -> list[Output]:
    """Scan 8: a batch axis 0 on every operand, the sequence on axis 1."""
    operands = [_operand(node, i) for i in range(1, len(node.proto.input))]
    count = _num_scan_inputs(node, len(operands))
    states, scans = operands[:-count], operands[-count:]
    _check_body(node, body, len(operands), len(states))
    backward = _directions(node, "directions", count)
    length = _sequence_length(node, scans, [1] * count)
    batch = {_shape(x)[0] for x in operands}
    if len(batch) != 1:
        raise node.error(f"the operands have different batch sizes {sorted(batch)}")
    size = batch.pop()
    lengths = [length] * size
    if node.has(0):
        lens = node.required_constant(0, "sequence_lens").reshape(-1)
        if lens.size != size or any(not 0 <= n <= length for n in lens):
            raise node.error(f"sequence_lens {lens.tolist()} does not fit the batch")
        lengths = [int(n) for n in lens]
    entries: list[tuple[list[Value], list[list[Value]]]] = []
    for b in range(size):
        entry = [_take(node, x, 0, b) for x in operands]
        scan_entry = list(zip(entry[len(states) :], [0] * count, backward, strict=True))
        entries.append(
            _scan_steps(node, body, entry[: len(states)], scan_entry, lengths[b])
        )
    results: list[Output] = [
        _stack(node, [finals[i] for finals, _ in entries], 0)
        for i in range(len(states))
    ]
    for k in range(len(body.output) - len(states)):
        ran = [outputs[k] for _, outputs in entries if outputs[k]]
        if not ran:
            raise node.error("no batch entry runs a step: the scan outputs are empty")
        zeros = _zeros_like(node, ran[0][0])
        padded = [
            _stack(node, [*outputs[k], *[zeros] * (length - n)], 0)
            for (_, outputs), n in zip(entries, lengths, strict=True)
        ]
        results.append(_stack(node, padded, 0))
    return results


@converter("Scan")
def _scan(node: Node) -> list[Output]:
    body = _body(node, "body")
    return _scan8(node, body) if node.version < 9 else _scan9(node, body)


# --------------------------------------------------------------------------- #
# If
# --------------------------------------------------------------------------- #


def _truth(array: Array) -> bool:
    return bool(np.asarray(array).reshape(-1)[0])


@converter("If")
def _if(node: Node) -> list[Output]:
    then_branch, else_branch = _body(node, "then_branch"), _body(node, "else_branch")
    cond = _operand(node, 0)
    if _shape(cond) not in ((), (1,)):
        raise node.error(f"the condition has shape {list(_shape(cond))}, not one value")
    if not isinstance(cond, SSAValue):
        return list(_run(node, then_branch if _truth(cond) else else_branch, []))
    then_values = _run(node, then_branch, [])
    else_values = _run(node, else_branch, [])
    if len(then_values) != len(else_values):
        raise node.error(
            f"the branches return {len(then_values)} and {len(else_values)} outputs"
        )
    scalar = node.emit(graph.ReshapeOp(cond, []))
    results: list[Output] = []
    for i, (a, b) in enumerate(zip(then_values, else_values, strict=True)):
        if _shape(a) != _shape(b) or _dtype(a) != _dtype(b):
            raise node.error(
                "the condition is not known at import and the branches' output "
                f"{i} differ: {list(_shape(a))} {_dtype(a)} and "
                f"{list(_shape(b))} {_dtype(b)}"
            )
        results.append(node.emit(graph.WhereOp(scalar, node.value(a), node.value(b))))
    return results


# --------------------------------------------------------------------------- #
# Loop
# --------------------------------------------------------------------------- #


def _loop_bound(node: Node, index: int, what: str) -> Array | None:
    if not node.has(index):
        return None
    array = node.constant(index)
    if array is None:
        raise node.error(f"the {what} must be known at import (mlc unrolls loops)")
    if array.size != 1:
        raise node.error(f"the {what} has {array.size} elements, not one")
    return array


@converter("Loop")
def _loop(node: Node) -> list[Output]:
    body = _body(node, "body")
    trips = _loop_bound(node, 0, "trip count M")
    cond_in = _loop_bound(node, 1, "condition")
    if trips is None and cond_in is None:
        raise node.error("neither a trip count nor a condition: the loop never ends")
    limit = None if trips is None else int(trips.reshape(-1)[0])
    cond = True if cond_in is None else _truth(cond_in)
    carried = [_operand(node, i) for i in range(2, len(node.proto.input))]
    _check_body(node, body, 2 + len(carried), 1 + len(carried))
    outputs: list[list[Value]] = [[] for _ in body.output[1 + len(carried) :]]
    step = 0
    while cond and (limit is None or step < limit):
        if step >= MAX_STEPS:
            raise node.error(f"the loop runs more than {MAX_STEPS} steps")
        index, flag = np.asarray(step, np.int64), np.asarray(True)
        results = _run(node, body, [index, flag, *carried])
        carried = results[1 : 1 + len(carried)]
        for values, result in zip(outputs, results[1 + len(carried) :], strict=True):
            values.append(result)
        step += 1
        if limit is not None and step >= limit:
            break
        known = _known(results[0])
        if known is None:
            raise node.error(
                f"the body's condition output is not known at import at step "
                f"{step - 1} (a data-dependent loop)"
            )
        cond = _truth(known)
    scans = [
        _stack(node, values, 0)
        if values
        else _static_empty(node, body, 1 + len(carried) + k, "Loop")
        for k, values in enumerate(outputs)
    ]
    return [*carried, *scans]
