"""
`mlc.import_torch` of PyTorch 2 export quantization's quantize and dequantize
ops (`quantized_decomposed`, per tensor and per channel), natively, against
PyTorch itself to the bit.
"""

import importlib
from typing import Any

import numpy as np
import pytest

torch = pytest.importorskip("torch")

importlib.import_module("torch.ao.quantization.fx._decomposed")  # registers the ops
from torch import nn  # noqa: E402

import mlc  # noqa: E402

Q = torch.ops.quantized_decomposed


class QuantDequant(nn.Module):
    def forward(self, x: Any, w: Any) -> Any:
        q = Q.quantize_per_tensor(x, 0.5, 3, -128, 127, torch.int8)
        d = Q.dequantize_per_tensor(q, 0.5, 3, -128, 127, torch.int8)
        u = Q.quantize_per_tensor(x, 0.25, 128, 0, 255, torch.uint8)
        scales = torch.tensor([0.05, 0.1, 0.2])
        zero_points = torch.tensor([1, -2, 0])
        qw = Q.quantize_per_channel(w, scales, zero_points, 1, -100, 100, torch.int8)
        dw = Q.dequantize_per_channel(qw, scales, zero_points, 1, -100, 100, torch.int8)
        return q, d, u, qw, dw


def test_quantize_dequantize_match_pytorch_bitwise() -> None:
    generator = torch.Generator().manual_seed(0)
    # Quarters: ties at scale 0.5 round half to even; +-100 saturates.
    x = torch.randint(-400, 400, (4, 6), generator=generator).float() / 4
    x[0, :2] = torch.tensor([100.0, -100.0])
    w = torch.randn(2, 3, generator=generator) * 20
    module = QuantDequant()
    imported = mlc.import_torch(module, (x, w))
    got = mlc.compile(imported)(x.numpy(), w.numpy())
    with torch.no_grad():
        want = module(x, w)
    for actual, expected in zip(got, want, strict=True):
        assert actual.dtype == expected.numpy().dtype
        np.testing.assert_array_equal(actual, expected.numpy())
