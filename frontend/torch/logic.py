"""
PyTorch builders: comparisons, boolean logic, predicates, min/max/arg
reductions and element gathers, composed from graph ops by
`mlc.frontend.compose` (which says how exact they are).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

import numpy as np
from xdsl.ir import SSAValue

from mlc.dialects import graph
from mlc.frontend import compose
from mlc.frontend.common import value_dtype, value_rank, value_shape
from mlc.frontend.torch.importer import Args, Builder, Importer, Meta, Result

I64 = np.dtype(np.int64)
Compare = Callable[[compose.Emitter, SSAValue, SSAValue], SSAValue]


def _operand_dtype(a: Args) -> np.dtype[Any]:
    """The type both operands of a comparison are compared in."""
    self, other = cast(SSAValue, a["self"]), cast(object, a["other"])
    lhs = value_dtype(self)
    if isinstance(other, SSAValue):
        return np.result_type(lhs, value_dtype(cast(SSAValue, other)))
    if isinstance(other, float) and lhs.kind in "biu":
        return np.dtype(np.float64)  # exact for integers up to 2^53
    if isinstance(other, int) and not isinstance(other, bool) and lhs.kind == "b":
        return np.dtype(np.int64)
    return lhs


def _operand(im: Importer, value: object, dtype: np.dtype[Any]) -> SSAValue:
    if isinstance(value, SSAValue):
        return im.cast(cast(SSAValue, value), dtype)
    return im.constant(cast(float, value), dtype)


def _compare(fn: Compare, swap: bool = False, negate: bool = False) -> Builder:
    def build(im: Importer, a: Args, out: Meta) -> Result:
        dtype = _operand_dtype(a)
        lhs, rhs = _operand(im, a["self"], dtype), _operand(im, a["other"], dtype)
        result = fn(im, rhs, lhs) if swap else fn(im, lhs, rhs)
        return compose.logical_not(im, result) if negate else result

    return build


def _logical(fn: Compare, names: tuple[str, str] = ("self", "other")) -> Builder:
    def build(im: Importer, a: Args, out: Meta) -> Result:
        x, y = (im.cast(cast(SSAValue, a[n]), np.dtype(np.bool_)) for n in names)
        return fn(im, x, y)

    return build


def _not(im: Importer, a: Args, out: Meta) -> Result:
    x = im.cast(cast(SSAValue, a["self"]), np.dtype(np.bool_))
    return compose.logical_not(im, x)


def _dims(x: SSAValue, dim: object) -> list[int]:
    rank = value_rank(x)
    if dim is None:
        return list(range(rank))
    dims = [dim] if isinstance(dim, int) else list(cast(Sequence[int], dim))
    return sorted({d % rank for d in dims}) if dims else list(range(rank))


def _amin(im: Importer, a: Args, out: Meta) -> Result:
    x = cast(SSAValue, a["self"])
    return compose.reduce_min(im, x, _dims(x, a["dim"]), bool(a["keepdim"]))


def _flat(im: Importer, x: SSAValue) -> SSAValue:
    return im.add(graph.ReshapeOp(x, [int(np.prod(value_shape(x)))]))


def _arg(largest: bool) -> Builder:
    """argmax / argmin: the first extreme; over the flattened input without `dim`."""

    def build(im: Importer, a: Args, out: Meta) -> Result:
        x = cast(SSAValue, a["self"])
        dim = cast(int | None, a["dim"])
        if dim is None:
            index = compose.arg_extreme(im, _flat(im, x), 0, largest, last=False)
            return im.add(graph.ReshapeOp(index, out.shape))
        index = compose.arg_extreme(im, x, dim, largest, last=False)
        return index if a["keepdim"] else im.add(graph.SqueezeOp(index, [dim]))

    return build


def _extreme_dim(largest: bool) -> Builder:
    """max.dim / min.dim: (values, indices) along `dim`."""

    def build(im: Importer, a: Args, out: Meta) -> Result:
        x = cast(SSAValue, a["self"])
        dim = cast(int, a["dim"]) % value_rank(x)
        reduce = compose.reduce_max if largest else compose.reduce_min
        values = reduce(im, x, [dim], True)
        index = compose.arg_extreme(im, x, dim, largest, last=False)
        if not a["keepdim"]:
            values = im.add(graph.SqueezeOp(values, [dim]))
            index = im.add(graph.SqueezeOp(index, [dim]))
        return (values, index)

    return build


def _any_all(any_: bool) -> Builder:
    def build(im: Importer, a: Args, out: Meta) -> Result:
        x = im.cast(cast(SSAValue, a["self"]), np.dtype(np.bool_))
        dims = _dims(x, a.get("dim"))
        keepdim = bool(a.get("keepdim", False))
        reduce = compose.reduce_max if any_ else compose.reduce_min
        return reduce(im, x, dims, keepdim)

    return build


def _predicate(fn: Callable[[compose.Emitter, SSAValue], SSAValue]) -> Builder:
    def build(im: Importer, a: Args, out: Meta) -> Result:
        return fn(im, cast(SSAValue, a["self"]))

    return build


def _gather(im: Importer, a: Args, out: Meta) -> Result:
    x, index = cast(SSAValue, a["self"]), cast(SSAValue, a["index"])
    return compose.gather_elements(im, x, index, cast(int, a["dim"]))


def _index(im: Importer, a: Args, out: Meta) -> Result:
    """
    Advanced indexing `x[i0, :, i2]` by integer tensors: the indexed dims moved
    first and flattened, one gather at the flat position of each broadcast
    index tuple (each index wrapped into its dim), then the broadcast dims put
    where PyTorch puts them: in place of the indexed dims when those are
    adjacent, in front otherwise.
    """
    x = cast(SSAValue, a["self"])
    shape = value_shape(x)
    given = cast(Sequence[SSAValue | None], a["indices"])
    dims = [d for d, index in enumerate(given) if index is not None]
    for d in dims:
        if value_dtype(cast(SSAValue, given[d])).kind not in "iu":
            raise im.fail("indexing by a boolean mask (a data-dependent shape)")
    rest = [d for d in range(len(shape)) if d not in dims]
    if dims != list(range(len(dims))):
        x = im.add(graph.TransposeOp(x, dims + rest))
    sizes = [shape[d] for d in dims]
    flat: SSAValue | None = None
    for j, d in enumerate(dims):
        wrap = im.const(np.arange(shape[d], dtype=np.int64))
        term = im.add(graph.GatherOp(wrap, im.cast(cast(SSAValue, given[d]), I64), 0))
        stride = int(np.prod(sizes[j + 1 :]))
        if stride != 1:
            term = im.add(graph.MulOp(term, im.constant(stride, I64)))
        flat = term if flat is None else im.add(graph.AddOp(flat, term))
    assert flat is not None
    rows = im.add(graph.ReshapeOp(x, (int(np.prod(sizes)), *(shape[d] for d in rest))))
    result = im.add(graph.GatherOp(rows, flat, 0))
    first, span = dims[0], value_rank(flat)
    if first and dims == list(range(first, first + len(dims))):
        perm = [
            *range(span, span + first),
            *range(span),
            *range(span + first, value_rank(result)),
        ]
        result = im.add(graph.TransposeOp(result, perm))
    return result


def _flip(im: Importer, a: Args, out: Meta) -> Result:
    x = cast(SSAValue, a["self"])
    for dim in _dims(x, a["dims"]):
        x = compose.reverse(im, x, dim)
    return x


def _cumsum(im: Importer, a: Args, out: Meta) -> Result:
    x = im.cast(cast(SSAValue, a["self"]), out.dtype)
    return compose.cumsum(im, x, cast(int, a["dim"]), False, False)


def _erfc(im: Importer, a: Args, out: Meta) -> Result:
    x = im.cast(cast(SSAValue, a["self"]), out.dtype)
    return im.add(graph.SubOp(im.constant(1.0, out.dtype), im.add(graph.ErfOp(x))))


def _comparisons() -> dict[str, Builder]:
    table: dict[str, Builder] = {}
    for name, builder in (
        ("eq", _compare(compose.equal)),
        ("ne", _compare(compose.differs)),
        ("lt", _compare(compose.less)),
        ("le", _compare(compose.less_equal)),
        ("gt", _compare(compose.less, swap=True)),
        ("ge", _compare(compose.less_equal, swap=True)),
    ):
        table[f"aten.{name}.Tensor"] = builder
        table[f"aten.{name}.Scalar"] = builder
    return table


OPS: dict[str, Builder] = {
    **_comparisons(),
    "aten.logical_not.default": _not,
    "aten.logical_and.default": _logical(compose.logical_and),
    "aten.logical_or.default": _logical(compose.logical_or),
    "aten.logical_xor.default": _logical(compose.differs),
    "aten.isnan.default": _predicate(compose.is_nan),
    "aten.isinf.default": _predicate(compose.is_inf),
    "aten.sign.default": _predicate(compose.sign),
    "aten.erfc.default": _erfc,
    "aten.amin.default": _amin,
    "aten.argmax.default": _arg(largest=True),
    "aten.argmin.default": _arg(largest=False),
    "aten.max.dim": _extreme_dim(largest=True),
    "aten.min.dim": _extreme_dim(largest=False),
    "aten.any.dim": _any_all(any_=True),
    "aten.any.dims": _any_all(any_=True),
    "aten.any.default": _any_all(any_=True),
    "aten.all.dim": _any_all(any_=False),
    "aten.all.dims": _any_all(any_=False),
    "aten.all.default": _any_all(any_=False),
    "aten.gather.default": _gather,
    "aten.index.Tensor": _index,
    "aten.flip.default": _flip,
    "aten.cumsum.default": _cumsum,
}
