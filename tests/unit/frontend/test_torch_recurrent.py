"""
`nn.RNN`, `nn.GRU` and `nn.LSTM` through `mlc.import_torch`: `torch.export`
keeps them as `aten.rnn_tanh`/`aten.gru`/`aten.lstm`, which the importer
leaves to the default decompositions (a per-step `addmm`/`bmm` + gate
unroll of ops it maps), so they import with no converter of their own.
Checked against PyTorch, in the interpreter and natively.
"""

from typing import Any

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from torch import nn  # noqa: E402

import mlc  # noqa: E402
from mlc.interpreters import run_function  # noqa: E402

pytestmark = [
    pytest.mark.filterwarnings("ignore:The tensor attributes"),
    pytest.mark.filterwarnings("ignore:.*LeafSpec:FutureWarning"),
    pytest.mark.filterwarnings("ignore:LSTM with projections is not supported"),
]


class Flat(nn.Module):
    """The recurrent module's outputs as a flat tuple (y, h[, c])."""

    def __init__(self, inner: nn.Module) -> None:
        super().__init__()
        self.inner = inner

    def forward(self, x: Any, *state: Any) -> Any:
        y, final = self.inner(x, tuple(state) if len(state) > 1 else (*state, None)[0])
        return (y, *final) if isinstance(final, tuple) else (y, final)


def _rand(*shape: int) -> Any:
    return torch.randn(*shape, generator=torch.Generator().manual_seed(sum(shape)))


CASES: dict[str, Any] = {
    "lstm": lambda: nn.LSTM(4, 6),
    "lstm_2_layers_bidirectional_batch_first": lambda: nn.LSTM(
        4, 6, num_layers=2, bidirectional=True, batch_first=True
    ),
    "lstm_projection": lambda: nn.LSTM(4, 6, proj_size=3),
    "gru_bidirectional": lambda: nn.GRU(4, 6, bidirectional=True),
    "gru_2_layers_batch_first": lambda: nn.GRU(4, 6, num_layers=2, batch_first=True),
    "rnn_tanh": lambda: nn.RNN(4, 6, num_layers=2),
    "rnn_relu_no_bias": lambda: nn.RNN(4, 6, nonlinearity="relu", bias=False),
}


def _inputs(module: nn.Module, initial: bool) -> list[Any]:
    rnn: Any = module
    x = _rand(2, 5, 4)  # (batch, seq) or (seq, batch): both static
    if not initial:
        return [x]
    layers = rnn.num_layers * (2 if rnn.bidirectional else 1)
    batch = 2 if rnn.batch_first else 5
    h = _rand(layers, batch, rnn.proj_size or 6)
    if isinstance(rnn, nn.LSTM):
        return [x, h, _rand(layers, batch, 6) + 1]
    return [x, h]


@pytest.mark.parametrize("initial", [False, True])
@pytest.mark.parametrize("name", CASES)
def test_recurrent_module(name: str, initial: bool) -> None:
    module = Flat(CASES[name]()).eval()
    inputs = _inputs(module.inner, initial)
    imported = mlc.import_torch(module, tuple(inputs))
    with torch.no_grad():
        expected = module(*inputs)
    args = [x.numpy() for x in inputs]
    actual = run_function(
        imported.module, imported.entry, [*args, *imported.params.values()]
    )
    assert len(actual) == len(expected)
    for got, want in zip(actual, expected, strict=True):
        np.testing.assert_allclose(np.asarray(got), want.numpy(), atol=1e-5, rtol=1e-5)


def test_lstm_natively() -> None:
    module = Flat(CASES["lstm_2_layers_bidirectional_batch_first"]()).eval()
    x = _rand(2, 5, 4)
    compiled = mlc.compile(mlc.import_torch(module, (x,)))
    with torch.no_grad():
        expected = module(x)
    for got, want in zip(compiled(x.numpy()), expected, strict=True):
        np.testing.assert_allclose(got, want.numpy(), atol=1e-5, rtol=1e-5)
