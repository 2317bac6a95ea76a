"""
ONNX backend node tests: import, compile, run and compare with the expected
outputs (rtol 1e-3, atol 1e-5). Expected failures are listed in
`onnx_xfail.txt` and are strict: one that starts passing fails the run, so the
list can only shrink. `MLC_ONNX_BACKEND=interpreter` runs the imported graph
with mlc's graph-level interpreter instead of native code.
"""

from __future__ import annotations

import pytest
from onnx_node_cases import Case, all_cases, compare, read_xfails, run_case


def _params() -> list[object]:
    xfails = read_xfails()
    names = {c.name for c in all_cases()}
    unknown = sorted(set(xfails) - names)
    assert not unknown, f"onnx_xfail.txt lists unknown tests: {unknown}"
    params: list[object] = []
    for case in all_cases():
        marks: list[pytest.MarkDecorator] = []
        if case.skip is not None:
            marks.append(pytest.mark.skip(reason=case.skip))
        elif case.name in xfails:
            marks.append(pytest.mark.xfail(strict=True, reason=xfails[case.name]))
        params.append(pytest.param(case, id=case.name, marks=marks))
    return params


@pytest.mark.parametrize("case", _params())
def test_onnx_node(case: Case) -> None:
    expected, actual = run_case(case)
    compare(expected, actual)
