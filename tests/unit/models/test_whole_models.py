"""
Whole PyTorch models compiled to native code match PyTorch within 1e-4, both
imported directly (`mlc.import_torch`) and through ONNX (`torch.onnx.export`,
then `mlc.import_onnx`).
"""

import io
import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")
onnx = pytest.importorskip("onnx")

from models.torch_models import MODELS  # noqa: E402

import mlc  # noqa: E402
from mlc.frontend import ImportedModel, import_onnx  # noqa: E402

TOLERANCE = 1e-4


def to_onnx(model: torch.nn.Module, x: torch.Tensor) -> ImportedModel:
    """Export with the TorchScript-based exporter (the dynamo one needs onnxscript)."""
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        # The legacy exporter announces its deprecation on every call, and its
        # tracer warns about shapes it records as constants (ours are static).
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", torch.jit.TracerWarning)
        torch.onnx.export(
            model, (x,), buffer, dynamo=False, input_names=["x"], output_names=["y"]
        )
    return import_onnx(onnx.load_from_string(buffer.getvalue()))


def check_compiled(
    imported: ImportedModel, model: torch.nn.Module, x: torch.Tensor
) -> None:
    compiled = mlc.compile(imported)
    assert [spec.name for spec in compiled.signature.inputs] == ["x"]
    with torch.no_grad():
        expected = model(x).numpy()
    actual = compiled(x)  # a CPU tensor is an array (__array__)
    assert isinstance(actual, np.ndarray)
    assert actual.shape == expected.shape
    np.testing.assert_allclose(actual, expected, rtol=TOLERANCE, atol=TOLERANCE)


@pytest.mark.parametrize("name", MODELS)
def test_imported_directly(name: str) -> None:
    model, x = MODELS[name].make()
    check_compiled(mlc.import_torch(model, (x,)), model, x)


@pytest.mark.parametrize("name", MODELS)
def test_imported_through_onnx(name: str) -> None:
    model, x = MODELS[name].make()
    check_compiled(to_onnx(model, x), model, x)
