"""
`conv-depthwise-kernel` checked numerically against numpy.

Depthwise and grouped convolutions of odd sizes, strides 1 to 3, dilations,
channel multipliers, batches, widths that end in a partial vector or span
several tiles, padding (read from the image itself: `window_reads.py`) around
images larger and smaller than a tile, with fused epilogues (batch norm +
clip, a residual add), built through the whole pipeline at -O0 and -O3 for
the host's schedule and for AVX2's (`MLC_TARGET=avx2`), and with tiles chosen
by option.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from xdsl.dialects.builtin import ModuleOp
from xdsl.parser import Parser
from xdsl.utils.arg_spec import parse_spec

import mlc
from mlc.lowering.pipelines import pipeline_passes, run_passes
from mlc.passes.conv_depthwise_kernel import ConvDepthwiseKernelPass
from mlc.support.target import TARGET_ENV

Array = np.ndarray[Any, np.dtype[Any]]

# name, x shape, groups, out channels, kernel, stride, pad, dilation, epilogue
CASES: list[
    tuple[str, tuple[int, ...], int, int, tuple[int, int], int, int, int, str]
] = [
    ("dw3x3", (1, 5, 13, 13), 5, 5, (3, 3), 1, 1, 1, "bias"),
    ("dw3x3_s2", (1, 4, 17, 23), 4, 4, (3, 3), 2, 1, 1, "bn_clip"),
    ("dw5x5_dil2", (1, 3, 19, 21), 3, 3, (5, 5), 1, 4, 2, "none"),
    ("dw3x3_s2_dil2", (2, 3, 15, 40), 3, 3, (3, 3), 2, 2, 2, "bias"),
    ("dw_mult2", (1, 3, 9, 35), 3, 6, (3, 3), 1, 1, 1, "bias"),
    ("dw_s3", (1, 2, 20, 50), 2, 2, (3, 3), 3, 1, 1, "bias"),
    ("dw_3x1", (2, 4, 7, 70), 4, 4, (3, 1), 1, 0, 1, "residual"),
    ("dw_wide", (1, 2, 6, 100), 2, 2, (3, 3), 1, 1, 1, "bn_clip"),
    # images smaller than a tile: every tile on the padding's border
    ("dw_tiny", (1, 2, 2, 3), 2, 2, (3, 3), 1, 1, 1, "bn_clip"),
    ("dw5x5_s2_tiny", (1, 3, 4, 5), 3, 3, (5, 5), 2, 2, 1, "bias"),
    ("grouped", (1, 4, 9, 11), 2, 6, (3, 3), 1, 1, 1, "bias"),
    ("grouped_s2", (2, 6, 12, 13), 3, 9, (3, 3), 2, 1, 1, "bn_clip"),
]


def _type(shape: tuple[int, ...]) -> str:
    return "tensor<" + "x".join(map(str, shape)) + "xf32>"


def _out_shape(case: tuple[Any, ...]) -> tuple[int, ...]:
    _, x, _, f, (kh, kw), s, p, d, _ = case
    oh = (x[2] + 2 * p - d * (kh - 1) - 1) // s + 1
    ow = (x[3] + 2 * p - d * (kw - 1) - 1) // s + 1
    return (x[0], f, oh, ow)


def module_text() -> tuple[str, list[tuple[int, ...]]]:
    """One function computing every case; its argument shapes."""
    args: list[tuple[int, ...]] = []
    lines: list[str] = []
    results: list[tuple[str, tuple[int, ...]]] = []

    def arg(shape: tuple[int, ...]) -> str:
        args.append(shape)
        return f"%a{len(args) - 1}"

    for case in CASES:
        name, x, groups, f, (kh, kw), s, p, d, epi = case
        out = _out_shape(case)
        xs, ws = arg(x), arg((f, x[1] // groups, kh, kw))
        operands = [xs, ws]
        types = [_type(x), _type((f, x[1] // groups, kh, kw))]
        if epi == "bias":
            operands.append(arg((f,)))
            types.append(_type((f,)))
        props = (
            f"dilations = array<i64: {d}, {d}>, groups = {groups} : i64, "
            f"pads = array<i64: {p}, {p}, {p}, {p}>, strides = array<i64: {s}, {s}>"
        )
        lines.append(
            f"  %{name} = graph.conv2d {', '.join(operands)} {{{props}}} : "
            f"({', '.join(types)}) -> {_type(out)}"
        )
        result = f"%{name}"
        if epi == "bn_clip":
            stats = [arg((f,)) for _ in range(4)]
            vec = _type((f,))
            lines.append(
                f"  %{name}_bn = graph.batch_norm {result}, {', '.join(stats)} : "
                f"({_type(out)}, {vec}, {vec}, {vec}, {vec}) -> {_type(out)}"
            )
            lines.append(
                f"  %{name}_clip = graph.clip %{name}_bn {{max = 6.000000e+00 : f32, "
                f"min = 0.000000e+00 : f32}} : {_type(out)}"
            )
            result = f"%{name}_clip"
        elif epi == "residual":
            other = arg(out)
            lines.append(
                f"  %{name}_add = graph.add {result}, {other} : "
                f"({_type(out)}, {_type(out)}) -> {_type(out)}"
            )
            result = f"%{name}_add"
        results.append((result, out))
    params = ", ".join(f"%a{i}: {_type(s)}" for i, s in enumerate(args))
    names = ", ".join(n for n, _ in results)
    types = ", ".join(_type(s) for _, s in results)
    body = "\n".join(lines)
    text = (
        f"func.func @cases({params}) -> ({types}) {{\n{body}\n"
        f"  func.return {names} : {types}\n}}\n"
    )
    return text, args


def _conv(x: Array, w: Array, groups: int, s: int, p: int, d: int) -> Array:
    """The grouped convolution in float64, tap by tap."""
    x = np.pad(x.astype(np.float64), ((0, 0), (0, 0), (p, p), (p, p)))
    f, cg, kh, kw = w.shape
    og = f // groups
    n, _, h, wd = x.shape
    oh = (h - d * (kh - 1) - 1) // s + 1
    ow = (wd - d * (kw - 1) - 1) // s + 1
    out = np.zeros((n, f, oh, ow), np.float64)
    for g in range(groups):
        xs = x[:, g * cg : (g + 1) * cg]
        ws = w[g * og : (g + 1) * og].astype(np.float64)
        for i in range(kh):
            for j in range(kw):
                patch = xs[
                    :,
                    :,
                    i * d : i * d + s * (oh - 1) + 1 : s,
                    j * d : j * d + s * (ow - 1) + 1 : s,
                ]
                out[:, g * og : (g + 1) * og] += np.einsum(
                    "nchw,fc->nfhw", patch, ws[:, :, i, j]
                )
    return out


def references(inputs: list[Array]) -> list[Array]:
    it = iter(inputs)
    want: list[Array] = []
    for _, _, groups, _, _, s, p, d, epi in CASES:
        out = _conv(next(it), next(it), groups, s, p, d)
        if epi == "bias":
            out = out + next(it)[None, :, None, None]
        elif epi == "bn_clip":
            scale, bias, mean, var = (next(it)[None, :, None, None] for _ in range(4))
            out = (out - mean) / np.sqrt(var + 1e-5) * scale + bias
            out = np.clip(out, 0, 6)
        elif epi == "residual":
            out = out + next(it)
        want.append(out)
    return want


def _inputs() -> list[Array]:
    _, shapes = module_text()
    rng = np.random.default_rng(0)
    inputs = [rng.standard_normal(s).astype(np.float32) for s in shapes]
    # batch_norm's variances (the 4th statistic of each bn_clip case) > 0
    index = 0
    for _, _, _, _, _, _, _, _, epi in CASES:
        index += 2 + (epi == "bias")
        if epi == "bn_clip":
            inputs[index + 3] = np.abs(inputs[index + 3]) + 0.5
            index += 4
        index += epi == "residual"
    return inputs


_LOWERED: dict[tuple[str, str], ModuleOp] = {}


def lowered(target: str, kernel: str = "conv-depthwise-kernel") -> ModuleOp:
    """The cases at the llvm level for `target`, `kernel` in the pipeline."""
    if (target, kernel) not in _LOWERED:
        from helpers import full_context

        text, _ = module_text()
        module = Parser(full_context(), text).parse_module()
        passes = pipeline_passes("llvm")
        if kernel != "conv-depthwise-kernel":
            index = [p.name for p in passes].index("conv-depthwise-kernel")
            passes[index] = ConvDepthwiseKernelPass.from_spec(parse_spec(kernel))
        run_passes(passes, full_context(), module)
        _LOWERED[target, kernel] = module
    return _LOWERED[target, kernel]


def _check(got: list[Array], inputs: list[Array]) -> None:
    want = references(inputs)
    assert len(got) == len(want)
    for case, g, w in zip(CASES, got, want, strict=True):
        assert g.shape == w.shape, case[0]
        np.testing.assert_allclose(g, w, rtol=1e-5, atol=2e-5, err_msg=case[0])


@pytest.mark.parametrize("target", ["host", "avx2"])
@pytest.mark.parametrize("opt_level", [0, 3])
def test_every_case_agrees_with_numpy(
    target: str, opt_level: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TARGET_ENV, target)
    inputs = _inputs()
    got = mlc.compile(lowered(target), "cases", opt_level=opt_level)(*inputs)
    _check(list(got), inputs)


@pytest.mark.parametrize(
    "spec",
    [
        "conv-depthwise-kernel{tile-h=1 tile-w=1 vl=4}",
        "conv-depthwise-kernel{tile-h=5 tile-w=3 vl=8}",
        "conv-depthwise-kernel{fuse-epilogue=false}",
    ],
)
def test_tile_options_agree_with_numpy(
    spec: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TARGET_ENV, "avx2")
    inputs = _inputs()
    got = mlc.compile(lowered("avx2", spec), "cases", opt_level=3)(*inputs)
    _check(list(got), inputs)


def test_every_case_is_scheduled() -> None:
    """Depthwise convs get the vector loops, grouped ones a GEMM per group."""
    from helpers import full_context

    text, _ = module_text()
    module = Parser(full_context(), text).parse_module()
    run_passes(pipeline_passes("loop"), full_context(), module)
    printed = str(module)
    depthwise = sum(1 for c in CASES if c[2] == c[1][1])
    assert printed.count("mlc.dwconv") == depthwise
    assert printed.count("mlc.gemm") >= len(CASES) - depthwise
    assert "linalg" not in printed


def test_schedule_options_override_the_target(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TARGET_ENV, "avx2")
    default = ConvDepthwiseKernelPass().schedule()
    assert (default.rows, default.vectors, default.vl) == (3, 2, 8)
    monkeypatch.setenv(TARGET_ENV, "avx512")
    default = ConvDepthwiseKernelPass().schedule()
    assert (default.rows, default.vectors, default.vl) == (4, 2, 16)
    chosen = ConvDepthwiseKernelPass(tile_h=2, tile_w=1, vl=4).schedule()
    assert (chosen.rows, chosen.vectors, chosen.vl) == (2, 1, 4)
    # A 7-wide row holds one vector: the spare accumulators go to more rows.
    assert default.fit(7, 7) == type(default)(7, 1, 16)


def test_tiles_must_be_positive() -> None:
    with pytest.raises(ValueError, match="must be positive"):
        ConvDepthwiseKernelPass(tile_h=-1).schedule()
