"""The shipped examples are in mlc's printed form: mlc-opt reproduces them exactly."""

from contextlib import redirect_stdout
from io import StringIO
from pathlib import Path

import pytest

from mlc.tools.mlc_opt import main

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.mlir"))


def mlc_opt(tmp_path: Path, text: str, *flags: str) -> str:
    source = tmp_path / "input.mlir"
    source.write_text(text)
    out = StringIO()
    with redirect_stdout(out):
        assert main([str(source), *flags]) == 0
    return out.getvalue()


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_example_reproduces_itself(tmp_path: Path, example: Path):
    text = example.read_text()
    assert mlc_opt(tmp_path, text) == text
    generic = mlc_opt(tmp_path, text, "--print-op-generic")
    assert mlc_opt(tmp_path, generic) == text
    assert mlc_opt(tmp_path, generic, "--print-op-generic") == generic
