"""The frontends sit below the runtime and the tools in the layer order."""

import ast
from pathlib import Path

FRONTEND = Path(__file__).resolve().parents[3] / "frontend"
ABOVE = ("mlc.runtime", "mlc.tools")


def imported_modules(path: Path) -> list[str]:
    names: list[str] = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            names.append(node.module)
    return names


def test_the_frontend_imports_nothing_above_it() -> None:
    found = [
        f"{path.relative_to(FRONTEND.parent)}: {name}"
        for path in sorted(FRONTEND.rglob("*.py"))
        for name in imported_modules(path)
        if name.startswith(ABOVE)
    ]
    assert not found, found


def test_the_frontend_is_split_into_modules_of_at_most_600_lines() -> None:
    long = [
        f"{path.relative_to(FRONTEND.parent)}: {n} lines"
        for path in sorted(FRONTEND.rglob("*.py"))
        if (n := len(path.read_text().splitlines())) > 600
    ]
    assert not long, long
