"""
Run a built `Nest` pipeline on a module, with mlir-opt's instrumentation.

Nesting. xDSL passes are `ModulePass`es: they run on a `builtin.module`. To
run the passes of `func.func(...)` on each function, as MLIR's pass manager
does, the runner moves the function out of its block into a fresh temporary
module, runs the passes on that module, and moves the module's contents
(normally the function, however the passes rewrote it) back to where the
function was. The function is moved, not cloned, so nothing is copied, and a
pass cannot see or touch the function's siblings, which is the isolation MLIR
gives function passes. Only ops that are `IsolatedFromAbove` can be anchors,
as in MLIR; `any(...)` skips the ops that are not. A pass that reads the
module's own attributes sees the temporary module's (none).

Instrumentation, all to stderr as mlir-opt prints it:
`// -----// IR Dump {Before,After} <Class> (<pass-name>) //----- //` headers
(`After <Class> Failed` for a failing pass, printed generic since the IR may
not verify), each followed by the op the pass ran on (the module, or the
anchored op), and a wall-time `TimingNode` tree for `--timing`. The IR is
verified after each pass unless told otherwise; a pass that leaves invalid IR
fails there, with the verifier's located error.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from io import StringIO
from typing import TextIO

from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Block, Operation
from xdsl.passes import ModulePass
from xdsl.printer import Printer
from xdsl.traits import IsolatedFromAbove
from xdsl.utils.exceptions import DiagnosticException, ParseError, ShrinkException

from mlc.support.diagnostics import (
    Diagnostic,
    DiagnosticError,
    from_exception,
    from_parse_error,
    op_location,
)
from mlc.support.pass_pipeline import ANY_ANCHOR, ROOT_ANCHOR, Nest
from mlc.support.verifier import verify_located


class PassCrash(Exception):
    """A pass raised something other than a diagnostic: a bug, not a user error."""

    def __init__(self, pass_name: str, error: Exception) -> None:
        super().__init__(f"pass '{pass_name}' crashed: {type(error).__name__}: {error}")
        self.pass_name = pass_name
        self.error = error


# --------------------------------------------------------------------------- #
# Timing
# --------------------------------------------------------------------------- #


@dataclass
class TimingNode:
    """Accumulated wall time of one named step and the steps nested in it."""

    name: str
    seconds: float = 0.0
    children: dict[str, TimingNode] = field(default_factory=dict[str, "TimingNode"])

    def child(self, name: str, key: object = None) -> TimingNode:
        """
        The nested step `name` (or `key`, for one of several of that name).

        Created on first use; the report lists steps in that order.
        """
        index = name if key is None else f"{name}@{id(key)}"
        if index not in self.children:
            self.children[index] = TimingNode(name)
        return self.children[index]

    @contextmanager
    def time(self, name: str) -> Generator[TimingNode]:
        """Add the time spent in the `with` body to the nested step `name`."""
        node = self.child(name)
        start = time.perf_counter()
        try:
            yield node
        finally:
            node.seconds += time.perf_counter() - start


_RULE = "===" + "-" * 73 + "==="


def format_timing_report(root: TimingNode, total: float) -> str:
    """MLIR's `--mlir-timing` table: the steps, `Rest`, and `Total`."""
    total = max(total, sum(c.seconds for c in root.children.values()))

    def row(seconds: float, name: str, depth: int) -> str:
        share = 100.0 * seconds / total if total > 0 else 0.0
        return f"  {seconds:8.4f} ({share:5.1f}%)  {'  ' * depth}{name}"

    def rows(node: TimingNode, depth: int) -> Iterator[str]:
        for child in node.children.values():
            yield row(child.seconds, child.name, depth)
            yield from rows(child, depth + 1)

    rest = total - sum(c.seconds for c in root.children.values())
    lines = [
        _RULE,
        " " * 25 + "... Execution time report ...",
        _RULE,
        f"  Total Execution Time: {total:.4f} seconds",
        "",
        "  ----Wall Time----  ----Name----",
        *rows(root, 0),
        row(rest, "Rest", 0),
        row(total, "Total", 0),
    ]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- #
# Running
# --------------------------------------------------------------------------- #


@dataclass
class RunOptions:
    """What to verify, print and time around each pass."""

    verify_each: bool = True
    print_before_all: bool = False
    print_after_all: bool = False
    print_after_change: bool = False
    """Print after a pass only if it changed the IR (implies printing after)."""
    print_after_failure: bool = False
    print_ir: Callable[[Operation], str] = field(default=lambda op: f"{op}\n")
    """How dumped IR is printed (the output's printing flags)."""
    dump: TextIO | None = None
    """Where dumps go; None means `sys.stderr` at the time of printing."""
    timing: TimingNode | None = None


Scope = Callable[[], Sequence[Operation]]
"""The ops a nest's steps run on: `[module]` at the root, else the anchored op."""


class PipelineRunner:
    """Runs pipelines with `RunOptions`' verification and instrumentation."""

    def __init__(self, ctx: Context, options: RunOptions | None = None) -> None:
        self.ctx = ctx
        self.options = options or RunOptions()

    def run(
        self,
        pipeline: Nest,
        module: ModuleOp,
        after_step: Callable[[str, ModuleOp], None] | None = None,
    ) -> None:
        """
        Run `pipeline` on `module`.

        Raises `DiagnosticError` for a pass failure or invalid IR after a pass,
        and `PassCrash` for any other exception a pass raises. `after_step` is
        called after each top-level step with its name (a pass name, or a nest
        as `func.func(cse)`) and the module (`--check-numerics`).
        """
        if pipeline.anchor not in (module.name, ANY_ANCHOR):
            message = (
                f"can't run '{pipeline.anchor}' pass manager on '{module.name}' op"
            )
            raise DiagnosticError([Diagnostic(message, op_location(module))])
        for step in pipeline.steps:
            self._run_steps((step,), module, lambda: [module], self.options.timing)
            if after_step is not None:
                after_step(
                    step.name if isinstance(step, ModulePass) else str(step), module
                )

    def _run_steps(
        self,
        steps: Sequence[ModulePass | Nest],
        unit: ModuleOp,
        scope: Scope,
        timing: TimingNode | None,
        nested: bool = False,
    ) -> None:
        for step in steps:
            if isinstance(step, Nest):
                self._run_nest(step, scope(), timing)
            else:
                self._run_pass(step, unit, scope, timing, nested)

    def _run_nest(
        self, nest: Nest, parents: Sequence[Operation], timing: TimingNode | None
    ) -> None:
        node = timing.child(f"'{nest.anchor}' Pipeline", nest) if timing else None
        start = time.perf_counter()
        try:
            for parent in parents:
                for op in _anchored_ops(parent, nest.anchor):
                    with _isolated(op) as unit:
                        self._run_steps(nest.steps, unit, _contents(unit), node, True)
                        moved = list(unit.ops)
                    # Verified back in place: alone in the temporary module, a
                    # func.call could not resolve its callee (MLIR verifies
                    # symbol uses from the enclosing symbol table too).
                    for moved_op in moved:
                        if self.options.verify_each and (
                            diagnostics := verify_located(moved_op)
                        ):
                            raise DiagnosticError(diagnostics)
        finally:
            if node is not None:
                node.seconds += time.perf_counter() - start

    def _run_pass(
        self,
        pass_: ModulePass,
        unit: ModuleOp,
        scope: Scope,
        timing: TimingNode | None,
        nested: bool = False,
    ) -> None:
        """Run one pass; verify after it unless nested (then after the nest)."""
        label = f"{type(pass_).__name__} ({pass_.name})"
        options = self.options
        if options.print_before_all:
            self._dump(f"IR Dump Before {label}", scope())
        before = self._fingerprint(scope()) if options.print_after_change else None
        try:
            node = timing.child(pass_.name, pass_) if timing else None
            start = time.perf_counter()
            try:
                self._apply(pass_, unit)
            finally:
                if node is not None:
                    node.seconds += time.perf_counter() - start
            if (
                options.verify_each
                and not nested
                and (diagnostics := verify_located(unit))
            ):
                raise DiagnosticError(diagnostics)
        except (DiagnosticError, PassCrash):
            if options.print_after_failure or options.print_after_all:
                failed = f"IR Dump After {type(pass_).__name__} Failed ({pass_.name})"
                self._dump(failed, scope(), generic=True)
            raise
        if options.print_after_all or options.print_after_change:
            if before is None or before != self._fingerprint(scope()):
                self._dump(f"IR Dump After {label}", scope())

    def _apply(self, pass_: ModulePass, unit: ModuleOp) -> None:
        try:
            pass_.apply(self.ctx, unit)
        except (ShrinkException, DiagnosticError, PassCrash):
            raise  # a pipeline pass's inner pass failed: already reported
        except ParseError as error:
            raise DiagnosticError([from_parse_error(error)]) from error
        except DiagnosticException as error:
            raise DiagnosticError([from_exception(error)]) from error
        except NotImplementedError as error:
            # A documented limitation of the pass, which this input reaches.
            message = f"pass '{pass_.name}' does not support this input: {error}"
            raise DiagnosticError([Diagnostic(message)]) from error
        except Exception as error:
            raise PassCrash(pass_.name, error) from error

    def _dump(
        self, title: str, ops: Sequence[Operation], generic: bool = False
    ) -> None:
        stream = self.options.dump or sys.stderr
        stream.write(f"// -----// {title} //----- //\n")
        for op in ops:
            stream.write(_print_generic(op) if generic else self.options.print_ir(op))
        stream.write("\n\n")
        stream.flush()

    @staticmethod
    def _fingerprint(ops: Sequence[Operation]) -> str:
        return "".join(_print_generic(op, debuginfo=True) for op in ops)


def run_passes(
    passes: Sequence[ModulePass],
    ctx: Context,
    module: ModuleOp,
    options: RunOptions | None = None,
) -> None:
    """
    Run `passes` in order on `module`, verifying after each.

    The one way mlc runs a list of passes (`mlc.compile`, `graph-to-llvm`,
    `mlc-translate`): a failing pass or invalid IR after one raises a located
    `DiagnosticError`, any other exception a `PassCrash` naming the pass.
    """
    PipelineRunner(ctx, options).run(Nest(ROOT_ANCHOR, tuple(passes)), module)


def _contents(unit: ModuleOp) -> Scope:
    """The scope of a temporary module: the anchored op(s) it holds."""
    return lambda: list(unit.ops)


def _print_generic(op: Operation, debuginfo: bool = False) -> str:
    out = StringIO()
    Printer(out, print_generic_format=True, print_debuginfo=debuginfo).print_op(op)
    return out.getvalue() + "\n"


def _anchored_ops(parent: Operation, anchor: str) -> list[Operation]:
    """The ops directly in `parent`'s regions that the nest `anchor` runs on."""
    ops = [
        op for region in parent.regions for block in region.blocks for op in block.ops
    ]
    if anchor == ANY_ANCHOR:
        return [op for op in ops if op.has_trait(IsolatedFromAbove)]
    anchored = [op for op in ops if op.name == anchor]
    for op in anchored:
        if not op.has_trait(IsolatedFromAbove):
            message = (
                "trying to schedule a pass on an operation not marked as "
                "'IsolatedFromAbove'"
            )
            raise DiagnosticError([Diagnostic(message, op_location(op))])
    return anchored


@contextmanager
def _isolated(op: Operation) -> Generator[ModuleOp]:
    """`op` moved into a temporary module, and whatever it holds moved back."""
    block = op.parent_block()
    assert block is not None, "an anchored op is always in a block"
    after = op.next_op
    op.detach()
    unit = ModuleOp([op])
    try:
        yield unit
    finally:
        _splice(list(unit.ops), block, after)


def _splice(ops: list[Operation], block: Block, before: Operation | None) -> None:
    for op in ops:
        op.detach()
    if before is None:
        block.add_ops(ops)
    else:
        block.insert_ops_before(ops, before)
