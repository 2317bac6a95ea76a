"""
`mlc-run`: compile a model and run it on inputs, like mlir-runner or iree-run-module.

```
mlc-run model.mlir [--entry NAME] [--input x.npy ...] [--random-inputs] [--seed N]
        [--input-shape NAME=DxDx... ...]
        [--compare ref.npy|ref.npz] [--rtol R] [--atol A] [--repeat N]
        [-O0|-O1|-O2|-O3] [--print-output|--quiet] [--save-outputs out.npz]
```

The model is IR text at any level (`.mlir`) or an ONNX file (`.onnx`); either
goes through `mlc.compile`. A `.mlir` file is parsed here with
`LocatedParser` and verified op by op, so bad IR is reported as mlc-opt
reports it: `file:line:col: error: message`. Weights named by the module's
`mlc.weights` attribute are loaded and bound (`mlc.compile(path)` does it).

Inputs come from `--input` (one `.npy` per input, or one `.npz` holding all
of them, by name or in order) or are drawn at random for the signature
(`--random-inputs`, the default when no `--input` is given): floats standard
normal, signed integers in [-3, 3], unsigned in [0, 6], bools. A model with
symbolic dimensions (an ONNX `dim_param`, `tensor<?x4xf32>`) is compiled for
the shapes of its `--input` arrays, or for `--input-shape NAME=DxDx...`
(repeatable; random inputs of a symbolic input need it). A parameter
the weights file lacks is an error unless `--random-inputs` is given. The first call
is a warm-up whose results are printed (shape, dtype and abbreviated values);
`--repeat N` timed calls follow (median and min), and the compile time is
printed too. `--save-outputs` writes the results (`.npy`, or `.npz` by
result name). `--compare` checks the results against a reference
(`|out - ref| <= atol + rtol * |ref|`, NaN equals NaN; integers exactly) and
exits 1 when they differ.

Every user error is one line on stderr and exit code 1: a missing file, bad
IR, an unknown entry, a wrong input count, shape or dtype. A bug is
`mlc-run: internal error: ...` (set `MLC_DEBUG=1` for its traceback).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np
from xdsl.dialects.builtin import ModuleOp

from mlc.dialects.graph.base import BFLOAT16, is_float_dtype
from mlc.support.diagnostics import one_line
from mlc.support.located_parser import parse_verified
from mlc.tools.cli import (
    ArgumentParser,
    Tool,
    UsageError,
    add_input_shape_argument,
    parse_input_shapes,
    read_input_text,
)

if TYPE_CHECKING:
    from mlc.runtime.compiled import CompiledModule
    from mlc.runtime.signature import Signature, TensorSpec
    from mlc.runtime.specialize import DynamicModule
    from mlc.runtime.symbolic import SymbolicSpec

PROG = "mlc-run"

Array = np.ndarray[Any, np.dtype[Any]]


def build_parser() -> argparse.ArgumentParser:
    """mlc-run's command line."""
    parser = ArgumentParser(
        prog=PROG,
        description="Compile a model (.mlir at any level, or .onnx) with mlc and "
        "run it on inputs.",
        allow_abbrev=False,
    )
    add = parser.add_argument
    add("model", help="the model: IR text (.mlir) or an ONNX file (.onnx)")
    add(
        "--entry",
        metavar="NAME",
        help="the function to run (default: the only public one)",
    )
    add(
        "--input",
        dest="inputs",
        metavar="FILE",
        action="extend",
        nargs="+",
        default=[],
        help="input arrays: one .npy per input, in order, or one .npz with all",
    )
    add(
        "--random-inputs",
        action="store_true",
        help="random inputs for the signature (the default without --input)",
    )
    add("--seed", type=int, default=0, help="random-input seed (default 0)")
    add_input_shape_argument(
        parser,
        "the shape of an input with symbolic dimensions (repeatable; "
        "default: the --input arrays' shapes)",
    )
    add("--compare", metavar="FILE", help="reference results (.npy or .npz)")
    add("--rtol", type=float, default=1e-4, help="relative tolerance (1e-4)")
    add("--atol", type=float, default=1e-5, help="absolute tolerance (1e-5)")
    add(
        "--repeat",
        type=int,
        default=1,
        metavar="N",
        help="timed calls after the warm-up (default 1)",
    )
    add(
        "-O",
        dest="opt_level",
        type=int,
        choices=range(4),
        default=3,
        metavar="LEVEL",
        help="LLVM optimization level: -O0, -O1, -O2 or -O3 (default)",
    )
    add(
        "--num-threads",
        type=int,
        default=None,
        metavar="N",
        help="threads for parallel loops (default: $MLC_NUM_THREADS, else the "
        "CPUs this process may use)",
    )
    add(
        "--timing",
        action="store_true",
        help="print where the compile's time went (each level, each LLVM step)",
    )
    output = parser.add_mutually_exclusive_group()
    output.add_argument(
        "--print-output",
        dest="print_output",
        action="store_true",
        default=True,
        help="print the results (default)",
    )
    output.add_argument(
        "--quiet",
        dest="print_output",
        action="store_false",
        help="do not print the results' values",
    )
    add("--save-outputs", metavar="FILE", help="save the results (.npy or .npz)")
    return parser


# --------------------------------------------------------------------------- #
# Loading and compiling
# --------------------------------------------------------------------------- #


def parse_mlir(path: Path) -> ModuleOp:
    """The verified module in `path`; a located `DiagnosticError` otherwise."""
    from mlc.universe import shared_context

    return parse_verified(shared_context(), read_input_text(path), str(path))


def check_entry(module: ModuleOp, entry: str | None, path: Path) -> str:
    """The entry's name: `entry` if the module defines it, else the public one."""
    from mlc.runtime.signature import public_functions

    public = public_functions(module)  # func.func and llvm.func
    listed = ", ".join(f"@{n}" for n in public) or "none"
    if entry is not None:
        if entry not in public:
            raise UsageError(
                f"no public function @{entry} in '{path}' (public functions: {listed})"
            )
        return entry
    if len(public) != 1:
        raise UsageError(
            f"'{path}' has {len(public)} public functions ({listed}); "
            "name the one to run with --entry"
        )
    return public[0]


def compile_model(
    path: Path,
    entry: str | None,
    opt_level: int,
    num_threads: int | None = None,
    timing: bool = False,
    input_shapes: dict[str, tuple[int, ...]] | None = None,
) -> tuple[CompiledModule | DynamicModule, str]:
    """The compiled model and its entry; raises the errors `main` reports."""
    import mlc

    if num_threads is not None and num_threads < 1:
        raise UsageError(f"--num-threads must be at least 1, got {num_threads}")
    if not path.is_file():
        reason = "is a directory" if path.is_dir() else "No such file or directory"
        raise UsageError(f"cannot open input file '{path}': {reason}")
    if path.suffix == ".mlir":
        # Parsed here first for mlc-opt's diagnostics and the entry check;
        # mlc.compile(path) parses it again and binds its `mlc.weights`.
        entry = check_entry(parse_mlir(path), entry, path)
    elif path.suffix != ".onnx":
        raise UsageError(f"'{path}': unknown model format (expected .mlir or .onnx)")
    # A compile past two seconds prints a line per stage on stderr.
    compiled = mlc.compile(
        path,
        entry=entry,
        opt_level=opt_level,
        num_threads=num_threads,
        timing=timing,
        progress=True,
        input_shapes=input_shapes,
    )
    return compiled, compiled.signature.entry


def specialize(
    compiled: CompiledModule | DynamicModule, files: Sequence[str]
) -> CompiledModule:
    """
    A model with symbolic dimensions compiled for its `--input` arrays' shapes.

    Without `--input` (random inputs), the shapes must come from
    `--input-shape`: a symbolic input left is a `UsageError` saying so.
    """
    from mlc.runtime.specialize import DynamicModule
    from mlc.runtime.symbolic import unshaped_inputs

    if not isinstance(compiled, DynamicModule):
        return compiled
    signature = compiled.signature
    if not files:
        why = unshaped_inputs(signature, None, "--input-shape")
        raise UsageError(f"random inputs: {why} (or give --input files)")
    named = [item for file in files for item in load_arrays(Path(file))]
    arrays = match_arrays(named, signature.inputs)
    if arrays is None:
        expected = ", ".join(f"'{s.name}'" for s in signature.inputs) or "none"
        raise UsageError(
            f"@{signature.entry} takes {len(signature.inputs)} inputs ({expected}), "
            f"got {len(named)} from --input"
        )
    shapes = {
        spec.name: tuple(array.shape)
        for spec, array in zip(signature.inputs, arrays, strict=True)
    }
    return compiled.specialize(shapes)


# --------------------------------------------------------------------------- #
# Inputs and outputs
# --------------------------------------------------------------------------- #


def missing_parameters(compiled: CompiledModule) -> list[str]:
    """
    The parameters a weights file should have bound and did not.

    An entry takes the model's inputs, then its parameters (docs/
    conventions.md, "Imported models"), so the parameters start at the first
    argument the weights bound: any argument after it left unbound is a
    missing parameter. (A weights file missing the first parameters is not
    told apart from one holding fewer parameters.)
    """
    names = [spec.name for spec in compiled.full_signature.inputs]
    bound = compiled.bound
    first = next((i for i, name in enumerate(names) if name in bound), None)
    if first is None:
        return []
    return [name for name in names[first:] if name not in bound]


def type_string(shape: Sequence[int], dtype: np.dtype[Any]) -> str:
    """`1x10xf32`: a shape and dtype as MLIR spells a tensor's."""
    kind = {"f": "f", "i": "i", "u": "ui"}.get(dtype.kind)
    element = "i1" if dtype.kind == "b" else f"{kind}{dtype.itemsize * 8}"
    if dtype == BFLOAT16:
        element = "bf16"
    elif kind is None and dtype.kind != "b":
        element = str(dtype)
    return "x".join([*map(str, shape), element])


def spec_label(index: int, spec: TensorSpec) -> str:
    """`input #1 'w0'`-style label of a signature entry."""
    return f"#{index} '{spec.name}'"


def random_inputs(signature: Signature, seed: int) -> list[Array]:
    """Random arrays for the signature's inputs."""
    rng = np.random.default_rng(seed)
    arrays: list[Array] = []
    for spec in signature.inputs:
        dtype = np.dtype(spec.dtype)
        shape = tuple(spec.shape)
        if is_float_dtype(dtype):
            array = rng.standard_normal(shape).astype(dtype)
        elif dtype.kind == "b":
            array = rng.integers(0, 2, shape).astype(dtype)
        elif dtype.kind == "u":
            array = rng.integers(0, 7, shape).astype(dtype)
        else:
            array = rng.integers(-3, 4, shape).astype(dtype)
        arrays.append(array)
    return arrays


def _load_npy(path: Path) -> object:
    try:
        return np.load(path, allow_pickle=False)
    except OSError as error:
        reason = error.strerror or str(error)
        raise UsageError(f"cannot read '{path}': {reason}") from None
    except ValueError as error:
        raise UsageError(f"cannot read '{path}': {one_line(str(error))}") from None


def load_arrays(path: Path) -> list[tuple[str, Array]]:
    """The arrays in a `.npy` (one, named by the file) or `.npz` (each, by key)."""
    if path.suffix not in (".npy", ".npz"):
        raise UsageError(f"'{path}': expected a .npy or .npz file")
    loaded = _load_npy(path)
    if path.suffix == ".npy":
        if not isinstance(loaded, np.ndarray):
            raise UsageError(f"'{path}' holds no array")
        return [(path.stem, loaded)]
    archive = cast(Any, loaded)
    try:
        return [(str(key), archive[key]) for key in archive.files]
    finally:
        archive.close()


def match_arrays(
    named: list[tuple[str, Array]], specs: Sequence[TensorSpec | SymbolicSpec]
) -> list[Array] | None:
    """
    The arrays ordered as `specs`.

    By name when every spec's name is there, else in order; None when the
    counts differ.
    """
    if len(named) != len(specs):
        return None
    by_name = dict(named)
    if len(by_name) == len(named) and all(s.name in by_name for s in specs):
        return [by_name[s.name] for s in specs]
    return [array for _, array in named]


def read_inputs(files: Sequence[str], signature: Signature) -> list[Array]:
    """The `--input` arrays, checked against the signature."""
    named = [item for file in files for item in load_arrays(Path(file))]
    arrays = match_arrays(named, signature.inputs)
    specs = signature.inputs
    if arrays is None:
        expected = ", ".join(f"'{s.name}'" for s in specs) or "none"
        raise UsageError(
            f"@{signature.entry} takes {len(specs)} inputs ({expected}), "
            f"got {len(named)} from --input"
        )
    checked: list[Array] = []
    for index, (spec, array) in enumerate(zip(specs, arrays, strict=True)):
        expected = type_string(spec.shape, np.dtype(spec.dtype))
        actual = type_string(array.shape, array.dtype)
        if expected != actual:
            raise UsageError(
                f"input {spec_label(index, spec)} of @{signature.entry}: expected "
                f"{expected}, got {actual}"
            )
        checked.append(np.ascontiguousarray(array))
    return checked


def format_result(index: int, spec: TensorSpec | None, array: Array) -> str:
    """A result's type line and its values, abbreviated as numpy prints them."""
    name = f" '{spec.name}'" if spec is not None else ""
    head = f"result #{index}{name}: {type_string(array.shape, array.dtype)}"
    body = np.array2string(
        array, threshold=40, edgeitems=3, precision=6, max_line_width=96
    )
    indented = "\n".join("  " + line for line in body.splitlines())
    return f"{head}\n{indented}\n"


def save_outputs(path: Path, results: Sequence[Array], signature: Signature) -> None:
    """Write the results: one `.npy`, or an `.npz` keyed by result name."""
    try:
        if path.suffix == ".npy":
            if len(results) != 1:
                raise UsageError(
                    f"--save-outputs '{path}': {len(results)} results need an .npz"
                )
            np.save(path, results[0])
        elif path.suffix == ".npz":
            names = [s.name for s in signature.outputs]
            if len(set(names)) != len(results):
                names = [f"arr_{i}" for i in range(len(results))]
            savez = cast(Callable[..., None], np.savez)
            savez(path, **dict(zip(names, results, strict=True)))
        else:
            raise UsageError(f"--save-outputs '{path}': expected .npy or .npz")
    except OSError as error:
        reason = error.strerror or str(error)
        raise UsageError(f"cannot write '{path}': {reason}") from None


# --------------------------------------------------------------------------- #
# Comparing and timing
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class Comparison:
    """One result against its reference."""

    max_abs: float
    max_rel: float
    ok: bool


def compare(result: Array, reference: Array, rtol: float, atol: float) -> Comparison:
    """`|result - reference| <= atol + rtol * |reference|` elementwise."""
    if result.dtype.kind in "fc" or reference.dtype.kind in "fc":
        out = result.astype(np.float64)
        ref = reference.astype(np.float64)
        both_nan = np.isnan(out) & np.isnan(ref)
        diff = np.where(both_nan, 0.0, np.abs(out - ref))
        diff = np.where(np.isnan(diff), np.inf, diff)
        limit = atol + rtol * np.abs(ref)
        ok = bool(np.all((diff <= limit) | both_nan))
    else:
        diff = np.abs(result.astype(np.int64) - reference.astype(np.int64)).astype(
            np.float64
        )
        ref = reference.astype(np.float64)
        ok = bool(np.all(diff == 0))
    if diff.size == 0:
        return Comparison(0.0, 0.0, ok)
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.where(diff == 0, 0.0, diff / np.abs(ref))
    return Comparison(float(np.max(diff)), float(np.max(rel)), ok)


def compare_file(
    path: Path, results: Sequence[Array], signature: Signature, args: Any
) -> tuple[bool, list[str]]:
    """Every result against the reference file: (all ok, report lines)."""
    named = load_arrays(path)
    references = match_arrays(named, signature.outputs)
    if references is None:
        raise UsageError(
            f"--compare '{path}' holds {len(named)} arrays; @{signature.entry} "
            f"has {len(results)} results"
        )
    lines: list[str] = []
    all_ok = True
    for index, (result, reference) in enumerate(zip(results, references, strict=True)):
        if result.shape != reference.shape:
            raise UsageError(
                f"--compare '{path}': result #{index} has shape "
                f"{type_string(result.shape, result.dtype)}, the reference "
                f"{type_string(reference.shape, reference.dtype)}"
            )
        found = compare(result, reference, args.rtol, args.atol)
        all_ok = all_ok and found.ok
        verdict = "ok" if found.ok else "MISMATCH"
        lines.append(
            f"compare result #{index}: max abs error {found.max_abs:.3g}, max rel "
            f"error {found.max_rel:.3g} (rtol {args.rtol:g}, atol {args.atol:g}): "
            f"{verdict}"
        )
    return all_ok, lines


def time_calls(call: Callable[[], object], repeat: int) -> list[float]:
    """Wall time in seconds of each of `repeat` calls."""
    times: list[float] = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return times


def format_time(seconds: float) -> str:
    """A duration with about four significant digits: `54.91 µs`, `3.2 ms`."""
    if seconds < 1e-3:
        return f"{seconds * 1e6:.4g} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.4g} ms"
    return f"{seconds:.4g} s"


# --------------------------------------------------------------------------- #
# Driver
# --------------------------------------------------------------------------- #


def as_results(value: object) -> list[Array]:
    """A call's results as a list of arrays (one array, or a tuple of them)."""
    items = cast(tuple[object, ...], value) if isinstance(value, tuple) else (value,)
    return [np.asarray(item) for item in items]


def run(args: argparse.Namespace, out: Any) -> int:
    """Compile, run, print, compare and time; the exit code."""
    if args.repeat < 1:
        raise UsageError(f"--repeat must be at least 1, got {args.repeat}")
    if args.inputs and args.random_inputs:
        raise UsageError("--input and --random-inputs cannot be combined")
    path = Path(args.model)
    start = time.perf_counter()
    shapes = parse_input_shapes(args.input_shape)
    polymorphic, entry = compile_model(
        path, args.entry, args.opt_level, args.num_threads, args.timing, shapes
    )
    compiled = specialize(polymorphic, args.inputs)
    compile_seconds = time.perf_counter() - start
    signature = compiled.signature
    if args.inputs:
        inputs = read_inputs(args.inputs, signature)
        source = f"{len(inputs)} from --input"
    else:
        if (missing := missing_parameters(compiled)) and not args.random_inputs:
            listed = ", ".join(f"'{name}'" for name in missing)
            raise UsageError(
                f"'{path}': the weights file gives no value for parameter(s) "
                f"{listed} of @{entry} (--random-inputs draws them at random)"
            )
        inputs = random_inputs(signature, args.seed)
        source = f"{len(inputs)} random (seed {args.seed})"
    out.write(
        f"{PROG}: {path} @{entry} -O{args.opt_level}: compiled in "
        f"{format_time(compile_seconds)}; inputs: {source}\n"
    )
    results = as_results(compiled(*inputs))
    if args.print_output:
        specs: list[TensorSpec | None] = [*signature.outputs]
        specs += [None] * (len(results) - len(specs))
        for index, result in enumerate(results):
            out.write(format_result(index, specs[index], result))
    if args.save_outputs:
        save_outputs(Path(args.save_outputs), results, signature)
    times = time_calls(lambda: compiled(*inputs), args.repeat)
    runs = "1 run" if args.repeat == 1 else f"{args.repeat} runs"
    out.write(
        f"run: median {format_time(statistics.median(times))}, min "
        f"{format_time(min(times))} ({runs} after a warm-up)\n"
    )
    if args.compare is None:
        return 0
    ok, lines = compare_file(Path(args.compare), results, signature, args)
    out.write("".join(line + "\n" for line in lines))
    if not ok:
        sys.stderr.write(
            f"{PROG}: error: results differ from '{args.compare}' beyond rtol "
            f"{args.rtol:g}, atol {args.atol:g}\n"
        )
    return 0 if ok else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Run mlc-run on `argv` (default: `sys.argv[1:]`); the exit code."""
    tool = Tool(PROG)

    def body() -> int:
        args = build_parser().parse_args(argv)
        tool.input_name = args.model
        return run(args, sys.stdout)

    return tool.main(body)


if __name__ == "__main__":
    sys.exit(main())
