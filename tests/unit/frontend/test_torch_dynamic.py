"""`mlc.import_torch(..., dynamic_shapes=...)`: torch.export's dynamic dims."""

from __future__ import annotations

import numpy as np
import pytest

import mlc
from mlc.runtime.specialize import DynamicModule

torch = pytest.importorskip("torch")


class Head(torch.nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.fc = torch.nn.Linear(8, 4)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(self.fc(x)).sum(dim=1, keepdim=True) * 2


class Pinned(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.view(2, -1)  # specializes the batch dimension to 2


def test_dynamic_batch_from_torch_export() -> None:
    torch.manual_seed(0)
    net = Head().eval()
    batch = torch.export.Dim("batch")
    imported = mlc.import_torch(
        net, (torch.randn(2, 8),), dynamic_shapes={"x": {0: batch}}
    )
    model = mlc.compile(imported, opt_level=1)
    assert isinstance(model, DynamicModule)
    assert str(model.signature) == (
        "@forward(x: batchx8xfloat32) -> (out0: batchx1xfloat32)"
    )
    for size in (1, 5, 9):
        x = np.random.default_rng(size).standard_normal((size, 8)).astype(np.float32)
        with torch.no_grad():
            expected = net(torch.from_numpy(x)).numpy()
        np.testing.assert_allclose(model(x), expected, rtol=1e-5, atol=1e-5)
    with pytest.raises(mlc.InputError, match="dimension 1 is fixed at 8"):
        model(np.zeros((3, 7), np.float32))


def test_a_dimension_torch_pins_is_refused() -> None:
    batch = torch.export.Dim("batch")
    with pytest.raises(ValueError, match=r"torch\.export refuses the dynamic_shapes"):
        mlc.import_torch(Pinned(), (torch.randn(2, 3),), dynamic_shapes=({0: batch},))


def test_input_shapes_fixes_a_torch_model() -> None:
    imported = mlc.import_torch(
        Head().eval(), (torch.randn(2, 8),), dynamic_shapes=[{0: torch.export.Dim.AUTO}]
    )
    model = mlc.compile(imported, opt_level=0, input_shapes={"x": (3, 8)})
    assert isinstance(model, mlc.CompiledModule)
    assert str(model.signature.inputs[0]) == "x: 3x8xfloat32"
