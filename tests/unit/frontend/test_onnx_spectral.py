"""
DFT, STFT, MelWeightMatrix and Det imported from ONNX: against numpy's FFT
and `linalg.det` and onnx's reference implementation, run by the graph-level
interpreter (and natively once).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import onnx
import pytest
from onnx import helper, numpy_helper
from onnx.reference import ReferenceEvaluator

import mlc
from mlc.frontend import UnsupportedModelError
from mlc.frontend.onnx import import_onnx
from mlc.interpreters import run_function

Array = np.ndarray[Any, Any]
RNG = np.random.default_rng(3)


def _model(
    op: str,
    x: Array,
    constants: list[Array | None],
    attrs: dict[str, Any],
    opset: int = 20,
) -> onnx.ModelProto:
    names = ["x"] + [("" if c is None else f"c{i}") for i, c in enumerate(constants)]
    inits = [
        numpy_helper.from_array(c, f"c{i}")
        for i, c in enumerate(constants)
        if c is not None
    ]
    node = helper.make_node(op, names, ["y"], **attrs)
    dtype = helper.np_dtype_to_tensor_dtype(x.dtype)
    graph = helper.make_graph(
        [node],
        "g",
        [helper.make_tensor_value_info("x", dtype, list(x.shape))],
        [helper.make_tensor_value_info("y", dtype, None)],
        inits,
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])


def _run(model: onnx.ModelProto, x: Array) -> Array:
    imported = import_onnx(model)
    args = [x, *imported.params.values()]
    (y,) = run_function(imported.module, imported.entry, args)
    return np.asarray(y)


def _complex(x: Array) -> Array:
    return x[..., 0] + 1j * x[..., 1] if x.shape[-1] == 2 else x[..., 0]


def _pairs(z: Array) -> Array:
    return np.stack([z.real, z.imag], -1)


@pytest.mark.parametrize("axis", [0, 1, -2, 2])
@pytest.mark.parametrize("length", [None, 5, 11])
@pytest.mark.parametrize("channels", [1, 2])
@pytest.mark.parametrize("inverse", [False, True])
def test_dft(axis: int, length: int | None, channels: int, inverse: bool) -> None:
    x = RNG.standard_normal((3, 8, 4, channels)).astype(np.float64)
    constants: list[Array | None] = [
        None if length is None else np.array(length, np.int64),
        np.array(axis, np.int64),
    ]
    got = _run(_model("DFT", x, constants, {"inverse": int(inverse)}), x)
    fft = np.fft.ifft if inverse else np.fft.fft
    want = _pairs(fft(_complex(x), n=length, axis=axis % 4))
    np.testing.assert_allclose(got, want, atol=1e-9)


@pytest.mark.parametrize("length", [None, 6, 7, 9])
def test_rfft_and_irfft(length: int | None) -> None:
    x = RNG.standard_normal((2, 8, 1)).astype(np.float32)
    n = None if length is None else np.array(length, np.int64)
    half = _run(_model("DFT", x, [n, None], {"onesided": 1}, opset=19), x)
    want = np.fft.rfft(x[..., 0], n=length, axis=1)
    np.testing.assert_allclose(half, _pairs(want), rtol=1e-4, atol=1e-5)
    spectrum = _pairs(want).astype(np.float32)
    attrs = {"onesided": 1, "inverse": 1}
    back = _run(_model("DFT", spectrum, [n, None], attrs, opset=19), spectrum)
    expected = np.fft.irfft(want, n=length or 2 * (want.shape[1] - 1), axis=1)
    np.testing.assert_allclose(back[..., 0], expected, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("window", [False, True])
@pytest.mark.parametrize("channels", [1, 2])
def test_stft(window: bool, channels: int) -> None:
    x = RNG.standard_normal((2, 40, channels)).astype(np.float32)
    win = np.hanning(12).astype(np.float32) if window else None
    frame_length = None if window else np.array(10, np.int64)
    attrs = {"onesided": int(channels == 1)}
    model = _model("STFT", x, [np.array(6, np.int64), win, frame_length], attrs, 17)
    want = ReferenceEvaluator(model).run(None, {"x": x})[0]
    np.testing.assert_allclose(_run(model, x), want, rtol=1e-4, atol=1e-4)


def test_mel_weight_matrix() -> None:
    values = [np.array(v, np.int32) for v in (10, 64, 16000)]
    values += [np.array(v, np.float32) for v in (20.0, 7000.0)]
    names = [f"c{i}" for i in range(5)]
    node = helper.make_node("MelWeightMatrix", names, ["y"])
    graph = helper.make_graph(
        [node],
        "g",
        [],
        [helper.make_tensor_value_info("y", onnx.TensorProto.FLOAT, None)],
        [numpy_helper.from_array(v, n) for v, n in zip(values, names, strict=True)],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    want = ReferenceEvaluator(model).run(None, {})[0]
    imported = import_onnx(model)
    (got,) = run_function(imported.module, imported.entry, [])
    np.testing.assert_array_equal(np.asarray(got), want)


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8])
def test_det(n: int) -> None:
    x = RNG.standard_normal((4, 2, n, n))
    x[0, 0, 0, 0] = 0.0  # a zero where no pivoting would divide by it
    x[1, 0] = x[1, 0, :, ::-1]  # a permuted matrix
    x[2, 1, -1] = x[2, 1, 0]  # singular: two equal rows
    x[3, 1] = 0.0
    got = _run(_model("Det", x, [], {}, 22), x)
    np.testing.assert_allclose(got, np.linalg.det(x), rtol=1e-9, atol=1e-9)


def test_native() -> None:
    x = RNG.standard_normal((2, 16, 2)).astype(np.float32)
    model = _model("DFT", x, [None, np.array(1, np.int64)], {})
    got = mlc.compile(model)(x)
    want = _pairs(np.fft.fft(_complex(x), axis=1))
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4)
    m = RNG.standard_normal((5, 4, 4)).astype(np.float32)
    det = mlc.compile(_model("Det", m, [], {}, 22))(m)
    np.testing.assert_allclose(det, np.linalg.det(m), rtol=1e-4, atol=1e-5)


def test_last_axis_refused() -> None:
    x = RNG.standard_normal((2, 8, 1)).astype(np.float32)
    model = _model("DFT", x, [None, np.array(-1, np.int64)], {})
    with pytest.raises(UnsupportedModelError, match="axis -1 is not a signal axis"):
        import_onnx(model)
