"""
Property: random mutations of valid IR text never reach the user as a traceback.

Each case mutates a valid graph-level file (the shipped example or a chunk of a
round-trip test), runs `mlc-opt` in process and requires exit code 0 (the
mutant happened to be valid) or 1 with exactly one diagnostic line that names
the file (`path:line:col: error: ...`, or `path: error: ...`) — never an
internal error or a Python traceback.
"""

from __future__ import annotations

import re
from contextlib import redirect_stderr, redirect_stdout
from io import StringIO
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlc.tools.mlc_opt import main

ROOT = Path(__file__).resolve().parents[3]
GRAPH_TESTS = ROOT / "tests" / "filecheck" / "dialects" / "graph"


def seed_texts() -> list[str]:
    """Valid inputs: the example and every chunk of the round-trip test files."""
    seeds = [(ROOT / "examples" / "mlp.mlir").read_text()]
    for path in sorted(GRAPH_TESTS.glob("*.mlir")):
        if path.stem.endswith("_invalid"):
            continue
        seeds += [c for c in path.read_text().split("// -----") if "func.func" in c]
    return seeds


SEEDS = seed_texts()

TOKENS = [
    "%", "%x", "%0", ":", ",", "(", ")", "{", "}", "<", ">", "[", "]", "=", "->",
    '"', "@", "#", "^bb0:", "x", "?", "*", "0", "-1", "1.5", "9999999999999999999",
    "f32", "i1", "bf16", "ui8", "tensor<", "tensor<2x3xf32>", "tensor<*xf32>",
    "graph.add", "graph.relu", "graph.nope", "func.return", "arith.constant",
    "dense<", "dense<1.0>", "array<i64: 1>", "loc(", "{axis = 7 : i64}",
    "{-#", "#-}", "\n", " ", "// -----", "\\", "\u00e9",
]  # fmt: skip


NUMBER = re.compile(r"(?<![\w.])-?\d+(?![\w.])")
ELEMENT_TYPE = re.compile(r"\b(f16|f32|f64|i1|i8|i16|i32|i64|ui8|ui16|ui32|ui64)\b")
EDITS = ["delete", "insert", "duplicate", "replace", "swap", "number", "type"]


def substitute(draw: st.DrawFn, text: str, pattern: re.Pattern[str], new: str) -> str:
    """
    Replace one random match of `pattern` (these make well-formed but
    ill-typed IR, which exercises the verifiers rather than the parser)."""
    matches = list(pattern.finditer(text))
    if not matches:
        return text
    m = draw(st.sampled_from(matches))
    return text[: m.start()] + new + text[m.end() :]


@st.composite
def mutants(draw: st.DrawFn) -> str:
    """A seed with one to three random edits."""
    text: str = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 40)))
        edit = draw(st.sampled_from(EDITS))
        if edit == "number":
            number = str(draw(st.sampled_from([0, 1, 2, 3, 5, -1, -2, 7, 100])))
            text = substitute(draw, text, NUMBER, number)
        elif edit == "type":
            element = draw(st.sampled_from(["f16", "f64", "i1", "i32", "ui8", "bf16"]))
            text = substitute(draw, text, ELEMENT_TYPE, element)
        elif edit == "delete":
            text = text[:i] + text[j:]
        elif edit == "insert":
            text = text[:i] + draw(st.sampled_from(TOKENS)) + text[i:]
        elif edit == "duplicate":
            text = text[:j] + text[i:j] + text[j:]
        elif edit == "replace":
            text = text[:i] + draw(st.sampled_from(TOKENS)) + text[j:]
        else:
            words = text.split(" ")
            a = draw(st.integers(0, len(words) - 1))
            b = draw(st.integers(0, len(words) - 1))
            words[a], words[b] = words[b], words[a]
            text = " ".join(words)
    return text


def run_mlc_opt(*argv: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


@settings(
    max_examples=600,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=mutants(), flags=st.sampled_from([[], ["-p", "canonicalize,cse"]]))
def test_mutated_ir_gives_one_located_line(tmp_path: Path, text: str, flags: list[str]):
    path = tmp_path / "mutant.mlir"
    path.write_text(text)
    code, _, err = run_mlc_opt(str(path), *flags)
    assert "Traceback" not in err
    assert "internal error" not in err, err
    if code == 0:
        assert err == ""
        return
    assert code == 1
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert re.match(rf"{re.escape(str(path))}(:\d+:\d+)?: error: \S", lines[0]), err


def test_unterminated_string_is_one_line_not_a_hang(tmp_path: Path):
    """xDSL's own string regex backtracks exponentially here (see LinearTimeLexer)."""
    path = tmp_path / "string.mlir"
    path.write_text('func.func @f() {\n  %0 = "graph.relu ' + "a " * 40 + "\n}\n")
    code, _, err = run_mlc_opt(str(path))
    assert code == 1
    assert (
        err
        == f"{path}:2:8: error: End of file reached before closing string literal.\n"
    )
