"""
Pooling windows through `conv-depthwise-kernel` (`pooling_window.py`),
checked against PyTorch for the host's schedule and AVX2's: max and average
pools of odd sizes, strides 1 to 3, dilation, padding with and without it in
the average's count, widths ending in a partial vector or spanning several
tiles, and a NaN that the max must propagate.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
from helpers import full_context
from xdsl.parser import Parser

import mlc
from mlc.lowering.pipelines import pipeline_passes, run_passes
from mlc.support.target import TARGET_ENV

POOLS: list[tuple[str, Any, tuple[int, ...]]] = [
    ("max3x3_s2", lambda: torch.nn.MaxPool2d(3, 2, 1), (1, 5, 23, 37)),
    ("max2x2", lambda: torch.nn.MaxPool2d(2, 2), (2, 3, 16, 70)),
    ("max3x3_dil2", lambda: torch.nn.MaxPool2d(3, 1, 1, dilation=2), (1, 2, 11, 19)),
    ("max3x2_s3", lambda: torch.nn.MaxPool2d((3, 2), 3), (1, 4, 17, 50)),
    ("avg3x3_s2", lambda: torch.nn.AvgPool2d(3, 2, 1), (1, 3, 15, 41)),
    (
        "avg3x3_nopad",
        lambda: torch.nn.AvgPool2d(3, 1, 1, count_include_pad=False),
        (2, 2, 9, 33),
    ),
    ("avg2x2", lambda: torch.nn.AvgPool2d(2), (1, 6, 28, 28)),
]


@pytest.mark.parametrize("target", ["host", "avx2"])
@pytest.mark.parametrize(("name", "build", "shape"), POOLS, ids=[p[0] for p in POOLS])
def test_pools_agree_with_pytorch(
    name: str,
    build: Any,
    shape: tuple[int, ...],
    target: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(TARGET_ENV, target)
    module = build().eval()
    x = torch.from_numpy(np.random.default_rng(1).standard_normal(shape, np.float32))
    if name.startswith("max"):
        x[0, 0, 1, 2] = float("nan")  # the max propagates it
    imported = mlc.import_torch(module, (x,))
    loops = Parser(full_context(), str(imported.module)).parse_module()
    run_passes(pipeline_passes("loop"), full_context(), loops)
    assert "mlc.dwconv" in str(loops), name  # the window is the vector kernel's
    got = mlc.compile(imported)(x.numpy())
    want = module(x).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6, equal_nan=True)
