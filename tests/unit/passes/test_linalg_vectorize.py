"""
`linalg-vectorize` (with `math-approximate` after it, as in the pipeline):
every op family it vectorizes agrees natively with the ops' numpy references
at sizes that leave masked tails, at -O0 and -O3, on the host's vector width
and on AVX2's; and the loop level shows that the families were vectorized.

One graph function holds all the families (one compile per variant keeps the
test fast); each target gets its own function name, so the compile cache
never hands one target's machine code to the other.
"""

from __future__ import annotations

from typing import Any, cast

import numpy as np
import pytest
from helpers import full_context
from xdsl.dialects.builtin import MemRefType, ModuleOp
from xdsl.dialects.linalg.ops import GenericOp
from xdsl.ir import Attribute
from xdsl.parser import Parser

import mlc
from mlc.interpreters import run_function
from mlc.lowering.pipelines import pipeline_passes
from mlc.passes.linalg_vectorize import LinalgVectorizePass, plan
from mlc.support.pass_runner import run_passes
from mlc.support.target import TARGET_ENV

Array = np.ndarray[Any, Any]


def t(shape: str) -> str:
    return f"tensor<{shape}xf32>"


ARGS = {
    "x": "5x37",
    "row": "37",
    "img": "2x3x9x11",
    "bn": "3",
    "w": "19x37",
    "b": "19",
}
"""Argument name -> shape (odd sizes: every vector loop has a masked tail)."""

LINES = [
    ("add", f"graph.add %x, %row : ({t('5x37')}, {t('37')}) -> {t('5x37')}"),
    ("exp", f"graph.exp %x : {t('5x37')}"),
    ("tanh", f"graph.tanh %x : {t('5x37')}"),
    ("sigmoid", f"graph.sigmoid %x : {t('5x37')}"),
    ("gelu", f"graph.gelu %x : {t('5x37')}"),
    ("erf", f"graph.erf %x : {t('5x37')}"),
    ("softmax", f"graph.softmax %x : {t('5x37')}"),
    ("log_softmax", f"graph.log_softmax %x : {t('5x37')}"),
    ("softmax0", f"graph.softmax %x {{axis = 0 : i64}} : {t('5x37')}"),
    (
        "layer_norm",
        f"graph.layer_norm %x scale(%row : {t('37')}) bias(%row : {t('37')}) : "
        + t("5x37"),
    ),
    (
        "sum_last",
        "graph.reduce_sum %x {axes = array<i64: 1>, keepdims = false} : "
        f"({t('5x37')}) -> {t('5')}",
    ),
    (
        "mean_first",
        f"graph.reduce_mean %x {{axes = array<i64: 0>}} : ({t('5x37')}) -> {t('1x37')}",
    ),
    (
        "max_all",
        f"graph.reduce_max %x : ({t('5x37')}) -> {t('1x1')}",
    ),
    (
        "batch_norm",
        "graph.batch_norm %img, %bn, %bn, %bn, %bn {epsilon = 1.0e-03 : f64} : "
        f"({t('2x3x9x11')}, {t('3')}, {t('3')}, {t('3')}, {t('3')}) -> "
        + t("2x3x9x11"),
    ),
    (
        "max_pool",
        "graph.max_pool2d %img {kernel = array<i64: 3, 3>} : "
        f"({t('2x3x9x11')}) -> {t('2x3x7x9')}",
    ),
    (
        "avg_pool",
        "graph.avg_pool2d %img {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>}"
        f" : ({t('2x3x9x11')}) -> {t('2x3x4x5')}",
    ),
    (
        "global_pool",
        f"graph.global_avg_pool2d %img : ({t('2x3x9x11')}) -> {t('2x3x1x1')}",
    ),
    (
        "linear",
        f"graph.linear %x, %w, %b : ({t('5x37')}, {t('19x37')}, {t('19')}) -> "
        + t("5x19"),
    ),
]


def program(name: str) -> str:
    """All families in one function `@<name>`, one result each."""
    args = ", ".join(f"%{a}: {t(s)}" for a, s in ARGS.items())
    body: list[str] = []
    types: list[str] = []
    for i, (_, line) in enumerate(LINES):
        body.append(f"  %r{i} = {line}")
        types.append(line.rsplit(" ", 1)[-1].rstrip(")"))
    results = ", ".join(f"%r{i}" for i in range(len(LINES)))
    return (
        f"func.func @{name}({args}) -> ({', '.join(types)}) {{\n"
        + "\n".join(body)
        + f"\n  func.return {results} : {', '.join(types)}\n}}\n"
    )


def inputs() -> list[Array]:
    rng = np.random.default_rng(7)
    arrays = [
        rng.standard_normal([int(d) for d in s.split("x")]).astype(np.float32) * 2
        for s in ARGS.values()
    ]
    arrays[3] = np.abs(arrays[3]) + np.float32(0.5)  # batch_norm's variance
    return arrays


@pytest.fixture(scope="module")
def references() -> list[Array]:
    module = Parser(full_context(), program("f")).parse_module()
    with np.errstate(all="ignore"):
        return [np.asarray(r) for r in run_function(module, "f", inputs())]


@pytest.mark.parametrize("opt_level", [0, 3])
@pytest.mark.parametrize("target", ["host", "avx2"])
def test_every_family_agrees_natively(
    target: str,
    opt_level: int,
    references: list[Array],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(TARGET_ENV, target)
    compiled = mlc.compile(program(f"f_{target}"), opt_level=opt_level)
    results = compiled(*inputs())
    for (name, _), got, want in zip(LINES, results, references, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5, err_msg=name)


KERNELS = ("pack-weights", "linalg-contraction-kernel", "conv-depthwise-kernel")


def vectorized(width: int) -> ModuleOp:
    """
    The program after the loop stage's passes up to `linalg-vectorize`, without
    the kernels that have their own vector width: `linalg-contraction-kernel`
    (and `pack-weights`, which stores weights as its GEMMs read them) and
    `conv-depthwise-kernel` (which takes the pooling windows).
    """
    module = Parser(full_context(), program("f")).parse_module()
    passes = [p for p in pipeline_passes("loop") if p.name not in KERNELS]
    index = [p.name for p in passes].index("linalg-vectorize")
    passes[index] = LinalgVectorizePass(vector_bits=width)
    run_passes(passes[: index + 1], full_context(), module)
    return module


def test_the_families_are_vectorized() -> None:
    module = vectorized(512)
    names = [op.name for op in module.walk()]
    for name in ("vector.maskedload", "vector.maskedstore", "vector.reduction"):
        assert name in names
    assert names.count("vector.reduction") >= 8  # sums, maxima, moments, dots
    # Only generics over an innermost dimension of extent 1 stay (the
    # initializations and copies of keepdims results, `5x1`, `2x3x1x1`).
    for op in module.walk():
        if isinstance(op, GenericOp):
            shape = cast(MemRefType[Attribute], op.outputs[0].type).get_shape()
            assert shape[-1] == 1, str(op)


def test_width_follows_the_option() -> None:
    text = str(vectorized(256))
    assert "vector<8xf32>" in text
    assert "vector<16xf32>" not in text


def test_a_short_window_prefers_a_parallel_dimension() -> None:
    module = Parser(full_context(), program("f")).parse_module()
    passes = [p for p in pipeline_passes("loop") if p.name not in KERNELS]
    index = [p.name for p in passes].index("linalg-vectorize")
    run_passes(passes[:index], full_context(), module)
    pools = [
        op
        for op in module.walk()
        if isinstance(op, GenericOp) and len(op.iterator_types) == 6
    ]
    assert pools
    for pool in pools:
        p = plan(pool, 512)
        assert p is not None
        if p.extents[-1] == 3:  # 3x3 window at stride 1: the output rows
            assert p.combiners is None
            assert p.v == 3
