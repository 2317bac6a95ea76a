"""Data-movement graph ops (placeholder: being written)."""

from mlc.dialects.graph.base import GraphOp

SHAPE_OPS: tuple[type[GraphOp], ...] = ()
