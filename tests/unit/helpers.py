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
    from mlc.universe import full_context as new_full_context

    return new_full_context()


def print_op(op: Operation, generic: bool = False) -> str:
    out = StringIO()
    Printer(stream=out, print_generic_format=generic).print_op(op)
    return out.getvalue()
