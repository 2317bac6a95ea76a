"""`graph.scatter`: builder, inference, reference against a loop, folding."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from xdsl.dialects.builtin import TensorType, f32, i32, i64
from xdsl.utils.exceptions import VerifyException
from xdsl.utils.test_value import create_ssa_value

from mlc.dialects.graph import SCATTER_REDUCTIONS, FusionKind, ScatterOp, fusion_kind

Array = np.ndarray[Any, Any]


def loop_scatter(
    data: Array, indices: Array, updates: Array, axis: int, reduction: str
) -> Array:
    """The definition, one update at a time in row-major order."""
    out = data.copy()
    n = data.shape[axis]
    for at in np.ndindex(*updates.shape):
        index = int(indices[at])
        index += n if index < 0 else 0
        if not 0 <= index < n:
            continue  # ignored
        target = list(at)
        target[axis] = index
        where = tuple(target)
        update = updates[at]
        if reduction == "add":
            update = out[where] + update
        elif reduction == "mul":
            update = out[where] * update
        elif reduction == "max":
            update = max(out[where], update)
        elif reduction == "min":
            update = min(out[where], update)
        out[where] = update
    return out


@pytest.mark.parametrize("reduction", SCATTER_REDUCTIONS)
@pytest.mark.parametrize("axis", [0, 1, -1])
def test_reference_is_the_loop_definition(reduction: str, axis: int) -> None:
    rng = np.random.default_rng(abs(axis) + len(reduction))
    data = rng.integers(-9, 9, (3, 4, 5)).astype(np.int32)
    shape = list(data.shape)
    shape[axis] = 6
    indices = rng.integers(-7, 7, shape).astype(np.int64)  # repeats, out of range
    updates = rng.integers(-9, 9, shape).astype(np.int32)
    op = ScatterOp(
        create_ssa_value(TensorType(i32, data.shape)),
        create_ssa_value(TensorType(i64, shape)),
        create_ssa_value(TensorType(i32, shape)),
        axis,
        reduction,
    )
    assert ("reduction" in op.properties) == (reduction != "none")
    got = op.evaluate(data, indices, updates)
    np.testing.assert_array_equal(
        got, loop_scatter(data, indices, updates, axis, reduction)
    )


def test_builder_infers_the_data_type_and_is_opaque() -> None:
    op = ScatterOp(
        create_ssa_value(TensorType(f32, [4, 2])),
        create_ssa_value(TensorType(i32, [3, 2])),
        create_ssa_value(TensorType(f32, [3, 2])),
    )
    assert op.result.type == TensorType(f32, [4, 2])
    assert op.properties == {}
    assert fusion_kind(op) is FusionKind.OPAQUE


def test_updates_must_span_the_data_off_the_axis() -> None:
    with pytest.raises(VerifyException, match="on every dim but axis 1"):
        ScatterOp(
            create_ssa_value(TensorType(f32, [4, 2])),
            create_ssa_value(TensorType(i64, [3, 2])),
            create_ssa_value(TensorType(f32, [3, 2])),
            axis=1,
        )
