"""mlc-opt and its pieces: flags, one-line errors, pipelines, verify-diagnostics."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from io import StringIO
from pathlib import Path
from typing import ClassVar

import pytest
from xdsl.context import Context
from xdsl.dialects import arith, func
from xdsl.dialects.builtin import (
    ArrayAttr,
    FileLineColLoc,
    FusedLoc,
    IntAttr,
    ModuleOp,
    NameLoc,
    NoneAttr,
    StringAttr,
    UnknownLoc,
)
from xdsl.ir import Attribute, Operation
from xdsl.irdl import IRDLOperation, irdl_op_definition
from xdsl.parser import Parser
from xdsl.passes import ModulePass
from xdsl.universe import XDSL_UNIVERSE
from xdsl.utils.exceptions import ParseError, PassFailedException, VerifyException

from mlc.support.diagnostics import (
    Diagnostic,
    DiagnosticError,
    Severity,
    SourceLoc,
    from_exception,
    location_of,
    one_line,
    op_location,
)
from mlc.support.located_parser import LocatedParser
from mlc.support.pass_pipeline import (
    Nest,
    NestSpec,
    PassSpec,
    PipelineError,
    build_pipeline,
    is_mlir_pipeline,
    parse_mlir_pipeline,
    parse_pass_flag,
    parse_xdsl_pipeline,
)
from mlc.support.pass_runner import (
    PassCrash,
    PipelineRunner,
    RunOptions,
    TimingNode,
    format_timing_report,
)
from mlc.support.verifier import verify_located
from mlc.tools import mlc_opt
from mlc.tools.list_passes import format_pass_list, summary
from mlc.tools.mlc_opt import MlcOptMain, main, split_input
from mlc.tools.verify_diagnostics import (
    DiagnosticVerifier,
    parse_expectations,
    regex_of,
)
from mlc.universe import MLC_UNIVERSE

VENV_BIN = Path(sys.executable).parent

GOOD = """\
func.func @f(%x: f32) -> f32 {
  %0 = arith.addf %x, %x : f32
  %1 = arith.addf %x, %x : f32
  %2 = arith.mulf %0, %1 : f32
  func.return %2 : f32
}
"""

BAD_BROADCAST = """\
func.func @g(%a: tensor<2x3xf32>, %b: tensor<4xf32>) -> tensor<2x3xf32> {
  %0 = graph.add %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}
"""
BROADCAST_ERROR = "error: 'graph.add' cannot broadcast shapes (2, 3) and (4,)"


# --------------------------------------------------------------------------- #
# Test passes (registered for the driver tests by the `test_passes` fixture)
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class RecordPass(ModulePass):
    """Records the names of the top-level ops of each module it runs on."""

    name = "test-record"
    seen: ClassVar[list[list[str]]] = []

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        RecordPass.seen.append([o.name for o in op.ops])


@dataclass(frozen=True)
class FailAtAddPass(ModulePass):
    """Fails at the first arith.addf, naming it (or not)."""

    name = "test-fail-at-add"
    located: bool = True

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for inner in op.walk():
            if isinstance(inner, arith.AddfOp):
                error = PassFailedException("cannot handle this add")
                if self.located:
                    setattr(error, "op", inner)
                raise error


@dataclass(frozen=True)
class CrashPass(ModulePass):
    name = "test-crash"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        raise KeyError("boom")


@dataclass(frozen=True)
class UnsupportedPass(ModulePass):
    name = "test-unsupported"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        raise NotImplementedError("tensors are not supported yet")


@dataclass(frozen=True)
class DropReturnPass(ModulePass):
    """Leaves invalid IR: every function loses its terminator."""

    name = "test-drop-return"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for inner in list(op.walk()):
            if isinstance(inner, func.ReturnOp):
                inner.detach()
                inner.erase()


@dataclass(frozen=True)
class RenameFuncPass(ModulePass):
    """Replaces each function by a renamed clone (a pass that rebuilds the op)."""

    name = "test-rename-func"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for inner in list(op.ops):
            if isinstance(inner, func.FuncOp):
                clone = inner.clone()
                clone.sym_name = StringAttr(inner.sym_name.data + "_renamed")
                op.body.block.insert_op_before(clone, inner)
                inner.detach()
                inner.erase()


TEST_PASSES: tuple[type[ModulePass], ...] = (
    RecordPass,
    FailAtAddPass,
    CrashPass,
    UnsupportedPass,
    DropReturnPass,
    RenameFuncPass,
)


def pass_registry() -> dict[str, Callable[[], type[ModulePass]]]:
    """xDSL's, mlc's and the test passes."""
    registry = {**XDSL_UNIVERSE.all_passes, **MLC_UNIVERSE.all_passes}
    registry.update({cls.name: _factory(cls) for cls in TEST_PASSES})
    return registry


def _factory(cls: type[ModulePass]) -> Callable[[], type[ModulePass]]:
    return lambda: cls


@pytest.fixture
def with_test_passes(monkeypatch: pytest.MonkeyPatch) -> None:
    original = MlcOptMain.register_all_passes

    def register(self: MlcOptMain) -> None:
        original(self)
        for cls in TEST_PASSES:
            self.register_pass(cls.name, _factory(cls))

    monkeypatch.setattr(MlcOptMain, "register_all_passes", register)
    RecordPass.seen.clear()
    return


@pytest.fixture
def ctx() -> Context:
    context = Context()
    for universe in (XDSL_UNIVERSE, MLC_UNIVERSE):
        for name, factory in universe.all_dialects.items():
            context.register_dialect(name, factory)
    return context


def write(tmp_path: Path, text: str, name: str = "in.mlir") -> str:
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def error_lines(err: str) -> list[str]:
    return err.splitlines()


# --------------------------------------------------------------------------- #
# The driver: success and flags
# --------------------------------------------------------------------------- #


def test_prints_the_module(capsys: pytest.CaptureFixture[str], tmp_path: Path):
    code, out, err = run(capsys, write(tmp_path, GOOD))
    assert (code, err) == (0, "")
    assert out.startswith("builtin.module {\n  func.func @f(%x: f32) -> f32 {")


def test_xdsl_pass_list(capsys: pytest.CaptureFixture[str], tmp_path: Path):
    code, out, _ = run(capsys, write(tmp_path, GOOD), "-p", "cse,dce")
    assert code == 0
    assert out.count("arith.addf") == 1


@pytest.mark.parametrize(
    "flags",
    [
        ["--pass-pipeline", "builtin.module(func.func(cse))"],
        ["-p", "builtin.module(func.func(cse))"],
        ["--cse"],
        ["--pass-pipeline=builtin.module(any(cse))"],
    ],
)
def test_pipeline_spellings_agree(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, flags: list[str]
):
    code, out, err = run(capsys, write(tmp_path, GOOD), *flags)
    assert (code, err) == (0, "")
    assert out.count("arith.addf") == 1


def test_pass_flag_with_options(capsys: pytest.CaptureFixture[str], tmp_path: Path):
    path = write(tmp_path, GOOD)
    code, out, _ = run(capsys, path, "--arith-add-fastmath=flags=fast")
    assert code == 0
    assert "fastmath<fast>" in out


def test_empty_pass_pipeline_runs_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
):
    code, out, _ = run(capsys, write(tmp_path, GOOD), "--pass-pipeline=")
    assert code == 0
    assert out.count("arith.addf") == 2


def test_nested_anchor_runs_on_each_function_alone(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, with_test_passes: None
):
    text = GOOD + GOOD.replace("@f", "@h")
    path = write(tmp_path, text)
    code, _, _ = run(
        capsys, path, "--pass-pipeline=builtin.module(func.func(test-record))"
    )
    assert code == 0
    assert RecordPass.seen == [["func.func"], ["func.func"]]
    RecordPass.seen.clear()
    run(capsys, path, "--pass-pipeline=builtin.module(test-record)")
    assert RecordPass.seen == [["func.func", "func.func"]]


def test_nested_pass_that_replaces_the_function_keeps_its_place(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, with_test_passes: None
):
    text = GOOD + GOOD.replace("@f", "@h") + GOOD.replace("@f", "@k")
    path = write(tmp_path, text)
    code, out, _ = run(
        capsys, path, "--pass-pipeline=builtin.module(func.func(test-rename-func))"
    )
    assert code == 0
    names = re.findall(r"func.func @(\w+)", out)
    assert names == ["f_renamed", "h_renamed", "k_renamed"]


def test_split_input_file(capsys: pytest.CaptureFixture[str], tmp_path: Path):
    text = GOOD + "// -----\n" + GOOD.replace("@f", "@h")
    code, out, _ = run(capsys, write(tmp_path, text), "--split-input-file")
    assert code == 0
    first, second = out.split("// -----\n")
    assert "@f" in first
    assert "@h" not in first
    assert "@h" in second


def test_split_input_file_keeps_lines_and_goes_on_after_a_failure(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
):
    text = BAD_BROADCAST + "// -----\n" + GOOD + "// -----\n" + BAD_BROADCAST
    path = write(tmp_path, text)
    code, out, err = run(capsys, path, "--split-input-file")
    assert code == 1
    assert "func.func @f" in out
    assert error_lines(err) == [
        f"{path}:2:8: {BROADCAST_ERROR}",
        f"{path}:14:8: {BROADCAST_ERROR}",
    ]


def test_split_input_chunks_and_offsets():
    text = "a\n// -----\nb\nc\n// ----- trailing\nd"
    chunks = split_input(text, True)
    assert [(c.text, c.line_offset) for c in chunks] == [
        ("a\n", 0),
        ("\nb\nc\n", 1),
        ("\nd", 4),
    ]
    assert split_input(text, False)[0].text == text


def test_output_file(capsys: pytest.CaptureFixture[str], tmp_path: Path):
    out_path = tmp_path / "out.mlir"
    code, out, _ = run(capsys, write(tmp_path, GOOD), "-o", str(out_path))
    assert (code, out) == (0, "")
    assert out_path.read_text().startswith("builtin.module {")


def test_output_file_untouched_on_failure(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
):
    out_path = tmp_path / "out.mlir"
    out_path.write_text("precious")
    code, _, _ = run(capsys, write(tmp_path, BAD_BROADCAST), "-o", str(out_path))
    assert code == 1
    assert out_path.read_text() == "precious"


def test_output_never_overwrites_the_input(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
):
    path = write(tmp_path, GOOD)
    same = str(tmp_path / "." / "in.mlir")
    code, out, err = run(capsys, path, "-o", same)
    assert (code, out) == (1, "")
    assert (
        err == f"mlc-opt: error: refusing to overwrite the input file '{path}' (-o)\n"
    )
    assert Path(path).read_text() == GOOD


def test_print_op_generic_and_debuginfo(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
):
    path = write(tmp_path, GOOD)
    _, out, _ = run(capsys, path, "--mlir-print-op-generic")
    assert '"arith.addf"(%x, %x)' in out
    _, out, _ = run(capsys, path, "--print-debuginfo")
    assert f'arith.addf %x, %x : f32 loc("{path}":2:8)' in out
    assert f'}} loc("{path}":1:1)' in out


def test_version(capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert re.fullmatch(
        r"mlc-opt \(mlc [0-9.]+\) built on xDSL 0\.74\.0\n", capsys.readouterr().out
    )


def test_list_passes(capsys: pytest.CaptureFixture[str]):
    code, out, _ = run(capsys, "--list-passes")
    assert code == 0
    mlc, pipelines, xdsl = out.split("\n\n")
    assert mlc.splitlines()[0] == "mlc passes:"
    assert pipelines.splitlines()[0] == "mlc pipelines:"
    assert xdsl.splitlines()[0] == "xDSL passes:"
    lines = xdsl.splitlines()
    assert any(re.fullmatch(r"  --canonicalize +- Applies all .*", x) for x in lines)
    assert "  --cse" in lines
    sections = [
        [x.split()[0] for x in text.splitlines()[1:] if x.startswith("  --")]
        for text in (mlc, pipelines, xdsl)
    ]
    assert all(names == sorted(names) for names in sections)
    assert sections[1] == ["--graph-to-llvm"]
    assert len(sections[0]) + 1 == len(MLC_UNIVERSE.all_passes)
    assert len(sections[2]) == len(XDSL_UNIVERSE.all_passes)


def test_list_passes_shows_options_and_defaults():
    @dataclass(frozen=True)
    class Documented(ModulePass):
        """
        Does a thing.

        At length.
        """

        name = "documented"
        size: int = 4
        names: tuple[str, ...] = ("a", "b")
        mode: str | None = None
        must: bool = True

        def apply(self, ctx: Context, op: ModuleOp) -> None: ...

    text = format_pass_list({"documented": lambda: Documented})
    assert text.splitlines() == [
        "Passes:",
        f"  {'--documented':<46} - Does a thing.",
        f"    {'--size=<int>':<44} - default: 4",
        f'    {"--names=<tuple[str, ...]>":<44} - default: "a","b"',
        f"    {'--mode=<str | None>':<44} - default: none",
        f"    {'--must=<bool>':<44} - default: true",
    ]
    assert summary(RecordPass).startswith("Records the names")
    assert summary(CrashPass) == ""


def test_dump_pass_pipeline(capsys: pytest.CaptureFixture[str], tmp_path: Path):
    code, _, err = run(
        capsys,
        write(tmp_path, GOOD),
        "-p",
        "builtin.module(func.func(cse),dce)",
        "--dump-pass-pipeline",
    )
    assert code == 0
    assert err == "Pass Manager with 2 passes:\nbuiltin.module(func.func(cse), dce)\n\n"


def test_allow_unregistered_dialect(capsys: pytest.CaptureFixture[str], tmp_path: Path):
    path = write(tmp_path, '"mystery.op"() : () -> ()\n')
    code, _, err = run(capsys, path)
    assert code == 1
    assert err == f"{path}:1:1: error: Operation mystery.op is not registered\n"
    code, out, _ = run(capsys, path, "--allow-unregistered-dialect")
    assert code == 0
    assert '"mystery.op"() : () -> ()' in out


def test_no_implicit_module(capsys: pytest.CaptureFixture[str], tmp_path: Path):
    code, _, err = run(capsys, write(tmp_path, GOOD), "--no-implicit-module")
    assert code == 1
    assert "error: builtin.module operation expected" in err


def test_empty_input_is_an_empty_module(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
):
    code, out, _ = run(capsys, write(tmp_path, "// nothing but a comment\n"))
    assert code == 0
    assert out.startswith("builtin.module {\n}\n")


def test_disable_verify_lets_invalid_ir_through_and_is_undone(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
):
    post_init = Attribute.__post_init__
    code, out, err = run(capsys, write(tmp_path, BAD_BROADCAST), "--disable-verify")
    assert (code, err) == (0, "")
    assert "graph.add" in out
    assert Attribute.__post_init__ is post_init


def test_parsing_diagnostics_prints_and_succeeds(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
):
    path = write(tmp_path, "func.func @f() {\n  %0 = arith.addf %q, %q : f32\n}\n")
    code, out, err = run(capsys, path, "--parsing-diagnostics")
    assert (code, err) == (0, "")
    assert out == f"{path}:2:19: error: use of undeclared SSA value name %q\n"


def test_stdin_and_console_script(tmp_path: Path):
    script = VENV_BIN / "mlc-opt"
    if not script.exists():
        pytest.skip("the mlc-opt console script is not installed")
    env = {**os.environ, "PYTHONPATH": str(Path(mlc_opt.__file__).parents[2])}
    done = subprocess.run(
        [str(script), "-p", "cse"], input=GOOD, capture_output=True, text=True, env=env
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.count("arith.addf") == 1
    done = subprocess.run(
        [str(script), "-"], input=BAD_BROADCAST, capture_output=True, text=True, env=env
    )
    assert done.returncode == 1
    assert done.stderr == f"<stdin>:2:8: {BROADCAST_ERROR}\n"
    done = subprocess.run(
        [str(script), "--no-such-flag"], capture_output=True, text=True, env=env
    )
    assert done.returncode == 1
    assert (
        done.stderr
        == "mlc-opt: error: unknown command line argument '--no-such-flag'\n"
    )


# --------------------------------------------------------------------------- #
# The driver: one-line errors
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["-p", "no-such-pass"], "unknown pass 'no-such-pass'"),
        (
            ["-p", "canonicalise"],
            "unknown pass 'canonicalise' (did you mean 'canonicalize'?)",
        ),
        (
            ["--pass-pipeline", "builtin.module(func.func(no-such-pass))"],
            "unknown pass 'no-such-pass'",
        ),
        (
            ["-p", "canonicalize{nope=1}"],
            "invalid options for pass 'canonicalize': "
            'Provided arguments ["nope"] not found in expected arguments []',
        ),
        (
            ["-p", "cse{"],
            "invalid pass pipeline 'cse{': Expected argument name here",
        ),
        (
            ["--pass-pipeline", "cse"],
            "invalid pass pipeline 'cse': expected pass pipeline to be wrapped with "
            "the anchor operation type, e.g. 'builtin.module(...)' (at column 1)",
        ),
        (["--no-such-flag"], "unknown command line argument '--no-such-flag'"),
        (
            ["--print-ir-after-al"],
            "unknown command line argument '--print-ir-after-al' "
            "(did you mean '--print-ir-after-all'?)",
        ),
        (["-p"], "argument -p/--passes: expected one argument"),
        (["extra.mlir"], "too many positional arguments: 'extra.mlir'"),
        (
            ["-p", "cse", "--dce"],
            "-p/--passes, --pass-pipeline and individual pass flags cannot be combined",
        ),
        (["-t", "nope"], "unknown target 'nope' (choose from "),
    ],
)
def test_command_line_errors_are_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], message: str
):
    code, out, err = run(capsys, write(tmp_path, GOOD), *argv)
    assert (code, out) == (1, "")
    assert err.startswith(f"mlc-opt: error: {message}")
    assert err.count("\n") == 1


def test_unreadable_inputs(capsys: pytest.CaptureFixture[str], tmp_path: Path):
    missing = str(tmp_path / "missing.mlir")
    code, _, err = run(capsys, missing)
    assert code == 1
    assert err == (
        f"mlc-opt: error: cannot open input file '{missing}': "
        "No such file or directory\n"
    )
    code, _, err = run(capsys, str(tmp_path))
    assert code == 1
    assert (
        err == f"mlc-opt: error: cannot open input file '{tmp_path}': Is a directory\n"
    )
    binary = tmp_path / "binary.mlir"
    binary.write_bytes(b"\xff\xfe")
    code, _, err = run(capsys, str(binary))
    assert err == f"{binary}: error: input is not valid UTF-8 (byte 0)\n"


def test_output_directory_must_exist(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
):
    target = str(tmp_path / "no" / "out.mlir")
    code, _, err = run(capsys, write(tmp_path, GOOD), "-o", target)
    assert code == 1
    assert (
        err
        == f"mlc-opt: error: cannot open output file '{target}': no such directory\n"
    )


def test_verifier_error_is_located_at_the_op(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
):
    path = write(tmp_path, BAD_BROADCAST)
    code, out, err = run(capsys, path)
    assert (code, out) == (1, "")
    assert err == f"{path}:2:8: {BROADCAST_ERROR}\n"


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ("func.func @f() {\n  %0 = arith.addf %q, %q : f32\n", "2:19",
         "use of undeclared SSA value name %q"),
        ("func.func @f() {\n  func.return\n", "3:1", ""),
        ("func.func @f() {\n  graph.nope\n}\n", "2:3",
         "Operation graph.nope is not registered"),
        ("%0 = arith.constant 1 : i32 : i32\n", "1:29", ""),
    ],
)  # fmt: skip
def test_parse_errors_are_located(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    text: str,
    where: str,
    message: str,
):
    path = write(tmp_path, text)
    code, _, err = run(capsys, path)
    assert code == 1
    assert err.startswith(f"{path}:{where}: error: {message}")
    assert err.count("\n") == 1


def test_pass_failure_located_by_its_op(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, with_test_passes: None
):
    path = write(tmp_path, GOOD)
    code, _, err = run(capsys, path, "-p", "test-fail-at-add")
    assert code == 1
    assert err == f"{path}:2:8: error: cannot handle this add\n"
    code, _, err = run(capsys, path, "-p", "test-fail-at-add{located=false}")
    assert err == f"{path}: error: cannot handle this add\n"


def test_pass_failure_with_a_located_message(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
):
    assert from_exception(PassFailedException("x.mlir:3:4: error: bad")) == Diagnostic(
        "bad", SourceLoc("x.mlir", 3, 4)
    )


def test_unsupported_input_is_a_pass_failure(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, with_test_passes: None
):
    path = write(tmp_path, GOOD)
    code, _, err = run(capsys, path, "-p", "test-unsupported")
    assert code == 1
    assert err == (
        f"{path}: error: pass 'test-unsupported' does not support this input: "
        "tensors are not supported yet\n"
    )


def test_invalid_ir_after_a_pass_is_located(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, with_test_passes: None
):
    path = write(tmp_path, GOOD)
    code, _, err = run(capsys, path, "-p", "test-drop-return")
    assert code == 1
    assert err == (
        f"{path}:4:8: error: Operation arith.mulf terminates block in "
        "single-block region but is not a terminator\n"
    )


def test_internal_error_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, with_test_passes: None
):
    code, _, err = run(capsys, write(tmp_path, GOOD), "-p", "test-crash")
    assert code == 1
    assert err == (
        "mlc-opt: internal error: pass 'test-crash' crashed: KeyError: 'boom' "
        "(MLC_DEBUG=1 for details)\n"
    )


def test_mlc_debug_shows_the_traceback(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    with_test_passes: None,
    monkeypatch: pytest.MonkeyPatch,
):
    monkeypatch.setenv("MLC_DEBUG", "1")
    with pytest.raises(PassCrash) as crash:
        main([write(tmp_path, GOOD), "-p", "test-crash"])
    assert isinstance(crash.value.error, KeyError)


def test_unexpected_exception_outside_a_pass(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    def explode(self: MlcOptMain, module: ModuleOp) -> str:
        raise RuntimeError("printer\nbroke")

    monkeypatch.setattr(MlcOptMain, "output_resulting_program", explode)
    code, _, err = run(capsys, write(tmp_path, GOOD))
    assert code == 1
    assert err == (
        "mlc-opt: internal error: RuntimeError: printer broke "
        "(MLC_DEBUG=1 for details)\n"
    )


def test_non_isolated_anchor(capsys: pytest.CaptureFixture[str], tmp_path: Path):
    text = (
        "func.func @f() {\n  scf.execute_region {\n    scf.yield\n  }\n"
        "  func.return\n}\n"
    )
    path = write(tmp_path, text)
    code, _, err = run(
        capsys,
        path,
        "--pass-pipeline=builtin.module(func.func(scf.execute_region(cse)))",
    )
    assert code == 1
    assert err == (
        f"{path}:2:3: error: trying to schedule a pass on an operation not marked "
        "as 'IsolatedFromAbove'\n"
    )
    code, _, err = run(capsys, path, "--pass-pipeline=func.func(cse)")
    assert (
        err
        == f"{path}: error: can't run 'func.func' pass manager on 'builtin.module' op\n"
    )


# --------------------------------------------------------------------------- #
# The driver: --verify-diagnostics
# --------------------------------------------------------------------------- #

ANNOTATED = """\
func.func @g(%a: tensor<2x3xf32>, %b: tensor<4xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{cannot broadcast shapes (2, 3) and (4,)}}
  %0 = graph.add %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}
// -----
func.func @ok(%x: f32) -> f32 {
  func.return %x : f32
}
"""


def test_verify_diagnostics_all_matched(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
):
    path = write(tmp_path, ANNOTATED)
    code, out, err = run(capsys, path, "--split-input-file", "--verify-diagnostics")
    assert (code, err) == (0, "")
    first, second = out.split("// -----\n")
    assert first == ""
    assert "func.func @ok" in second


def test_verify_diagnostics_missing_and_unexpected(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
):
    text = ANNOTATED.replace("@+1", "@+2") + ("// -----\n// expected-error {{never}}\n")
    path = write(tmp_path, text)
    code, _, err = run(capsys, path, "--split-input-file", "--verify-diagnostics")
    assert code == 1
    assert error_lines(err) == [
        f"{path}:3:8: error: unexpected error: 'graph.add' cannot broadcast shapes "
        "(2, 3) and (4,)",
        f'{path}:2:6: error: expected error "cannot broadcast shapes (2, 3) and (4,)"'
        " was not produced",
        f'{path}:11:4: error: expected error "never" was not produced',
    ]


def test_verify_diagnostics_pass_failure(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, with_test_passes: None
):
    text = GOOD.replace(
        "  %0 = arith.addf",
        "  // expected-error @below {{cannot handle}}\n  %0 = arith.addf",
    )
    path = write(tmp_path, text)
    code, out, err = run(capsys, path, "--verify-diagnostics", "-p", "test-fail-at-add")
    assert (code, out, err) == (0, "", "")


def test_verify_diagnostics_bad_regex(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
):
    path = write(tmp_path, "// expected-error-re {{{{(}}}}\n")
    code, _, err = run(capsys, path, "--verify-diagnostics")
    assert code == 1
    assert err.startswith(
        f"{path}:1:4: error: invalid regular expression in annotation"
    )


# --------------------------------------------------------------------------- #
# IR printing and timing
# --------------------------------------------------------------------------- #


def test_print_ir_after_all_nested(capsys: pytest.CaptureFixture[str], tmp_path: Path):
    path = write(tmp_path, GOOD)
    code, _, err = run(
        capsys,
        path,
        "--pass-pipeline=builtin.module(dce,func.func(cse))",
        "--print-ir-after-all",
        "-o",
        str(tmp_path / "out.mlir"),
    )
    assert code == 0
    headers = re.findall(r"^// -----// (.*) //----- //$", err, flags=re.M)
    assert headers == [
        "IR Dump After DeadCodeElimination (dce)",
        "IR Dump After CommonSubexpressionElimination (cse)",
    ]
    after_cse = err.split("(cse) //----- //\n")[1]
    assert after_cse.startswith("func.func @f(%x: f32) -> f32 {")


def test_print_between_passes_is_print_ir_after_all(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
):
    _, _, err = run(
        capsys, write(tmp_path, GOOD), "-p", "cse", "--print-between-passes"
    )
    assert "// -----// IR Dump After CommonSubexpressionElimination (cse)" in err


def test_print_ir_after_change_and_before_all(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
):
    path = write(tmp_path, GOOD)
    _, _, err = run(capsys, path, "-p", "cse,cse", "--print-ir-after-change")
    assert err.count("IR Dump After") == 1
    _, _, err = run(capsys, path, "-p", "cse,dce", "--print-ir-before-all")
    assert re.findall(r"IR Dump \w+ \w+", err) == [
        "IR Dump Before CommonSubexpressionElimination",
        "IR Dump Before DeadCodeElimination",
    ]


def test_print_ir_after_failure(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, with_test_passes: None
):
    path = write(tmp_path, GOOD)
    code, _, err = run(capsys, path, "-p", "cse,test-crash", "--print-ir-after-failure")
    assert code == 1
    assert err.startswith(
        "// -----// IR Dump After CrashPass Failed (test-crash) //----- //\n"
        '"builtin.module"() ({'
    )
    _, _, err = run(capsys, path, "-p", "test-drop-return", "--print-ir-after-failure")
    assert "IR Dump After DropReturnPass Failed (test-drop-return)" in err


def test_timing_report(capsys: pytest.CaptureFixture[str], tmp_path: Path):
    path = write(tmp_path, GOOD + "// -----\n" + GOOD)
    code, _, err = run(
        capsys,
        path,
        "--split-input-file",
        "--pass-pipeline=builtin.module(func.func(cse),cse)",
        "--timing",
        "-o",
        str(tmp_path / "out.mlir"),
    )
    assert code == 0
    names = re.findall(r"^ +\d+\.\d{4} \( *\d+\.\d%\)  (.*)$", err, flags=re.M)
    assert names == [
        "Parser",
        "'func.func' Pipeline",
        "  cse",
        "cse",
        "Output",
        "Rest",
        "Total",
    ]
    _, _, err = run(capsys, path, "--time-passes", "-o", str(tmp_path / "out.mlir"))
    assert "Execution time report" in err


def test_timing_report_format():
    root = TimingNode("root")
    root.child("Parser").seconds = 0.5
    nest = root.child("'func.func' Pipeline")
    nest.seconds = 0.25
    nest.child("cse").seconds = 0.125
    assert format_timing_report(root, 1.0).splitlines()[3:] == [
        "  Total Execution Time: 1.0000 seconds",
        "",
        "  ----Wall Time----  ----Name----",
        "    0.5000 ( 50.0%)  Parser",
        "    0.2500 ( 25.0%)  'func.func' Pipeline",
        "    0.1250 ( 12.5%)    cse",
        "    0.2500 ( 25.0%)  Rest",
        "    1.0000 (100.0%)  Total",
    ]


# --------------------------------------------------------------------------- #
# verify_diagnostics: annotations and matching
# --------------------------------------------------------------------------- #


def expectation_summary(
    text: str, offset: int = 0
) -> list[tuple[str, int | None, str]]:
    return [
        (str(e.severity), e.line, e.text)
        for e in parse_expectations(text, "f.mlir", offset)
    ]


def test_annotations_designators():
    text = "\n".join(
        [
            "op  // expected-error {{same line}}",  # 1
            "// expected-warning@+2 {{two below}}",  # 2
            "// expected-note @-2 {{two above}}",  # 3
            "// expected-remark @below {{next plain line}}",  # 4
            "// expected-error @below {{also the next plain line}}",  # 5
            "op",  # 6
            "// expected-error @above {{previous plain line}}",  # 7
            "// expected-error @unknown {{nowhere}}",  # 8
            "// expected-error without braces is no annotation",  # 9
            "// expected-error {{a {{nested}} brace}}",  # 10
        ]
    )
    assert expectation_summary(text) == [
        ("error", 1, "same line"),
        ("warning", 4, "two below"),
        ("note", 1, "two above"),
        ("remark", 6, "next plain line"),
        ("error", 6, "also the next plain line"),
        ("error", 6, "previous plain line"),
        ("error", None, "nowhere"),
        ("error", 10, "a {{nested}} brace"),
    ]
    unknown = parse_expectations(text, "f.mlir")[6]
    assert unknown.unknown_location
    assert unknown.annotation == SourceLoc("f.mlir", 8, 4)


def test_annotations_line_offset_and_edges():
    assert expectation_summary("x\n// expected-error @-1 {{m}}", 10) == [
        ("error", 11, "m")
    ]
    # Out of range, or @below at the end: expects a line that is not there.
    assert expectation_summary("// expected-error @-5 {{m}}") == [("error", None, "m")]
    assert expectation_summary("// expected-error @below {{m}}") == [
        ("error", None, "m")
    ]


def test_annotation_regex():
    assert regex_of("op {{[0-9]+}} (x)").pattern == r"op\ [0-9]+\ \(x\)"
    (expectation,) = parse_expectations(
        "// expected-error-re {{shape {{[0-9]+}}x{{.*}}}}", "f.mlir"
    )
    assert expectation.accepts("bad shape 12x3 here")
    assert not expectation.accepts("bad shape ?x3")
    (plain,) = parse_expectations("// expected-error {{shape (2, 3)}}", "f.mlir")
    assert plain.accepts("bad shape (2, 3)!")
    with pytest.raises(DiagnosticError):
        parse_expectations("// expected-error-re {{{{[}}}}", "f.mlir")


def test_verifier_matches_unexpected_near_miss_and_missing():
    text = "\n".join(
        [
            "// expected-error @+1 {{broadcast}}",
            "op",
            "// expected-warning @+1 {{warned}}",
            "op",
            "// expected-error @unknown {{somewhere}}",
            "// expected-error {{never}}",
        ]
    )
    verifier = DiagnosticVerifier("f.mlir", parse_expectations(text, "f.mlir"))
    at = lambda line: SourceLoc("f.mlir", line, 1)  # noqa: E731
    assert verifier.check(Diagnostic("cannot broadcast", at(2))) is None
    # One annotation may match several diagnostics on its line.
    assert verifier.check(Diagnostic("broadcast again", at(2))) is None
    assert verifier.check(Diagnostic("elsewhere", at(3))) == Diagnostic(
        "unexpected error: elsewhere", at(3)
    )
    assert verifier.check(Diagnostic("warned", at(4))) == Diagnostic(
        "'error' diagnostic emitted when expecting a 'warning'",
        SourceLoc("f.mlir", 3, 4),
    )
    assert verifier.check(Diagnostic("somewhere over there")) is None
    assert verifier.check(Diagnostic("broadcast", SourceLoc("other.mlir", 2, 1))) == (
        Diagnostic("unexpected error: broadcast", SourceLoc("other.mlir", 2, 1))
    )
    remark = Diagnostic("warned", at(4), Severity.WARNING)
    assert verifier.check(remark) is None
    assert [d.format("f.mlir") for d in verifier.missing()] == [
        'f.mlir:6:4: error: expected error "never" was not produced'
    ]


# --------------------------------------------------------------------------- #
# pass_pipeline: parsing and building
# --------------------------------------------------------------------------- #


def shape(spec: NestSpec) -> object:
    return (
        spec.anchor,
        [
            shape(e) if isinstance(e, NestSpec) else (e.spec.name, e.spec.parameters)
            for e in spec.elements
        ],
    )


def test_parse_mlir_pipeline():
    spec = parse_mlir_pipeline(
        ' builtin.module( canonicalize , func.func(cse, x{a=1 b="s}"}), '
        "any(), builtin.module(dce))"
    )
    assert shape(spec) == (
        "builtin.module",
        [
            ("canonicalize", {}),
            ("func.func", [("cse", {}), ("x", {"a": (1,), "b": ("s}",)})]),
            ("any", []),
            ("builtin.module", [("dce", {})]),
        ],
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("cse", "expected pass pipeline to be wrapped with the anchor operation type"),
        ("builtin.module(cse", "expected ')' (at column 19)"),
        ("builtin.module(cse))", "unexpected text after the pipeline (at column 20)"),
        ("builtin.module(cse,)", "expected a pass or an operation name (at column 20)"),
        ("builtin.module(x{a=1)", "unbalanced '{' in pass options"),
        ("builtin.module(x{a=})", "Unknown argument value"),
    ],
)
def test_mlir_pipeline_errors(text: str, message: str):
    with pytest.raises(PipelineError, match=re.escape(message)) as error:
        parse_mlir_pipeline(text)
    assert "\n" not in str(error.value)


def test_xdsl_pipeline_and_pass_flags():
    assert shape(parse_xdsl_pipeline("cse,x{a=1,2 b}")) == (
        "builtin.module",
        [("cse", {}), ("x", {"a": (1, 2), "b": ()})],
    )
    assert parse_pass_flag("x", "a=1 b=true").spec.parameters == {
        "a": (1,),
        "b": (True,),
    }
    assert parse_pass_flag("cse", None) == PassSpec(
        parse_xdsl_pipeline("cse").elements[0].spec
    )  # type: ignore[union-attr]
    assert is_mlir_pipeline("builtin.module(cse)")
    assert is_mlir_pipeline(" func.func (cse)")
    assert not is_mlir_pipeline("cse,canonicalize")
    assert not is_mlir_pipeline("mlir-opt[builtin.module(cse)]")


def test_build_pipeline_resolves_passes_and_options():
    registry = pass_registry()
    pipeline = build_pipeline(
        parse_mlir_pipeline(
            "builtin.module(func.func(test-fail-at-add{located=false}),cse)"
        ),
        registry,
    )
    nest, cse = pipeline.steps
    assert isinstance(nest, Nest)
    assert nest.anchor == "func.func"
    assert nest.steps == (FailAtAddPass(located=False),)
    assert type(cse).__name__ == "CommonSubexpressionElimination"
    assert (
        str(pipeline)
        == "builtin.module(func.func(test-fail-at-add{located=false}), cse)"
    )
    with pytest.raises(
        PipelineError, match="unknown pass 'csee' \\(did you mean 'cse'"
    ):
        build_pipeline(parse_xdsl_pipeline("csee"), registry)
    with pytest.raises(
        PipelineError, match="invalid options for pass 'test-fail-at-add'"
    ):
        build_pipeline(parse_xdsl_pipeline("test-fail-at-add{located=3}"), registry)


# --------------------------------------------------------------------------- #
# pass_runner, on its own
# --------------------------------------------------------------------------- #


def test_runner_options_dump_to_a_stream(ctx: Context):
    module = LocatedParser(ctx, GOOD, "f.mlir").parse_module()
    dump = StringIO()
    timing = TimingNode("root")
    options = RunOptions(print_after_all=True, dump=dump, timing=timing)
    pipeline = build_pipeline(parse_xdsl_pipeline("cse"), pass_registry())
    PipelineRunner(ctx, options).run(pipeline, module)
    assert dump.getvalue().startswith(
        "// -----// IR Dump After CommonSubexpressionElimination (cse) //----- //\n"
    )
    assert [c.name for c in timing.children.values()] == ["cse"]


def test_runner_verify_each_can_be_off(ctx: Context):
    module = LocatedParser(ctx, GOOD, "f.mlir").parse_module()
    pipeline = build_pipeline(parse_xdsl_pipeline("test-drop-return"), pass_registry())
    with pytest.raises(DiagnosticError):
        PipelineRunner(ctx).run(pipeline, module.clone())
    PipelineRunner(ctx, RunOptions(verify_each=False)).run(pipeline, module)


# --------------------------------------------------------------------------- #
# located_parser, verifier, diagnostics
# --------------------------------------------------------------------------- #


def locations(module: ModuleOp) -> list[tuple[str, str]]:
    return [(op.name, str(op_location(op))) for op in module.walk()][1:]


def test_located_parser_records_op_name_positions(ctx: Context):
    text = (
        "func.func @f(%x: f32) -> f32 {\n"
        '  %0 = "arith.addf"(%x, %x) : (f32, f32) -> f32\n'
        "  %1, %2 = scf.execute_region -> (f32, f32) {\n"
        "    scf.yield %0, %0 : f32, f32\n"
        "  }\n"
        "  func.return %1 : f32\n"
        "}\n"
    )
    module = LocatedParser(ctx, text, "f.mlir", line_offset=10).parse_module()
    assert locations(module) == [
        ("func.func", "f.mlir:11:1"),
        ("arith.addf", "f.mlir:12:8"),
        ("scf.execute_region", "f.mlir:13:12"),
        ("scf.yield", "f.mlir:14:5"),
        ("func.return", "f.mlir:16:3"),
    ]


def test_located_parser_keeps_explicit_locations(ctx: Context):
    text = (
        "func.func @f(%x: f32) -> f32 {\n"
        '  %0 = arith.addf %x, %x : f32 loc("model.py":7:3)\n'
        "  %1 = arith.addf %0, %0 : f32 loc(unknown)\n"
        "  func.return %1 : f32\n"
        "}\n"
    )
    module = LocatedParser(ctx, text, "f.mlir").parse_module()
    ops = list(module.walk())
    assert op_location(ops[2]) == SourceLoc("model.py", 7, 3)
    assert isinstance(ops[3].location, UnknownLoc)
    assert op_location(ops[3]) == SourceLoc("f.mlir", 1, 1)  # from its function


@irdl_op_definition
class RefusingOp(IRDLOperation):
    """An op whose custom parser raises a VerifyException, as builders may."""

    name = "test.refusing"

    @classmethod
    def parse(cls, parser: Parser) -> RefusingOp:
        raise VerifyException("refused while parsing")


def test_located_parser_turns_builder_errors_into_parse_errors(ctx: Context):
    ctx.load_op(RefusingOp)
    text = "func.func @f() {\n  test.refusing\n  func.return\n}\n"
    with pytest.raises(ParseError, match="refused while parsing") as error:
        LocatedParser(ctx, text, "f.mlir", line_offset=4).parse_module()
    assert isinstance(error.value, ParseError)
    assert str(error.value.span.get_location()) == "f.mlir:6:3"


def test_verify_located_reports_each_function_once(ctx: Context):
    text = BAD_BROADCAST + BAD_BROADCAST.replace("@g", "@h") + GOOD
    module = LocatedParser(ctx, text, "f.mlir").parse_module()
    assert [d.format("f.mlir") for d in verify_located(module)] == [
        f"f.mlir:2:8: {BROADCAST_ERROR}",
        f"f.mlir:6:8: {BROADCAST_ERROR}",
    ]
    empty = LocatedParser(ctx, "func.func @f() {\n^bb0:\n}\n", "f.mlir").parse_module()
    (diagnostic,) = verify_located(empty)
    assert diagnostic.loc == SourceLoc("f.mlir", 1, 1)
    assert "contains empty block" in diagnostic.message


def test_location_of_each_location_kind():
    file_loc = FileLineColLoc(StringAttr("a.mlir"), IntAttr(3), IntAttr(4))
    expected = SourceLoc("a.mlir", 3, 4)
    assert location_of(file_loc) == expected
    assert location_of(NameLoc(StringAttr("x"), file_loc)) == expected
    assert location_of(NameLoc(StringAttr("x"), NoneAttr())) is None
    fused = FusedLoc(ArrayAttr([UnknownLoc(), file_loc]), NoneAttr())
    assert location_of(fused) == expected
    assert location_of(UnknownLoc()) is None


def test_diagnostic_format_and_one_line():
    assert Diagnostic("m", SourceLoc("a", 1, 2)).format("b") == "a:1:2: error: m"
    assert Diagnostic("m", None, Severity.NOTE).format("b") == "b: note: m"
    assert one_line("  first\n\n   second  \n") == "first second"
    op: Operation = arith.ConstantOp.from_int_and_width(1, 32)
    error = PassFailedException("with op")
    setattr(error, "op", op)
    assert from_exception(error) == Diagnostic("with op", None)
    assert from_exception(ValueError("plain")) == Diagnostic("plain")


def test_help_opens_with_mlc_passes_and_the_default_pipeline():
    result = subprocess.run(
        [sys.executable, "-m", "mlc.tools.mlc_opt", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    text = result.stdout
    ours = text.index("mlc's passes")
    assert ours < text.index("positional arguments:")
    assert "graph-fuse" in text[ours:]
    assert "mlc's default pipeline, graph-to-llvm{to=graph|tensor|loop|llvm}" in text
    assert "-p 'graph-to-llvm{to=loop}'" in text
