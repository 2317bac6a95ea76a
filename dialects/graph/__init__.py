"""
The `graph` dialect: mlc's highest level, where a model is a dataflow graph of
tensor operators (see docs/architecture.md, "The levels").

A value is an immutable ranked tensor of a numpy element type; every op has one
result whose type is inferred from its operands and properties. The dialect is
a package because it holds some fifty ops (CONVENTIONS.md §2.1): `base`
(element types, fusion kinds, the `GraphOp` base with inference, reference and
folding), then one module per op family, then `canonicalization`.
"""

from __future__ import annotations

from xdsl.dialect_interfaces.constant_materialization import (
    ConstantMaterializationInterface,
)
from xdsl.dialects import arith
from xdsl.dialects.builtin import AnyDenseElement, DenseIntOrFPElementsAttr
from xdsl.ir import Attribute, Dialect, Operation
from xdsl.utils.hints import isa

from mlc.dialects.graph.base import *  # noqa: F403
from mlc.dialects.graph.base import GraphOp
from mlc.dialects.graph.bitwise import *  # noqa: F403
from mlc.dialects.graph.bitwise import BITWISE_OPS
from mlc.dialects.graph.elementwise import *  # noqa: F403
from mlc.dialects.graph.elementwise import ELEMENTWISE_OPS
from mlc.dialects.graph.elementwise_math import *  # noqa: F403
from mlc.dialects.graph.elementwise_math import ELEMENTWISE_MATH_OPS
from mlc.dialects.graph.grid_sample import *  # noqa: F403
from mlc.dialects.graph.grid_sample import GRID_SAMPLE_OPS
from mlc.dialects.graph.indexing import *  # noqa: F403
from mlc.dialects.graph.indexing import INDEXING_OPS
from mlc.dialects.graph.nn import *  # noqa: F403
from mlc.dialects.graph.nn import NN_OPS
from mlc.dialects.graph.quant import *  # noqa: F403
from mlc.dialects.graph.quant import QUANT_OPS
from mlc.dialects.graph.reduction import *  # noqa: F403
from mlc.dialects.graph.reduction import REDUCTION_OPS
from mlc.dialects.graph.resample import *  # noqa: F403
from mlc.dialects.graph.resample import RESAMPLE_OPS
from mlc.dialects.graph.shape import *  # noqa: F403
from mlc.dialects.graph.shape import SHAPE_OPS


class GraphConstantMaterialization(ConstantMaterializationInterface):
    """Folded graph values become `arith.constant dense<...>`."""

    def materialize_constant(
        self, value: Attribute, type: Attribute
    ) -> Operation | None:
        if isa(value, DenseIntOrFPElementsAttr[AnyDenseElement]):
            return arith.ConstantOp(value)
        return None


GRAPH_OPS: tuple[type[GraphOp], ...] = (
    *ELEMENTWISE_OPS,
    *ELEMENTWISE_MATH_OPS,
    *BITWISE_OPS,
    *INDEXING_OPS,
    *NN_OPS,
    *REDUCTION_OPS,
    *SHAPE_OPS,
    *QUANT_OPS,
    *RESAMPLE_OPS,
    *GRID_SAMPLE_OPS,
)

Graph = Dialect("graph", list(GRAPH_OPS), [], [GraphConstantMaterialization()])
