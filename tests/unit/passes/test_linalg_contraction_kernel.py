"""
`linalg-contraction-kernel` natively against numpy: every shape class of the
packed GEMM (tiny, fewer columns than the micro-tile, fewer rows, K not a
multiple of the K block, odd sizes, batched with and without a batched B, a
linear's transposed weight, 3x3 and 1x1 convolutions, fused epilogues) at
-O0 and -O3, for the host's schedule and for AVX2's (`MLC_TARGET=avx2`).

All cases are results of one graph function, so each (level, target) is one
compile. The sum over k is reassociated (K blocks, FMA), so results match
numpy to a few float32 ulps of the sum's magnitude, not bit for bit.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from xdsl.dialects.builtin import ModuleOp
from xdsl.parser import Parser

import mlc
from mlc.lowering.pipelines import pipeline_passes, run_passes
from mlc.passes.linalg_contraction_kernel import LinalgContractionKernelPass
from mlc.support.target import TARGET_ENV

Array = np.ndarray[Any, Any]

CASES: list[tuple[str, list[tuple[int, ...]], str, tuple[int, ...]]] = [
    # (name, input shapes, graph op line (%0.. are inputs), result shape)
    ("tiny", [(1, 1), (1, 1)], "graph.matmul {0}, {1}", (1, 1)),
    ("m_below_tile", [(3, 20), (20, 40)], "graph.matmul {0}, {1}", (3, 40)),
    ("k_blocks", [(9, 300), (300, 17)], "graph.matmul {0}, {1}", (9, 17)),
    ("odd", [(37, 53), (53, 29)], "graph.matmul {0}, {1}", (37, 29)),
    ("batch", [(2, 3, 7, 9), (2, 3, 9, 18)], "graph.matmul {0}, {1}", (2, 3, 7, 18)),
    ("batch_shared_b", [(3, 7, 9), (9, 18)], "graph.matmul {0}, {1}", (3, 7, 18)),
    ("linear", [(5, 33), (21, 33), (21,)], "graph.linear {0}, {1}, {2}", (5, 21)),
]

CONV = "graph.conv2d {0}, {1}, {2} {{strides = array<i64: {s}, {s}>, pads = array<i64: {p}, {p}, {p}, {p}>}}"  # noqa: E501

CONVS: list[tuple[str, tuple[int, ...], tuple[int, ...], int, int]] = [
    ("conv3x3", (2, 3, 9, 11), (5, 3, 3, 3), 2, 1),
    ("conv1x1", (1, 8, 5, 7), (20, 8, 1, 1), 1, 0),
    # Fewer filters than a micro-tile's rows, several column tiles.
    ("conv_few_filters", (1, 2, 12, 12), (3, 2, 3, 3), 1, 1),
    # Two K blocks of whole channels (36 of them; 3x3 taps).
    ("conv_k_blocks", (1, 36, 6, 7), (10, 36, 3, 3), 1, 1),
    # 49 pixels: with 16 lanes the last vector has one column (transposed).
    ("conv_thin_columns", (1, 5, 7, 7), (9, 5, 3, 3), 1, 1),
]


def _type(shape: tuple[int, ...]) -> str:
    return f"tensor<{'x'.join(map(str, shape))}xf32>"


def _conv_out(
    x: tuple[int, ...], w: tuple[int, ...], s: int, p: int
) -> tuple[int, ...]:
    h = (x[2] + 2 * p - w[2]) // s + 1
    width = (x[3] + 2 * p - w[3]) // s + 1
    return (x[0], w[0], h, width)


def module_text() -> tuple[str, list[tuple[int, ...]]]:
    """One function: every case's result, then the epilogue cases'."""
    args: list[tuple[int, ...]] = []
    lines: list[str] = []
    results: list[tuple[str, tuple[int, ...]]] = []

    def arg(shape: tuple[int, ...]) -> str:
        args.append(shape)
        return f"%a{len(args) - 1}"

    def emit(
        op: str, ins: list[str], shapes: list[tuple[int, ...]], out: tuple[int, ...]
    ) -> str:
        name = f"%r{len(lines)}"
        types = ", ".join(_type(s) for s in shapes)
        lines.append(f"  {name} = {op.format(*ins)} : ({types}) -> {_type(out)}")
        return name

    for _, shapes, op, out in CASES:
        results.append((emit(op, [arg(s) for s in shapes], shapes, out), out))
    for _, x, w, s, p in CONVS:
        out = _conv_out(x, w, s, p)
        shapes = [x, w, (w[0],)]
        ins = [arg(t) for t in shapes]
        line = CONV.replace("{s}", str(s)).replace("{p}", str(p))
        results.append((emit(line, ins, shapes, out), out))
    # Epilogues: linear + relu, matmul + residual add, conv + relu, linear + gelu.
    lin = emit(
        "graph.linear {0}, {1}, {2}",
        [arg((6, 19)), arg((35, 19)), arg((35,))],
        [(6, 19), (35, 19), (35,)],
        (6, 35),
    )
    lines.append(f"  %relu = graph.relu {lin} : {_type((6, 35))}")
    results.append(("%relu", (6, 35)))
    mm = emit(
        "graph.matmul {0}, {1}",
        [arg((10, 12)), arg((12, 40))],
        [(10, 12), (12, 40)],
        (10, 40),
    )
    res = arg((10, 40))
    lines.append(
        f"  %res = graph.add {mm}, {res} : ({_type((10, 40))}, {_type((10, 40))}) -> {_type((10, 40))}"  # noqa: E501
    )
    results.append(("%res", (10, 40)))
    x, w = (1, 4, 6, 6), (7, 4, 3, 3)
    conv_out = _conv_out(x, w, 1, 1)
    conv = emit(
        CONV.replace("{s}", "1").replace("{p}", "1"),
        [arg(x), arg(w), arg((7,))],
        [x, w, (7,)],
        conv_out,
    )
    lines.append(f"  %crelu = graph.relu {conv} : {_type(conv_out)}")
    results.append(("%crelu", conv_out))
    gl = emit(
        "graph.linear {0}, {1}, {2}",
        [arg((4, 8)), arg((24, 8)), arg((24,))],
        [(4, 8), (24, 8), (24,)],
        (4, 24),
    )
    lines.append(f"  %gelu = graph.gelu {gl} : {_type((4, 24))}")
    results.append(("%gelu", (4, 24)))
    params = ", ".join(f"%a{i}: {_type(s)}" for i, s in enumerate(args))
    names = ", ".join(n for n, _ in results)
    types = ", ".join(_type(s) for _, s in results)
    body = "\n".join(lines)
    text = (
        f"func.func @cases({params}) -> ({types}) {{\n{body}\n"
        f"  func.return {names} : {types}\n}}\n"
    )
    return text, args


def _conv(x: Array, w: Array, b: Array, s: int, p: int) -> Array:
    x = np.pad(x.astype(np.float64), ((0, 0), (0, 0), (p, p), (p, p)))
    n, _, kh, kw = w.shape
    out = np.zeros(_conv_out(x.shape, w.shape, s, 0), np.float64)
    oh, ow = out.shape[2:]
    for i in range(kh):
        for j in range(kw):
            patch = x[:, :, i : i + s * (oh - 1) + 1 : s, j : j + s * (ow - 1) + 1 : s]
            out += np.einsum("nchw,fc->nfhw", patch, w[:, :, i, j])
    del n
    return out + b[None, :, None, None]


def references(inputs: list[Array]) -> list[Array]:
    it = iter(inputs)
    want: list[Array] = []
    for name, _, _, _ in CASES:
        a, b = next(it).astype(np.float64), next(it).astype(np.float64)
        want.append(a @ b.T + next(it) if name == "linear" else a @ b)
    for _, _, _, s, p in CONVS:
        want.append(_conv(next(it), next(it), next(it), s, p))
    x, w, b = next(it), next(it), next(it)
    want.append(np.maximum(x.astype(np.float64) @ w.T + b, 0))
    a, b, r = next(it), next(it), next(it)
    want.append(a.astype(np.float64) @ b + r)
    want.append(np.maximum(_conv(next(it), next(it), next(it), 1, 1), 0))
    x, w, b = next(it), next(it), next(it)
    y = x.astype(np.float64) @ w.T + b
    erf = np.vectorize(math.erf)
    want.append(0.5 * y * (1 + erf(y / math.sqrt(2))))
    return want


_LOWERED: dict[str, ModuleOp] = {}


def lowered(target: str) -> ModuleOp:
    """The cases at the llvm level for `target`, lowered once per target."""
    if target not in _LOWERED:
        from helpers import full_context

        text, _ = module_text()
        module = Parser(full_context(), text).parse_module()
        run_passes(pipeline_passes("llvm"), full_context(), module)
        _LOWERED[target] = module
    return _LOWERED[target]


@pytest.mark.parametrize("target", ["host", "avx2"])
@pytest.mark.parametrize("opt_level", [0, 3])
def test_every_shape_class_agrees_with_numpy(
    target: str, opt_level: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TARGET_ENV, target)
    _, shapes = module_text()
    rng = np.random.default_rng(0)
    inputs = [rng.standard_normal(s).astype(np.float32) for s in shapes]
    got = mlc.compile(lowered(target), "cases", opt_level=opt_level)(*inputs)
    want = references(inputs)
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert g.shape == w.shape
        np.testing.assert_allclose(g, w, rtol=1e-5, atol=2e-5)


def test_every_case_is_scheduled() -> None:
    """No contraction of the cases is left to the scalar loop nest."""
    from helpers import full_context

    text, _ = module_text()
    module = Parser(full_context(), text).parse_module()
    run_passes(pipeline_passes("loop"), full_context(), module)
    printed = str(module)
    assert "linalg" not in printed
    assert printed.count("mlc.gemm") >= len(CASES) + len(CONVS) + 4


def test_schedule_options_override_the_target(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(TARGET_ENV, "avx2")
    default = LinalgContractionKernelPass().schedule()
    assert (default.mr, default.nr, default.vl) == (6, 16, 8)
    chosen = LinalgContractionKernelPass(mr=4, nr=32, vl=16, tile_m=10, tile_k=64)
    schedule = chosen.schedule()
    assert (schedule.mr, schedule.nr, schedule.vl) == (4, 32, 16)
    assert (schedule.mc, schedule.kc) == (12, 64)  # mc rounded up to mr


def test_nr_must_be_a_multiple_of_vl() -> None:
    with pytest.raises(ValueError, match="multiple of vl"):
        LinalgContractionKernelPass(nr=20, vl=8).schedule()
