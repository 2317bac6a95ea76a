"""
ONNX converters: the window functions `HannWindow`, `HammingWindow` and
`BlackmanWindow` (opset 17), folded at import: their size must be a
constant, and the window is a constant tensor of `output_datatype`.

`periodic = 1` (the default) divides by the size N, `periodic = 0` (a
symmetric window) by N - 1; a window of one element is `[1]`, as in
PyTorch. The cosines are evaluated in f64 and the result rounded once.
"""

from __future__ import annotations

import math

import numpy as np

from mlc.frontend.onnx.importer import Node, Output, converter, onnx_dtype

COEFFICIENTS: dict[str, tuple[float, ...]] = {
    "HannWindow": (0.5, -0.5),
    "HammingWindow": (25 / 46, -21 / 46),
    "BlackmanWindow": (0.42, -0.5, 0.08),
}
"""Window -> `a_k` of `w[n] = sum_k a_k cos(2 pi k n / D)`."""


@converter(*COEFFICIENTS)
def _window(node: Node) -> list[Output]:
    size_array = node.required_constant(0, "size")
    if size_array.size != 1 or size_array.dtype.kind not in "iu":
        raise node.error(f"size must be one integer, got {size_array}")
    size = int(size_array.reshape(-1)[0])
    if size < 0:
        raise node.error(f"size must not be negative, got {size}")
    dtype = onnx_dtype(int(node.attr("output_datatype", 1)))
    periodic = bool(node.attr("periodic", 1))
    divisor = size if periodic else size - 1
    if divisor <= 0:
        return [np.ones(size, dtype)]
    n = np.arange(size, dtype=np.float64)
    window = np.zeros(size, np.float64)
    for k, a in enumerate(COEFFICIENTS[node.proto.op_type]):
        window += a * np.cos(2 * math.pi * k * n / divisor)
    return [window.astype(dtype)]
