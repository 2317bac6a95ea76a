"""
`mlc.import_torch` of spatial resampling: `interpolate` in its modes,
`grid_sample`, `affine_grid` and `fold` (col2im) agree with PyTorch, through
the graph ops' references and natively.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

torch = pytest.importorskip("torch")
import torch.nn.functional as F  # noqa: E402
from torch_checks import Lambda  # noqa: E402

import mlc  # noqa: E402
from mlc.frontend import UnsupportedModelError  # noqa: E402
from mlc.interpreters import run_function  # noqa: E402


def rand(*shape: int, scale: float = 1.0) -> Any:
    generator = torch.Generator().manual_seed(sum(shape))
    return torch.randn(*shape, generator=generator) * scale


def check(fn: Callable[..., Any], *inputs: Any, native: bool = False) -> None:
    module = Lambda(fn).eval()
    imported = mlc.import_torch(module, inputs)
    with torch.no_grad():
        want = module(*inputs).numpy()
    arrays = [x.numpy() for x in inputs]
    got = run_function(imported.module, imported.entry, arrays)
    got = got[0] if isinstance(got, list | tuple) else got
    np.testing.assert_allclose(np.asarray(got), want, atol=2e-5, rtol=1e-4)
    if native:
        compiled = mlc.compile(imported)
        np.testing.assert_allclose(compiled(*arrays), want, atol=2e-5, rtol=1e-4)


INTERPOLATE: dict[str, dict[str, Any]] = {
    "nearest_scale": {"scale_factor": 2, "mode": "nearest"},
    "nearest_size": {"size": (7, 3), "mode": "nearest"},
    "nearest_fraction": {"scale_factor": 1.7, "mode": "nearest"},
    "nearest_exact": {"size": (9, 5), "mode": "nearest-exact"},
    "bilinear": {"size": (9, 5), "mode": "bilinear"},
    "bilinear_scale": {"scale_factor": 1.5, "mode": "bilinear"},
    "bilinear_down": {"scale_factor": 0.6, "mode": "bilinear"},
    "bilinear_align": {"size": (9, 5), "mode": "bilinear", "align_corners": True},
    "bilinear_align_one": {"size": (1, 5), "mode": "bilinear", "align_corners": True},
    "bicubic": {"size": (9, 5), "mode": "bicubic"},
    "bicubic_scale": {"scale_factor": 0.75, "mode": "bicubic"},
    "bicubic_align": {"size": (3, 8), "mode": "bicubic", "align_corners": True},
    "bilinear_aa": {"size": (2, 3), "mode": "bilinear", "antialias": True},
    "bilinear_aa_up": {"size": (9, 3), "mode": "bilinear", "antialias": True},
    "bicubic_aa": {"size": (3, 2), "mode": "bicubic", "antialias": True},
}


@pytest.mark.parametrize("name", sorted(INTERPOLATE))
def test_interpolate_2d(name: str) -> None:
    kwargs = INTERPOLATE[name]
    check(lambda x: F.interpolate(x, **kwargs), rand(2, 3, 6, 4))


@pytest.mark.parametrize(
    ("mode", "kwargs"),
    [
        ("linear", {"align_corners": False}),
        ("linear", {"align_corners": True}),
        ("nearest", {}),
    ],
)
def test_interpolate_1d(mode: str, kwargs: dict[str, Any]) -> None:
    check(lambda x: F.interpolate(x, size=11, mode=mode, **kwargs), rand(1, 2, 5))


@pytest.mark.parametrize("mode", ["trilinear", "nearest"])
def test_interpolate_3d(mode: str) -> None:
    check(
        lambda x: F.interpolate(x, scale_factor=(2, 1.5, 0.5), mode=mode),
        rand(1, 2, 3, 4, 6),
    )


def test_interpolate_runs_natively() -> None:
    check(
        lambda x: F.interpolate(x, size=(13, 9), mode="bicubic"),
        rand(1, 3, 8, 6),
        native=True,
    )


GRID_CASES = [
    (mode, padding, align)
    for mode in ("bilinear", "nearest")
    for padding in ("zeros", "border", "reflection")
    for align in (False, True)
] + [("bicubic", "zeros", False), ("bicubic", "zeros", True)]


@pytest.mark.parametrize(("mode", "padding", "align"), GRID_CASES)
def test_grid_sample_2d(mode: str, padding: str, align: bool) -> None:
    def fn(x: Any, g: Any) -> Any:
        return F.grid_sample(x, g, mode=mode, padding_mode=padding, align_corners=align)

    check(fn, rand(2, 3, 5, 6), rand(2, 4, 3, 2, scale=0.8))


def test_grid_sample_3d_runs_natively() -> None:
    def fn(x: Any, g: Any) -> Any:
        return F.grid_sample(x, g, padding_mode="border", align_corners=False)

    check(fn, rand(1, 2, 3, 4, 5), rand(1, 2, 3, 2, 3, scale=0.8), native=True)


def test_bicubic_grid_sample_with_border_padding_is_refused() -> None:
    module = Lambda(
        lambda x, g: F.grid_sample(
            x, g, mode="bicubic", padding_mode="border", align_corners=False
        )
    )
    with pytest.raises(UnsupportedModelError, match="bicubic grid sampling"):
        mlc.import_torch(module, (rand(1, 1, 4, 4), rand(1, 2, 2, 2)))


@pytest.mark.parametrize("align", [False, True])
def test_affine_grid(align: bool) -> None:
    check(lambda t: F.affine_grid(t, [2, 3, 4, 5], align_corners=align), rand(2, 2, 3))
    check(
        lambda t: F.affine_grid(t, [1, 1, 2, 3, 4], align_corners=align), rand(1, 3, 4)
    )


def test_affine_grid_then_grid_sample_runs_natively() -> None:
    def fn(x: Any, t: Any) -> Any:
        grid = F.affine_grid(t, [1, 2, 6, 5], align_corners=False)
        return F.grid_sample(x, grid, align_corners=False)

    check(fn, rand(1, 2, 4, 4), rand(1, 2, 3, scale=0.5), native=True)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"kernel_size": (2, 2)},
        {"kernel_size": (2, 3), "stride": (2, 1), "padding": 1, "dilation": (1, 2)},
    ],
)
def test_fold(kwargs: dict[str, Any]) -> None:
    unfolded = F.unfold(rand(1, 2, 5, 6), **kwargs)
    check(lambda c: F.fold(c, (5, 6), **kwargs), unfolded, native=True)
