"""
`mlc-translate`: translations into and out of MLIR text, as mlir-translate.

Three modes, one per run:

- `--mlir-to-llvmir`: IR of any level (graph, tensor, loop or llvm) goes
  through the default pipeline down to the llvm dialect, then out as LLVM IR
  text, verified and printed by LLVM; `-O0`..`-O3` runs LLVM's optimizer on
  it for the host CPU (without `-O` it is printed unoptimized). An entry
  with symbolic dimensions is lowered for `--input-shape NAME=DxDx...`.
- `--export-library -o libNAME.so`: the module compiled (`mlc.compile`) and
  written as a shared library with `libNAME.h` and `libNAME.weights` beside
  it (`mlc.runtime.export`); the parameters named in the module's
  `mlc.weights` attribute (a weights file, relative to the input) are bound.
  An entry with symbolic dimensions (`tensor<?x4xf32>`) is built for the
  shapes `--input-shape NAME=DxDx...` gives.
- `--import-onnx model.onnx -o model.mlir`: the ONNX model as graph-level
  MLIR, with its parameters in `model.weights` beside the output, named by
  the module attribute `mlc.weights = "model.weights"`. An input with a
  symbolic dimension (`dim_param`) needs `--input-shape NAME=DxDx...`.

The output goes to `-o FILE` (default stdout, `-`), written only on success;
no output is written over an input (the model, `--weights`) or over another
output of the same run (`-o out.weights` with `--import-onnx` would be both the
MLIR and its weights): such names are refused before anything is written.
Every user error is one line on stderr and exit 1, as in `mlc-opt`:
`file:line:col: error: message` for IR, `file: error: message` for the input
file, `mlc-translate: error: message` for the command line, and
`mlc-translate: internal error: ...` for a bug (`MLC_DEBUG=1` shows its
traceback).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from io import StringIO
from pathlib import Path

from xdsl.dialects.builtin import ModuleOp, StringAttr
from xdsl.printer import Printer

from mlc.runtime.timing import CompileTimer
from mlc.support.abi import WEIGHTS_ATTR
from mlc.support.diagnostics import Diagnostic, DiagnosticError
from mlc.support.located_parser import parse_verified
from mlc.tools.cli import (
    ArgumentParser,
    Tool,
    UsageError,
    add_input_shape_argument,
    check_outputs,
    parse_input_shapes,
    read_input_text,
)

PROG = "mlc-translate"


def argument_parser() -> argparse.ArgumentParser:
    """mlc-translate's command line."""
    parser = ArgumentParser(
        prog=PROG,
        description="mlc translation driver: MLIR to LLVM IR, to a shared "
        "library, and ONNX to MLIR",
        allow_abbrev=False,
    )
    parser.add_argument(
        "input_file", nargs="?", default="-", help="input file (default stdin)"
    )
    modes = parser.add_mutually_exclusive_group(required=True)
    modes.add_argument(
        "--mlir-to-llvmir",
        action="store_true",
        help="lower MLIR of any level to the llvm dialect and print LLVM IR",
    )
    modes.add_argument(
        "--export-library",
        action="store_true",
        help="compile MLIR to a shared library libNAME.so (-o) with libNAME.h "
        "and libNAME.weights",
    )
    modes.add_argument(
        "--import-onnx",
        action="store_true",
        help="import an ONNX model as graph-level MLIR, weights beside it",
    )
    parser.add_argument(
        "-o", dest="output_file", default="-", help="output file (default stdout)"
    )
    parser.add_argument(
        "-O",
        dest="opt_level",
        type=int,
        choices=range(4),
        default=None,
        metavar="N",
        help="LLVM optimization level 0-3 (--mlir-to-llvmir: default none, "
        "--export-library: default 3)",
    )
    parser.add_argument(
        "--entry",
        help="the entry function (--export-library, --input-shape; default: the "
        "only public function)",
    )
    parser.add_argument(
        "--prefix",
        help="C symbol prefix (--export-library; default: from the library's "
        "name, libNAME.so gives NAME_run)",
    )
    parser.add_argument(
        "--weights",
        metavar="FILE",
        help="weights file to bind (--export-library; default: the module's "
        "mlc.weights) or to write (--import-onnx; default: the output's name "
        "with .weights)",
    )
    add_input_shape_argument(
        parser,
        "the shape of an input with symbolic dimensions (--import-onnx, "
        "--export-library, --mlir-to-llvmir; repeatable)",
    )
    return parser


# -- input and output --------------------------------------------------------- #


def input_name(args: argparse.Namespace) -> str:
    return "<stdin>" if args.input_file == "-" else str(args.input_file)


def read_input(args: argparse.Namespace) -> str:
    """The input's text (stdin for `-`)."""
    return read_input_text(str(args.input_file))


def output_paths(args: argparse.Namespace) -> list[str | Path]:
    """Every file the run writes: `-o`, and the weights or library files."""
    output = str(args.output_file)
    if args.import_onnx:
        weights = _onnx_weights_path(args)
        return [output] if weights is None else [output, weights]
    if args.export_library and output != "-":
        library = Path(output)
        stem = library.name.split(".")[0]
        return [
            library,
            library.with_name(f"{stem}.h"),
            library.with_name(f"{stem}.weights"),
        ]
    return [output]


def check_output_paths(args: argparse.Namespace) -> None:
    """
    Refuse outputs over an input or over each other, or in a missing directory.

    The inputs are the input file and, for `--export-library`, `--weights`.
    """
    inputs: list[str | Path] = [str(args.input_file)]
    if args.export_library and args.weights is not None:
        inputs.append(str(args.weights))
    outputs = output_paths(args)
    check_outputs(inputs, outputs)
    for path in outputs:
        if str(path) != "-" and not Path(path).parent.is_dir():
            raise UsageError(f"cannot open output file '{path}': no such directory")


def write_output(text: str, args: argparse.Namespace) -> None:
    path = str(args.output_file)
    if path == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        Path(path).write_text(text)
    except OSError as error:
        reason = error.strerror or str(error)
        raise UsageError(f"cannot write output file '{path}': {reason}") from None


def parse_module(args: argparse.Namespace) -> ModuleOp:
    """The input module, parsed with locations and verified op by op."""
    from mlc.universe import shared_context

    return parse_verified(shared_context(), read_input(args), input_name(args))


# -- --mlir-to-llvmir ------------------------------------------------------------ #


def lower_to_llvm(module: ModuleOp, timer: CompileTimer) -> None:
    """Run the default pipeline's stages down to the llvm dialect, in place."""
    from mlc.lowering.pipelines import pipeline_passes, stages_up_to
    from mlc.support.pass_runner import run_passes
    from mlc.universe import shared_context

    ctx = shared_context()
    levels = [level for level, _ in stages_up_to("llvm")]
    passes = pipeline_passes("llvm", registry=ctx.passes)
    for level in dict.fromkeys(levels):
        with timer.stage(f"lower: {level}"):
            stage = [p for p, of in zip(passes, levels, strict=True) if of == level]
            run_passes(stage, ctx, module)


def mlir_to_llvmir(args: argparse.Namespace) -> str:
    from mlc.runtime.llvm_ir import optimize, parse, translate_to_llvm_ir

    timer = CompileTimer(progress=True)  # a line per stage past two seconds
    with timer.stage("parse"):
        module = parse_module(args)
    if shapes := parse_input_shapes(args.input_shape):
        from mlc.runtime.specialize import apply_shapes

        apply_shapes(module, args.entry, shapes, input_name(args))
    lower_to_llvm(module, timer)
    with timer.stage("llvm: translate"):
        llvm_ir = translate_to_llvm_ir(module)
    if args.opt_level is not None:
        with timer.stage("llvm: optimize"):
            return optimize(llvm_ir, args.opt_level)
    # Verified and printed by LLVM itself, as `opt -S` or mlir-translate would.
    return str(parse(llvm_ir))


# -- --export-library --------------------------------------------------------------- #


def module_weights(module: ModuleOp, args: argparse.Namespace) -> Path | None:
    """The weights file to bind: `--weights`, else the module's `mlc.weights`."""
    if args.weights is not None:
        return Path(args.weights)
    attribute = module.attributes.get(WEIGHTS_ATTR)
    if attribute is None:
        return None
    if not isinstance(attribute, StringAttr):
        raise DiagnosticError(
            [Diagnostic(f"module attribute '{WEIGHTS_ATTR}' must be a string")]
        )
    from mlc.runtime.weights import resolve_weights_name

    model = Path("-") if args.input_file == "-" else Path(args.input_file)
    return resolve_weights_name(model, attribute.data)


def export_library(args: argparse.Namespace) -> None:
    from mlc.runtime.compiled import compile as mlc_compile
    from mlc.runtime.export import check_prefix
    from mlc.runtime.export import export_library as export
    from mlc.runtime.signature import CompileError
    from mlc.runtime.specialize import DynamicModule
    from mlc.runtime.symbolic import unshaped_inputs
    from mlc.runtime.weights import load_weights

    output = str(args.output_file)
    if output == "-":
        raise UsageError("--export-library needs -o libNAME.so")
    if args.prefix is not None:
        check_prefix(args.prefix)  # before the (slow) compilation
    module = parse_module(args)
    weights = module_weights(module, args)
    if weights is not None:  # the module's own mlc.weights is an input too
        check_outputs([weights], output_paths(args))
    params = load_weights(weights) if weights is not None else {}
    opt_level = 3 if args.opt_level is None else args.opt_level
    shapes = parse_input_shapes(args.input_shape)
    compiled = mlc_compile(
        module,
        entry=args.entry,
        opt_level=opt_level,
        progress=True,
        input_shapes=shapes,
    )
    if params:
        compiled = compiled.bind(params)
    if isinstance(compiled, DynamicModule):
        why = unshaped_inputs(compiled.signature, shapes, "--input-shape")
        raise CompileError(f"{input_name(args)}: error: {why}")
    export(compiled, output, prefix=args.prefix)


# -- --import-onnx ----------------------------------------------------------------- #


def import_onnx(args: argparse.Namespace) -> str:
    from mlc.frontend import import_onnx as onnx_import
    from mlc.runtime.weights import save_weights

    if args.input_file == "-":
        raise UsageError("--import-onnx needs an input file (model.onnx)")
    if not Path(args.input_file).is_file():
        raise UsageError(f"cannot open input file '{args.input_file}'")
    shapes = parse_input_shapes(args.input_shape)
    _check_shapes_given(str(args.input_file), shapes)
    model = onnx_import(str(args.input_file), shapes)
    module = model.module
    if model.params:
        weights = _onnx_weights_path(args)
        if weights is None:
            raise UsageError(
                "--import-onnx: the model has parameters; give -o FILE.mlir (the "
                "weights go beside it) or --weights FILE"
            )
        save_weights(weights, model.params)
        relative = (
            os.path.relpath(weights, Path(args.output_file).parent)
            if args.output_file != "-"
            else str(weights)
        )
        module.attributes[WEIGHTS_ATTR] = StringAttr(relative)
    out = StringIO()
    Printer(out).print_op(module)
    return out.getvalue().rstrip("\n") + "\n"


def _check_shapes_given(path: str, shapes: dict[str, tuple[int, ...]] | None) -> None:
    """A model with symbolic dimensions needs `--input-shape` to be imported."""
    from mlc.frontend.onnx import load_model
    from mlc.runtime.shape_sources import onnx_signature
    from mlc.runtime.symbolic import unshaped_inputs

    proto, _ = load_model(path)
    if why := unshaped_inputs(onnx_signature(proto), shapes, "--input-shape"):
        raise UsageError(f"--import-onnx: {why}")


def _onnx_weights_path(args: argparse.Namespace) -> Path | None:
    """Where `--import-onnx` writes the parameters: `--weights`, else beside -o."""
    if args.weights is not None:
        return Path(args.weights)
    if args.output_file == "-":
        return None
    return Path(args.output_file).with_suffix(".weights")


# -- the driver ------------------------------------------------------------------ #


def run(args: argparse.Namespace) -> None:
    """Do what the arguments ask; errors are exceptions."""
    check_output_paths(args)
    if args.mlir_to_llvmir:
        write_output(mlir_to_llvmir(args), args)
    elif args.export_library:
        export_library(args)
    else:
        write_output(import_onnx(args), args)


def main(argv: Sequence[str] | None = None) -> int:
    """Run mlc-translate on `argv` (default: `sys.argv[1:]`); the exit code."""
    tool = Tool(PROG)

    def body() -> int:
        args = argument_parser().parse_args(argv)
        tool.input_name = input_name(args)
        run(args)
        return 0

    return tool.main(body)


if __name__ == "__main__":
    sys.exit(main())
