"""Reduction graph ops (placeholder: being written)."""

from mlc.dialects.graph.base import GraphOp

REDUCTION_OPS: tuple[type[GraphOp], ...] = ()
