"""
PyTorch builders: spatial resampling. The `upsample_*` ops that
`interpolate` becomes are `graph.resize` with the coordinate mapping of
PyTorch's kernels; `grid_sampler` is `graph.grid_sample`; `affine_grid_generator`
and `col2im` are composed (`mlc.frontend.resample`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import cast

from xdsl.ir import SSAValue

from mlc.dialects import graph
from mlc.frontend import resample
from mlc.frontend.common import value_shape
from mlc.frontend.torch.importer import Args, Builder, Importer, Meta, Result


def _scales(a: Args, rank: int) -> list[float] | None:
    """The scale factors an upsample call gives for its spatial axes, if any."""
    found = a.get("scale_factors")
    if found is None:
        names = ("scales_d", "scales_h", "scales_w")[3 - rank :]
        named = [a.get(n, a.get("scales")) for n in names]
        found = None if any(s is None for s in named) else named
    return None if found is None else [float(s) for s in cast(Sequence[float], found)]


def _upsample(mode: str, exact: bool = False, antialias: bool = False) -> Builder:
    """
    `interpolate`'s kernels: nearest reads `floor(y * in / out)` (or
    `floor((y + 0.5) * in / out)` for nearest-exact), linear and cubic
    `(y + 0.5) * in / out - 0.5` or, with align_corners, `y * (in - 1) /
    (out - 1)`; a given scale factor replaces `out / in`, as in PyTorch.
    """

    def build(im: Importer, a: Args, out: Meta) -> Result:
        x = cast(SSAValue, a.get("input", a.get("self")))
        shape = value_shape(x)
        spatial = len(shape) - 2
        align = bool(a.get("align_corners"))
        given = _scales(a, spatial)
        ratios = [o / i for o, i in zip(out.shape[2:], shape[2:], strict=True)]
        factors = ratios if given is None or align else given
        if mode == "nearest":
            coordinate = "half_pixel" if exact else "asymmetric"
            nearest = "round_prefer_ceil" if exact else "floor"
        else:
            coordinate = "align_corners" if align else "half_pixel"
            nearest = None
        op = graph.ResizeOp(
            x,
            mode,
            [1.0, 1.0, *factors],
            out.shape,
            coordinate_mode=coordinate,
            nearest_mode=nearest,
            antialias=antialias,
            exclude_outside=antialias,
            cubic_coeff_a=-0.5 if antialias and mode == "cubic" else None,
        )
        return im.add(op)

    return build


_INTERPOLATION = ("linear", "nearest", "cubic")
_PADDING = ("zeros", "border", "reflection")


def _grid_sampler(im: Importer, a: Args, out: Meta) -> Result:
    x, grid = cast(SSAValue, a["input"]), cast(SSAValue, a["grid"])
    mode = _INTERPOLATION[int(a["interpolation_mode"])]
    padding = _PADDING[int(a["padding_mode"])]
    if mode == "cubic" and padding != "zeros":
        # PyTorch pads each bicubic tap, ONNX (graph.grid_sample) the point.
        raise im.fail(f"bicubic grid sampling with {padding} padding is not supported")
    return im.add(graph.GridSampleOp(x, grid, mode, padding, bool(a["align_corners"])))


def _affine_grid(im: Importer, a: Args, out: Meta) -> Result:
    size = [int(s) for s in cast(Sequence[int], a["size"])]
    theta = cast(SSAValue, a["theta"])
    return resample.affine_grid(im, theta, size[2:], bool(a["align_corners"]))


def _col2im(im: Importer, a: Args, out: Meta) -> Result:
    def ints(name: str) -> list[int]:
        value = a[name]
        return [int(value)] * 2 if isinstance(value, int) else list(value)

    padding = ints("padding")
    try:
        return resample.col2im(
            im,
            cast(SSAValue, a["self"]),
            ints("output_size"),
            ints("kernel_size"),
            ints("dilation"),
            padding + padding,
            ints("stride"),
        )
    except ValueError as error:
        raise im.fail(str(error)) from None


def _variants(name: str, build: Callable[..., Result]) -> dict[str, Builder]:
    return {f"aten.{name}.vec": build, f"aten.{name}.default": build}


OPS: dict[str, Builder] = {
    **_variants("upsample_nearest1d", _upsample("nearest")),
    **_variants("upsample_nearest2d", _upsample("nearest")),
    **_variants("upsample_nearest3d", _upsample("nearest")),
    **_variants("_upsample_nearest_exact1d", _upsample("nearest", exact=True)),
    **_variants("_upsample_nearest_exact2d", _upsample("nearest", exact=True)),
    **_variants("_upsample_nearest_exact3d", _upsample("nearest", exact=True)),
    **_variants("upsample_linear1d", _upsample("linear")),
    **_variants("upsample_bilinear2d", _upsample("linear")),
    **_variants("upsample_trilinear3d", _upsample("linear")),
    **_variants("upsample_bicubic2d", _upsample("cubic")),
    **_variants("_upsample_bilinear2d_aa", _upsample("linear", antialias=True)),
    **_variants("_upsample_bicubic2d_aa", _upsample("cubic", antialias=True)),
    "aten.grid_sampler.default": _grid_sampler,
    "aten.grid_sampler_2d.default": _grid_sampler,
    "aten.grid_sampler_3d.default": _grid_sampler,
    "aten.affine_grid_generator.default": _affine_grid,
    "aten.col2im.default": _col2im,
}
