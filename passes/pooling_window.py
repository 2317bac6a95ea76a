"""
Pooling windows as `conv-depthwise-kernel` runs them: a depthwise
convolution without weights, each tap combined into the accumulator.

A max pool is `linalg.pooling_nchw_max` (`acc = maximumf(acc, x)`, the
NaN-propagating maximum its body computes); an average pool is the window
sum `convert-graph-to-linalg` writes before dividing by the window counts,
a six-loop `linalg.generic` `(n, c, oh, ow, kh, kw)` with body `out + x`
over `X[n, c, oh*sh + kh, ow*sw + kw]` and a window-shaped dummy operand
(`acc = addf(acc, x)`). Both read the already padded image.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

from xdsl.dialects import arith
from xdsl.dialects.linalg import ops as linalg
from xdsl.ir import Operation, SSAValue
from xdsl.ir.affine import AffineMap

from mlc.passes.gemm_conv import dims_of, identity_layout

Combine = type[arith.MaximumfOp] | type[arith.AddfOp]
"""How a tap joins the accumulator: `acc = Combine(acc, x)`."""


@dataclass(frozen=True)
class Window:
    """
    A sliding window over an f32 NCHW image, as `conv-depthwise-kernel` runs
    it: a depthwise convolution (weights `w`, each tap an FMA) or a pooling
    window (`combine`, no weights).
    """

    x: SSAValue
    """The padded image `[N, C, H, W]`."""
    w: SSAValue
    """The filter `[F, 1, KH, KW]`; a pooling's window-shaped dummy `[KH, KW]`
    (its values are never read)."""
    out: SSAValue
    """The output `[N, F, OH, OW]`, accumulated into."""
    sizes: tuple[int, int, int, int, int, int]
    """(N, F, OH, OW, KH, KW)."""
    mult: int
    """Output channels per input channel (1 for a pooling)."""
    strides: tuple[int, int]
    dilations: tuple[int, int]
    combine: Combine | None = None
    """A pooling window's `acc = combine(acc, x)`, else (None) the FMA."""


def match_pooling(op: Operation) -> Window | None:
    """
    A window max (`linalg.pooling_nchw_max`) or window sum (the six-loop
    generic `convert-graph-to-linalg` writes for an average pool, `out + x`
    over `X[n, c, oh*sh + kh, ow*sw + kw]` and a window-shaped dummy) on
    f32 memrefs: a depthwise convolution whose taps combine without weights.
    """
    if op.results or len(op.operands) != 3:
        return None
    x, window, out = op.operands
    xt, wt, ot = (identity_layout(v) for v in op.operands)
    if xt is None or wt is None or ot is None or wt.get_num_dims() != 2:
        return None
    if xt.get_num_dims() != 4 or ot.get_num_dims() != 4:
        return None
    n, c, oh, ow = ot.get_shape()
    kh, kw = wt.get_shape()
    if isinstance(op, linalg.PoolingNchwMaxOp):
        sh, sw = op.strides.get_values()
        dh, dw = op.dilations.get_values()
        strides, dilations = (int(sh), int(sw)), (int(dh), int(dw))
        combine: Combine = arith.MaximumfOp
    elif isinstance(op, linalg.GenericOp) and _is_window_sum(op, x, out):
        strides = _probe_strides(op.get_indexing_maps().data[0].data)
        dilations = (1, 1)
        combine = arith.AddfOp
    else:
        return None
    if min(strides) < 1 or xt.get_shape()[:2] != (n, c):
        return None
    sizes = (n, c, oh, ow, kh, kw)
    return Window(x, window, out, sizes, 1, strides, dilations, combine)


def _is_window_sum(op: linalg.GenericOp, x: SSAValue, out: SSAValue) -> bool:
    ops = list(op.body.block.ops)
    iterators = [str(it.data) for it in op.get_iterator_types()]
    if iterators != ["parallel"] * 4 + ["reduction"] * 2 or len(ops) != 2:
        return False
    add, value, acc = ops[0], op.body.block.args[0], op.body.block.args[2]
    if not isinstance(add, arith.AddfOp) or {add.lhs, add.rhs} != {value, acc}:
        return False
    maps = [m.data for m in op.get_indexing_maps()]
    if dims_of(maps[1]) != [4, 5] or dims_of(maps[2]) != [0, 1, 2, 3]:
        return False
    sh, sw = _probe_strides(maps[0])
    for point in product(range(2), range(2), range(3), range(3), range(2), range(2)):
        b, ch, i, j, ki, kj = point
        if maps[0].eval(list(point), []) != (b, ch, i * sh + ki, j * sw + kj):
            return False
    return x is not out


def _probe_strides(map_: AffineMap) -> tuple[int, int]:
    """The output-row and -column strides of a window map (d2, d3 steps)."""
    if map_.num_dims != 6 or len(map_.results) != 4:
        return (0, 0)
    zero = map_.eval([0] * 6, [])
    row = map_.eval([0, 0, 1, 0, 0, 0], [])[2] - zero[2]
    col = map_.eval([0, 0, 0, 1, 0, 0], [])[3] - zero[3]
    return (row, col)


__all__ = ["Combine", "Window", "match_pooling"]
