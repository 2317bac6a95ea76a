"""
Real torchvision and transformers architectures (tests/unit/models/zoo.py)
compiled to native code match PyTorch, imported both directly
(`mlc.import_torch`) and through ONNX (`torch.onnx.export`, `mlc.import_onnx`).
"""

from __future__ import annotations

import io
import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")
onnx = pytest.importorskip("onnx")
from models.zoo import ZOO  # noqa: E402  (stubs what torchvision must not load)

pytest.importorskip("torchvision")
pytest.importorskip("transformers")

import mlc  # noqa: E402
from mlc.frontend import ImportedModel, import_onnx  # noqa: E402

TOLERANCE = 1e-4
"""Of the largest output magnitude: every result is f32, summed in another order."""


def to_onnx(model: torch.nn.Module, inputs: tuple[torch.Tensor, ...]) -> ImportedModel:
    buffer = io.BytesIO()
    names = [f"x{i}" for i in range(len(inputs))]
    with warnings.catch_warnings():
        # The TorchScript exporter announces its deprecation on every call and
        # warns about shapes it records as constants (mlc's are static).
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", torch.jit.TracerWarning)
        warnings.simplefilter("ignore", UserWarning)
        torch.onnx.export(
            model, inputs, buffer, dynamo=False, input_names=names, output_names=["y"]
        )
    return import_onnx(onnx.load_from_string(buffer.getvalue()))


def check(
    imported: ImportedModel, model: torch.nn.Module, inputs: tuple[torch.Tensor, ...]
) -> None:
    with torch.no_grad():
        expected = model(*inputs).numpy()
    actual = mlc.compile(imported)(*(x.numpy() for x in inputs))
    assert isinstance(actual, np.ndarray)
    assert actual.shape == expected.shape
    scale = float(np.abs(expected).max())
    assert scale > 1e-3, "a comparison of near-zero outputs would mean nothing"
    np.testing.assert_allclose(actual, expected, rtol=0, atol=TOLERANCE * scale)


@pytest.mark.parametrize("name", ZOO)
def test_imported_directly(name: str) -> None:
    model, inputs = ZOO[name].make()
    check(mlc.import_torch(model, inputs), model, inputs)


@pytest.mark.parametrize("name", ZOO)
def test_imported_through_onnx(name: str) -> None:
    model, inputs = ZOO[name].make()
    check(to_onnx(model, inputs), model, inputs)
