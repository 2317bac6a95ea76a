"""
`--list-passes`: every registered pass, its summary and its options.

Laid out as mlir-opt's list: `--name - summary`, then one indented
`--option=<type> - default: value` line per option. The summary is the
first paragraph of the pass class's docstring, on one line; the options are
the pass dataclass's fields (`snake_case` shown as the `kebab-case` the
pipeline syntax accepts).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any, cast

from xdsl.passes import ModulePass
from xdsl.utils.hints import type_repr

_NAME_WIDTH = 48


def format_pass_list(
    passes: Mapping[str, Callable[[], type[ModulePass]]], heading: str = "Passes"
) -> str:
    """The listing of `passes` under `heading:`, sorted by name."""
    lines = [f"{heading}:"]
    for name in sorted(passes):
        lines.extend(_describe(name, passes[name]))
    return "\n".join(lines) + "\n"


def _describe(name: str, factory: Callable[[], type[ModulePass]]) -> Iterator[str]:
    try:
        pass_class = factory()
    except Exception as error:  # an optional dependency missing, say
        yield _entry(2, f"--{name}", f"(unavailable: {type(error).__name__})")
        return
    yield _entry(2, f"--{name}", summary(pass_class))
    for option in dataclasses.fields(pass_class):
        if not option.init:
            continue
        flag = f"--{option.name.replace('_', '-')}=<{_type_name(option.type)}>"
        yield _entry(4, flag, _default(option))


def summary(pass_class: type[ModulePass]) -> str:
    """The docstring's first paragraph, on one line ('' without a docstring)."""
    doc = pass_class.__doc__ or ""
    # @dataclass gives an undocumented class its signature as docstring.
    if doc.startswith(f"{pass_class.__name__}("):
        return ""
    paragraph = doc.strip().split("\n\n", 1)[0]
    return " ".join(line.strip() for line in paragraph.splitlines())


def _entry(indent: int, flag: str, text: str) -> str:
    if not text:
        return f"{' ' * indent}{flag}"
    return f"{' ' * indent}{flag:<{_NAME_WIDTH - indent}} - {text}"


def _type_name(annotation: Any) -> str:
    name = annotation if isinstance(annotation, str) else type_repr(annotation)
    return re.sub(r"\s*\|\s*", " | ", name.replace("typing.", ""))


def _default(option: dataclasses.Field[Any]) -> str:
    if option.default is not dataclasses.MISSING:
        return f"default: {_value(option.default)}"
    if option.default_factory is not dataclasses.MISSING:
        return f"default: {_value(option.default_factory())}"
    return "required"


def _value(value: object) -> str:
    match value:
        case bool():
            return str(value).lower()
        case None:
            return "none"
        case str():
            return f'"{value}"'
        case tuple():
            items = cast(tuple[object, ...], value)
            return ",".join(_value(item) for item in items)
        case _:
            return str(value)
