"""`CompileTimer`: stage times, the report, and the progress lines of a long compile."""

import io

import pytest

from mlc.runtime.timing import CompileTimer


def test_stages_add_up_and_report() -> None:
    timer = CompileTimer()
    for _ in range(2):
        with timer.stage("lower: loop"):
            pass
    with timer.stage("llvm: codegen"):
        pass
    assert list(timer.stages) == ["lower: loop", "llvm: codegen"]
    assert timer.total == pytest.approx(sum(timer.stages.values()))
    report = timer.report()
    assert "lower: loop" in report
    assert "llvm: codegen" in report


@pytest.mark.parametrize(
    ("after", "lines"), [("0", 2), ("inf", 0), ("not a number", 0)]
)
def test_progress_lines_past_the_threshold(
    monkeypatch: pytest.MonkeyPatch, after: str, lines: int
) -> None:
    """`MLC_PROGRESS_AFTER` seconds (default 2; `inf` never) before a line per stage."""
    monkeypatch.setenv("MLC_PROGRESS_AFTER", after)
    stream = io.StringIO()
    timer = CompileTimer(progress=True, stream=stream)
    for name in ("parse", "llvm: optimize"):
        with timer.stage(name):
            pass
    printed = stream.getvalue().splitlines()
    assert len(printed) == lines
    assert all(line.startswith("mlc: ") and "so far" in line for line in printed)
    quiet = CompileTimer(progress=False, stream=stream)
    with quiet.stage("parse"):
        pass
    assert len(stream.getvalue().splitlines()) == lines
