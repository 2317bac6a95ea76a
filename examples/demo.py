"""
`make demo`: a model through mlc's levels, then run natively and checked against numpy.

```
python examples/demo.py [model.mlir] [--repeat N] [--seed S]
```

For each stage of the default pipeline (`mlc.lowering.pipelines.PIPELINE`:
graph, tensor, loop, llvm) the stage's passes run through mlc-opt's pass
runner, and a table shows the number of passes, the number of ops after the
stage, the most frequent ones and the stage's time. The LLVM-dialect module is
then translated to LLVM IR and compiled to machine code for this CPU. Finally
`mlc.compile` builds the callable, which runs on random inputs; its result is
compared with the numpy references of the graph ops (`mlc.interpreters`
interprets the graph-level input), and the run time is the median of
`--repeat` calls after a warm-up.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass
from xdsl.utils.arg_spec import parse_spec

from mlc.interpreters import run_function
from mlc.lowering.pipelines import PIPELINE
from mlc.support.pass_pipeline import ROOT_ANCHOR, Nest
from mlc.support.pass_runner import PipelineRunner, RunOptions
from mlc.tools.mlc_run import (
    as_results,
    format_time,
    parse_mlir,
    random_inputs,
    type_string,
)
from mlc.universe import all_passes, full_context

DEFAULT_MODEL = Path(__file__).resolve().parent / "mlp.mlir"
STRUCTURAL = {
    "func.func",
    "func.return",
    "linalg.yield",
    "scf.yield",
    "arith.constant",
    "llvm.func",
    "llvm.return",
    "llvm.mlir.constant",
}
"""Functions, terminators and constants: left out of the "main ops" column."""


@dataclass(frozen=True)
class Row:
    """One line of the per-level table."""

    level: str
    passes: str
    ops: str
    main_ops: str
    seconds: float | None


def count_ops(module: ModuleOp) -> Counter[str]:
    """How many ops of each name the module holds (the module itself excluded)."""
    return Counter(op.name for op in module.walk() if op is not module)


def main_ops(counts: Counter[str], limit: int = 4) -> str:
    """The most frequent non-structural ops: `linalg.generic 3, arith.addf 2`."""
    common = [(n, c) for n, c in counts.most_common() if n not in STRUCTURAL]
    text = ", ".join(f"{name} {count}" for name, count in common[:limit])
    return text + (", ..." if len(common) > limit else "")


def stage_passes(passes: Sequence[str]) -> list[ModulePass]:
    """The stage's passes, resolved in xDSL's and mlc's registries."""
    registry = all_passes()
    resolved: list[ModulePass] = []
    for text in passes:
        spec = parse_spec(text)
        resolved.append(registry[spec.name]().from_spec(spec))
    return resolved


def lower(module: ModuleOp) -> list[Row]:
    """Run the pipeline stage by stage on `module`; a row per stage."""
    runner = PipelineRunner(full_context(), RunOptions())
    rows: list[Row] = []
    for level, passes in PIPELINE:
        if not passes:
            rows.append(Row(level, "-", "-", "(not available yet)", None))
            break
        nest = Nest(ROOT_ANCHOR, tuple(stage_passes(passes)))
        start = time.perf_counter()
        runner.run(nest, module)
        seconds = time.perf_counter() - start
        counts = count_ops(module)
        rows.append(
            Row(level, str(len(passes)), str(counts.total()), main_ops(counts), seconds)
        )
    return rows


def native_row(module: ModuleOp, opt_level: int) -> Row | None:
    """LLVM IR and machine code of an LLVM-dialect module, timed."""
    if any(op.name.startswith("func.") for op in module.walk()):
        return None  # the llvm stage did not run
    from mlc.runtime.llvm_ir import emit_object, optimize, translate_to_llvm_ir

    start = time.perf_counter()
    llvm_ir = optimize(translate_to_llvm_ir(module), opt_level)
    obj = emit_object(llvm_ir, opt_level)
    seconds = time.perf_counter() - start
    instructions = sum(
        1
        for line in llvm_ir.splitlines()
        if line.startswith("  ") and not line.lstrip().startswith(";")
    )
    return Row(
        f"native -O{opt_level}",
        "-",
        str(instructions),
        f"LLVM IR instructions after -O{opt_level}; object file {len(obj)} bytes",
        seconds,
    )


def format_table(rows: Sequence[Row]) -> str:
    """The rows as an aligned text table."""
    header = Row("level", "passes", "ops", "main ops", None)
    cells = [
        (r.level, r.passes, r.ops, r.main_ops, "time" if r is header else _ms(r))
        for r in [header, *rows]
    ]
    widths = [max(len(c[i]) for c in cells) for i in range(5)]
    lines: list[str] = []
    for index, cell in enumerate(cells):
        level, passes, ops, mains, seconds = cell
        lines.append(
            f"  {level:<{widths[0]}}  {passes:>{widths[1]}}  {ops:>{widths[2]}}  "
            f"{mains:<{widths[3]}}  {seconds:>{widths[4]}}".rstrip()
        )
        if index == 0:
            lines.append("  " + "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def _ms(row: Row) -> str:
    return "" if row.seconds is None else format_time(row.seconds)


def _values(array: np.ndarray[Any, Any]) -> str:
    text = np.array2string(array, threshold=12, edgeitems=3, precision=4)
    return " ".join(text.split())


def run_native(path: Path, args: argparse.Namespace, out: Any) -> None:
    """Compile with `mlc.compile`, run on random inputs, compare with numpy."""
    import mlc

    start = time.perf_counter()
    compiled = mlc.compile(path, opt_level=args.opt_level)
    compile_seconds = time.perf_counter() - start
    if not isinstance(compiled, mlc.CompiledModule):
        raise SystemExit(f"{path}: the demo needs static shapes (no '?' dimensions)")
    signature = compiled.signature
    inputs = random_inputs(signature, args.seed)
    result = as_results(compiled(*inputs))[0]
    reference = run_function(parse_mlir(path), signature.entry, inputs)[0]
    times: list[float] = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        compiled(*inputs)
        times.append(time.perf_counter() - start)
    error = float(np.max(np.abs(result.astype(np.float64) - reference)))
    scale = float(np.max(np.abs(reference))) or 1.0
    described = ", ".join(
        f"{s.name} {type_string(s.shape, np.dtype(s.dtype))}" for s in signature.inputs
    )
    out.write(
        f"\nmlc.compile({path.name}, opt_level={args.opt_level}): "
        f"{format_time(compile_seconds)} (every stage, LLVM, machine code, JIT)\n"
        f"  inputs     random normal, seed {args.seed}: {described}\n"
        f"  output     {type_string(result.shape, result.dtype)} {_values(result)}\n"
        f"  numpy      {_values(reference)}\n"
        f"  error      max abs {error:.3g} (relative to max |output|: "
        f"{error / scale:.3g})\n"
        f"  run time   median {format_time(statistics.median(times))}, min "
        f"{format_time(min(times))} over {args.repeat} calls after a warm-up\n"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Walk the model through the levels, then run it; the exit code."""
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").split("\n\n")[0].strip()
    )
    parser.add_argument("model", nargs="?", default=str(DEFAULT_MODEL))
    parser.add_argument("--repeat", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-O", dest="opt_level", type=int, default=3, choices=range(4))
    args = parser.parse_args(argv)
    path = Path(args.model)
    start = time.perf_counter()
    module = parse_mlir(path)
    parse_seconds = time.perf_counter() - start
    counts = count_ops(module)
    out = sys.stdout
    out.write(f"mlc demo: {path.name} through the levels\n\n")
    rows = [Row("input", "-", str(counts.total()), main_ops(counts), parse_seconds)]
    rows += lower(module)
    if (native := native_row(module, args.opt_level)) is not None:
        rows.append(native)
    out.write(format_table(rows))
    run_native(path, args, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
