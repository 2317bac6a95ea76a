"""The ONNX conformance suite's report: the pass rate per op and overall."""

from __future__ import annotations

import sys
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

_outcomes: dict[str, str] = {}
_skip_reasons: dict[str, str] = {}


@cache
def _ops_by_case() -> dict[str, tuple[str, ...]]:
    from onnx_node_cases import all_cases

    return {case.name: case.ops for case in all_cases()}


def _case_ops(nodeid: str) -> tuple[str, ...] | None:
    """
    The op types of a node test, from its id (`...test_onnx_node[test_relu]`).

    Read from the id, not from collection, so the report also works under
    pytest-xdist, whose controller does not collect.
    """
    if "test_onnx_node[" not in nodeid:
        return None
    return _ops_by_case().get(nodeid.rpartition("[")[2].rstrip("]"))


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if _case_ops(report.nodeid) is None:
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
        for op in _case_ops(nodeid) or ():
            per_op[op][0] += outcome == "passed"
            per_op[op][1] += 1
    write = terminalreporter.write_line
    terminalreporter.section("ONNX node tests: pass rate per op")
    for op in sorted(per_op):
        ok, n = per_op[op]
        write(f"{op:<20} {ok:>4}/{n:<4} {100 * ok / n:6.1f} %")
    rate = 100 * passed / total if total else 0.0
    write(f"{'overall':<20} {passed:>4}/{total:<4} {rate:6.1f} %  ({skipped} skipped)")
    from onnx_node_cases import NODE_TESTS, all_cases

    every = len(list(NODE_TESTS.glob("test_*")))
    unselected = every - len(all_cases())
    write(
        f"{'of all node tests':<20} {passed:>4}/{every:<4} "
        f"{100 * passed / every:6.1f} %"
        f"  ({unselected} not selected: an op outside mlc's set)"
    )
    kinds = Counter(
        reason.removeprefix("Skipped: ").split(":")[0]
        for reason in _skip_reasons.values()
    )
    for kind, count in sorted(kinds.items()):
        write(f"skipped: {count} ({kind})")
