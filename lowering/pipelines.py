"""
The named end-to-end pipelines, as data: `graph-to-llvm`.

`PIPELINE` is the ordered tuple of `(level_name, (pass, ...))` stages; a
stage's passes bring the IR to that level (docs/architecture.md, "The levels"). One
`ModulePass`, `graph-to-llvm{to=<level>}`, runs the stages up to and
including `<level>`, so `mlc-opt -p graph-to-llvm` and the Python API
(`pipeline_passes`) run the same list.

Passes are named, not imported (this module imports neither `mlc.passes` nor
any conversion): they are resolved in a pass registry before any runs,
`graph-to-llvm` in the one its context carries (`mlc.support.registry`;
`mlc.universe.full_context()` holds xDSL's and mlc's passes), and a name
missing from it fails the pipeline with a one-line error naming the pass and
its stage: no pass is ever skipped silently. The passes run under the one pass
runner (`mlc.support.pass_runner`), which verifies after each and names the
pass that failed.

Input at any level is accepted: a stage whose source ops are absent changes
nothing (`convert-graph-to-linalg` on tensor-level IR finds no graph op,
`bufferize` on memrefs finds no tensor), so the whole list simply runs.
"""

from __future__ import annotations

from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass
from xdsl.utils.arg_spec import parse_spec
from xdsl.utils.exceptions import PassFailedException

from mlc.support.pass_runner import run_passes
from mlc.support.registry import PassRegistry, passes_of

CLEANUP = ("canonicalize", "cse")
"""Run after every lowering step, as upstream's `addTosaToLinalgPasses` does."""

PIPELINE: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("graph", ("widen-bf16", "canonicalize", "graph-fuse")),
    (
        "tensor",
        ("convert-graph-to-linalg", *CLEANUP, "linalg-fuse-elementwise", *CLEANUP),
    ),
    (
        "loop",
        (
            "bufferize",
            *CLEANUP,
            "buffer-reuse",
            # f32 contractions: packed, register-blocked vector GEMMs; their
            # weights (constants, parameters) stored packed once, not per call.
            "pack-weights",
            "linalg-contraction-kernel",
            # f32 depthwise convolutions: vector loops along the output width.
            "conv-depthwise-kernel",
            "linalg-generalize",
            # Elementwise and reduction generics to vector loops (the rest,
            # contractions over strided operands say, stay for the next pass).
            "linalg-vectorize",
            "convert-linalg-to-loops",
            # xDSL's convert-linalg-to-loops indexes through affine.apply
            # (conv windows, constant indices); the loop level has no affine.
            "lower-affine",
            *CLEANUP,
            # Threads: the outermost independent loop of each nest is marked
            # (unless a pass marked one already), adjacent marked nests over
            # the same range fused (a softmax's steps), those worth it outlined.
            "mark-parallel-loops",
            "fuse-parallel-loops",
            "parallelize-loops",
        ),
    ),
    (
        "llvm",
        (
            # exp/tanh/erf/log on f32 vectors as arith code, not libm calls
            # per lane; after the loop level, which the interpreter checks.
            "math-approximate",
            "convert-scf-to-cf",
            "convert-arith-to-llvm",
            "convert-math-to-llvm",
            "convert-memref-to-llvm",
            "convert-vector-to-llvm",
            "convert-cf-to-llvm",
            "convert-func-to-llvm",
            "reconcile-unrealized-casts",
            # xDSL's canonicalize and cse leave llvm-dialect code valid (few
            # llvm ops declare the traits they act on; LLVM optimizes later).
            *CLEANUP,
            "check-llvm-converted",
        ),
    ),
)
"""
The `graph-to-llvm` stages, in order; an empty stage is not available yet.

The `llvm` stage ends with `check-llvm-converted`, so a loop-level op no
conversion lowered fails the pipeline with one located line naming it.
"""

LEVELS = tuple(level for level, _ in PIPELINE)


def stages_up_to(
    to: str, pipeline: tuple[tuple[str, tuple[str, ...]], ...] = PIPELINE
) -> list[tuple[str, str]]:
    """`(level, pass spec)` for every pass of the stages up to level `to`."""
    levels = [level for level, _ in pipeline]
    if to not in levels:
        raise PassFailedException(
            f"graph-to-llvm: unknown level '{to}' (choose from {', '.join(levels)})"
        )
    steps: list[tuple[str, str]] = []
    for level, passes in pipeline[: levels.index(to) + 1]:
        if not passes:
            raise PassFailedException(
                f"graph-to-llvm: level '{level}' is not available yet "
                f"(use to={levels[levels.index(level) - 1]})"
            )
        steps += [(level, spec) for spec in passes]
    return steps


def pipeline_passes(
    to: str,
    pipeline: tuple[tuple[str, tuple[str, ...]], ...] = PIPELINE,
    registry: PassRegistry | None = None,
) -> list[ModulePass]:
    """
    The passes that bring IR at any level to level `to`, in order.

    Every pass is resolved in `registry` (default: `passes_of(None)`, the
    passes of every installed xDSL universe) before any runs; an
    unregistered one raises a `PassFailedException` naming it and its stage.
    """
    registry = passes_of(None) if registry is None else registry
    passes: list[ModulePass] = []
    for level, text in stages_up_to(to, pipeline):
        spec = parse_spec(text)
        factory = registry.get(spec.name)
        if factory is None:
            raise PassFailedException(
                f"graph-to-llvm: pass '{spec.name}' of stage '{level}' is not "
                "registered"
            )
        try:
            pass_type = factory()
        except ImportError as error:  # registered lazily, its module missing
            raise PassFailedException(
                f"graph-to-llvm: pass '{spec.name}' of stage '{level}' cannot "
                f"be loaded ({error})"
            ) from error
        passes.append(pass_type.from_spec(spec))
    return passes


def pipeline_text(to: str) -> str:
    """
    The passes up to level `to` as an `mlc-opt -p` list.

    `graph-to-llvm` runs as one pass, so `--print-ir-after-all` shows only its
    result; `mlc-opt -p "$(pipeline_text)"` runs the same list pass by pass.
    """
    return ",".join(spec for _, spec in stages_up_to(to))


@dataclass(frozen=True)
class GraphToLlvmPass(ModulePass):
    """
    Run the default pipeline from any level down to level `to`.

    Stages (`PIPELINE`): graph (`widen-bf16`, `canonicalize`, `graph-fuse`),
    tensor (`convert-graph-to-linalg`, `linalg-fuse-elementwise`), loop
    (`bufferize`, `buffer-reuse`, `pack-weights`, `linalg-contraction-kernel`,
    `conv-depthwise-kernel`, `linalg-generalize`, `linalg-vectorize`,
    `convert-linalg-to-loops`, `lower-affine`, `mark-parallel-loops`,
    `fuse-parallel-loops`, `parallelize-loops`), llvm
    (`math-approximate`, `convert-scf-to-cf`,
    `convert-{arith,math,memref,vector,cf,func}-to-llvm`,
    `reconcile-unrealized-casts`, `check-llvm-converted`), each lowering
    step followed by `canonicalize` and `cse`.

    **Input invariant**: a verified module at the graph, tensor or loop level
    (or mixing them); every pass of the stages up to `to` registered.

    **Output IR**: the module at level `to`: `graph` fused graph ops;
    `tensor` linalg on tensors; `loop` `scf.for` nests over `memref.load`
    and `memref.store`, or `vector` loads, stores and reductions, with arith
    and math, and packed GEMMs over `vector` ops for f32 contractions;
    `llvm` only the LLVM dialect
    (`llvm.func` per function, see `convert-func-to-llvm` for the ABI).

    **Invariants**: the stages run in order and each pass runs once; the IR
    verifies after every pass; no pass is skipped (an unregistered one fails
    the pipeline before anything runs).
    """

    name = "graph-to-llvm"

    to: str = "llvm"
    """The level to stop at: graph, tensor, loop or llvm."""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        run_passes(pipeline_passes(self.to, registry=passes_of(ctx)), ctx, op)
