"""
RNN, GRU and LSTM imported from ONNX, unrolled over time: every direction,
layout, activation, clip, initial states, peepholes, `input_forget` and
constant `sequence_lens`, against onnxruntime (onnx's reference
implementation ignores most of these attributes).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import helper, numpy_helper

import mlc
from mlc.frontend import UnsupportedModelError
from mlc.frontend.onnx import import_onnx
from mlc.interpreters import run_function

Array = np.ndarray[Any, Any]
GATES = {"RNN": 1, "GRU": 3, "LSTM": 4}
SEQ, BATCH, INPUT, HIDDEN = 4, 3, 5, 6


def _model(
    op: str, attrs: dict[str, Any], lengths: Array | None, outputs: int
) -> tuple[onnx.ModelProto, dict[str, Array]]:
    rng = np.random.default_rng(len(op) + len(attrs))
    dirs = 2 if attrs.get("direction") == "bidirectional" else 1
    layout = attrs.get("layout", 0)
    g = GATES[op]
    x_shape = (BATCH, SEQ, INPUT) if layout else (SEQ, BATCH, INPUT)
    state = (BATCH, dirs, HIDDEN) if layout else (dirs, BATCH, HIDDEN)

    def rand(*shape: int) -> Array:
        return (rng.standard_normal(shape) * 0.6).astype(np.float32)

    feeds = {
        "X": rand(*x_shape),
        "W": rand(dirs, g * HIDDEN, INPUT),
        "R": rand(dirs, g * HIDDEN, HIDDEN),
        "B": rand(dirs, 2 * g * HIDDEN),
        "initial_h": rand(*state),
    }
    names = [
        "X",
        "W",
        "R",
        "B",
        "" if lengths is None else "sequence_lens",
        "initial_h",
    ]
    if op == "LSTM":
        feeds["initial_c"] = rand(*state)
        feeds["P"] = rand(dirs, 3 * HIDDEN)
        names += ["initial_c", "P"]
    out_names = ["Y", "Y_h", "Y_c"][:outputs]
    node = helper.make_node(op, names, out_names, hidden_size=HIDDEN, **attrs)
    inits = []
    if lengths is not None:
        inits.append(numpy_helper.from_array(lengths, "sequence_lens"))
    graph = helper.make_graph(
        [node],
        "g",
        [
            helper.make_tensor_value_info(k, onnx.TensorProto.FLOAT, list(v.shape))
            for k, v in feeds.items()
        ],
        [
            helper.make_tensor_value_info(n, onnx.TensorProto.FLOAT, None)
            for n in out_names
        ],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 22)])
    model.ir_version = 10
    return model, feeds


def _check(
    op: str,
    attrs: dict[str, Any],
    lengths: Array | None = None,
    native: bool = False,
) -> None:
    outputs = 3 if op == "LSTM" else 2
    model, feeds = _model(op, attrs, lengths, outputs)
    expected = _onnxruntime(op, attrs, lengths, feeds)
    if native:
        actual = mlc.compile(model)(*feeds.values())
        actual = actual if isinstance(actual, tuple) else (actual,)
    else:
        imported = import_onnx(model)
        args = [*feeds.values(), *imported.params.values()]
        actual = run_function(imported.module, imported.entry, args)
    assert len(actual) == len(expected)
    for want, got in zip(expected, actual, strict=True):
        np.testing.assert_allclose(np.asarray(got), want, rtol=1e-4, atol=1e-5)


def _onnxruntime(
    op: str, attrs: dict[str, Any], lengths: Array | None, feeds: dict[str, Array]
) -> list[Array]:
    """onnxruntime's outputs; it runs layout 1 only as transposed layout 0."""
    outputs = 3 if op == "LSTM" else 2
    layout = attrs.get("layout", 0)
    time_major = {k: v for k, v in attrs.items() if k != "layout"}
    model, _ = _model(op, time_major, lengths, outputs)
    if layout:
        feeds = {
            k: v.swapaxes(0, 1) if k in ("X", "initial_h", "initial_c") else v
            for k, v in feeds.items()
        }
    session = ort.InferenceSession(
        model.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    results: list[Array] = session.run(None, feeds)
    if layout:  # Y [seq, dirs, batch, hidden] -> [batch, seq, dirs, hidden]
        results = [results[0].transpose(2, 0, 1, 3)] + [
            r.swapaxes(0, 1) for r in results[1:]
        ]
    return results


CASES: list[tuple[str, dict[str, Any]]] = [
    ("RNN", {}),
    ("RNN", {"direction": "reverse", "layout": 1}),
    ("RNN", {"direction": "bidirectional", "activations": ["Relu", "Tanh"]}),
    ("RNN", {"activations": ["LeakyRelu"], "activation_alpha": [0.2], "clip": 1.5}),
    ("RNN", {"activations": ["HardSigmoid"], "activation_alpha": [0.3],
             "activation_beta": [0.4]}),
    ("GRU", {}),
    ("GRU", {"linear_before_reset": 1}),
    ("GRU", {"direction": "bidirectional", "linear_before_reset": 1, "layout": 1}),
    ("GRU", {"direction": "reverse", "clip": 0.5}),
    ("GRU", {"activations": ["HardSigmoid", "Softsign"]}),
    ("LSTM", {}),
    ("LSTM", {"direction": "bidirectional"}),
    ("LSTM", {"direction": "reverse", "layout": 1, "clip": 0.8}),
    ("LSTM", {"input_forget": 1}),
    ("LSTM", {"activations": ["Sigmoid", "Elu", "Softplus"]}),
    ("LSTM", {"activations": ["HardSigmoid", "ScaledTanh", "Affine"],
              "activation_alpha": [0.25, 1.5, 0.5],
              "activation_beta": [0.5, 0.7, 0.1]}),
]  # fmt: skip


@pytest.mark.parametrize(("op", "attrs"), CASES, ids=[f"{o}-{a}" for o, a in CASES])
def test_recurrent(op: str, attrs: dict[str, Any]) -> None:
    _check(op, attrs)


@pytest.mark.parametrize("op", ["RNN", "GRU", "LSTM"])
@pytest.mark.parametrize("direction", ["forward", "reverse", "bidirectional"])
def test_sequence_lens(op: str, direction: str) -> None:
    """Entries past their length keep their state and output zeros."""
    lengths = np.array([4, 1, 2], np.int32)
    _check(op, {"direction": direction}, lengths)


@pytest.mark.parametrize("op", ["GRU", "LSTM"])
def test_native(op: str) -> None:
    _check(op, {"direction": "bidirectional", "layout": 1}, native=True)


def test_runtime_sequence_lens_refused() -> None:
    model, _ = _model("RNN", {}, None, 2)
    model.graph.node[0].input[4] = "lens"
    model.graph.input.append(
        helper.make_tensor_value_info("lens", onnx.TensorProto.INT32, [BATCH])
    )
    with pytest.raises(UnsupportedModelError, match=r"sequence_lens\) must be a const"):
        import_onnx(model)


def test_unknown_activation_refused() -> None:
    model, _ = _model("RNN", {"activations": ["Gelu"]}, None, 2)
    with pytest.raises(UnsupportedModelError, match="activation 'Gelu' is not"):
        import_onnx(model)
