"""
`linalg.conv_2d_nchw_fchw` as a GEMM per image, packed through im2col.

For image `b`, `out[b, f, oh, ow] += Σ_{c,kh,kw} W[f, c, kh, kw] * X[b, c,
oh*sh + kh*dh, ow*sw + kw*dw]` is `C[m, n] += Σ_k A[m, k] * B[k, n]` with `m =
f`, `k = (c, kh, kw)` flattened, `n = (oh, ow)` flattened: A is the filter,
C the output seen as `[N, F, OH*OW]` (a `memref.collapse_shape` view), and B
the im2col matrix, which is never materialized: packing B reads the image
through the index arithmetic above directly into the packed panels. A 1x1
convolution with unit strides is a plain GEMM over the image seen as `[N, C,
H*W]`, whose rows are packed with vector copies.

The next elementwise `linalg.generic` over the output (activation, residual)
is the epilogue, read through the same collapsed views; operands it reads per
output channel (`(d0, d1)` maps) are broadcast per row.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from xdsl.builder import Builder
from xdsl.dialects import memref
from xdsl.dialects.builtin import ArrayAttr, IntegerAttr, MemRefType, NoneAttr, f32, i64
from xdsl.dialects.linalg import ops as linalg
from xdsl.ir import Operation, SSAValue
from xdsl.ir.affine import AffineDimExpr, AffineMap
from xdsl.utils.hints import isa

from mlc.passes.gemm_codegen import (
    Emit,
    Env,
    Epilogue,
    Gemm,
    Operand,
)
from mlc.passes.gemm_epilogue import c_read_later, elementwise_consumer, may_alias


def _identity_layout(value: SSAValue) -> MemRefType | None:
    """The type of `value` if it is a static, contiguous f32 memref."""
    type_ = value.type
    if not isa(type_, MemRefType) or type_.get_element_type() != f32:
        return None
    if not isinstance(type_.layout, NoneAttr) or any(d < 0 for d in type_.get_shape()):
        return None
    return type_


def _collapse(b: Builder, value: SSAValue, groups: Sequence[Sequence[int]]) -> SSAValue:
    """A `memref.collapse_shape` view of a contiguous memref."""
    type_ = value.type
    assert isa(type_, MemRefType)
    shape = type_.get_shape()
    new_shape = [_product(shape[i] for i in group) for group in groups]
    view = memref.CollapseShapeOp.create(
        operands=[value],
        result_types=[MemRefType(f32, new_shape)],
        properties={
            "reassociation": ArrayAttr(
                ArrayAttr(IntegerAttr(i, i64) for i in group) for group in groups
            )
        },
    )
    b.insert(view)
    return view.results[0]


def _product(values: Iterable[int]) -> int:
    result = 1
    for v in values:
        result *= v
    return result


def _rows(ref: SSAValue) -> Operand:
    """`ref[b0, m, n]` of a collapsed `[N, F, OH*OW]` view, contiguous in n."""
    return Operand(ref, lambda e, env: [env["b0"], env["m"], env["n"]], "n")


def match_conv(
    op: Operation, b: Builder, fuse: bool
) -> tuple[Gemm, Operation | None] | None:
    """
    The GEMM of a conv (views inserted at `b`) and the consumer it fuses, or
    None when `op` is not an f32 NCHW/FCHW conv on contiguous memrefs.
    """
    if not isinstance(op, linalg.Conv2DNchwFchwOp) or op.results:
        return None
    x, w = op.inputs
    (out,) = op.outputs
    xt, wt, ot = (_identity_layout(v) for v in (x, w, out))
    if xt is None or wt is None or ot is None:
        return None
    images = xt.get_shape()[0]
    filters, channels, kh, kw = wt.get_shape()
    oh, ow = ot.get_shape()[2:]
    sh, sw = op.strides.get_values()
    dh, dw = op.dilations.get_values()
    w2 = _collapse(b, w, [[0], [1, 2, 3]])
    c3 = _collapse(b, out, [[0], [1], [2, 3]])
    a = Operand(w2, lambda e, env: [env["m"], env["k"]], "k")
    if (kh, kw, sh, sw) == (1, 1, 1, 1):
        x3 = _collapse(b, x, [[0], [1], [2, 3]])
        b_op = Operand(x3, lambda e, env: [env["b0"], env["k"], env["n"]], "n")
    else:

        def im2col(e: Emit, env: Env) -> list[SSAValue]:
            k, p = env["k"], env["n"]
            c = e.div(k, kh * kw)
            r = e.sub(k, e.mul(c, kh * kw))
            i = e.div(r, kw)
            j = e.sub(r, e.mul(i, kw))
            y = e.div(p, ow)
            xx = e.sub(p, e.mul(y, ow))
            row = e.add(e.mul(y, sh), e.mul(i, dh))
            col = e.add(e.mul(xx, sw), e.mul(j, dw))
            return [env["b0"], c, row, col]

        b_op = Operand(x, im2col, None)
    gemm = Gemm(
        m=filters,
        n=oh * ow,
        k=channels * kh * kw,
        batch=[("b0", images)],
        a=a,
        b=b_op,
        c=_rows(c3),
    )
    return gemm, _epilogue(op, b, gemm, out) if fuse else None


def _epilogue(op: Operation, b: Builder, gemm: Gemm, out: SSAValue) -> Operation | None:
    """Fuse the next elementwise generic over `out` (4-D), through 3-D views."""
    consumer = elementwise_consumer(op, 4)
    if consumer is None:
        return None
    maps: list[AffineMap] = [m.data for m in consumer.get_indexing_maps()]
    d = consumer.outputs[0]
    if maps[-1] != AffineMap.identity(4) or d.type != out.type:
        return None
    # The fused store writes `d` while the image and the filter are still
    # read: in a `buffer-reuse` arena they may share memory.
    if any(may_alias(d, v) for v in op.operands[:2]):
        return None
    if _identity_layout(d) is None:
        return None
    inputs: list[Operand | None] = []
    broadcast: list[bool] = []
    for value, map_ in zip(consumer.inputs, maps, strict=False):
        operand = _epilogue_input(b, value, map_, out, None in inputs)
        if isinstance(operand, bool):
            return None
        inputs.append(operand)
        broadcast.append(operand is not None and operand.contiguous_in is None)
    if None not in inputs:
        return None
    gemm.epilogue = Epilogue(
        inputs=inputs,
        broadcast=broadcast,
        body=consumer.body.block,
        out=_rows(_collapse(b, d, [[0], [1], [2, 3]])),
        store_c=c_read_later(out, consumer),
    )
    return consumer


def _epilogue_input(
    b: Builder, value: SSAValue, map_: AffineMap, out: SSAValue, read_c: bool
) -> Operand | bool | None:
    """One consumer input: None for the conv's output, False when unfusable."""
    identity = AffineMap.identity(4)
    if value == out and map_ == identity and not read_c:
        return None
    if map_ == identity and _identity_layout(value) is not None:
        return _rows(_collapse(b, value, [[0], [1], [2, 3]]))
    dims = _per_channel(map_)
    if dims is not None and _static(value):
        keys = ["b0" if dim == 0 else "m" for dim in dims]
        return Operand(value, lambda e, env: [env[x] for x in keys])
    return False


def _per_channel(map_: AffineMap) -> list[int] | None:
    """The dims of a map reading only d0 (image) and d1 (channel), else None."""
    dims: list[int] = []
    for expr in map_.results:
        if not isinstance(expr, AffineDimExpr) or expr.position > 1:
            return None
        dims.append(expr.position)
    return dims


def _static(value: SSAValue) -> bool:
    type_ = value.type
    return isa(type_, MemRefType) and type_.get_element_type() == f32


__all__ = ["match_conv"]
