"""
One-op PyTorch import checks shared by the per-family test modules: `fn`
wrapped in a module, imported with `mlc.import_torch`, interpreted at the
graph level (and compiled natively when asked), every output compared with
PyTorch's in dtype, shape and value. Import it after
`pytest.importorskip("torch")`.
"""

from collections.abc import Callable
from typing import Any

import numpy as np
import torch
from torch import nn

import mlc
from mlc.interpreters import run_function


class Lambda(nn.Module):
    def __init__(self, fn: Callable[..., Any]) -> None:
        super().__init__()
        self.fn = fn

    def forward(self, *args: Any) -> Any:
        return self.fn(*args)


def check_against_torch(
    fn: Callable[..., Any],
    inputs: tuple[Any, ...],
    *,
    native: bool,
    rtol: float,
    atol: float,
) -> None:
    module = Lambda(fn)
    imported = mlc.import_torch(module, inputs)
    with torch.no_grad():
        expected = module(*inputs)
    expected = list(expected) if isinstance(expected, tuple) else [expected]
    params = list(imported.params.values())
    args = [x.numpy() for x in inputs]
    runs = [run_function(imported.module, imported.entry, [*args, *params])]
    if native:
        result = mlc.compile(imported, opt_level=1)(*args)  # pyright: ignore
        runs.append(list(result) if isinstance(result, tuple) else [result])
    for actual in runs:
        for got, want in zip(actual, expected, strict=True):
            want = want.numpy()
            got = np.asarray(got)
            assert got.dtype == want.dtype
            assert got.shape == want.shape
            np.testing.assert_allclose(got, want, rtol=rtol, atol=atol)
