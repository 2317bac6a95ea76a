"""
One-shot bufferization of the tensor level: tensors become memrefs.

xDSL 0.74 has no one-shot bufferization, so this is mlc's own, for the
tensor-level contract (docs/conventions.md). Each function is analysed and
rewritten as a whole, in program order: a tensor value gets a buffer when its
op runs, and a destination-passing op writes into the buffer of its init when
that is safe (the buffer is writable and nothing that aliases it is read
later), otherwise into a fresh copy. Function results become caller-provided
out-params marked `mlc.out`; the value a function returns is computed directly
into its out-param when its destination chain (`tensor.empty` → `linalg.fill`
→ op) is used only on the way to the return.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from xdsl.context import Context
from xdsl.dialect_interfaces.op_asm import OpAsmDialectInterface
from xdsl.dialects import arith, func, memref, tensor
from xdsl.dialects.builtin import (
    ArrayAttr,
    DenseIntOrFPElementsAttr,
    DenseResourceAttr,
    DictionaryAttr,
    FunctionType,
    MemRefType,
    ModuleOp,
    NoneAttr,
    StridedLayoutAttr,
    StringAttr,
    TensorType,
    UnitAttr,
)
from xdsl.dialects.linalg.abstract_ops import LinalgStructuredOperation
from xdsl.dialects.linalg.ops import BroadcastOp, FillOp, ReduceOp
from xdsl.ir import Attribute, Block, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter
from xdsl.utils.exceptions import PassFailedException
from xdsl.utils.hints import isa

from mlc.dialects.graph.base import numpy_to_dense, to_numpy_dtype
from mlc.support.abi import OUT_ATTR

VIEW_OPS = (memref.SubviewOp, memref.CollapseShapeOp, memref.ExpandShapeOp)
"""Ops whose result aliases their source buffer."""


FRESH_OPS = (tensor.EmptyOp, tensor.PadOp, tensor.ConcatOp)
"""Ops whose result is a new buffer: on the path to a return, the out-param."""

# xdsl-gap(0.74): linalg-reduce-broadcast-structured — not structured
# xDSL 0.74's `linalg.reduce` and `linalg.broadcast` are not structured ops.
LinalgOp = LinalgStructuredOperation | ReduceOp | BroadcastOp
"""The destination-passing linalg ops: ins, outs tied to results, a region."""


def linalg_operands(op: LinalgOp) -> tuple[list[SSAValue], list[SSAValue]]:
    """The inputs and the outputs (inits) of a destination-passing linalg op."""
    if isinstance(op, ReduceOp | BroadcastOp):
        return [op.input], [op.init]
    return list(op.inputs), list(op.outputs)


def resource_interface(ctx: Context) -> OpAsmDialectInterface | None:
    """Where the parser keeps the `dialect_resources` blobs of the builtin dialect."""
    dialect = ctx.get_optional_dialect("builtin")
    return None if dialect is None else dialect.get_interface(OpAsmDialectInterface)


def resource_to_dense(
    attr: DenseResourceAttr, interface: OpAsmDialectInterface | None
) -> DenseIntOrFPElementsAttr | str:
    """
    The `dense<...>` value of a `dense_resource` tensor, or why there is none.

    The blob is MLIR's: "0x", a 4-byte little-endian alignment, then the raw
    little-endian element bytes.
    """
    handle = attr.resource_handle.data
    blob = interface.lookup(handle) if interface is not None else None
    type_ = attr.type
    if not blob:
        return f"no blob for dense_resource<{handle}> in dialect_resources"
    if not isa(type_, TensorType[Attribute]):
        return f"dense_resource<{handle}> is not a tensor"
    try:
        raw = bytes.fromhex(blob[2:])[4:]
        dtype = to_numpy_dtype(type_.get_element_type()).newbyteorder("<")
        count = int(np.prod(type_.get_shape()))
        size = count * dtype.itemsize
        if len(raw) != size:
            return f"blob of dense_resource<{handle}> has {len(raw)} bytes, not {size}"
        array = np.frombuffer(raw, dtype=dtype).reshape(type_.get_shape())
    except (ValueError, KeyError, TypeError) as error:
        return f"bad blob for dense_resource<{handle}>: {error}"
    return numpy_to_dense(array, type_)


def is_tensor(value: SSAValue) -> bool:
    """Whether `value` is a ranked tensor."""
    return isa(value.type, TensorType[Attribute])


def memref_of(type_: Attribute) -> Attribute:
    """The identity-layout memref type of a tensor type; other types unchanged."""
    if isa(type_, TensorType[Attribute]):
        return MemRefType(type_.get_element_type(), type_.get_shape())
    return type_


def shape_of(value: SSAValue) -> tuple[int, ...]:
    """The static shape of a tensor value."""
    type_ = value.type
    assert isa(type_, TensorType[Attribute])
    return type_.get_shape()


def has_identity_layout(type_: Attribute) -> bool:
    """Whether a memref type has the default (contiguous, row-major) layout."""
    return isa(type_, MemRefType[Attribute]) and isinstance(type_.layout, NoneAttr)


def fail(op: Operation, message: str) -> PassFailedException:
    """The one-line diagnostic of the pass for `op`."""
    return PassFailedException(f"bufferize: '{op.name}' at {op.location}: {message}")


def subview_type(
    source: MemRefType[Attribute],
    offsets: Sequence[int],
    sizes: Sequence[int],
    strides: Sequence[int],
    result_shape: Sequence[int],
) -> MemRefType[Attribute]:
    """The strided type of a subview, rank-reduced to `result_shape`."""
    base_strides = [s for s in source.get_strides() or () if s is not None]
    base_offset = source.get_offset()
    if len(base_strides) != len(sizes) or base_offset is None:
        raise ValueError(f"subview of a non-static layout: {source}")
    offset = base_offset + sum(o * s for o, s in zip(offsets, base_strides))
    kept: list[int] = []
    for dim, size in enumerate(sizes):
        if len(kept) < len(result_shape) and size == result_shape[len(kept)]:
            kept.append(base_strides[dim] * strides[dim])
        elif size != 1:
            raise ValueError(f"cannot reduce sizes {sizes} to {result_shape}")
    layout = StridedLayoutAttr(kept, offset)
    return MemRefType(source.get_element_type(), result_shape, layout)


@dataclass
class Globals:
    """The module's `memref.global`s for tensor constants, deduplicated."""

    module: ModuleOp
    by_value: dict[tuple[Attribute, Attribute], str] = field(
        default_factory=dict[tuple[Attribute, Attribute], str]
    )

    def get(self, value: DenseIntOrFPElementsAttr, type_: MemRefType[Attribute]) -> str:
        """The name of a private constant global holding `value`."""
        key = (value, type_)
        if key in self.by_value:
            return self.by_value[key]
        shape = "x".join(str(d) for d in type_.get_shape())
        stem = f"__constant_{shape}x{type_.get_element_type()}".replace("xx", "x")
        name = stem if stem not in self.by_value.values() else ""
        index = 0
        while not name:
            candidate = f"{stem}_{index}"
            name = candidate if candidate not in self.by_value.values() else ""
            index += 1
        glob = memref.GlobalOp.get(StringAttr(name), type_, value, constant=UnitAttr())
        self.module.body.block.insert_op_before(glob, self.module.body.block.first_op)  # pyright: ignore[reportArgumentType]
        self.by_value[key] = name
        return name


def out_param_hints(block: Block) -> dict[Operation, int]:
    """
    The producers to compute directly into an out-param: op -> result index.

    From each returned tensor, walk back through tied destinations while every
    value is used once: the `tensor.empty` starting the chain, a call returned
    directly, or the one-init linalg op of a `tensor.empty` cse shared.
    """
    ret = block.last_op
    hints: dict[Operation, int] = {}
    if not isinstance(ret, func.ReturnOp):
        return hints
    for index, value in enumerate(ret.operands):
        if not is_tensor(value):
            continue
        user: Operation | None = None
        while isinstance(value.owner, Operation):
            owner = value.owner
            if not value.has_one_use():
                if isinstance(owner, tensor.EmptyOp) and user not in (None, *hints):
                    hints[user] = index
                break
            if isinstance(owner, LinalgOp):
                inits = linalg_operands(owner)[1]
                user = owner if len(inits) == 1 else None
                value = inits[owner.results.index(value)]  # pyright: ignore[reportArgumentType]
            elif isinstance(owner, tensor.InsertSliceOp):
                value, user = owner.dest, None
            else:
                if isinstance(owner, (*FRESH_OPS, func.CallOp)) and owner not in hints:
                    hints[owner] = index
                break
    return hints


@dataclass
class FunctionBufferizer:
    """Bufferizes the body of one function, in program order."""

    function: func.FuncOp
    globals: Globals
    outs: list[SSAValue]
    hints: dict[Operation, int]
    resources: OpAsmDialectInterface | None = None
    buffers: dict[SSAValue, SSAValue] = field(default_factory=dict[SSAValue, SSAValue])
    roots: dict[SSAValue, SSAValue] = field(default_factory=dict[SSAValue, SSAValue])
    writable: set[SSAValue] = field(default_factory=set[SSAValue])
    temps: list[memref.AllocOp] = field(default_factory=list[memref.AllocOp])
    position: dict[Operation, int] = field(default_factory=dict[Operation, int])
    rewriter: Rewriter = field(default_factory=Rewriter)

    # --- helpers ------------------------------------------------------------

    def insert(self, op: Operation, before: Operation) -> Operation:
        self.rewriter.insert_op(op, InsertPoint.before(before))
        return op

    def bind(self, value: SSAValue, buffer: SSAValue, root: SSAValue) -> None:
        self.buffers[value] = buffer
        self.roots[value] = root

    def last_use(self, value: SSAValue) -> int:
        """The position of the last top-level op that uses `value`, -1 if none."""
        block = self.function.body.block
        last = -1
        for use in value.uses:
            op = block.find_ancestor_op_in_block(use.operation)
            if op is not None and op in self.position:
                last = max(last, self.position[op])
        return last

    def alloc(self, type_: Attribute, before: Operation) -> SSAValue:
        """A new temporary buffer of the memref type of `type_`."""
        alloc = memref.AllocOp([], [], memref_of(type_))
        self.insert(alloc, before)
        self.temps.append(alloc)
        self.writable.add(alloc.memref)
        return alloc.memref

    def copy_of(self, value: SSAValue, before: Operation) -> SSAValue:
        """A fresh contiguous temporary holding the contents of tensor `value`."""
        fresh = self.alloc(value.type, before)
        self.insert(memref.CopyOp(self.buffers[value], fresh), before)
        return fresh

    def contiguous(self, value: SSAValue, before: Operation) -> SSAValue:
        """The buffer of `value` if it has the identity layout, else a copy."""
        buffer = self.buffers[value]
        if has_identity_layout(buffer.type):
            return buffer
        return self.copy_of(value, before)

    def can_write(self, init: SSAValue, op: Operation) -> bool:
        """Whether `op` may overwrite the buffer of its destination `init`."""
        root = self.roots[init]
        here = self.position[op]
        if root not in self.writable or list(op.operands).count(init) != 1:
            return False
        for value, other_root in self.roots.items():
            if other_root is not root:
                continue
            if value is init and self.last_use(value) > here:
                return False
            if value is not init and (
                (self.last_use(value) >= here and value in op.operands)
                or self.last_use(value) > here
            ):
                return False
        return True

    def destination(self, init: SSAValue, op: Operation) -> tuple[SSAValue, SSAValue]:
        """The buffer `op` writes its result into, in place when safe; its root."""
        if op in self.hints and isinstance(init.owner, tensor.EmptyOp):
            return self.outs[self.hints[op]], self.outs[self.hints[op]]
        if self.can_write(init, op):
            return self.buffers[init], self.roots[init]
        if isinstance(init.owner, tensor.EmptyOp):
            fresh = self.alloc(init.type, op)
        else:
            fresh = self.copy_of(init, op)
        return fresh, fresh

    # --- ops ------------------------------------------------------------------

    def run(self) -> None:
        block = self.function.body.block
        ops = list(block.ops)
        self.position = {op: i for i, op in enumerate(ops)}
        converted = [op for op in ops if self.convert(op)]
        for op in reversed(converted):
            Rewriter.erase_op(op, safe_erase=False)
        self.insert_deallocs()

    def convert(self, op: Operation) -> bool:  # noqa: C901 - one branch per op kind
        """Bufferize `op`; whether it is now dead (to erase)."""
        if isinstance(op, tensor.EmptyOp):
            self.convert_empty(op)
        elif isinstance(op, arith.ConstantOp) and is_tensor(op.result):
            self.convert_constant(op)
        elif isinstance(op, LinalgOp):
            self.convert_linalg(op)
        elif isinstance(op, tensor.CollapseShapeOp | tensor.ExpandShapeOp):
            self.convert_reshape(op)
        elif isinstance(op, tensor.ExtractSliceOp):
            self.convert_extract_slice(op)
        elif isinstance(op, tensor.InsertSliceOp):
            self.convert_insert_slice(op)
        elif isinstance(op, tensor.PadOp):
            self.convert_pad(op)
        elif isinstance(op, tensor.ConcatOp):
            self.convert_concat(op)
        elif isinstance(op, tensor.ExtractOp):
            load = memref.LoadOp.get(self.buffers[op.tensor], op.indices)
            self.insert(load, op)
            op.result.replace_all_uses_with(load.res)
        elif isinstance(op, func.CallOp):
            self.convert_call(op)
        elif isinstance(op, func.ReturnOp):
            self.convert_return(op)
            return False
        elif any(is_tensor(v) for v in (*op.operands, *op.results)):
            raise fail(op, "tensor op not bufferized")
        else:
            return False
        return True

    def convert_empty(self, op: tensor.EmptyOp) -> None:
        if not op.tensor.uses:
            return
        if op in self.hints:
            out = self.outs[self.hints[op]]
            self.bind(op.tensor, out, out)
        else:
            fresh = self.alloc(op.tensor.type, op)
            self.bind(op.tensor, fresh, fresh)

    def convert_constant(self, op: arith.ConstantOp) -> None:
        value = op.value
        type_ = memref_of(op.result.type)
        if isinstance(value, DenseResourceAttr):
            value = resource_to_dense(value, self.resources)
            if isinstance(value, str):
                raise fail(op, value)
        if not isa(value, DenseIntOrFPElementsAttr) or not isa(
            type_, MemRefType[Attribute]
        ):
            raise fail(op, "only dense/dense_resource tensor constants are bufferized")
        get = memref.GetGlobalOp(self.globals.get(value, type_), type_)
        self.insert(get, op)
        self.bind(op.result, get.memref, get.memref)

    def convert_linalg(self, op: LinalgOp) -> None:
        # A tensor read inside the body (gather's tensor.extract of a captured
        # tensor) becomes a load from that tensor's buffer.
        for inner in list(op.walk()):
            if isinstance(inner, tensor.ExtractOp) and inner is not op:
                load = memref.LoadOp.get(self.buffers[inner.tensor], inner.indices)
                Rewriter.replace_op(inner, load)
        ins, inits = linalg_operands(op)
        inputs = [self.buffers[v] if is_tensor(v) else v for v in ins]
        outputs: list[SSAValue] = []
        for index, init in enumerate(inits):
            buffer, root = self.destination(init, op)
            outputs.append(buffer)
            if index < len(op.results):
                self.bind(op.results[index], buffer, root)
        new = type(op).create(
            operands=[*inputs, *outputs],
            result_types=[],
            properties=dict(op.properties),
            attributes=dict(op.attributes),
            regions=[op.detach_region(r) for r in list(op.regions)],
        )
        self.insert(new, op)

    def convert_reshape(
        self, op: tensor.CollapseShapeOp | tensor.ExpandShapeOp
    ) -> None:
        source = self.contiguous(op.src, op)
        type_ = memref_of(op.result.type)
        if isinstance(op, tensor.CollapseShapeOp):
            view = memref.CollapseShapeOp.create(
                operands=[source],
                result_types=[type_],
                properties={"reassociation": op.reassociation},
            )
        else:
            view = memref.ExpandShapeOp.create(
                operands=[source, *op.dynamic_output_shape],
                result_types=[type_],
                properties={
                    "reassociation": op.reassociation,
                    "static_output_shape": op.static_output_shape,
                },
            )
        self.insert(view, op)
        root = self.roots[op.src] if source is self.buffers[op.src] else source
        self.bind(op.result, view.results[0], root)

    def static_slice(
        self, op: tensor.ExtractSliceOp | tensor.InsertSliceOp
    ) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
        if op.offsets or op.sizes or op.strides:
            raise fail(op, "dynamic offsets, sizes or strides are not bufferized")
        return (
            op.static_offsets.get_values(),
            op.static_sizes.get_values(),
            op.static_strides.get_values(),
        )

    def subview(
        self,
        buffer: SSAValue,
        slice_: tuple[Sequence[int], Sequence[int], Sequence[int]],
        shape: Sequence[int],
        before: Operation,
    ) -> SSAValue:
        """A `memref.subview` of `buffer` (offsets, sizes, strides) of `shape`."""
        offsets, sizes, strides = slice_
        source_type = buffer.type
        assert isa(source_type, MemRefType[Attribute])
        type_ = subview_type(source_type, offsets, sizes, strides, shape)
        view = memref.SubviewOp.get(buffer, offsets, sizes, strides, type_)
        self.insert(view, before)
        return view.result

    def fresh(self, op: Operation) -> SSAValue:
        """The buffer of a new value: the out-param it is returned in, or a temp."""
        if op in self.hints:
            return self.outs[self.hints[op]]
        return self.alloc(op.results[0].type, op)

    def copy_into(
        self, value: SSAValue, dest: SSAValue, offsets: Sequence[int], op: Operation
    ) -> None:
        """Copy tensor `value` into `dest` at `offsets` (unit strides)."""
        shape = shape_of(value)
        strides = [1] * len(shape)
        view = self.subview(dest, (offsets, shape, strides), shape, op)
        self.insert(memref.CopyOp(self.buffers[value], view), op)

    def convert_pad(self, op: tensor.PadOp) -> None:
        if op.low or op.high:
            raise fail(op, "dynamic padding is not bufferized")
        terminator = op.region.block.last_op
        assert terminator is not None
        value = terminator.operands[0]
        owner = value.owner
        if isinstance(owner, Operation) and owner.parent_op() is op:
            if not isinstance(owner, arith.ConstantOp):
                raise fail(op, "only a constant padding value is bufferized")
            clone = owner.clone()
            self.insert(clone, op)
            value = clone.results[0]
        elif not isinstance(owner, Operation):
            raise fail(op, "only a constant padding value is bufferized")
        dest = self.fresh(op)
        self.insert(FillOp([value], [dest], []), op)
        self.copy_into(op.source, dest, op.static_low.get_values(), op)
        self.bind(op.result, dest, dest)

    def convert_concat(self, op: tensor.ConcatOp) -> None:
        dest = self.fresh(op)
        dim = op.dim.value.data
        offset = 0
        for value in op.inputs:
            offsets = [0] * len(shape_of(value))
            offsets[dim] = offset
            self.copy_into(value, dest, offsets, op)
            offset += shape_of(value)[dim]
        self.bind(op.result, dest, dest)

    def convert_extract_slice(self, op: tensor.ExtractSliceOp) -> None:
        result_type = op.result.type
        assert isa(result_type, TensorType[Attribute])
        view = self.subview(
            self.buffers[op.source],
            self.static_slice(op),
            result_type.get_shape(),
            op,
        )
        self.bind(op.result, view, self.roots[op.source])

    def convert_insert_slice(self, op: tensor.InsertSliceOp) -> None:
        buffer, root = self.destination(op.dest, op)
        source_type = op.source.type
        assert isa(source_type, TensorType[Attribute])
        view = self.subview(buffer, self.static_slice(op), source_type.get_shape(), op)
        self.insert(memref.CopyOp(self.buffers[op.source], view), op)
        self.bind(op.result, buffer, root)

    def convert_call(self, op: func.CallOp) -> None:
        args = [self.contiguous(v, op) if is_tensor(v) else v for v in op.arguments]
        outs: list[SSAValue] = []
        for result in op.res:
            if not is_tensor(result):
                continue
            if op in self.hints and len(op.res) == 1:
                out = self.outs[self.hints[op]]
            else:
                out = self.alloc(result.type, op)
            outs.append(out)
            self.bind(result, out, out)
        scalars = [r for r in op.res if not is_tensor(r)]
        call = func.CallOp(op.callee, [*args, *outs], [r.type for r in scalars])
        self.insert(call, op)
        for old, new in zip(scalars, call.res, strict=True):
            old.replace_all_uses_with(new)

    def convert_return(self, op: func.ReturnOp) -> None:
        tensors = [v for v in op.arguments if is_tensor(v)]
        for value, out in zip(tensors, self.outs, strict=True):
            if self.buffers[value] is not out:
                self.insert(memref.CopyOp(self.buffers[value], out), op)
        scalars = [v for v in op.arguments if not is_tensor(v)]
        self.rewriter.replace_op(op, func.ReturnOp(*scalars))

    def insert_deallocs(self) -> None:
        """A `memref.dealloc` after the last top-level use of each temporary."""
        block = self.function.body.block
        for alloc in self.temps:
            last: Operation = alloc
            pending: list[SSAValue] = [alloc.memref]
            while pending:
                for use in pending.pop().uses:
                    user = block.find_ancestor_op_in_block(use.operation)
                    if user is None:
                        continue
                    if isinstance(user, VIEW_OPS):
                        pending.append(user.results[0])
                    if block.get_operation_index(user) > block.get_operation_index(
                        last
                    ):
                        last = user
            self.rewriter.insert_op(
                memref.DeallocOp.get(alloc), InsertPoint.after(last)
            )


def bufferize_signature(
    function: func.FuncOp,
) -> tuple[list[tuple[SSAValue, SSAValue]], list[SSAValue]]:
    """
    Tensor arguments -> memrefs, tensor results -> `mlc.out` out-params.

    The new memref arguments are inserted before the tensor ones, which stay
    (for the body to be rewritten) until `bufferize_function` erases them.
    Returns the (tensor argument, memref argument) pairs and the out-params.
    """
    old_type = function.function_type
    inputs = [memref_of(t) for t in old_type.inputs]
    outs = [memref_of(t) for t in old_type.outputs if isa(t, TensorType[Attribute])]
    results = [t for t in old_type.outputs if not isa(t, TensorType[Attribute])]
    function.function_type = FunctionType.from_lists([*inputs, *outs], results)
    empty = DictionaryAttr({})
    arg_attrs = list(function.arg_attrs or [empty] * len(inputs))
    out_attr = DictionaryAttr({OUT_ATTR: UnitAttr()})
    if outs or function.arg_attrs is not None:
        function.arg_attrs = ArrayAttr([*arg_attrs, *([out_attr] * len(outs))])
    if function.res_attrs is not None:
        kept = [
            a
            for a, t in zip(function.res_attrs, old_type.outputs, strict=True)
            if not isa(t, TensorType[Attribute])
        ]
        function.res_attrs = ArrayAttr(kept) if kept else None
    if function.is_declaration:
        return [], []
    block = function.body.block
    buffers: list[tuple[SSAValue, SSAValue]] = []
    for arg in list(block.args):
        if is_tensor(arg):
            buffers.append((arg, block.insert_arg(memref_of(arg.type), arg.index)))
    outs_: list[SSAValue] = [block.insert_arg(t, len(block.args)) for t in outs]
    for out in outs_:
        out.name_hint = "out"
    return buffers, outs_


def bufferize_function(
    function: func.FuncOp,
    globals_: Globals,
    resources: OpAsmDialectInterface | None = None,
) -> None:
    """Bufferize one function: its signature, then its body."""
    if function.is_declaration:
        bufferize_signature(function)
        return
    if len(function.body.blocks) != 1:
        raise fail(function, "only single-block functions are bufferized")
    block = function.body.block
    hints = out_param_hints(block)
    arguments, outs = bufferize_signature(function)
    bufferizer = FunctionBufferizer(function, globals_, outs, hints, resources)
    bufferizer.writable.update(outs)
    for tensor_arg, buffer in arguments:
        if tensor_arg.name_hint:
            buffer.name_hint = tensor_arg.name_hint
        bufferizer.bind(tensor_arg, buffer, buffer)
    bufferizer.run()
    for tensor_arg, _ in arguments:
        block.erase_arg(tensor_arg)  # pyright: ignore[reportArgumentType]


def _has_tensors(function: func.FuncOp) -> bool:
    """Whether `function`'s signature or body holds a tensor value."""
    types = (*function.function_type.inputs, *function.function_type.outputs)
    return any(isa(t, TensorType[Attribute]) for t in types) or any(
        is_tensor(v)
        for inner in function.walk()
        for v in (*inner.operands, *inner.results)
    )


# xdsl-gap(0.74): one-shot-bufferize — no such pass
@dataclass(frozen=True)
class BufferizePass(ModulePass):
    """
    Bufferize the tensor level: every tensor becomes a memref.

    **Input invariant**: the tensor-level contract; functions have one block.

    **Output IR**: no tensor values. A function `(tensor...) -> tensor...` becomes
    `(memref..., memref {mlc.out}...)` with no tensor results. `tensor.empty` is
    a `memref.alloc` (released by a `memref.dealloc` after its last use) or,
    on the path to a return, the out-param itself; linalg ops write into their
    `outs` memrefs; tensor constants are private constant `memref.global`s;
    `collapse_shape`/`expand_shape`/`extract_slice` are memref views;
    `insert_slice` is a subview plus a copy; `extract` is a `memref.load`;
    calls pass out-params. A `memref.copy` appears only where in-place is not
    safe (a read-only argument or constant as destination, a destination read
    later, a returned value not computed in its out-param).

    `tensor.pad` is a fill plus a subview copy, `tensor.concat` subview copies,
    both into a new buffer (the out-param when returned). `linalg.reduce` and
    `linalg.broadcast` bufferize like the structured ops. A `dense_resource`
    constant becomes a `memref.global` whose `dense<...>` initial value holds
    the bytes of its blob (the `dialect_resources` the parser kept in `ctx`).

    **Invariants**: function arguments and constants are never written; the
    numeric result equals the tensor program's. Unhandled tensor ops (dynamic
    sizes or offsets, a `dense_resource` without a well-sized blob, a pad value
    computed from the index, any other tensor op) fail the pass with the op's
    location.
    """

    name = "bufferize"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        globals_ = Globals(op)
        for function in list(op.walk()):
            # A function already at the loop level (input at any level) is kept.
            if isinstance(function, func.FuncOp) and _has_tensors(function):
                bufferize_function(function, globals_, resource_interface(ctx))
        for inner in op.walk():
            if any(is_tensor(v) for v in (*inner.operands, *inner.results)):
                raise fail(inner, "tensor value left after bufferization")
