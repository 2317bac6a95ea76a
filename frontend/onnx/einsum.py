"""ONNX converter: Einsum (`mlc.frontend.einsum`: batched matmuls where it can)."""

from __future__ import annotations

from mlc.frontend.einsum import einsum
from mlc.frontend.onnx.importer import Node, Output, converter


@converter("Einsum")
def _einsum(node: Node) -> list[Output]:
    return [einsum(node, str(node.attr("equation")), node.inputs())]
