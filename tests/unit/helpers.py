"""Helpers shared by the unit tests (tests/unit is on pytest's pythonpath)."""

from io import StringIO

from xdsl.context import Context
from xdsl.dialects import arith, builtin, func
from xdsl.ir import Operation
from xdsl.printer import Printer

from mlc.dialects.graph import Graph


def make_context() -> Context:
    """A context with builtin, func, arith and graph loaded."""
    ctx = Context()
    for dialect in (builtin.Builtin, func.Func, arith.Arith, Graph):
        ctx.load_dialect(dialect)
    return ctx


def full_context() -> Context:
    """A context with every dialect xDSL and mlc register (what mlc-opt sees)."""
    from xdsl.universe import XDSL_UNIVERSE

    from mlc.dialects import get_dialect_overrides
    from mlc.universe import MLC_UNIVERSE

    ctx = Context()
    registered = {
        **XDSL_UNIVERSE.all_dialects,
        **MLC_UNIVERSE.all_dialects,
        **get_dialect_overrides(),
    }
    for name, factory in registered.items():
        ctx.register_dialect(name, factory)
    return ctx


def print_op(op: Operation, generic: bool = False) -> str:
    out = StringIO()
    Printer(stream=out, print_generic_format=generic).print_op(op)
    return out.getvalue()
