"""Neural-network graph ops (placeholder: being written)."""

from mlc.dialects.graph.base import GraphOp

NN_OPS: tuple[type[GraphOp], ...] = ()
