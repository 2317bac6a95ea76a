"""
How `conv-depthwise-kernel` reads a sliding window's image: vectors along a
row (`run`: every s-th column, by loads and `vector.shuffle`), and with the
padded copy elided, the lanes that fall in the padding (`gather`).

`bufferize` writes the `tensor.pad` before a window (a depthwise
convolution, a pooling) as a buffer filled with the padding value and the
image copied into its interior:

```
linalg.fill ins(%value : f32) outs(%padded : memref<NxCxHpxWpxf32>)
%interior = memref.subview %padded[0, 0, top, left] [N, C, H, W] [1, 1, 1, 1]
memref.copy(%image, %interior)
<the window reads %padded>
```

When the value is the identity of how the window combines its taps (0 for
a depthwise convolution's FMAs and a window sum, -inf for a max), a tap in
the padding changes no sum (`match_padding`): the kernel reads `%image` at
`(row - top, col - left)` and leaves the taps outside it out, and the fill
and the copy go (the image written twice more and read once more: a third
of a MobileNetV2 block's time at 112x112). A weight of inf or NaN times a
padding zero is then not added: the sum is the one over the image's taps.
Tiles placed at compile time on the border read their columns by `gather`,
the padding's lanes the padding value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from xdsl.dialects import arith, memref, vector
from xdsl.dialects.builtin import (
    DenseArrayBase,
    FloatAttr,
    MemRefType,
    VectorType,
    f32,
    i64,
)
from xdsl.dialects.linalg import ops as linalg
from xdsl.ir import Operation, SSAValue
from xdsl.utils.hints import isa

from mlc.passes.gemm_conv import identity_layout
from mlc.passes.gemm_epilogue import may_alias
from mlc.passes.loop_emit import Emit


@dataclass(frozen=True)
class Padding:
    """The padded copy a window reads, and the image it copies."""

    image: SSAValue
    """The unpadded image `[N, C, H, W]` (contiguous f32)."""
    top: int
    left: int
    value: float
    ops: tuple[Operation, ...]
    """The copy, the interior view and the fill, which the kernel erases."""

    @property
    def height(self) -> int:
        return self._shape()[2]

    @property
    def width(self) -> int:
        return self._shape()[3]

    def _shape(self) -> tuple[int, ...]:
        type_ = self.image.type
        assert isa(type_, MemRefType)
        return type_.get_shape()


_HARMLESS = (
    arith.ConstantOp,
    memref.AllocOp,
    memref.ViewOp,
    memref.SubviewOp,
    memref.CollapseShapeOp,
)
"""Ops that may stand between the copy and the window: they write nothing."""


def match_padding(
    window: Operation, padded: SSAValue, identity: float, writes: list[SSAValue]
) -> Padding | None:
    """
    The padded copy `window` reads as `padded`, when its fill is `identity`,
    it feeds only `window`, and nothing `writes` (the window's outputs) nor
    any op between the copy and `window` may write the image. Else None.
    """
    found = _fill_and_copy(window, padded)
    if found is None:
        return None
    fill, view, copy = found
    image = copy.source
    shape = identity_layout(image)
    if _constant(fill.inputs[0]) != identity or list(fill.outputs) != [padded]:
        return None
    padded_type = padded.type
    if shape is None or shape.get_num_dims() != 4 or not isa(padded_type, MemRefType):
        return None
    if padded_type.get_shape()[:2] != shape.get_shape()[:2]:
        return None  # padded images or channels too: read past the image
    offsets = list(view.static_offsets.get_values())
    if offsets[:2] != [0, 0] or min(offsets) < 0 or view.offsets or view.sizes:
        return None
    if list(view.static_sizes.get_values()) != list(shape.get_shape()):
        return None
    if list(view.static_strides.get_values()) != [1] * 4:
        return None
    if not _unwritten(image, copy, window, writes):
        return None
    return Padding(image, offsets[2], offsets[3], identity, (copy, view, fill))


def _fill_and_copy(
    window: Operation, padded: SSAValue
) -> tuple[linalg.FillOp, memref.SubviewOp, memref.CopyOp] | None:
    """`padded`'s fill, interior view and copy, in this order before `window`."""
    fill = view = None
    for use in padded.uses:
        user = use.operation
        if user is window or isinstance(user, memref.DeallocOp):
            continue
        if isinstance(user, linalg.FillOp) and fill is None:
            fill = user
        elif isinstance(user, memref.SubviewOp) and view is None:
            view = user
        else:
            return None
    if fill is None or view is None:
        return None
    copies = [use.operation for use in view.result.uses]
    if len(copies) != 1 or not isinstance(copy := copies[0], memref.CopyOp):
        return None
    if copy.destination != view.result or not fill.is_before_in_block(copy):
        return None
    if not copy.is_before_in_block(window):  # (also: in one block)
        return None
    return fill, view, copy


def _unwritten(
    image: SSAValue, copy: Operation, window: Operation, writes: list[SSAValue]
) -> bool:
    """Whether nothing from `copy` to `window`, nor `writes`, may write `image`."""
    if any(may_alias(out, image) for out in writes):
        return False
    op = copy.next_op
    while op is not None and op is not window:
        if isinstance(op, linalg.FillOp | linalg.GenericOp):  # writes its outs only
            if any(may_alias(out, image) for out in op.outputs):
                return False
        elif not isinstance(op, _HARMLESS):
            return False
        op = op.next_op
    return True


def _constant(value: SSAValue) -> float | None:
    owner = value.owner
    if isinstance(owner, arith.ConstantOp) and isinstance(owner.value, FloatAttr):
        return float(owner.value.value.data)
    return None


def gather(
    e: Emit,
    image: SSAValue,
    prefix: list[SSAValue],
    cols: list[int],
    width: int,
    pad: SSAValue,
    vl: int,
) -> SSAValue | None:
    """
    The vector whose lane `t < len(cols)` is `image[prefix.., cols[t]]`, and
    `pad` (a splat of the padding value) where that column is outside
    `[0, width)` or `t` past `cols`; None when every lane is padding. The
    columns in the image come in masked loads from the first of them (at most
    two: `cols` is an arithmetic run of step 1 or 2), gathered by
    `vector.shuffle`.
    """
    inside = [(t, col) for t, col in enumerate(cols) if 0 <= col < width]
    if not inside:
        return None
    base = min(col for _, col in inside)
    span = max(col for _, col in inside) - base + 1
    assert span <= 2 * vl, "a run of step at most 2"
    parts = [
        e.vload_first(image, [*prefix, e.idx(base + q * vl)], span - q * vl, vl, pad)
        for q in range(math.ceil(span / vl))
    ]
    where = dict(inside)
    if len(parts) == 1:  # padding lanes from `pad`'s first lane
        lanes_of = [where[t] - base if t in where else vl for t in range(vl)]
        return _shuffle(e, parts[0], pad, lanes_of, vl)
    picked = [where[t] - base if t in where else 0 for t in range(vl)]
    result = _shuffle(e, parts[0], parts[1], picked, vl)
    if len(where) < vl:
        keep = [t if t in where else vl for t in range(vl)]
        result = _shuffle(e, result, pad, keep, vl)
    return result


def run(
    e: Emit,
    image: SSAValue,
    prefix: list[SSAValue],
    col: SSAValue,
    lanes: int,
    room: int,
    vl: int,
    stride: int,
) -> SSAValue:
    """
    The vector whose lane `t < lanes` is `image[prefix.., col + t*stride]`
    (the others 0), `room` elements of the row known to exist from `col` on:
    at stride 1 one load (masked if the row ends first), at stride s the
    span's loads, every s-th lane gathered by `vector.shuffle`.
    """
    if stride == 1:
        return e.vload_first(image, [*prefix, col], vl if room >= vl else lanes, vl)
    span = (lanes - 1) * stride + 1
    parts: list[SSAValue] = []
    for q in range(-(-span // vl)):
        have = vl if (q + 1) * vl <= room else min(vl, span - q * vl)
        parts.append(e.vload_first(image, [*prefix, e.add(col, q * vl)], have, vl))
    result = parts[0]
    for q in range(1, len(parts)):
        mask = [
            (vl + stride * k - q * vl) if q * vl <= stride * k < (q + 1) * vl else k
            for k in range(vl)
        ]
        if q == 1:
            mask = [stride * k if stride * k < vl else m for k, m in enumerate(mask)]
        result = _shuffle(e, result, parts[q], mask, vl)
    if len(parts) == 1:  # all lanes within one vector: spread them
        mask = [stride * k if stride * k < vl else 0 for k in range(vl)]
        result = _shuffle(e, result, result, mask, vl)
    return result


def _shuffle(
    e: Emit, v1: SSAValue, v2: SSAValue, lanes: list[int], vl: int
) -> SSAValue:
    if v1 is not v2 and lanes == list(range(vl)):
        return v1
    mask = DenseArrayBase.from_list(i64, lanes)
    return e.op(vector.ShuffleOp(v1, v2, mask, result_type=VectorType(f32, [vl])))


__all__ = ["Padding", "gather", "match_padding", "run"]
