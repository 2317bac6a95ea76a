"""
`buffer-reuse`: one arena per function, the same numbers, a truthful report.

Tensor-level functions with several temporaries of different sizes (and
element types) are bufferized, then planned; the tensor function, the
bufferized one and the planned one are interpreted on the same inputs and must
agree. The plan itself is checked independently on the output IR: views whose
lifetimes overlap never share a byte, and every offset is 64-byte aligned.
"""

import random
from collections.abc import Iterator

import numpy as np
import pytest
from buffer_helpers import ParseTensor, random_inputs, run_bufferized
from xdsl.dialects import arith, func, memref
from xdsl.dialects.builtin import (
    DictionaryAttr,
    IntegerAttr,
    MemRefType,
    ModuleOp,
    f32,
)
from xdsl.ir import Attribute, Block, Operation, SSAValue
from xdsl.utils.hints import isa

from mlc.interpreters import run_function
from mlc.passes.buffer_reuse import (
    BufferReusePass,
    Temporary,
    byte_size,
    pack,
)
from mlc.passes.bufferize import BufferizePass
from mlc.support.abi import ALIGNMENT, TEMP_BYTES_ATTR

ID2 = "affine_map<(d0, d1) -> (d0, d1)>"


def unary(name: str, source: str, body: str, shape: str = "2x3") -> str:
    """A `%name = exp-like generic` of `source` into a fresh tensor.empty."""
    return f"""
  %{name}_init = tensor.empty() : tensor<{shape}xf32>
  %{name} = linalg.generic {{indexing_maps = [{ID2}, {ID2}],
      iterator_types = ["parallel", "parallel"]}}
      ins(%{source} : tensor<{shape}xf32>) outs(%{name}_init : tensor<{shape}xf32>) {{
  ^bb0(%x: f32, %o: f32):
    {body}
  }} -> tensor<{shape}xf32>"""


CHAIN = (
    "func.func @f(%a: tensor<2x3xf32>, %b: tensor<3x2xf32>) -> tensor<2x2xf32> {"
    + unary("t0", "a", "%s = arith.mulf %x, %x : f32\n    linalg.yield %s : f32")
    + unary("t1", "t0", "%s = arith.addf %x, %x : f32\n    linalg.yield %s : f32")
    + unary("t2", "t1", "%s = arith.subf %x, %x : f32\n    linalg.yield %s : f32")
    + """
  %tt_init = tensor.empty() : tensor<3x2xf32>
  %tt = linalg.transpose ins(%t2 : tensor<2x3xf32>) outs(%tt_init : tensor<3x2xf32>)
      permutation = [1, 0]
  %zero = arith.constant 0.0 : f32
  %bb_init = tensor.empty() : tensor<3x2xf32>
  %bb = linalg.fill ins(%zero : f32) outs(%bb_init : tensor<3x2xf32>) -> tensor<3x2xf32>
  %sum = linalg.generic {indexing_maps = [#id, #id, #id],
      iterator_types = ["parallel", "parallel"]}
      ins(%tt, %b : tensor<3x2xf32>, tensor<3x2xf32>) outs(%bb : tensor<3x2xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    %t = arith.addf %s, %o : f32
    linalg.yield %t : f32
  } -> tensor<3x2xf32>
  %mm_init = tensor.empty() : tensor<2x2xf32>
  %mm_zero = linalg.fill ins(%zero : f32) outs(%mm_init : tensor<2x2xf32>)
      -> tensor<2x2xf32>
  %mm = linalg.matmul ins(%t1, %sum : tensor<2x3xf32>, tensor<3x2xf32>)
      outs(%mm_zero : tensor<2x2xf32>) -> tensor<2x2xf32>
  func.return %mm : tensor<2x2xf32>
}
""".replace("#id", ID2)
)

SIZES = """
func.func @g(%a: tensor<4x8xf32>, %w: tensor<8x2xf32>)
    -> (tensor<4x2xf32>, tensor<4xi32>) {
  %zero = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<4x8xf32>
  %sq = linalg.generic {indexing_maps = [#id, #id],
      iterator_types = ["parallel", "parallel"]}
      ins(%a : tensor<4x8xf32>) outs(%e0 : tensor<4x8xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.mulf %x, %x : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  %e1 = tensor.empty() : tensor<4x2xf32>
  %z1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<4x2xf32>) -> tensor<4x2xf32>
  %mm = linalg.matmul ins(%sq, %w : tensor<4x8xf32>, tensor<8x2xf32>)
      outs(%z1 : tensor<4x2xf32>) -> tensor<4x2xf32>
  %e2 = tensor.empty() : tensor<4x2xi32>
  %ints = linalg.generic {indexing_maps = [#id, #id],
      iterator_types = ["parallel", "parallel"]}
      ins(%mm : tensor<4x2xf32>) outs(%e2 : tensor<4x2xi32>) {
  ^bb0(%x: f32, %o: i32):
    %i = arith.fptosi %x : f32 to i32
    linalg.yield %i : i32
  } -> tensor<4x2xi32>
  %e3 = tensor.empty() : tensor<2x4xi32>
  %tr = linalg.transpose ins(%ints : tensor<4x2xi32>) outs(%e3 : tensor<2x4xi32>)
      permutation = [1, 0]
  %e4 = tensor.empty() : tensor<4x2xf32>
  %back = linalg.generic {indexing_maps = [#id, #id],
      iterator_types = ["parallel", "parallel"]}
      ins(%ints : tensor<4x2xi32>) outs(%e4 : tensor<4x2xf32>) {
  ^bb0(%x: i32, %o: f32):
    %f = arith.sitofp %x : i32 to f32
    linalg.yield %f : f32
  } -> tensor<4x2xf32>
  %e5 = tensor.empty() : tensor<4x2xf32>
  %diff = linalg.generic {indexing_maps = [#id, #id, #id],
      iterator_types = ["parallel", "parallel"]}
      ins(%mm, %back : tensor<4x2xf32>, tensor<4x2xf32>) outs(%e5 : tensor<4x2xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %d = arith.subf %x, %y : f32
    linalg.yield %d : f32
  } -> tensor<4x2xf32>
  %c0 = arith.constant 0 : i32
  %e6 = tensor.empty() : tensor<4xi32>
  %z6 = linalg.fill ins(%c0 : i32) outs(%e6 : tensor<4xi32>) -> tensor<4xi32>
  %rows = linalg.generic {indexing_maps = [#id, affine_map<(d0, d1) -> (d1)>],
      iterator_types = ["reduction", "parallel"]}
      ins(%tr : tensor<2x4xi32>) outs(%z6 : tensor<4xi32>) {
  ^bb0(%x: i32, %acc: i32):
    %s = arith.addi %x, %acc : i32
    linalg.yield %s : i32
  } -> tensor<4xi32>
  func.return %diff, %rows : tensor<4x2xf32>, tensor<4xi32>
}
""".replace("#id", ID2)
"""Temporaries of 128, 32 (f32 and i32) and 32 bytes with staggered lifetimes."""


def temp_bytes(op: Operation) -> tuple[int, int]:
    attr = op.attributes[TEMP_BYTES_ATTR]
    assert isinstance(attr, DictionaryAttr)
    before, after = attr.data["before"], attr.data["after"]
    assert isinstance(before, IntegerAttr)
    assert isinstance(after, IntegerAttr)
    return before.value.data, after.value.data


def allocs(module: ModuleOp) -> int:
    return sum(isinstance(op, memref.AllocOp) for op in module.walk())


def function(module: ModuleOp, name: str) -> func.FuncOp:
    return next(
        f
        for f in module.walk()
        if isinstance(f, func.FuncOp) and f.sym_name.data == name
    )


def planned(text: str) -> tuple[ModuleOp, ModuleOp, ModuleOp]:
    """The tensor module, bufferized, then planned (and verified)."""
    parse = ParseTensor()
    module = parse(text)
    bufferized = module.clone()
    BufferizePass().apply(parse.ctx, bufferized)
    reused = bufferized.clone()
    BufferReusePass().apply(parse.ctx, reused)
    reused.verify()
    return module, bufferized, reused


def uses_through_views(value: SSAValue) -> Iterator[Operation]:
    """Every op using `value` or a view of it."""
    for use in value.uses:
        yield use.operation
        if isinstance(
            use.operation,
            memref.SubviewOp | memref.CollapseShapeOp | memref.ExpandShapeOp,
        ):
            yield from uses_through_views(use.operation.results[0])


def top_level(op: Operation, block: Block) -> Operation:
    while op.parent_block() is not block:
        parent = op.parent_op()
        assert parent is not None
        op = parent
    return op


def check_plan(module: ModuleOp) -> None:
    """Views live at once never share a byte; offsets are aligned; in bounds."""
    for f in module.walk():
        if not isinstance(f, func.FuncOp) or f.is_declaration:
            continue
        block = f.body.block
        index = {op: i for i, op in enumerate(block.ops)}
        spans: list[tuple[int, int, int, int]] = []
        for view in block.ops:
            if not isinstance(view, memref.ViewOp):
                continue
            shift = view.byte_shift.owner
            assert isinstance(shift, arith.ConstantOp)
            assert isinstance(shift.value, IntegerAttr)
            offset = shift.value.value.data
            assert offset % ALIGNMENT == 0
            type_ = view.result.type
            assert isa(type_, MemRefType[Attribute])
            arena = view.source.type
            assert isa(arena, MemRefType[Attribute])
            assert offset + byte_size(type_) <= arena.get_shape()[0]
            last = max(
                index[top_level(u, block)] for u in uses_through_views(view.result)
            )
            spans.append((index[view], last, offset, offset + byte_size(type_)))
        for i, (s0, e0, lo0, hi0) in enumerate(spans):
            for s1, e1, lo1, hi1 in spans[i + 1 :]:
                if s0 <= e1 and s1 <= e0:
                    assert hi0 <= lo1 or hi1 <= lo0, (f.sym_name, spans)


@pytest.mark.parametrize(("text", "name"), [(CHAIN, "f"), (SIZES, "g")])
def test_plan_computes_the_same(text: str, name: str) -> None:
    module, bufferized, reused = planned(text)
    inputs = random_inputs(module, name)
    expected = run_function(module, name, inputs)
    plain = run_bufferized(bufferized, name, inputs)
    shared = run_bufferized(reused, name, inputs)
    for want, got_plain, got_shared in zip(expected, plain, shared, strict=True):
        np.testing.assert_allclose(got_plain, want, rtol=1e-6)
        np.testing.assert_allclose(got_shared, want, rtol=1e-6)
    check_plan(reused)


def test_plan_shares_bytes_between_sizes_and_element_types() -> None:
    _, bufferized, reused = planned(SIZES)
    temps = [op for op in bufferized.walk() if isinstance(op, memref.AllocOp)]
    assert len(temps) >= 3
    assert allocs(reused) == 1
    before, after = temp_bytes(function(reused, "g"))
    types = [t.memref.type for t in temps]
    assert before == sum(byte_size(t) for t in types if isa(t, MemRefType[Attribute]))
    assert after < before
    views = [op for op in reused.walk() if isinstance(op, memref.ViewOp)]
    element_types = {v.result.type.get_element_type() for v in views}
    assert len(element_types) == 2  # f32 and i32 views of the same arena
    assert temp_bytes(reused) == (before, after)


def test_chain_bytes() -> None:
    _, _, reused = planned(CHAIN)
    before, after = temp_bytes(reused)
    # Five 24-byte temporaries; t1 lives to the matmul, so three are live at
    # once (t1, t2, tt): three aligned slots, padding dominating such tiny ones.
    assert before == 5 * 24
    assert after == 2 * ALIGNMENT + 24
    assert [op.name for op in reused.walk()].count("memref.dealloc") == 1


def test_report_prints_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    parse = ParseTensor()
    module = parse(SIZES)
    BufferizePass().apply(parse.ctx, module)
    BufferReusePass(report=True).apply(parse.ctx, module)
    before, after = temp_bytes(module)
    err = capsys.readouterr().err
    assert err.startswith(f"buffer-reuse: temporary bytes {before} -> {after} (")
    peak = int(err.split("peak live ")[1].rstrip(")\n"))
    assert 0 < peak <= after


def test_no_temporaries_reports_zero_and_changes_nothing() -> None:
    parse = ParseTensor()
    text = "func.func @f(%a: memref<2xf32>) {\n  func.return\n}"
    module = parse(text)
    BufferReusePass().apply(parse.ctx, module)
    assert temp_bytes(module) == (0, 0)
    assert TEMP_BYTES_ATTR not in function(module, "f").attributes


def fake_temporaries(rng: random.Random, count: int) -> list[Temporary]:
    """Temporaries with random intervals and sizes (ops are placeholders)."""
    temps: list[Temporary] = []
    for _ in range(count):
        start = rng.randrange(20)
        end = start + rng.randrange(1, 8)
        size = rng.randrange(1, 300)
        alloc = memref.AllocOp.get(f32, None, [size])
        dealloc = memref.DeallocOp.get(alloc)
        type_ = alloc.memref.type
        assert isa(type_, MemRefType[Attribute])
        temps.append(Temporary(alloc, dealloc, type_, start, end, size))
    return sorted(temps, key=lambda t: t.start)


@pytest.mark.parametrize("seed", range(40))
def test_pack_never_overlaps_live_temporaries(seed: int) -> None:
    rng = random.Random(seed)
    temps = fake_temporaries(rng, rng.randrange(1, 12))
    size = pack(temps)
    for i, a in enumerate(temps):
        assert a.offset % ALIGNMENT == 0
        assert a.offset + a.size <= size
        for b in temps[i + 1 :]:
            if a.overlaps(b):
                assert a.offset + a.size <= b.offset or b.offset + b.size <= a.offset
    aligned = sum(-(-t.size // ALIGNMENT) * ALIGNMENT for t in temps[:-1])
    assert size <= aligned + temps[-1].size


def test_planning_twice_changes_nothing() -> None:
    parse = ParseTensor()
    _, _, reused = planned(SIZES)
    again = reused.clone()
    BufferReusePass().apply(parse.ctx, again)
    # The arena is no temporary: functions stay as they are (with their
    # attribute); the module's figures count the functions planned by this run.
    assert str(function(again, "g")) == str(function(reused, "g"))
    assert temp_bytes(again) == (0, 0)
