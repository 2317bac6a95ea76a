"""
Interpreter functions for the graph dialect: every op runs its numpy reference.

Graph ops have one implementation, `GraphOp.evaluate`, so this module needs no
table of op names: one generic implementation is registered for each op class
of `GRAPH_OPS`.
"""

from __future__ import annotations

from typing import Any

from xdsl.interpreter import Interpreter, InterpreterFunctions, impl, register_impls

from mlc.dialects.graph import GRAPH_OPS
from mlc.dialects.graph.base import GraphOp


def _run_graph_op(
    self: InterpreterFunctions,
    interpreter: Interpreter,
    op: GraphOp,
    args: tuple[Any, ...],
) -> tuple[Any, ...]:
    from mlc.interpreters import from_interpreter, to_interpreter

    arrays = [
        from_interpreter(v, o.type) for v, o in zip(args, op.operands, strict=True)
    ]
    given = iter(arrays)
    operands = [None if v is None else next(given) for v in op.operands_in_order()]
    result = op.evaluate(*operands)
    return (to_interpreter(result, op.results[0].type),)


def _with_graph_impls(cls: type[InterpreterFunctions]) -> type[InterpreterFunctions]:
    for op_type in GRAPH_OPS:
        setattr(
            cls, f"run_{op_type.name.replace('.', '_')}", impl(op_type)(_run_graph_op)
        )
    return register_impls(cls)


@_with_graph_impls
class GraphFunctions(InterpreterFunctions):
    """Runs each graph op through its numpy reference."""
