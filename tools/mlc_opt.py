"""
`mlc-opt`: mlc's modular optimizer driver, an `xdsl-opt` that mlir-opt users know.

A thin `xDSLOptMain` subclass over xDSL's and mlc's universes. It keeps
xdsl-opt's flags and adds mlir-opt's: `--pass-pipeline` (MLIR's nested
syntax; `-p` takes it too), individual pass flags (`--canonicalize --cse`),
`--split-input-file`, `--verify-diagnostics` (MLIR's `expected-*`
annotations), `--print-ir-{before-all,after-all,after-change,after-failure}`,
`--timing`, `--list-passes`, `--dump-pass-pipeline`, `-o`, and the `--mlir-`
spellings of the printing and timing flags.

Every user error is one line on stderr and exit code 1 (docs/architecture.md,
"Errors"): `file:line:col: error: message` for IR (ops carry the position of
their name, see `located_parser`), `mlc-opt: error: ...` for the command
line, including unknown flags (mlir-opt exits 1 there too, where argparse
would exit 2), and `mlc-opt: internal error: ...` for a bug; set `MLC_DEBUG=1`
for its traceback. Output is written only on success, and never over the
input (`-o` naming the input is refused).

The pieces mlc-opt shares with the rest of mlc live in `mlc.support`
(`diagnostics`, `located_parser`, `verifier`, `pass_pipeline`, `pass_runner`),
its dialects and passes come from `mlc.universe`; beside this file are
`verify_diagnostics`, `list_passes` and `check_numerics` (`--check-numerics`:
the entry function interpreted on random inputs before the pipeline and after
each pass, loaded only when asked for). `--help` opens with mlc's passes and
the default pipeline; `--list-passes` lists mlc's passes, then its pipelines,
then xDSL's.
"""

from __future__ import annotations

import argparse
import re
import sys
import textwrap
import time
from collections.abc import Generator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from io import BytesIO, StringIO
from pathlib import Path
from typing import IO, TYPE_CHECKING

from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Attribute, Operation
from xdsl.printer import Printer
from xdsl.utils.arg_spec import parse_spec
from xdsl.utils.diagnostic import Diagnostic as XdslDiagnostic
from xdsl.utils.exceptions import (
    ArgSpecParseError,
    DiagnosticException,
    ParseError,
    ShrinkException,
)
from xdsl.xdsl_opt_main import xDSLOptMain

from mlc import __version__
from mlc.support.diagnostics import (
    Diagnostic,
    DiagnosticError,
    did_you_mean,
    from_exception,
    from_parse_error,
)
from mlc.support.located_parser import LocatedParser
from mlc.support.pass_pipeline import (
    ROOT_ANCHOR,
    Nest,
    NestSpec,
    PassSpec,
    build_pipeline,
    is_mlir_pipeline,
    parse_mlir_pipeline,
    parse_pass_flag,
    parse_xdsl_pipeline,
)
from mlc.support.pass_runner import (
    PipelineRunner,
    RunOptions,
    TimingNode,
    format_timing_report,
)
from mlc.support.registry import PassFactory, RegistryContext
from mlc.support.verifier import verify_located
from mlc.tools.cli import (
    ArgumentParser,
    Tool,
    UsageError,
    add_input_shape_argument,
    parse_input_shapes,
    read_input_text,
)
from mlc.tools.list_passes import format_pass_list
from mlc.tools.verify_diagnostics import DiagnosticVerifier, parse_expectations
from mlc.universe import all_dialects, all_passes

if TYPE_CHECKING:
    from mlc.tools.check_numerics import NumericsChecker

PROG = "mlc-opt"
SPLIT_MARKER = re.compile(r"^// -----[^\n]*$", re.MULTILINE)


@dataclass(frozen=True)
class Chunk:
    """A piece of the input; its first line is line `line_offset + 1`."""

    text: str
    line_offset: int = 0


def split_input(text: str, split: bool) -> list[Chunk]:
    """The chunks between `// -----` lines (the whole text unless `split`)."""
    if not split:
        return [Chunk(text)]
    chunks: list[Chunk] = []
    start = 0
    for marker in SPLIT_MARKER.finditer(text):
        chunks.append(Chunk(text[start : marker.start()], text.count("\n", 0, start)))
        start = marker.end()
    chunks.append(Chunk(text[start:], text.count("\n", 0, start)))
    return chunks


@dataclass
class ChunkResult:
    """What processing one chunk gave: its output or its diagnostics."""

    output: str | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list[Diagnostic])
    parse_failed: bool = False


class MlcOptMain(xDSLOptMain):
    """mlc-opt: `run()` processes the input and sets `exit_code`."""

    version_format = f"{PROG} (mlc {__version__}) built on xDSL {{xdsl_version}}"

    ctx: RegistryContext
    pipeline_spec: NestSpec
    pass_pipeline: Nest
    exit_code: int = 0

    def __init__(
        self,
        description: str = "mlc modular optimizer driver",
        args: Sequence[str] | None = None,
    ) -> None:
        # xDSLOptMain.__init__, with an argument parser whose errors are one line
        # and mlir-opt's individual pass flags taken from the unknown arguments.
        self.available_frontends = {}
        self.available_passes = {}
        self.available_targets = {}
        self.ctx = RegistryContext()
        self.register_all_dialects()
        self.register_all_frontends()
        self.register_all_passes()
        self.register_all_targets()
        arg_parser = _OptArgumentParser(
            prog=PROG,
            description=description,
            allow_abbrev=False,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        self.register_all_arguments(arg_parser)
        self.args, unknown = arg_parser.parse_known_args(args)
        self.pass_flags = self._pass_flags(unknown, arg_parser)
        try:
            target = parse_spec(self.args.target).name
        except ArgSpecParseError:
            target = self.args.target
        if target not in self.available_targets:
            choices = ", ".join(self.available_targets)
            arg_parser.error(f"unknown target '{target}' (choose from {choices})")
        self.ctx.allow_unregistered = self.args.allow_unregistered_dialect
        self.setup_pipeline()

    # -- registration ------------------------------------------------------- #

    def register_all_dialects(self) -> None:
        for name, factory in all_dialects().items():
            self.ctx.register_dialect(name, factory)

    def register_all_passes(self) -> None:
        self.ctx.register_passes(all_passes())
        for name, factory in self.ctx.passes.items():
            self.register_pass(name, factory)

    def register_all_arguments(self, arg_parser: argparse.ArgumentParser) -> None:
        super().register_all_arguments(arg_parser)
        add = arg_parser.add_argument
        add(
            "--pass-pipeline",
            metavar="PIPELINE",
            help="MLIR textual pipeline, e.g. "
            "'builtin.module(canonicalize,func.func(cse))'",
        )
        _add_flag(arg_parser, "print-ir-before-all", "Print the IR before each pass")
        _add_flag(arg_parser, "print-ir-after-all", "Print the IR after each pass")
        _add_flag(
            arg_parser,
            "print-ir-after-change",
            "Print the IR after each pass that changed it",
        )
        _add_flag(
            arg_parser, "print-ir-after-failure", "Print the IR after a failing pass"
        )
        _add_flag(arg_parser, "timing", "Print a wall-time report of each pass")
        _add_check_numerics_arguments(arg_parser)
        add_input_shape_argument(
            arg_parser, "Fix an entry input's symbolic dimensions before the pipeline"
        )
        add(
            "--entry",
            help="The entry --input-shape applies to (default: the public one)",
        )
        add(
            "--list-passes",
            action="store_true",
            help="List every registered pass and its options, then exit",
        )
        add(
            "--dump-pass-pipeline",
            action="store_true",
            help="Print the pass pipeline that will run, to stderr",
        )
        for flag in ("print-op-generic", "print-debuginfo"):
            add(
                f"--mlir-{flag}",
                dest=flag.replace("-", "_"),
                action="store_true",
                help=argparse.SUPPRESS,
            )
        # xdsl-gap(0.74): opt-main-flag-help — flags fixed
        # xdsl-opt's flags whose meaning mlc-opt changes (argparse has no
        # public way to reach an added argument, hence the private table).
        actions = arg_parser._option_string_actions
        for flag, text in _CHANGED_HELP.items():
            actions[flag].help = text

    def _pass_flags(
        self, unknown: list[str], arg_parser: argparse.ArgumentParser
    ) -> list[PassSpec]:
        """mlir-opt's `--pass-name[=options]` flags; any other unknown is an error."""
        flags: list[PassSpec] = []
        for arg in unknown:
            match = re.fullmatch(r"--([\w.-]+)(?:=(.*))?", arg, re.DOTALL)
            if match is not None and match[1] in self.available_passes:
                flags.append(parse_pass_flag(match[1], match[2]))
            elif not arg.startswith("-"):
                arg_parser.error(f"too many positional arguments: '{arg}'")
            else:
                known = [*arg_parser._option_string_actions, *self.available_passes]
                hint = did_you_mean(
                    arg.lstrip("-"), [k.lstrip("-") for k in known], "--"
                )
                arg_parser.error(f"unknown command line argument '{arg}'{hint}")
        return flags

    # -- pipeline ----------------------------------------------------------- #

    def setup_pipeline(self) -> None:
        """Parse and build the pipeline from -p, --pass-pipeline or pass flags."""
        self.pipeline_spec = self._pipeline_spec()
        self.pass_pipeline = build_pipeline(self.pipeline_spec, self.available_passes)

    def _pipeline_spec(self) -> NestSpec:
        passes: str = self.args.passes
        mlir: str | None = self.args.pass_pipeline
        given = [bool(passes), mlir is not None, bool(self.pass_flags)]
        if sum(given) > 1:
            raise UsageError(
                "-p/--passes, --pass-pipeline and individual pass flags "
                "cannot be combined"
            )
        if mlir is not None:
            return (
                parse_mlir_pipeline(mlir) if mlir.strip() else NestSpec(ROOT_ANCHOR, ())
            )
        if passes and is_mlir_pipeline(passes):
            return parse_mlir_pipeline(passes)
        if passes:
            return parse_xdsl_pipeline(passes)
        return NestSpec(ROOT_ANCHOR, tuple(self.pass_flags))

    def run_options(self, timing: TimingNode | None) -> RunOptions:
        """The verification, IR printing and timing the flags ask for."""
        args = self.args
        return RunOptions(
            verify_each=not args.disable_verify,
            print_before_all=args.print_ir_before_all,
            print_after_all=args.print_ir_after_all or args.print_between_passes,
            print_after_change=args.print_ir_after_change,
            print_after_failure=args.print_ir_after_failure,
            print_ir=self.print_ir,
            timing=timing,
        )

    def print_ir(self, op: Operation) -> str:
        """`op` printed with the output's flags (generic, debuginfo, ...)."""
        out = StringIO()
        Printer(
            out,
            print_generic_format=self.args.print_op_generic,
            print_properties_as_attributes=self.args.print_no_properties,
            print_debuginfo=self.args.print_debuginfo,
        ).print_op(op)
        return out.getvalue() + "\n"

    # -- input -------------------------------------------------------------- #

    def get_input_name(self) -> str:
        path: str | None = self.args.input_file
        return "<stdin>" if path in (None, "-") else str(path)

    def read_input(self) -> str:
        """The input's text; stdin for no file or `-`."""
        return read_input_text(self.args.input_file)

    def frontend(self) -> str:
        """The frontend for the input: -f, else by extension, else MLIR text."""
        if self.args.frontend:
            return self.args.frontend
        extension = Path(self.get_input_name()).suffix.removeprefix(".")
        return extension if extension in self.available_frontends else "mlir"

    def parse_chunk(
        self, chunk: IO[bytes], file_extension: str, start_offset: int = 0
    ) -> ModuleOp | None:
        return self.parse_text(
            chunk.read().decode("utf-8"), file_extension, start_offset
        )

    def parse_text(self, text: str, frontend: str, line_offset: int = 0) -> ModuleOp:
        """Parse with `LocatedParser` (MLIR text) or the registered frontend."""
        if frontend == "mlir":
            parser = LocatedParser(self.ctx, text, self.get_input_name(), line_offset)
            return parser.parse_module(not self.args.no_implicit_module)
        return self.available_frontends[frontend](BytesIO(text.encode()))

    # -- running ------------------------------------------------------------ #

    def run(self) -> None:
        """Process the input; `exit_code` is 0 on success, else 1."""
        start = time.perf_counter()
        timing = (
            TimingNode("root") if self.args.timing or self.args.time_passes else None
        )
        try:
            with _xdsl_switches(self.args.disable_verify, self.args.syntax_highlight):
                self.exit_code = self._run(timing)
        finally:
            if timing is not None:
                total = time.perf_counter() - start
                sys.stderr.write(format_timing_report(timing, total))

    def _run(self, timing: TimingNode | None) -> int:
        if self.args.list_passes:
            sys.stdout.write(list_passes(self.available_passes))
            return 0
        if self.args.dump_pass_pipeline:
            count = len(self.pass_pipeline.steps)
            sys.stderr.write(f"Pass Manager with {count} passes:\n")
            sys.stderr.write(f"{self.pass_pipeline}\n\n")
        self._check_output_path()
        try:
            chunks = split_input(self.read_input(), self.args.split_input_file)
        except DiagnosticError as error:
            self._report(error.diagnostics)
            return 1
        output: list[str] = []
        try:
            failed = self._process_chunks(chunks, timing, output)
        except ShrinkException:
            print("Success, can shrink")
            return 0
        if self.args.shrink:
            print("Failure, can't shrink")
            return 1
        if not failed:
            self._write_output("".join(output))
        return 1 if failed else 0

    def _process_chunks(
        self, chunks: list[Chunk], timing: TimingNode | None, output: list[str]
    ) -> bool:
        """Process each chunk, writing what it gives; True if any failed."""
        runner = PipelineRunner(self.ctx, self.run_options(timing))
        name = self.get_input_name()
        verifier = DiagnosticVerifier(name) if self.args.verify_diagnostics else None
        failed = False
        for index, chunk in enumerate(chunks):
            if index:
                self._emit("// -----\n", output)
            if verifier is not None:
                try:
                    verifier.add(
                        parse_expectations(chunk.text, name, chunk.line_offset)
                    )
                except DiagnosticError as error:
                    self._report(error.diagnostics)
                    failed = True
            result = self.process_chunk(chunk, runner, timing)
            if result.output is not None:
                self._emit(result.output, output)
            if verifier is not None:
                errors = [d for d in map(verifier.check, result.diagnostics) if d]
            elif result.parse_failed and self.args.parsing_diagnostics:
                print(result.diagnostics[0].format(name))
                errors = []
            else:
                # One bad input, one line: a chunk reports its first error (the
                # others are often its consequences); --verify-diagnostics
                # checks them all.
                errors = result.diagnostics[:1]
            self._report(errors)
            failed = failed or bool(errors)
        if verifier is not None and (missing := verifier.missing()):
            self._report(missing)
            failed = True
        return failed

    def process_chunk(
        self, chunk: Chunk, runner: PipelineRunner, timing: TimingNode | None
    ) -> ChunkResult:
        """Parse, verify, run the pipeline on and print one chunk."""
        root = timing or TimingNode("unused")
        try:
            with root.time("Parser"):
                module = self.parse_text(chunk.text, self.frontend(), chunk.line_offset)
            if not self.args.disable_verify and (errors := verify_located(module)):
                return ChunkResult(diagnostics=errors)
            if shapes := parse_input_shapes(self.args.input_shape):
                from mlc.runtime.specialize import apply_shapes

                apply_shapes(module, self.args.entry, shapes, self.get_input_name())
            checker = _numerics_checker(self.args)
            if checker is not None:
                checker.start(module)
            runner.run(self.pass_pipeline, module, checker and checker.after_step)
            if checker is not None:
                checker.finish()
            with root.time("Output"):
                text = self.output_resulting_program(module)
            # xDSL's targets end with a blank line; mlir-opt ends with one "\n".
            return ChunkResult(output=text.rstrip("\n") + "\n")
        except ParseError as error:
            return ChunkResult(diagnostics=[from_parse_error(error)], parse_failed=True)
        except DiagnosticError as error:
            return ChunkResult(diagnostics=list(error.diagnostics))
        except DiagnosticException as error:
            return ChunkResult(diagnostics=[from_exception(error)])

    # -- output ------------------------------------------------------------- #

    def _check_output_path(self) -> None:
        output: str | None = self.args.output_file
        if output in (None, "-"):
            return
        path, source = Path(str(output)), self.args.input_file
        if source not in (None, "-") and path.exists() and path.samefile(source):
            raise UsageError(f"refusing to overwrite the input file '{source}' (-o)")
        if not path.parent.is_dir():
            raise UsageError(f"cannot open output file '{output}': no such directory")

    def _emit(self, text: str, output: list[str]) -> None:
        if self.args.output_file in (None, "-"):
            sys.stdout.write(text)
            sys.stdout.flush()
        else:
            output.append(text)

    def _write_output(self, text: str) -> None:
        output: str | None = self.args.output_file
        if output in (None, "-"):
            return
        try:
            Path(str(output)).write_text(text)
        except OSError as error:
            reason = error.strerror or str(error)
            raise UsageError(f"cannot write output file '{output}': {reason}") from None

    def _report(self, diagnostics: Sequence[Diagnostic]) -> None:
        for diagnostic in diagnostics:
            sys.stderr.write(diagnostic.format(self.get_input_name()) + "\n")
        sys.stderr.flush()


class _OptArgumentParser(ArgumentParser):
    """mlc-opt's parser: `--help` opens with mlc's passes and its pipeline."""

    def format_help(self) -> str:
        description = self.description
        self.description = f"{description}\n\n{help_epilog()}"
        try:
            return super().format_help()
        finally:
            self.description = description


def help_epilog() -> str:
    """mlc's passes, the default pipeline's stages and an example, for `--help`."""
    from mlc.lowering.pipelines import LEVELS, PIPELINE
    from mlc.universe import mlc_pass_names

    def wrap(text: str, first: str, rest: str) -> list[str]:
        return textwrap.wrap(
            text,
            78,
            initial_indent=first,
            subsequent_indent=rest,
            break_on_hyphens=False,
        )

    names = ", ".join(name for name in mlc_pass_names() if name != "graph-to-llvm")
    lines = ["mlc's passes (--list-passes: their options, then xDSL's passes):"]
    lines += wrap(names, "  ", "  ")
    lines += [
        "",
        f"mlc's default pipeline, graph-to-llvm{{to={'|'.join(LEVELS)}}}",
        "(default llvm), runs these stages in order:",
    ]
    for level, passes in PIPELINE:
        lines += wrap(", ".join(passes), f"  {level:<7} ", " " * 10)
    lines += [
        "",
        "Examples:",
        "  mlc-opt examples/mlp.mlir -p 'graph-to-llvm{to=loop}' -o mlp.loop.mlir",
        "  mlc-opt examples/mlp.mlir -p canonicalize,graph-fuse --print-ir-after-all",
    ]
    return "\n".join(lines) + "\n"


def list_passes(passes: dict[str, PassFactory]) -> str:
    """
    `--list-passes`: mlc's passes, then its pipelines, then xDSL's passes.

    Each section as `format_pass_list` lays it out; a pipeline is followed by
    its stages.
    """
    from mlc.lowering.pipelines import PIPELINE
    from mlc.universe import mlc_pass_names

    mlc_names = set(mlc_pass_names())
    pipelines = {"graph-to-llvm"}
    own = {n: f for n, f in passes.items() if n in mlc_names - pipelines}
    piped = {n: f for n, f in passes.items() if n in pipelines}
    others = {n: f for n, f in passes.items() if n not in mlc_names}
    stages = "".join(
        f"      {level}: {', '.join(names)}\n" for level, names in PIPELINE
    )
    return (
        format_pass_list(own, "mlc passes")
        + "\n"
        + format_pass_list(piped, "mlc pipelines")
        + "    stages (--to runs them up to and including its level):\n"
        + stages
        + "\n"
        + format_pass_list(others, "xDSL passes")
    )


_CHANGED_HELP = {
    "--passes": "Passes to run: xDSL's list 'canonicalize,cse{opt=val}', or an "
    "MLIR pipeline 'builtin.module(func.func(cse))' (see --list-passes)",
    "--verify-diagnostics": "Check the diagnostics against the input's "
    "expected-error/warning/note/remark annotations, as mlir-opt does",
    "--print-between-passes": "Same as --print-ir-after-all",
    "--time-passes": "Same as --timing",
    "--disable-verify": "Do not verify the IR (nor attributes) after parsing "
    "and after each pass",
}


def _add_flag(arg_parser: argparse.ArgumentParser, name: str, help: str) -> None:
    """`--name`, and mlir-opt's spelling `--mlir-name` (not in --help)."""
    dest = name.replace("-", "_")
    arg_parser.add_argument(f"--{name}", dest=dest, action="store_true", help=help)
    arg_parser.add_argument(
        f"--mlir-{name}", dest=dest, action="store_true", help=argparse.SUPPRESS
    )


def _add_check_numerics_arguments(arg_parser: argparse.ArgumentParser) -> None:
    """`--check-numerics` and its `--check-numerics-*` options."""
    add = arg_parser.add_argument
    add(
        "--check-numerics",
        action="store_true",
        help="Interpret the entry function on random inputs before the pipeline "
        "and after each pass, and fail at the first pass whose results differ",
    )
    add("--check-numerics-entry", metavar="NAME", help="The function --check-numerics"
        " runs (default: the only public one)")  # fmt: skip
    add("--check-numerics-seed", metavar="N", type=int, default=0,
        help="The seed of --check-numerics' random inputs (default 0)")  # fmt: skip
    for name, default in (("rtol", "1e-4"), ("atol", "1e-5")):
        what = f"The {name} of float comparisons (default by dtype; f32: {default})"
        add(f"--check-numerics-{name}", metavar=name.upper(), type=float, help=what)


def _numerics_checker(args: argparse.Namespace) -> NumericsChecker | None:
    """A checker for the parsed command line, None without `--check-numerics`."""
    if not args.check_numerics:
        return None
    # The interpreters load only when asked for: mlc-opt starts without them.
    from mlc.tools.check_numerics import NumericsChecker, NumericsOptions

    return NumericsChecker(
        NumericsOptions(
            entry=args.check_numerics_entry,
            seed=args.check_numerics_seed,
            rtol=args.check_numerics_rtol,
            atol=args.check_numerics_atol,
        )
    )


def _skip_attribute_verification(self: Attribute) -> None:
    """xdsl-opt's `--disable-verify` also stops attributes verifying themselves."""


# xdsl-gap(0.74): disable-verify-global — never restored
@contextmanager
def _xdsl_switches(disable_verify: bool, syntax_highlight: bool) -> Generator[None]:
    """xdsl-opt's process-wide switches, restored afterwards (for in-process use)."""
    post_init = Attribute.__post_init__
    colored = XdslDiagnostic.colored
    if disable_verify:
        Attribute.__post_init__ = _skip_attribute_verification
    if syntax_highlight:
        XdslDiagnostic.colored = True
    try:
        yield
    finally:
        Attribute.__post_init__ = post_init
        XdslDiagnostic.colored = colored


def main(argv: Sequence[str] | None = None) -> int:
    """Run mlc-opt on `argv` (default: `sys.argv[1:]`); the exit code."""
    tool = Tool(PROG)

    def body() -> int:
        opt = MlcOptMain(args=argv)
        tool.input_name = opt.get_input_name()
        opt.run()
        return opt.exit_code

    return tool.main(body)


if __name__ == "__main__":
    sys.exit(main())
