"""Shared fixtures: a context with mlc's and the upstream dialects, a parser."""

import os
from collections.abc import Callable

import pytest
from helpers import make_context
from hypothesis import settings
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


# A loaded machine makes small compiles slow enough for the tools' progress
# lines, which would differ from run to run; tests that want them set it.
os.environ["MLC_PROGRESS_AFTER"] = "inf"

# CI runs every property on a fixed set of examples, so a green run is
# reproducible; elsewhere hypothesis explores new examples on every run.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
