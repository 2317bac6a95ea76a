"""
Indexing graph ops: `scatter` (ONNX ScatterElements-18 with a full-size update).

`scatter` is the one primitive the importers build every scatter from: ONNX
ScatterElements, ScatterND, Scatter, TensorScatter and MaxUnpool, PyTorch
`scatter`, `scatter_add`, `scatter_reduce`, `index_put` and the inverse
permutation of `topk`. Its updates span the data on every dim but `axis`, so
each result element reads only the updates of its own line along `axis`
(the lowering is a linalg reduction over that line, no sequential loop).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import numpy as np
from xdsl.dialects.builtin import I64, IntegerAttr, StringAttr, TensorType
from xdsl.ir import Attribute
from xdsl.irdl import (
    irdl_op_definition,
    operand_def,
    opt_prop_def,
    result_def,
    traits_def,
)

from mlc.dialects.graph.base import (
    Array,
    Elem,
    Fusion,
    FusionKind,
    GraphOp,
    Properties,
    Tensor,
    Value,
    expect_same_element_type,
    expect_tensor,
    fail,
    fmt_shape,
    get_int,
    get_str,
    int_attr,
    is_index_type,
    normalize_axis,
)

SCATTER_REDUCTIONS = ("none", "add", "mul", "max", "min")
"""How an update combines with the element it lands on (`none`: replaces it)."""

_UFUNCS: dict[str, np.ufunc] = {
    "add": np.add,
    "mul": np.multiply,
    "max": np.maximum,
    "min": np.minimum,
}


@irdl_op_definition
class ScatterOp(GraphOp):
    """
    `data` with each element of `updates` written at its position, except
    along `axis`, where it goes to `indices` (same shape as `updates`; a
    negative index counts from the end, one out of `[-n, n)` is ignored).
    `updates` spans `data` on every other dim. `reduction` (`none`, `add`,
    `mul`, `max`, `min`) combines an update with the element it lands on;
    with `none` and repeated indices the last update along `axis` wins.

    ```mlir
    %y = graph.scatter %x, %i, %u {axis = 1 : i64, reduction = "add"}
        : (tensor<2x5xf32>, tensor<2x3xi64>, tensor<2x3xf32>) -> tensor<2x5xf32>
    ```
    """

    name = "graph.scatter"
    data = operand_def(TensorType)
    indices = operand_def(TensorType)
    updates = operand_def(TensorType)
    result = result_def(TensorType)
    axis = opt_prop_def(IntegerAttr[I64])
    reduction = opt_prop_def(StringAttr)

    traits = traits_def(Fusion(FusionKind.OPAQUE))
    assembly_format = (
        "$data `,` $indices `,` $updates attr-dict `:` "
        "functional-type(operands, results)"
    )

    REDUCTIONS: ClassVar[tuple[str, ...]] = SCATTER_REDUCTIONS

    def __init__(
        self,
        data: Value,
        indices: Value,
        updates: Value,
        axis: int = 0,
        reduction: str = "none",
    ) -> None:
        self.init_inferred(
            [data, indices, updates],
            {
                "axis": int_attr(axis) if axis else None,
                "reduction": None if reduction == "none" else StringAttr(reduction),
            },
        )

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute | None], properties: Properties
    ) -> Tensor:
        reduction = get_str(properties, "reduction", "none")
        if reduction not in SCATTER_REDUCTIONS:
            raise fail(
                cls.name,
                f"reduction must be one of {', '.join(SCATTER_REDUCTIONS)}, "
                f"got '{reduction}'",
            )
        kinds = Elem.ANY if reduction == "none" else Elem.NUMERIC
        data = expect_tensor(cls.name, "data", operand_types[0], kinds)
        indices = expect_tensor(cls.name, "indices", operand_types[1])
        updates = expect_tensor(cls.name, "updates", operand_types[2], kinds)
        if not is_index_type(indices.element_type):
            raise fail(cls.name, f"expects i32 or i64 indices, got {indices}")
        expect_same_element_type(cls.name, [("data", data), ("updates", updates)])
        shape, at = data.get_shape(), updates.get_shape()
        axis = normalize_axis(cls.name, get_int(properties, "axis"), len(shape))
        if indices.get_shape() != at:
            raise fail(
                cls.name,
                f"expects indices shaped as updates {fmt_shape(at)}, got "
                f"{fmt_shape(indices.get_shape())}",
            )
        if len(at) != len(shape) or any(
            a != d for i, (a, d) in enumerate(zip(at, shape)) if i != axis
        ):
            raise fail(
                cls.name,
                f"expects updates {fmt_shape(at)} to match data "
                f"{fmt_shape(shape)} on every dim but axis {axis}",
            )
        return data

    @classmethod
    def reference(
        cls, operands: Sequence[Array | None], properties: Properties
    ) -> Array:
        data, indices, updates = operands
        assert data is not None
        assert indices is not None
        assert updates is not None
        axis = normalize_axis(cls.name, get_int(properties, "axis"), data.ndim)
        n = data.shape[axis]
        wrapped = np.where(indices < 0, indices + n, indices).astype(np.int64)
        keep = (wrapped >= 0) & (wrapped < n)
        coords: list[Array] = []
        for d, size in enumerate(updates.shape):
            along = [1] * updates.ndim
            along[d] = size
            coords.append(np.reshape(np.arange(size, dtype=np.int64), along))
        coords[axis] = wrapped
        at = tuple(np.broadcast_to(c, updates.shape)[keep] for c in coords)
        out = data.copy()
        reduction = get_str(properties, "reduction", "none")
        if reduction == "none":
            out[at] = updates[keep]  # repeated positions: the last one wins
        else:
            _UFUNCS[reduction].at(out, at, updates[keep])
        return out


INDEXING_OPS: tuple[type[GraphOp], ...] = (ScatterOp,)

__all__ = ["INDEXING_OPS", "SCATTER_REDUCTIONS", "ScatterOp"]
