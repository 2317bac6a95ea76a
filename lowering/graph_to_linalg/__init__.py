"""
`convert-graph-to-linalg`: every graph op becomes linalg on tensors, with
tensor, arith and math (the tensor level of docs/architecture.md).

Preconditions: graph ops over statically shaped ranked tensors (the verifier's
invariants hold). The patterns live by op family: `elementwise` (one pattern
per arity plus a table of scalar bodies; numpy broadcasting through indexing
maps, never materialized), `elementwise_math` (trigonometric, rounding,
`mod`), `bitwise` (logic, shifts, bitcast), `contractions` (contractions and
window ops), `normalization` (normalizations, softmax, reductions),
`data_movement`, `indexing` (scatter), `quant` (quantize, integer matmul
and conv) and `resample` (resize, grid_sample);
`emitter` builds destination-passing tensor code (`tensor.empty` ->
`linalg.fill` -> `outs`). Named linalg ops are used where xDSL 0.74 has them
(`matmul`, `transpose`, `conv_2d_nchw_fchw`, `pooling_nchw_max`, `fill`),
`linalg.generic` otherwise. As the graph references do, f16 nn ops and float
reductions compute in f32 and truncate the result. This module holds the
pattern list, the pass and the signless conversion of signatures.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from xdsl.context import Context
from xdsl.dialects import arith, func
from xdsl.dialects.builtin import (
    DenseIntOrFPElementsAttr,
    FunctionType,
    ModuleOp,
    TensorType,
)
from xdsl.ir import SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    GreedyRewritePatternApplier,
    PatternRewriteWalker,
    RewritePattern,
)
from xdsl.rewriter import Rewriter

from mlc.dialects.graph.base import GraphOp
from mlc.lowering.graph_to_linalg.bitwise import (
    BitcastLowering,
    BitwiseLowering,
    BitwiseNotLowering,
    ShiftLowering,
)
from mlc.lowering.graph_to_linalg.contractions import (
    AvgPool2DLowering,
    Conv2DLowering,
    GlobalAvgPool2DLowering,
    LinearLowering,
    MatmulLowering,
    MaxPool2DLowering,
)
from mlc.lowering.graph_to_linalg.data_movement import (
    BroadcastToLowering,
    ConcatLowering,
    GatherLowering,
    PadLowering,
    ReshapeLowering,
    SliceLowering,
    TransposeLowering,
)
from mlc.lowering.graph_to_linalg.elementwise import (
    BinaryLowering,
    CastLowering,
    UnaryLowering,
    WhereLowering,
)
from mlc.lowering.graph_to_linalg.elementwise_math import (
    FloatUnaryLowering,
    ModLowering,
)
from mlc.lowering.graph_to_linalg.emitter import signless_tensor
from mlc.lowering.graph_to_linalg.indexing import ScatterLowering
from mlc.lowering.graph_to_linalg.normalization import (
    BatchNormLowering,
    LayerNormLowering,
    ReduceLowering,
    SoftmaxLowering,
)
from mlc.lowering.graph_to_linalg.quant import QUANT_PATTERNS
from mlc.lowering.graph_to_linalg.resample import GridSampleLowering, ResizeLowering
from mlc.lowering.utils import located_failure, require_converted

# --------------------------------------------------------------------------- #
# Pattern list and pass
# --------------------------------------------------------------------------- #


def graph_to_linalg_patterns() -> list[RewritePattern]:
    """Every pattern of `convert-graph-to-linalg` (for composite passes)."""
    return [
        UnaryLowering(),
        BinaryLowering(),
        WhereLowering(),
        CastLowering(),
        FloatUnaryLowering(),
        ModLowering(),
        BitwiseLowering(),
        BitwiseNotLowering(),
        ShiftLowering(),
        BitcastLowering(),
        LinearLowering(),
        MatmulLowering(),
        Conv2DLowering(),
        MaxPool2DLowering(),
        AvgPool2DLowering(),
        GlobalAvgPool2DLowering(),
        BatchNormLowering(),
        LayerNormLowering(),
        SoftmaxLowering(),
        ReduceLowering(),
        ReshapeLowering(),
        TransposeLowering(),
        SliceLowering(),
        BroadcastToLowering(),
        PadLowering(),
        ConcatLowering(),
        GatherLowering(),
        ScatterLowering(),
        *QUANT_PATTERNS,
        ResizeLowering(),
        GridSampleLowering(),
    ]


def _make_signless(value: SSAValue) -> None:
    new = signless_tensor(value.type)
    if new != value.type:
        Rewriter.replace_value_with_new_type(value, new)


def convert_signatures(module: ModuleOp) -> None:
    """
    Give every value left unsigned after the patterns a signless element type
    (`uiN` -> `iN`): block and function arguments, call results, constants.
    """
    for op in module.walk():
        for region in op.regions:
            for block in region.blocks:
                for arg in block.args:
                    _make_signless(arg)
        for result in op.results:
            _make_signless(result)
        if isinstance(op, arith.ConstantOp) and isinstance(
            value := op.value, DenseIntOrFPElementsAttr
        ):  # the same bytes, read as signless
            op.value = DenseIntOrFPElementsAttr(
                cast(Any, signless_tensor(value.type)), value.data
            )
        if isinstance(op, func.FuncOp):
            ft = op.function_type
            op.function_type = FunctionType.from_lists(
                [signless_tensor(t) for t in ft.inputs.data],
                [signless_tensor(t) for t in ft.outputs.data],
            )


def require_static_shapes(module: ModuleOp, pass_name: str) -> None:
    """Fail `pass_name` at the first graph op with a dynamic dimension."""
    for op in module.walk():
        if not isinstance(op, GraphOp):
            continue
        for value in (*op.operands, *op.results):
            type_ = value.type
            if isinstance(type_, TensorType) and type_.has_static_shape():
                continue
            raise located_failure(
                op,
                f"{pass_name} supports static shapes only: '{op.name}' has "
                f"{value.type}",
            )


@dataclass(frozen=True)
class ConvertGraphToLinalgPass(ModulePass):
    """
    Lower every graph op to linalg on tensors (with tensor, arith and math).

    **Input invariant**: graph ops over statically shaped ranked tensors.

    **Output IR**: the tensor level: `linalg.generic` (elementwise, broadcast
    through indexing maps, reductions, batched/1-D matmul, grouped conv,
    pooling sums, gather, scatter), `linalg.matmul`, `transpose`,
    `conv_2d_nchw_fchw`, `pooling_nchw_max`, `fill`; `tensor.empty`, `pad`,
    `extract_slice`, `collapse_shape`, `expand_shape`, `concat`, `extract`;
    arith and math scalars. Unsigned `uiN` become signless `iN` (function
    signatures too) with unsigned arith ops.

    **Invariants**: no graph op survives (the pass fails naming the first
    one); function names and results are unchanged. A dynamic dimension fails
    the pass at the first graph op that has one (static shapes only).
    """

    name = "convert-graph-to-linalg"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        require_static_shapes(op, self.name)
        # Consumers first: a lowered producer's result is already signless, so
        # a consumer must read its operands' unsigned types before that.
        PatternRewriteWalker(
            GreedyRewritePatternApplier(graph_to_linalg_patterns()),
            walk_reverse=True,
            apply_recursively=False,
        ).rewrite_module(op)
        require_converted(op, "graph", self.name)
        convert_signatures(op)


__all__ = [
    "ConvertGraphToLinalgPass",
    "graph_to_linalg_patterns",
]
