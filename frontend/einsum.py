"""
Einsum for both importers, composed from graph ops so that contractions are
`graph.matmul` (mlc's GEMM).

The equation is parsed numpy's way: `...` stands for the leading dims an
operand has beyond its labels (broadcast between operands, aligned from the
right), an implicit output (no `->`) is the ellipsis then the labels used
once, in alphabetical order. Each operand first loses its repeated labels (a
diagonal: the two dims merged and every `n + 1`-th element gathered) and the
labels no other operand and no output uses (a `reduce_sum`). Operands are
then combined left to right: labels both share and something later needs
are batch dims, labels both share and nothing later needs are contracted, so
each pair is one batched matmul `[batch, left, contracted] x [batch,
contracted, right]` between transposes and reshapes. Integer operands
multiply with broadcasting and sum instead (graph.matmul is float only).
"""

from __future__ import annotations

from math import prod

import numpy as np
from xdsl.ir import SSAValue

from mlc.dialects import graph
from mlc.frontend.common import value_dtype, value_shape
from mlc.frontend.compose import Emitter

Labels = list[str]


class EinsumError(ValueError):
    """An equation that does not fit its operands."""


def parse(equation: str, ranks: list[int]) -> tuple[list[Labels], Labels]:
    """The labels of each operand and of the output, `...` expanded."""
    text = equation.replace(" ", "")
    inputs, arrow, output = text.partition("->")
    terms = inputs.split(",")
    if len(terms) != len(ranks):
        raise EinsumError(
            f"einsum equation '{equation}' has {len(terms)} operands, got {len(ranks)}"
        )
    ellipsis = 0
    for term, rank in zip(terms, ranks, strict=True):
        named = len(term.replace("...", ""))
        if "..." in term:
            ellipsis = max(ellipsis, rank - named)
        elif named != rank:
            raise EinsumError(
                f"einsum term '{term}' has {named} labels for rank {rank}"
            )
    dots = [f"...{i}" for i in range(ellipsis)]
    labels = [
        _expand(term, rank, dots) for term, rank in zip(terms, ranks, strict=True)
    ]
    if arrow:
        out = _expand(output, len(dots) + len(output.replace("...", "")), dots)
    else:
        flat = [label for term in labels for label in term]
        once = sorted(x for x in set(flat) if flat.count(x) == 1 and x not in dots)
        out = [*dots, *once]
    known = {label for term in labels for label in term}
    missing = [x for x in out if x not in known]
    if missing:
        raise EinsumError(f"einsum output label '{missing[0]}' is in no operand")
    return labels, out


def _expand(term: str, rank: int, dots: Labels) -> Labels:
    head, has_dots, tail = term.partition("...")
    named = len(head) + len(tail)
    middle = dots[len(dots) - (rank - named) :] if has_dots else []
    return [*head, *middle, *tail]


def einsum(b: Emitter, equation: str, operands: list[SSAValue]) -> SSAValue:
    labels, out = parse(equation, [len(value_shape(x)) for x in operands])
    terms = list(zip(operands, labels, strict=True))
    terms = [_diagonals(b, x, labs) for x, labs in terms]
    for i, (x, labs) in enumerate(terms):
        elsewhere = {lab for j, (_, ls) in enumerate(terms) if j != i for lab in ls}
        terms[i] = _sum_out(b, x, labs, elsewhere | set(out))
    x, labs = terms[0]
    for i in range(1, len(terms)):
        later = {lab for _, ls in terms[i + 1 :] for lab in ls} | set(out)
        x, labs = _pair(b, (x, labs), terms[i], later)
    x, labs = _sum_out(b, x, labs, set(out))
    if labs != out:
        x = b.emit(graph.TransposeOp(x, [labs.index(lab) for lab in out]))
    return x


def _sum_out(
    b: Emitter, x: SSAValue, labs: Labels, keep: set[str]
) -> tuple[SSAValue, Labels]:
    gone = [i for i, lab in enumerate(labs) if lab not in keep]
    if not gone:
        return x, labs
    x = b.emit(graph.ReduceSumOp(x, gone, False))
    return x, [lab for lab in labs if lab in keep]


def _diagonals(b: Emitter, x: SSAValue, labs: Labels) -> tuple[SSAValue, Labels]:
    """Take the diagonal of each label an operand repeats."""
    while True:
        repeated = next((lab for lab in labs if labs.count(lab) > 1), None)
        if repeated is None:
            return x, labs
        first = labs.index(repeated)
        second = labs.index(repeated, first + 1)
        rest = [i for i in range(len(labs)) if i not in (first, second)]
        x = b.emit(graph.TransposeOp(x, [*rest, first, second]))
        shape = value_shape(x)
        n = shape[-1]
        if shape[-2] != n:
            raise EinsumError(
                f"einsum label '{repeated}' has sizes {shape[-2]} and {n}"
            )
        x = b.emit(graph.ReshapeOp(x, [*shape[:-2], n * n]))
        diagonal = b.const(np.arange(n, dtype=np.int64) * (n + 1))
        x = b.emit(graph.GatherOp(x, diagonal, -1))
        labs = [*(labs[i] for i in rest), repeated]


def _pair(
    b: Emitter,
    lhs: tuple[SSAValue, Labels],
    rhs: tuple[SSAValue, Labels],
    later: set[str],
) -> tuple[SSAValue, Labels]:
    (x, xl), (y, yl) = lhs, rhs
    sizes = {**dict(zip(yl, value_shape(y))), **dict(zip(xl, value_shape(x)))}
    for lab, size in zip(yl, value_shape(y), strict=True):
        if sizes[lab] == 1:
            sizes[lab] = size
    shared = [lab for lab in xl if lab in yl]
    batch = [lab for lab in shared if lab in later]
    summed = [lab for lab in shared if lab not in later]
    left = [lab for lab in xl if lab not in yl]
    right = [lab for lab in yl if lab not in xl]
    out = [*batch, *left, *right]
    if value_dtype(x).kind != "f":
        return _multiply_sum(b, (x, xl), (y, yl), out, summed), out
    xb = _arrange(b, x, xl, [*batch, *left, *summed])
    yb = _arrange(b, y, yl, [*batch, *summed, *right])
    batch_dims = [value_shape(xb)[i] for i in range(len(batch))]
    y_batch = [value_shape(yb)[i] for i in range(len(batch))]
    rows, inner, cols = (
        prod(sizes[lab] for lab in group) for group in (left, summed, right)
    )
    xm = b.emit(graph.ReshapeOp(xb, [*batch_dims, rows, inner]))
    ym = b.emit(graph.ReshapeOp(yb, [*y_batch, inner, cols]))
    if inner == 1:
        product = b.emit(graph.MulOp(xm, ym))
    else:
        product = b.emit(graph.MatmulOp(xm, ym))
    full_batch = list(value_shape(product)[: len(batch)])
    dims = [*full_batch, *(sizes[lab] for lab in left), *(sizes[lab] for lab in right)]
    return b.emit(graph.ReshapeOp(product, dims)), out


def _arrange(b: Emitter, x: SSAValue, labs: Labels, order: Labels) -> SSAValue:
    if labs == order:
        return x
    return b.emit(graph.TransposeOp(x, [labs.index(lab) for lab in order]))


def _multiply_sum(
    b: Emitter,
    lhs: tuple[SSAValue, Labels],
    rhs: tuple[SSAValue, Labels],
    out: Labels,
    summed: Labels,
) -> SSAValue:
    """The general product: both over `out + summed`, multiplied, summed."""
    full = [*out, *summed]
    spread: list[SSAValue] = []
    for x, labs in (lhs, rhs):
        x = _arrange(b, x, labs, [lab for lab in full if lab in labs])
        shape = dict(zip([lab for lab in full if lab in labs], value_shape(x)))
        spread.append(b.emit(graph.ReshapeOp(x, [shape.get(lab, 1) for lab in full])))
    product = b.emit(graph.MulOp(spread[0], spread[1]))
    if not summed:
        return product
    axes = list(range(len(out), len(full)))
    return b.emit(graph.ReduceSumOp(product, axes, False))
