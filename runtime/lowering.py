"""
The default pipeline down to the llvm dialect, as `mlc.compile` runs it.
"""

from __future__ import annotations

from xdsl.dialects import llvm
from xdsl.dialects.builtin import ModuleOp

from mlc.runtime.signature import CompileError
from mlc.runtime.timing import CompileTimer


def lower_to_llvm(
    module: ModuleOp, timer: CompileTimer | None = None, text: str | None = None
) -> None:
    """
    Run the default pipeline down to the llvm dialect, unless already there.

    The IR is verified once, after the last pass (verifying after every
    pass costs more than the passes on a large model); when that fails and
    the module's `text` before lowering is given, the pipeline runs again on
    it verifying after each pass, so the error names the pass at fault.
    """
    from xdsl.utils.exceptions import VerifyException

    from mlc.lowering.pipelines import pipeline_passes, stages_up_to
    from mlc.runtime.compiled import parse_ir
    from mlc.support.pass_runner import RunOptions, run_passes
    from mlc.universe import shared_context

    if all(isinstance(op, llvm.FuncOp | llvm.GlobalOp) for op in module.ops):
        return
    timer = timer or CompileTimer()
    ctx = shared_context()
    levels = [level for level, _ in stages_up_to("llvm")]
    passes = pipeline_passes("llvm", registry=ctx.passes)
    unverified = RunOptions(verify_each=False)
    try:
        for level in dict.fromkeys(levels):  # each level's passes, timed
            stage = [p for p, of in zip(passes, levels, strict=True) if of == level]
            with timer.stage(f"lower: {level}"):
                run_passes(stage, ctx, module, unverified)
        with timer.stage("lower: verify"):
            module.verify()
    except VerifyException as error:
        if text is not None:  # again, verifying each pass: names the culprit
            again = pipeline_passes("llvm", registry=ctx.passes)
            run_passes(again, ctx, parse_ir(text, "<module>"))
        first_line = str(error).splitlines()[0] if str(error) else ""
        raise CompileError(
            f"internal error while lowering: invalid IR: {first_line}"
        ) from error


__all__ = ["lower_to_llvm"]
