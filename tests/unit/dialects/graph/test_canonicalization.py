"""
Graph canonicalization: each pattern alone, then xDSL's `canonicalize` pass
(patterns and constant folding) against expected modules parsed from text."""

from __future__ import annotations

import pytest
from helpers import make_context, print_op
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.interfaces import HasCanonicalizationPatternsInterface
from xdsl.parser import Parser
from xdsl.pattern_rewriter import PatternRewriteWalker, RewritePattern
from xdsl.transforms.canonicalize import CanonicalizePass

from mlc.dialects.graph import (
    AddOp,
    DivOp,
    FlattenOp,
    GatherOp,
    LayerNormOp,
    MatmulOp,
    MulOp,
    ReshapeOp,
    SqueezeOp,
    TransposeOp,
    UnsqueezeOp,
)
from mlc.dialects.graph.canonicalization import (
    EraseAddOfZero,
    EraseIdentityReshape,
    EraseIdentityTranspose,
    EraseMulByOne,
    EraseReshapeRoundTrip,
    FoldReshapeOfReshape,
    FoldTransposeOfTranspose,
    RewriteGatherAsSlice,
)
from mlc.dialects.graph.composites import (
    EraseNeutralLayerNormAffine,
    FoldBiasIntoLayerNorm,
    FoldBiasIntoLinear,
    FoldScaleIntoLayerNorm,
    RecognizeGelu,
    RecognizeLayerNorm,
    RecognizeLayerNormRsqrt,
    RewriteMatmulAsLinear,
)

CTX: Context = make_context()


def parse(text: str) -> ModuleOp:
    module = Parser(CTX, text).parse_module()
    module.verify()
    return module


def func(signature: str, body: str) -> str:
    return f"func.func @f({signature} {{\n{body}\n}}\n"


def assert_equivalent(actual: ModuleOp, expected: ModuleOp) -> None:
    assert actual.is_structurally_equivalent(expected), (
        f"got:\n{print_op(actual)}\nexpected:\n{print_op(expected)}"
    )


def run_pattern(pattern: RewritePattern, module: ModuleOp) -> None:
    PatternRewriteWalker(pattern).rewrite_module(module)


def canonicalize(module: ModuleOp) -> None:
    CanonicalizePass().apply(CTX, module)
    module.verify()


# --------------------------------------------------------------------------- #
# Registration
# --------------------------------------------------------------------------- #

REGISTERED: list[
    tuple[type[HasCanonicalizationPatternsInterface], set[type[RewritePattern]]]
] = [
    (TransposeOp, {EraseIdentityTranspose, FoldTransposeOfTranspose}),
    (ReshapeOp, {EraseIdentityReshape, EraseReshapeRoundTrip, FoldReshapeOfReshape}),
    (FlattenOp, {EraseIdentityReshape, EraseReshapeRoundTrip}),
    (SqueezeOp, {EraseIdentityReshape, EraseReshapeRoundTrip}),
    (UnsqueezeOp, {EraseIdentityReshape, EraseReshapeRoundTrip}),
    (AddOp, {EraseAddOfZero, FoldBiasIntoLinear, FoldBiasIntoLayerNorm}),
    (
        MulOp,
        {
            EraseMulByOne,
            RecognizeGelu,
            RecognizeLayerNormRsqrt,
            FoldScaleIntoLayerNorm,
        },
    ),
    (DivOp, {RecognizeLayerNorm}),
    (GatherOp, {RewriteGatherAsSlice}),
    (MatmulOp, {RewriteMatmulAsLinear}),
    (LayerNormOp, {EraseNeutralLayerNormAffine}),
]


@pytest.mark.parametrize(("op_type", "patterns"), REGISTERED)
def test_ops_register_their_patterns(
    op_type: type[HasCanonicalizationPatternsInterface],
    patterns: set[type[RewritePattern]],
) -> None:
    found = op_type.get_canonicalization_patterns()
    assert {type(p) for p in found} == patterns


# --------------------------------------------------------------------------- #
# Each pattern alone: (pattern, before, after)
# --------------------------------------------------------------------------- #

T234 = "%x: tensor<2x3x4xf32>"

PATTERN_CASES: list[tuple[RewritePattern, str, str]] = [
    (
        FoldTransposeOfTranspose(),
        func(
            f"{T234}) -> tensor<4x2x3xf32>",
            "%0 = graph.transpose %x {perm = array<i64: 1, 2, 0>} "
            ": (tensor<2x3x4xf32>) -> tensor<3x4x2xf32>\n"
            "%1 = graph.transpose %0 {perm = array<i64: 1, 2, 0>} "
            ": (tensor<3x4x2xf32>) -> tensor<4x2x3xf32>\n"
            "func.return %1 : tensor<4x2x3xf32>",
        ),
        func(
            f"{T234}) -> tensor<4x2x3xf32>",
            "%0 = graph.transpose %x {perm = array<i64: 1, 2, 0>} "
            ": (tensor<2x3x4xf32>) -> tensor<3x4x2xf32>\n"
            "%1 = graph.transpose %x {perm = array<i64: 2, 0, 1>} "
            ": (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>\n"
            "func.return %1 : tensor<4x2x3xf32>",
        ),
    ),
    (
        FoldTransposeOfTranspose(),
        func(
            f"{T234}) -> tensor<2x3x4xf32>",
            "%0 = graph.transpose %x : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32>\n"
            "%1 = graph.transpose %0 : (tensor<4x3x2xf32>) -> tensor<2x3x4xf32>\n"
            "func.return %1 : tensor<2x3x4xf32>",
        ),
        func(
            f"{T234}) -> tensor<2x3x4xf32>",
            "%0 = graph.transpose %x : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32>\n"
            "func.return %x : tensor<2x3x4xf32>",
        ),
    ),
    (
        EraseIdentityTranspose(),
        func(
            "%x: tensor<3xf32>) -> tensor<3xf32>",
            "%0 = graph.transpose %x : (tensor<3xf32>) -> tensor<3xf32>\n"
            "func.return %0 : tensor<3xf32>",
        ),
        func("%x: tensor<3xf32>) -> tensor<3xf32>", "func.return %x : tensor<3xf32>"),
    ),
    (
        FoldReshapeOfReshape(),
        func(
            "%x: tensor<1x6xf32>) -> tensor<3x2xf32>",
            "%0 = graph.squeeze %x : (tensor<1x6xf32>) -> tensor<6xf32>\n"
            "%1 = graph.reshape %0 {shape = array<i64: -1, 2>} "
            ": (tensor<6xf32>) -> tensor<3x2xf32>\n"
            "func.return %1 : tensor<3x2xf32>",
        ),
        func(
            "%x: tensor<1x6xf32>) -> tensor<3x2xf32>",
            "%0 = graph.squeeze %x : (tensor<1x6xf32>) -> tensor<6xf32>\n"
            "%1 = graph.reshape %x {shape = array<i64: -1, 2>} "
            ": (tensor<1x6xf32>) -> tensor<3x2xf32>\n"
            "func.return %1 : tensor<3x2xf32>",
        ),
    ),
    (
        EraseIdentityReshape(),
        func(
            "%x: tensor<?x3xf32>) -> tensor<?x3xf32>",
            "%0 = graph.reshape %x {shape = array<i64: -1, 3>} "
            ": (tensor<?x3xf32>) -> tensor<?x3xf32>\n"
            "func.return %0 : tensor<?x3xf32>",
        ),
        func(
            "%x: tensor<?x3xf32>) -> tensor<?x3xf32>",
            "func.return %x : tensor<?x3xf32>",
        ),
    ),
    (
        EraseIdentityReshape(),
        func(
            "%x: tensor<2x3xf32>) -> tensor<2x3xf32>",
            "%0 = graph.squeeze %x : (tensor<2x3xf32>) -> tensor<2x3xf32>\n"
            "func.return %0 : tensor<2x3xf32>",
        ),
        func(
            "%x: tensor<2x3xf32>) -> tensor<2x3xf32>",
            "func.return %x : tensor<2x3xf32>",
        ),
    ),
    (
        EraseReshapeRoundTrip(),
        func(
            "%x: tensor<2x3xf32>) -> tensor<2x3xf32>",
            "%0 = graph.flatten %x {axis = 0 : i64} "
            ": (tensor<2x3xf32>) -> tensor<1x6xf32>\n"
            "%1 = graph.reshape %0 {shape = array<i64: 2, 3>} "
            ": (tensor<1x6xf32>) -> tensor<2x3xf32>\n"
            "func.return %1 : tensor<2x3xf32>",
        ),
        func(
            "%x: tensor<2x3xf32>) -> tensor<2x3xf32>",
            "%0 = graph.flatten %x {axis = 0 : i64} "
            ": (tensor<2x3xf32>) -> tensor<1x6xf32>\n"
            "func.return %x : tensor<2x3xf32>",
        ),
    ),
    (
        EraseReshapeRoundTrip(),
        func(
            "%x: tensor<3xf32>) -> tensor<3xf32>",
            "%0 = graph.unsqueeze %x {axes = array<i64: 0, 2>} "
            ": (tensor<3xf32>) -> tensor<1x3x1xf32>\n"
            "%1 = graph.squeeze %0 : (tensor<1x3x1xf32>) -> tensor<3xf32>\n"
            "func.return %1 : tensor<3xf32>",
        ),
        func(
            "%x: tensor<3xf32>) -> tensor<3xf32>",
            "%0 = graph.unsqueeze %x {axes = array<i64: 0, 2>} "
            ": (tensor<3xf32>) -> tensor<1x3x1xf32>\n"
            "func.return %x : tensor<3xf32>",
        ),
    ),
    (
        EraseAddOfZero(),
        func(
            "%x: tensor<2x3xf32>) -> tensor<2x3xf32>",
            "%c = arith.constant dense<[0.0, -0.0, 0.0]> : tensor<3xf32>\n"
            "%0 = graph.add %c, %x : (tensor<3xf32>, tensor<2x3xf32>) "
            "-> tensor<2x3xf32>\n"
            "func.return %0 : tensor<2x3xf32>",
        ),
        func(
            "%x: tensor<2x3xf32>) -> tensor<2x3xf32>",
            "%c = arith.constant dense<[0.0, -0.0, 0.0]> : tensor<3xf32>\n"
            "func.return %x : tensor<2x3xf32>",
        ),
    ),
    (
        EraseMulByOne(),
        func(
            "%x: tensor<2xi64>) -> tensor<2xi64>",
            "%c = arith.constant dense<1> : tensor<i64>\n"
            "%0 = graph.mul %x, %c : (tensor<2xi64>, tensor<i64>) -> tensor<2xi64>\n"
            "func.return %0 : tensor<2xi64>",
        ),
        func(
            "%x: tensor<2xi64>) -> tensor<2xi64>",
            "%c = arith.constant dense<1> : tensor<i64>\n"
            "func.return %x : tensor<2xi64>",
        ),
    ),
]


@pytest.mark.parametrize(("pattern", "before", "after"), PATTERN_CASES)
def test_pattern_rewrites(pattern: RewritePattern, before: str, after: str) -> None:
    module = parse(before)
    run_pattern(pattern, module)
    module.verify()
    assert_equivalent(module, parse(after))


# (pattern, module it must leave unchanged)
NOT_FIRING_CASES: list[tuple[RewritePattern, str]] = [
    (
        EraseIdentityTranspose(),
        func(
            "%x: tensor<2x2xf32>) -> tensor<2x2xf32>",
            "%0 = graph.transpose %x : (tensor<2x2xf32>) -> tensor<2x2xf32>\n"
            "func.return %0 : tensor<2x2xf32>",
        ),
    ),
    (
        FoldTransposeOfTranspose(),
        func(
            "%x: tensor<2x3xf32>) -> tensor<3x2xf32>",
            "%0 = graph.relu %x : tensor<2x3xf32>\n"
            "%1 = graph.transpose %0 : (tensor<2x3xf32>) -> tensor<3x2xf32>\n"
            "func.return %1 : tensor<3x2xf32>",
        ),
    ),
    (
        FoldReshapeOfReshape(),
        func(
            "%x: tensor<2x3xf32>) -> tensor<3x2xf32>",
            "%0 = graph.transpose %x : (tensor<2x3xf32>) -> tensor<3x2xf32>\n"
            "%1 = graph.reshape %0 {shape = array<i64: 3, 2>} "
            ": (tensor<3x2xf32>) -> tensor<3x2xf32>\n"
            "func.return %1 : tensor<3x2xf32>",
        ),
    ),
    (
        EraseReshapeRoundTrip(),
        func(
            "%x: tensor<2x1xf32>) -> tensor<1x2xf32>",
            "%0 = graph.unsqueeze %x {axes = array<i64: 0>} "
            ": (tensor<2x1xf32>) -> tensor<1x2x1xf32>\n"
            "%1 = graph.squeeze %0 {axes = array<i64: 2>} "
            ": (tensor<1x2x1xf32>) -> tensor<1x2xf32>\n"
            "func.return %1 : tensor<1x2xf32>",
        ),
    ),
    (
        EraseAddOfZero(),
        func(
            "%x: tensor<3xf32>) -> tensor<2x3xf32>",
            "%c = arith.constant dense<0.0> : tensor<2x3xf32>\n"
            "%0 = graph.add %x, %c : (tensor<3xf32>, tensor<2x3xf32>) "
            "-> tensor<2x3xf32>\n"
            "func.return %0 : tensor<2x3xf32>",
        ),
    ),
    (
        EraseAddOfZero(),
        func(
            "%x: tensor<2xf32>, %y: tensor<2xf32>) -> tensor<2xf32>",
            "%0 = graph.add %x, %y : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>\n"
            "func.return %0 : tensor<2xf32>",
        ),
    ),
    (
        EraseMulByOne(),
        func(
            "%x: tensor<2xf32>) -> tensor<2xf32>",
            "%c = arith.constant dense<[1.0, 0.5]> : tensor<2xf32>\n"
            "%0 = graph.mul %x, %c : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>\n"
            "func.return %0 : tensor<2xf32>",
        ),
    ),
]


@pytest.mark.parametrize(("pattern", "text"), NOT_FIRING_CASES)
def test_pattern_does_not_fire(pattern: RewritePattern, text: str) -> None:
    module = parse(text)
    run_pattern(pattern, module)
    assert_equivalent(module, parse(text))


# --------------------------------------------------------------------------- #
# The canonicalize pass: patterns, folding and dead-code removal together
# --------------------------------------------------------------------------- #

CANONICALIZE_CASES: list[tuple[str, str]] = [
    (  # transpose pair cancels, then the reshape round trip, then add of zero
        func(
            "%x: tensor<2x3xf32>) -> tensor<2x3xf32>",
            "%z = arith.constant dense<0.0> : tensor<f32>\n"
            "%0 = graph.transpose %x : (tensor<2x3xf32>) -> tensor<3x2xf32>\n"
            "%1 = graph.transpose %0 : (tensor<3x2xf32>) -> tensor<2x3xf32>\n"
            "%2 = graph.flatten %1 {axis = 0 : i64} "
            ": (tensor<2x3xf32>) -> tensor<1x6xf32>\n"
            "%3 = graph.reshape %2 {shape = array<i64: 2, 3>} "
            ": (tensor<1x6xf32>) -> tensor<2x3xf32>\n"
            "%4 = graph.add %3, %z : (tensor<2x3xf32>, tensor<f32>) "
            "-> tensor<2x3xf32>\n"
            "func.return %4 : tensor<2x3xf32>",
        ),
        func(
            "%x: tensor<2x3xf32>) -> tensor<2x3xf32>",
            "func.return %x : tensor<2x3xf32>",
        ),
    ),
    (  # a chain of reshapes becomes one
        func(
            "%x: tensor<2x3x4xf32>) -> tensor<4x6xf32>",
            "%0 = graph.flatten %x : (tensor<2x3x4xf32>) -> tensor<2x12xf32>\n"
            "%1 = graph.reshape %0 {shape = array<i64: 24>} "
            ": (tensor<2x12xf32>) -> tensor<24xf32>\n"
            "%2 = graph.reshape %1 {shape = array<i64: 4, -1>} "
            ": (tensor<24xf32>) -> tensor<4x6xf32>\n"
            "func.return %2 : tensor<4x6xf32>",
        ),
        func(
            "%x: tensor<2x3x4xf32>) -> tensor<4x6xf32>",
            "%0 = graph.reshape %x {shape = array<i64: 4, -1>} "
            ": (tensor<2x3x4xf32>) -> tensor<4x6xf32>\n"
            "func.return %0 : tensor<4x6xf32>",
        ),
    ),
    (  # constant folding: transpose, slice, add, cast
        func(
            ") -> tensor<2xi64>",
            "%c = arith.constant dense<[[1.5, 2.5, 3.5], [4.5, 5.5, 6.5]]> "
            ": tensor<2x3xf32>\n"
            "%one = arith.constant dense<1.0> : tensor<f32>\n"
            "%0 = graph.transpose %c : (tensor<2x3xf32>) -> tensor<3x2xf32>\n"
            "%1 = graph.slice %0 {starts = array<i64: -1>, ends = array<i64: 0>, "
            "axes = array<i64: 0>, steps = array<i64: -2>} "
            ": (tensor<3x2xf32>) -> tensor<1x2xf32>\n"
            "%2 = graph.reshape %1 {shape = array<i64: 2>} "
            ": (tensor<1x2xf32>) -> tensor<2xf32>\n"
            "%3 = graph.add %2, %one : (tensor<2xf32>, tensor<f32>) -> tensor<2xf32>\n"
            "%4 = graph.cast %3 : tensor<2xf32> to tensor<2xi64>\n"
            "func.return %4 : tensor<2xi64>",
        ),
        func(
            ") -> tensor<2xi64>",
            "%0 = arith.constant dense<[4, 7]> : tensor<2xi64>\n"
            "func.return %0 : tensor<2xi64>",
        ),
    ),
    (  # folding a splat keeps a splat
        func(
            ") -> tensor<2x3xi32>",
            "%c = arith.constant dense<7> : tensor<3xi32>\n"
            "%0 = graph.broadcast_to %c {shape = array<i64: 2, 3>} "
            ": (tensor<3xi32>) -> tensor<2x3xi32>\n"
            "func.return %0 : tensor<2x3xi32>",
        ),
        func(
            ") -> tensor<2x3xi32>",
            "%0 = arith.constant dense<7> : tensor<2x3xi32>\n"
            "func.return %0 : tensor<2x3xi32>",
        ),
    ),
    (  # folding concat, pad and gather
        func(
            ") -> tensor<3xi32>",
            "%a = arith.constant dense<[1, 2]> : tensor<2xi32>\n"
            "%b = arith.constant dense<[3]> : tensor<1xi32>\n"
            "%i = arith.constant dense<[-2, 1, 0]> : tensor<3xi32>\n"
            "%0 = graph.concat %a, %b {axis = 0 : i64} "
            ": (tensor<2xi32>, tensor<1xi32>) -> tensor<3xi32>\n"
            "%1 = graph.pad %0 {pads = array<i64: 1, 1>, value = 9 : i32} "
            ": (tensor<3xi32>) -> tensor<5xi32>\n"
            "%2 = graph.gather %1, %i : (tensor<5xi32>, tensor<3xi32>) "
            "-> tensor<3xi32>\n"
            "func.return %2 : tensor<3xi32>",
        ),
        func(
            ") -> tensor<3xi32>",
            "%0 = arith.constant dense<[3, 1, 9]> : tensor<3xi32>\n"
            "func.return %0 : tensor<3xi32>",
        ),
    ),
    (  # nothing to do: the module is unchanged
        func(
            "%x: tensor<2x3xf32>) -> tensor<3x2xf32>",
            "%0 = graph.transpose %x : (tensor<2x3xf32>) -> tensor<3x2xf32>\n"
            "func.return %0 : tensor<3x2xf32>",
        ),
        func(
            "%x: tensor<2x3xf32>) -> tensor<3x2xf32>",
            "%0 = graph.transpose %x : (tensor<2x3xf32>) -> tensor<3x2xf32>\n"
            "func.return %0 : tensor<3x2xf32>",
        ),
    ),
]


@pytest.mark.parametrize(("before", "after"), CANONICALIZE_CASES)
def test_canonicalize(before: str, after: str) -> None:
    module = parse(before)
    canonicalize(module)
    assert_equivalent(module, parse(after))
