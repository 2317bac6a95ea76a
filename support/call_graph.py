"""
The call graph of a module, and the check that it has no cycle.

mlc compiles models, whose functions call each other as a tree (the fused
functions `graph-fuse` outlines); a recursive call graph has no meaning for a
model and no support in the runtime (no stack-depth bound, no base case the
lowering can see): unchecked, a function calling itself hung at -O3 and
overflowed the native stack at -O0. `mlc.compile` therefore refuses a module
whose direct calls (`func.call`, `llvm.call` with a callee symbol) form a
cycle, with one diagnostic at the call that closes it.
"""

from __future__ import annotations

from xdsl.dialects import func, llvm
from xdsl.dialects.builtin import ModuleOp, SymbolRefAttr
from xdsl.ir import Operation

from mlc.support.diagnostics import Diagnostic, op_location

FunctionOp = func.FuncOp | llvm.FuncOp


def _callee(op: Operation) -> str | None:
    callee: SymbolRefAttr | None = None
    if isinstance(op, func.CallOp):
        callee = op.callee
    elif isinstance(op, llvm.CallOp):
        callee = op.callee
    return None if callee is None else callee.root_reference.data


def call_graph(module: ModuleOp) -> dict[str, list[tuple[str, Operation]]]:
    """Function name -> its direct calls `(callee, call op)`, in program order."""
    graph: dict[str, list[tuple[str, Operation]]] = {}
    for op in module.ops:
        if isinstance(op, FunctionOp):
            calls = graph.setdefault(op.sym_name.data, [])
            for inner in op.walk():
                if (callee := _callee(inner)) is not None:
                    calls.append((callee, inner))
    return graph


def recursion_diagnostic(module: ModuleOp) -> Diagnostic | None:
    """
    A diagnostic at the first call closing a cycle of calls, None without one.

    Depth-first over the functions in module order, iteratively (a long chain
    of calls cannot exhaust Python's stack).
    """
    graph = call_graph(module)
    done: set[str] = set()
    for root in graph:
        if root in done:
            continue
        path = [root]
        on_path = {root}
        stack = [iter(graph[root])]
        while stack:
            step = next(stack[-1], None)
            if step is None:
                stack.pop()
                finished = path.pop()
                on_path.discard(finished)
                done.add(finished)
                continue
            callee, call = step
            if callee in on_path:
                return Diagnostic(_message(path, callee), op_location(call))
            if callee in done or callee not in graph:
                continue
            path.append(callee)
            on_path.add(callee)
            stack.append(iter(graph[callee]))
    return None


def _message(path: list[str], callee: str) -> str:
    cycle = [*path[path.index(callee) :], callee]
    if len(cycle) == 2:
        what = f"@{callee} calls itself"
    else:
        what = "recursive calls " + " -> ".join(f"@{name}" for name in cycle)
    return f"{what}; mlc does not compile recursive call graphs"
