"""Shared fixtures: a context with mlc's and the upstream dialects, a parser."""

from collections.abc import Callable

import pytest
from helpers import make_context
from xdsl.context import Context
from xdsl.dialects.builtin import ModuleOp
from xdsl.parser import Parser


@pytest.fixture
def ctx() -> Context:
    return make_context()


@pytest.fixture
def parse(ctx: Context) -> Callable[[str], ModuleOp]:
    def parse_text(text: str) -> ModuleOp:
        module = Parser(ctx, text).parse_module()
        module.verify()
        return module

    return parse_text
