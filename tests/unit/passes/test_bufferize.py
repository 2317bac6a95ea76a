"""
`bufferize`: the tensor function and its bufferized twin compute the same.

Each case is a hand-written tensor-level function, interpreted before the pass
(results) and after it (the out-params' final contents), on random inputs.
"""

import itertools

import numpy as np
import pytest
from buffer_helpers import ParseTensor, random_inputs, run_bufferized
from xdsl.dialects import func, memref
from xdsl.dialects.builtin import DenseIntOrFPElementsAttr, ModuleOp, TensorType
from xdsl.transforms.convert_linalg_to_loops import ConvertLinalgToLoopsPass
from xdsl.utils.exceptions import PassFailedException

from mlc.dialects.graph.base import dense_to_numpy
from mlc.interpreters import run_function
from mlc.lowering.pipelines import GraphToLlvmPass
from mlc.passes.bufferize import BufferizePass
from mlc.passes.linalg_generalize import LinalgGeneralizePass
from mlc.support.abi import OUT_ATTR

ID2 = "affine_map<(d0, d1) -> (d0, d1)>"

ELEMENTWISE = f"""
func.func @f(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> tensor<2x3xf32> {{
  %e = tensor.empty() : tensor<2x3xf32>
  %r = linalg.generic {{indexing_maps = [{ID2}, {ID2}, {ID2}],
      iterator_types = ["parallel", "parallel"]}}
      ins(%a, %b : tensor<2x3xf32>, tensor<2x3xf32>) outs(%e : tensor<2x3xf32>) {{
  ^bb0(%x: f32, %y: f32, %o: f32):
    %m = arith.mulf %x, %y : f32
    %s = arith.addf %m, %x : f32
    linalg.yield %s : f32
  }} -> tensor<2x3xf32>
  func.return %r : tensor<2x3xf32>
}}
"""

MATMUL = """
func.func @f(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x4xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x4xf32>) -> tensor<2x4xf32>
  %r = linalg.matmul ins(%a, %b : tensor<2x3xf32>, tensor<3x4xf32>)
      outs(%f : tensor<2x4xf32>) -> tensor<2x4xf32>
  func.return %r : tensor<2x4xf32>
}
"""

COLLAPSE = f"""
func.func @f(%a: tensor<2x3xf32>) -> (tensor<6xf32>, tensor<3x2xf32>) {{
  %e = tensor.empty() : tensor<2x3xf32>
  %sq = linalg.generic {{indexing_maps = [{ID2}, {ID2}],
      iterator_types = ["parallel", "parallel"]}}
      ins(%a : tensor<2x3xf32>) outs(%e : tensor<2x3xf32>) {{
  ^bb0(%x: f32, %o: f32):
    %s = arith.mulf %x, %x : f32
    linalg.yield %s : f32
  }} -> tensor<2x3xf32>
  %c = tensor.collapse_shape %sq [[0, 1]] : tensor<2x3xf32> into tensor<6xf32>
  %x = tensor.expand_shape %c [[0, 1]] output_shape [3, 2]
      : tensor<6xf32> into tensor<3x2xf32>
  func.return %c, %x : tensor<6xf32>, tensor<3x2xf32>
}}
"""

RETURNED_ARGUMENT = """
func.func @f(%a: tensor<2x3xf32>, %b: tensor<3xi32>)
    -> (tensor<3xi32>, tensor<2x3xf32>) {
  func.return %b, %a : tensor<3xi32>, tensor<2x3xf32>
}
"""

INIT_READ_LATER = f"""
func.func @f(%a: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {{
  %one = arith.constant 1.0 : f32
  %e = tensor.empty() : tensor<2x3xf32>
  %f = linalg.fill ins(%one : f32) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  %r = linalg.generic {{indexing_maps = [{ID2}, {ID2}],
      iterator_types = ["parallel", "parallel"]}}
      ins(%a : tensor<2x3xf32>) outs(%f : tensor<2x3xf32>) {{
  ^bb0(%x: f32, %o: f32):
    %s = arith.addf %x, %o : f32
    linalg.yield %s : f32
  }} -> tensor<2x3xf32>
  %w = linalg.generic {{indexing_maps = [{ID2}],
      iterator_types = ["parallel", "parallel"]}} outs(%a : tensor<2x3xf32>) {{
  ^bb0(%o: f32):
    %s = arith.mulf %o, %o : f32
    linalg.yield %s : f32
  }} -> tensor<2x3xf32>
  func.return %r, %f : tensor<2x3xf32>, tensor<2x3xf32>
}}
"""

SLICES = """
func.func @f(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>)
    -> (tensor<1x2xf32>, tensor<4x3xf32>) {
  %s = tensor.extract_slice %a[1, 1] [1, 2] [1, 1] : tensor<2x3xf32> to tensor<1x2xf32>
  %i = tensor.insert_slice %a into %b[2, 0] [2, 3] [1, 1]
      : tensor<2x3xf32> into tensor<4x3xf32>
  func.return %s, %i : tensor<1x2xf32>, tensor<4x3xf32>
}
"""

RANK_REDUCING_SLICE = """
func.func @f(%a: tensor<2x3x4xf32>) -> tensor<3x2xf32> {
  %s = tensor.extract_slice %a[1, 0, 1] [1, 3, 2] [1, 1, 2]
      : tensor<2x3x4xf32> to tensor<3x2xf32>
  %c = tensor.collapse_shape %s [[0, 1]] : tensor<3x2xf32> into tensor<6xf32>
  %x = tensor.expand_shape %c [[0, 1]] output_shape [3, 2]
      : tensor<6xf32> into tensor<3x2xf32>
  func.return %x : tensor<3x2xf32>
}
"""

CALL = f"""
func.func private @square(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {{
  %e = tensor.empty() : tensor<2x3xf32>
  %r = linalg.generic {{indexing_maps = [{ID2}, {ID2}],
      iterator_types = ["parallel", "parallel"]}}
      ins(%a : tensor<2x3xf32>) outs(%e : tensor<2x3xf32>) {{
  ^bb0(%x: f32, %o: f32):
    %s = arith.mulf %x, %x : f32
    linalg.yield %s : f32
  }} -> tensor<2x3xf32>
  func.return %r : tensor<2x3xf32>
}}
func.func @f(%a: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {{
  %r = func.call @square(%a) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %q = func.call @square(%r) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %q, %r : tensor<2x3xf32>, tensor<2x3xf32>
}}
"""

CONSTANT = f"""
func.func @f(%a: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2xi32>) {{
  %k = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %j = arith.constant dense<[7, -8]> : tensor<2xi32>
  %e = tensor.empty() : tensor<2x3xf32>
  %r = linalg.generic {{indexing_maps = [{ID2}, {ID2}, {ID2}],
      iterator_types = ["parallel", "parallel"]}}
      ins(%a, %k : tensor<2x3xf32>, tensor<2x3xf32>) outs(%e : tensor<2x3xf32>) {{
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.subf %x, %y : f32
    linalg.yield %s : f32
  }} -> tensor<2x3xf32>
  func.return %r, %j : tensor<2x3xf32>, tensor<2xi32>
}}
"""


@pytest.fixture
def parse_tensor() -> ParseTensor:
    return ParseTensor()


def bufferize(parse_tensor: ParseTensor, text: str) -> tuple[ModuleOp, ModuleOp]:
    module = parse_tensor(text)
    bufferized = module.clone()
    BufferizePass().apply(parse_tensor.ctx, bufferized)
    bufferized.verify()
    return module, bufferized


PAD_CONCAT = """
func.func @f(%a: tensor<2x3xf32>, %b: tensor<1x3xf32>)
    -> (tensor<4x5xf32>, tensor<3x3xf32>) {
  %z = arith.constant 7.0 : f32
  %p = tensor.pad %a low[1, 2] high[1, 0] {
  ^bb0(%i: index, %j: index):
    tensor.yield %z : f32
  } : tensor<2x3xf32> to tensor<4x5xf32>
  %c = tensor.concat dim(0) %a, %b
      : (tensor<2x3xf32>, tensor<1x3xf32>) -> tensor<3x3xf32>
  func.return %p, %c : tensor<4x5xf32>, tensor<3x3xf32>
}
"""


@pytest.mark.parametrize(
    "text",
    [
        ELEMENTWISE,
        MATMUL,
        COLLAPSE,
        RETURNED_ARGUMENT,
        INIT_READ_LATER,
        SLICES,
        CALL,
        PAD_CONCAT,
    ],
    ids=[
        "elementwise",
        "matmul",
        "collapse",
        "returned_argument",
        "init_read_later",
        "slices",
        "call",
        "pad_concat",
    ],
)
def test_bufferized_function_computes_the_same(
    parse_tensor: ParseTensor, text: str
) -> None:
    module, bufferized = bufferize(parse_tensor, text)
    inputs = random_inputs(module, "f")
    expected = run_function(module, "f", inputs)
    got = run_bufferized(bufferized, "f", inputs)
    assert len(got) == len(expected)
    for want, have in zip(expected, got, strict=True):
        np.testing.assert_allclose(have, want, rtol=1e-6)


def test_constant_becomes_a_global_and_computes_the_same(
    parse_tensor: ParseTensor,
) -> None:
    # xDSL 0.74's arith interpreter cannot run a tensor constant, so the
    # tensor level is checked against numpy instead of interpreted.
    module, bufferized = bufferize(parse_tensor, CONSTANT)
    (a,) = random_inputs(module, "f")
    k = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], np.float32)
    got = run_bufferized(bufferized, "f", [a])
    np.testing.assert_allclose(got[0], a - k, rtol=1e-6)
    np.testing.assert_array_equal(got[1], np.array([7, -8], np.int32))
    globals_ = [
        op for op in bufferized.body.block.ops if isinstance(op, memref.GlobalOp)
    ]
    assert len(globals_) == 2
    assert all(g.constant is not None for g in globals_)
    assert all(g.sym_visibility.data == "private" for g in globals_)


def test_rank_reducing_strided_slice_computes_the_same(
    parse_tensor: ParseTensor,
) -> None:
    # The tensor-level interpreter has no rank-reducing extract_slice: numpy.
    module, bufferized = bufferize(parse_tensor, RANK_REDUCING_SLICE)
    (a,) = random_inputs(module, "f")
    (got,) = run_bufferized(bufferized, "f", [a])
    np.testing.assert_array_equal(got, a[1, :, 1::2])
    names = [op.name for op in bufferized.walk()]
    assert names.count("memref.copy") == 2  # contiguous for the collapse; result


def test_out_params_are_marked_in_result_order(parse_tensor: ParseTensor) -> None:
    _, bufferized = bufferize(parse_tensor, RETURNED_ARGUMENT)
    function = next(iter(bufferized.body.block.ops))
    assert isinstance(function, func.FuncOp)
    assert function.function_type.outputs.data == ()
    assert function.arg_attrs is not None
    marks = [OUT_ATTR in d.data for d in function.arg_attrs]
    assert marks == [False, False, True, True]
    inputs = function.function_type.inputs.data
    assert [str(t) for t in inputs[2:]] == ["memref<3xi32>", "memref<2x3xf32>"]


def test_in_place_result_needs_no_copy_nor_alloc(parse_tensor: ParseTensor) -> None:
    _, bufferized = bufferize(parse_tensor, MATMUL)
    names = [op.name for op in bufferized.walk()]
    assert "memref.alloc" not in names
    assert "memref.copy" not in names


def test_no_tensor_survives(parse_tensor: ParseTensor) -> None:
    for text in (ELEMENTWISE, MATMUL, COLLAPSE, SLICES, CALL, CONSTANT):
        _, bufferized = bufferize(parse_tensor, text)
        for op in bufferized.walk():
            types = [v.type for v in (*op.operands, *op.results)]
            assert not any(isinstance(t, TensorType) for t in types), op.name


def test_every_temporary_is_freed_once(parse_tensor: ParseTensor) -> None:
    for text in (INIT_READ_LATER, CALL, SLICES):
        _, bufferized = bufferize(parse_tensor, text)
        allocs = [op for op in bufferized.walk() if isinstance(op, memref.AllocOp)]
        assert allocs
        for alloc in allocs:
            deallocs = [
                u.operation
                for u in alloc.memref.uses
                if isinstance(u.operation, memref.DeallocOp)
            ]
            assert len(deallocs) == 1


UNSUPPORTED = """
func.func @f(%a: tensor<2xf32>) -> tensor<2xf32> {
  %s = arith.addf %a, %a : tensor<2xf32>
  func.return %s : tensor<2xf32>
}
"""


def test_unhandled_tensor_op_fails_with_its_location(parse_tensor: ParseTensor) -> None:
    module = parse_tensor(UNSUPPORTED)
    with pytest.raises(
        PassFailedException,
        match=r"^bufferize: 'arith.addf' at .*: tensor op not bufferized$",
    ):
        BufferizePass().apply(parse_tensor.ctx, module)


# --- linalg.reduce / broadcast / transpose ----------------------------------

REDUCE_BROADCAST_TRANSPOSE = """
func.func @f(%a: tensor<2x3xf32>, %i: tensor<2xf32>, %v: tensor<3xf32>)
    -> (tensor<2xf32>, tensor<2xf32>, tensor<3x2xf32>) {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2xf32>) -> tensor<2xf32>
  %sum = linalg.reduce ins(%a : tensor<2x3xf32>) outs(%f : tensor<2xf32>)
      dimensions = [1]
    (%x: f32, %acc: f32) {
      %s = arith.addf %x, %acc : f32
      linalg.yield %s : f32
    }
  %max = linalg.reduce ins(%a : tensor<2x3xf32>) outs(%i : tensor<2xf32>)
      dimensions = [1]
    (%x: f32, %acc: f32) {
      %m = arith.maximumf %x, %acc : f32
      linalg.yield %m : f32
    }
  %e2 = tensor.empty() : tensor<2x3xf32>
  %b = linalg.broadcast ins(%v : tensor<3xf32>) outs(%e2 : tensor<2x3xf32>)
      dimensions = [0]
  %e3 = tensor.empty() : tensor<3x2xf32>
  %t = linalg.transpose ins(%b : tensor<2x3xf32>) outs(%e3 : tensor<3x2xf32>)
      permutation = [1, 0]
  func.return %sum, %max, %t : tensor<2xf32>, tensor<2xf32>, tensor<3x2xf32>
}
"""


def generalized(parse_tensor: ParseTensor, module: ModuleOp, loops: bool) -> ModuleOp:
    """A clone after `linalg-generalize` (and `convert-linalg-to-loops`)."""
    lowered = module.clone()
    LinalgGeneralizePass().apply(parse_tensor.ctx, lowered)
    if loops:
        ConvertLinalgToLoopsPass().apply(parse_tensor.ctx, lowered)
    lowered.verify()
    return lowered


def test_reduce_broadcast_transpose_compute_the_same(
    parse_tensor: ParseTensor,
) -> None:
    # xDSL 0.74's interpreter has no linalg.reduce/broadcast: both sides run
    # generalized (the tensor side as linalg.generic, the memref side as loops).
    module, bufferized = bufferize(parse_tensor, REDUCE_BROADCAST_TRANSPOSE)
    names = [op.name for op in bufferized.walk()]
    assert names.count("linalg.reduce") == 2
    assert "linalg.broadcast" in names
    assert "linalg.transpose" in names
    inputs = random_inputs(module, "f")
    a, i, v = inputs
    expected = run_function(generalized(parse_tensor, module, False), "f", inputs)
    got = run_bufferized(generalized(parse_tensor, bufferized, True), "f", inputs)
    for want, have in zip(expected, got, strict=True):
        np.testing.assert_allclose(have, want, rtol=1e-6)
    np.testing.assert_allclose(got[0], a.sum(axis=1), rtol=1e-5)
    np.testing.assert_allclose(got[1], np.maximum(a.max(axis=1), i), rtol=1e-6)
    np.testing.assert_allclose(got[2], np.broadcast_to(v, (2, 3)).T, rtol=1e-6)


# --- dense_resource constants -----------------------------------------------

_handles = itertools.count()


def resource_text(weights: np.ndarray, body: str) -> tuple[str, str]:
    """
    A module using `dense_resource<h>` for `weights`, and the handle `h`.

    xDSL 0.74 keeps parsed blobs in the (process-wide) builtin dialect and
    renames a handle it has seen before, so each parse uses a new handle.
    """
    handle = f"test_weights_{next(_handles)}"
    blob = (
        "0x" + (4).to_bytes(4, "little").hex() + weights.astype("<f4").tobytes().hex()
    )
    resources = (
        f'{{-#\n dialect_resources: {{ builtin: {{ {handle}: "{blob}" }} }}\n#-}}'
    )
    return body.replace("HANDLE", handle) + resources, handle


DENSE_RESOURCE = """
func.func @f(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %w = arith.constant dense_resource<HANDLE> : tensor<2x3xf32>
  %e = tensor.empty() : tensor<2x3xf32>
  %r = linalg.mul ins(%a, %w : tensor<2x3xf32>, tensor<2x3xf32>)
      outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %r : tensor<2x3xf32>
}
"""


def test_dense_resource_becomes_a_global_and_computes_the_same(
    parse_tensor: ParseTensor,
) -> None:
    weights = np.array([[1.0, -2.0, 3.5], [4.0, 0.25, -6.0]], np.float32)
    text, _ = resource_text(weights, DENSE_RESOURCE)
    module, bufferized = bufferize(parse_tensor, text)
    (global_,) = [
        op for op in bufferized.body.block.ops if isinstance(op, memref.GlobalOp)
    ]
    assert isinstance(global_.initial_value, DenseIntOrFPElementsAttr)
    np.testing.assert_array_equal(dense_to_numpy(global_.initial_value), weights)
    inputs = random_inputs(module, "f")
    (expected,) = run_function(module, "f", inputs)  # the tensor level runs too
    (got,) = run_bufferized(bufferized, "f", inputs)
    np.testing.assert_allclose(expected, inputs[0] * weights, rtol=1e-6)
    np.testing.assert_allclose(got, expected, rtol=1e-6)


def test_dense_resource_without_blob_fails_with_its_location(
    parse_tensor: ParseTensor,
) -> None:
    module = parse_tensor(DENSE_RESOURCE.replace("HANDLE", "test_missing_blob"))
    with pytest.raises(
        PassFailedException,
        match=r"^bufferize: 'arith.constant' at .*: no blob for "
        r"dense_resource<test_missing_blob> in dialect_resources$",
    ):
        BufferizePass().apply(parse_tensor.ctx, module)


def test_dense_resource_of_the_wrong_size_fails(parse_tensor: ParseTensor) -> None:
    text, handle = resource_text(np.zeros(5, np.float32), DENSE_RESOURCE)
    module = parse_tensor(text)
    with pytest.raises(
        PassFailedException, match=rf"blob of dense_resource<{handle}> has 20 bytes"
    ):
        BufferizePass().apply(parse_tensor.ctx, module)


PIPELINE_INPUT = """
func.func @f(%a: tensor<2x3xf32>) -> tensor<2xf32> {
  %w = arith.constant dense_resource<HANDLE> : tensor<2x3xf32>
  %e = tensor.empty() : tensor<2x3xf32>
  %m = linalg.mul ins(%a, %w : tensor<2x3xf32>, tensor<2x3xf32>)
      outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  %z = arith.constant 0.0 : f32
  %e2 = tensor.empty() : tensor<2xf32>
  %f = linalg.fill ins(%z : f32) outs(%e2 : tensor<2xf32>) -> tensor<2xf32>
  %r = linalg.reduce ins(%m : tensor<2x3xf32>) outs(%f : tensor<2xf32>)
      dimensions = [1]
    (%x: f32, %acc: f32) {
      %s = arith.addf %x, %acc : f32
      linalg.yield %s : f32
    }
  func.return %r : tensor<2xf32>
}
"""


def test_pipeline_to_loops_runs_reduce_with_dense_resource_weights(
    parse_tensor: ParseTensor,
) -> None:
    weights = np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]], np.float32)
    text, _ = resource_text(weights, PIPELINE_INPUT)
    module = parse_tensor(text)
    GraphToLlvmPass(to="loop").apply(parse_tensor.ctx, module)
    module.verify()
    names = {op.name for op in module.walk()}
    assert "scf.for" in names
    assert "memref.get_global" in names
    assert not any(name.startswith(("linalg.", "tensor.")) for name in names)
    inputs = [np.random.default_rng(0).standard_normal((2, 3)).astype(np.float32)]
    (got,) = run_bufferized(module, "f", inputs)
    np.testing.assert_allclose(got, (inputs[0] * weights).sum(axis=1), rtol=1e-5)
