"""The ONNX conformance suite's report: the pass rate per op and overall."""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

_outcomes: dict[str, str] = {}
_skip_reasons: dict[str, str] = {}
_ops: dict[str, tuple[str, ...]] = {}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        callspec = getattr(item, "callspec", None)
        case = None if callspec is None else callspec.params.get("case")
        if case is not None and hasattr(case, "ops"):
            _ops[item.nodeid] = case.ops


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.nodeid not in _ops:
        return
    if report.when == "call" or (report.when == "setup" and report.skipped):
        if hasattr(report, "wasxfail"):
            outcome = "xpassed" if report.passed else "xfailed"
        else:
            outcome = report.outcome
        _outcomes[report.nodeid] = outcome
        if report.skipped and isinstance(report.longrepr, tuple):
            _skip_reasons[report.nodeid] = str(report.longrepr[2])
    elif report.failed:
        _outcomes[report.nodeid] = "failed"


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _outcomes:
        return
    per_op: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    total = passed = skipped = 0
    for nodeid, outcome in _outcomes.items():
        if outcome == "skipped":
            skipped += 1
            continue
        total += 1
        passed += outcome == "passed"
        for op in _ops[nodeid]:
            per_op[op][0] += outcome == "passed"
            per_op[op][1] += 1
    write = terminalreporter.write_line
    terminalreporter.section("ONNX node tests: pass rate per op")
    for op in sorted(per_op):
        ok, n = per_op[op]
        write(f"{op:<20} {ok:>4}/{n:<4} {100 * ok / n:6.1f} %")
    rate = 100 * passed / total if total else 0.0
    write(f"{'overall':<20} {passed:>4}/{total:<4} {rate:6.1f} %  ({skipped} skipped)")
    kinds = Counter(
        reason.removeprefix("Skipped: ").split(":")[0]
        for reason in _skip_reasons.values()
    )
    for kind, count in sorted(kinds.items()):
        write(f"skipped: {count} ({kind})")
