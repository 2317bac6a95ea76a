"""
`mlc.compile` and `CompiledModule`: the signature read at the input's level,
argument checks (one `InputError` naming the argument, expected and actual),
alignment, `bind`, entry selection, the sources it accepts, caching, and
one-line `CompileError`s.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from helpers import full_context
from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp
from xdsl.parser import Parser
from xdsl.passes import ModulePass

import mlc
from mlc.frontend import ImportedModel
from mlc.runtime import jit
from mlc.runtime.compiled import CompiledModule, parse_ir
from mlc.runtime.signature import (
    CompileError,
    InputError,
    Signature,
    TensorSpec,
    read_signature,
)
from mlc.support.abi import ALIGNMENT

Array = np.ndarray[Any, Any]

ADD = """
func.func @add(%x: tensor<2x3xf32>, %w: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = graph.add %x, %w : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}
"""

TWO_RESULTS = """
func.func @two(%a: tensor<4xui8>, %b: tensor<4xui8>, %c: tensor<4xi1>)
    -> (tensor<4xui8>, tensor<4xf16>) {
  %0 = graph.add %a, %b : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  %1 = graph.cast %0 : tensor<4xui8> to tensor<4xf16>
  %2 = graph.cast %c : tensor<4xi1> to tensor<4xf16>
  %3 = graph.mul %1, %2 : (tensor<4xf16>, tensor<4xf16>) -> tensor<4xf16>
  func.return %0, %3 : tensor<4xui8>, tensor<4xf16>
}
"""


@pytest.fixture(scope="module")
def add() -> CompiledModule:
    return mlc.compile(ADD)


def f32(*shape: int, seed: int = 0) -> Array:
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


# --------------------------------------------------------------------------- #
# Signature
# --------------------------------------------------------------------------- #


def test_signature_of_a_graph_function(add: CompiledModule) -> None:
    f = np.dtype(np.float32)
    assert add.signature == Signature(
        "add",
        (TensorSpec("x", (2, 3), f), TensorSpec("w", (3,), f)),
        (TensorSpec("out0", (2, 3), f),),
    )
    assert (
        str(add.signature)
        == "@add(x: 2x3xfloat32, w: 3xfloat32) -> (out0: 2x3xfloat32)"
    )


def test_unsigned_bool_and_half_types_and_several_results() -> None:
    compiled = mlc.compile(TWO_RESULTS)
    dtypes = [
        s.dtype for s in (*compiled.signature.inputs, *compiled.signature.outputs)
    ]
    assert dtypes == [np.uint8, np.uint8, np.bool_, np.uint8, np.float16]
    a = np.array([250, 1, 2, 3], np.uint8)
    b = np.array([10, 1, 2, 3], np.uint8)
    c = np.array([True, False, True, True])
    total, scaled = compiled(a, b, c)
    np.testing.assert_array_equal(total, a + b)  # wraps modulo 256
    np.testing.assert_array_equal(scaled, (a + b).astype(np.float16) * c)


def test_signature_at_the_loop_level_and_of_an_llvm_func() -> None:
    loop = parse_ir(
        "func.func @f(%a: memref<2xi64>, %r: memref<2xf64> {mlc.out}) {\n"
        "  func.return\n}\n",
        "loop.mlir",
    )
    assert read_signature(loop, "f") == Signature(
        "f",
        (TensorSpec("a", (2,), np.dtype(np.int64)),),
        (TensorSpec("r", (2,), np.dtype(np.float64)),),
    )
    llvm_level = parse_ir(
        "llvm.func @g(%p: !llvm.ptr {mlc.type = memref<f32>}, "
        "%q: !llvm.ptr {mlc.out, mlc.type = memref<3xi8>}) {\n  llvm.return\n}\n",
        "g.mlir",
    )
    signature = read_signature(llvm_level, "g")
    assert [str(s) for s in signature.inputs] == ["p: float32"]
    assert [str(s) for s in signature.outputs] == ["q: 3xint8"]


LOOP_LEVEL = """
func.func @scale(%x: memref<4xf32>, %out: memref<4xf32> {mlc.out}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %two = arith.constant 2.0 : f32
  scf.for %i = %c0 to %c4 step %c1 {
    %v = memref.load %x[%i] : memref<4xf32>
    %r = arith.mulf %v, %two : f32
    memref.store %r, %out[%i] : memref<4xf32>
  }
  func.return
}
"""

LLVM_LEVEL = """
llvm.func @double(%x: !llvm.ptr {llvm.noalias, mlc.type = memref<3xi32>},
                  %out: !llvm.ptr {llvm.noalias, mlc.out, mlc.type = memref<3xi32>}) {
  %c0 = llvm.mlir.constant(0 : i64) : i64
  %c1 = llvm.mlir.constant(1 : i64) : i64
  %n = llvm.mlir.constant(3 : i64) : i64
  llvm.br ^loop(%c0 : i64)
^loop(%i: i64):
  %more = llvm.icmp "slt" %i, %n : i64
  llvm.cond_br %more, ^body, ^exit
^body:
  %p = llvm.getelementptr %x[%i] : (!llvm.ptr, i64) -> !llvm.ptr, i32
  %q = llvm.getelementptr %out[%i] : (!llvm.ptr, i64) -> !llvm.ptr, i32
  %v = llvm.load %p : !llvm.ptr -> i32
  %r = llvm.add %v, %v : i32
  llvm.store %r, %q : i32, !llvm.ptr
  %next = llvm.add %i, %c1 : i64
  llvm.br ^loop(%next : i64)
^exit:
  llvm.return
}
"""


def test_loop_level_and_llvm_level_sources_run() -> None:
    scale = mlc.compile(LOOP_LEVEL)
    assert str(scale.signature) == "@scale(x: 4xfloat32) -> (out: 4xfloat32)"
    np.testing.assert_array_equal(scale(np.arange(4, dtype=np.float32)), [0, 2, 4, 6])
    double = mlc.compile(LLVM_LEVEL, opt_level=0)
    assert str(double.signature) == "@double(x: 3xint32) -> (out: 3xint32)"
    np.testing.assert_array_equal(double(np.array([1, -2, 3], np.int32)), [2, -4, 6])


def test_outputs_must_trail_the_inputs() -> None:
    text = (
        "func.func @f(%r: memref<2xf32> {mlc.out}, %a: memref<2xf32>) {\n"
        "  func.return\n}\n"
    )
    with pytest.raises(CompileError, match=r"input 'a' follows an mlc\.out output"):
        mlc.compile(text)


def test_an_llvm_func_entry_without_types_is_a_compile_error() -> None:
    text = "llvm.func @g(%p: !llvm.ptr) {\n  llvm.return\n}\n"
    with pytest.raises(CompileError, match=r"argument 'p' has no mlc\.type attribute"):
        mlc.compile(text)


def test_unsupported_arguments_are_compile_errors() -> None:
    scalar = "func.func @s(%x: f32) -> f32 {\n  func.return %x : f32\n}\n"
    with pytest.raises(CompileError, match="argument 'x' has type f32"):
        mlc.compile(scalar)
    dynamic = (
        "func.func @d(%x: tensor<?xf32>) -> tensor<?xf32> {\n"
        "  func.return %x : tensor<?xf32>\n}\n"
    )
    # A tensor-level `?` is specialized per call (runtime/specialize.py); a
    # dynamic memref below the tensor level is refused.
    identity = mlc.compile(dynamic)
    np.testing.assert_array_equal(identity(f32(5)), f32(5))
    loop = (
        "func.func @d(%x: memref<?xf32>, %y: memref<?xf32> {mlc.out}) {\n"
        "  func.return\n}\n"
    )
    with pytest.raises(CompileError, match="dynamic shape"):
        mlc.compile(loop)


# --------------------------------------------------------------------------- #
# Calls and argument checks
# --------------------------------------------------------------------------- #


def test_call_matches_numpy_and_outputs_are_fresh(add: CompiledModule) -> None:
    x, w = f32(2, 3), f32(3, seed=1)
    out = add(x, w)
    assert isinstance(out, np.ndarray)
    np.testing.assert_array_equal(out, x + w)
    assert out.flags.c_contiguous
    assert out.flags.writeable
    again = add(x, w)
    assert isinstance(again, np.ndarray)
    assert not np.shares_memory(out, again)


def test_misaligned_input_is_used_in_place(add: CompiledModule) -> None:
    raw = np.zeros(2 * 3 + 1, np.float32)
    start = 1 if raw.ctypes.data % ALIGNMENT == 0 else 0
    x = raw[start : start + 6].reshape(2, 3)
    x[...] = f32(2, 3)
    assert x.ctypes.data % ALIGNMENT != 0
    w = f32(3, seed=2)
    np.testing.assert_array_equal(add(x, w), x + w)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((f32(2, 3),), r"^@add takes 2 input\(s\) \(x, w\), got 1$"),
        ((f32(2, 3), f32(3), f32(3)), r"takes 2 input\(s\) \(x, w\), got 3"),
        (
            (f32(2, 3).astype(np.float64), f32(3)),
            r"^argument #0 'x': expected shape \(2, 3\) and dtype float32, got "
            r"shape \(2, 3\) and dtype float64$",
        ),
        (
            (f32(2, 3), f32(4)),
            r"^argument #1 'w': expected shape \(3,\) and dtype float32, got shape "
            r"\(4,\) and dtype float32$",
        ),
        (
            (f32(3, 2).T, f32(3)),
            r"^argument #0 'x': expected a C-contiguous array, got strides",
        ),
        ((f32(2, 3), "abc"), r"argument #1 'w': expected shape \(3,\) and dtype"),
        ((f32(2, 3), None), r"argument #1 'w': expected an array 3xfloat32, got"),
    ],
    ids=["too_few", "too_many", "dtype", "shape", "non_contiguous", "str", "none"],
)
def test_bad_arguments_raise_input_error(
    add: CompiledModule, args: tuple[object, ...], message: str
) -> None:
    with pytest.raises(InputError, match=message):
        add(*args)


def test_input_error_is_a_value_error_exported_by_mlc() -> None:
    assert mlc.InputError is InputError
    assert issubclass(mlc.InputError, ValueError)
    assert mlc.runtime.InputError is InputError


def test_lists_and_scalars_are_converted_when_the_kind_matches(
    add: CompiledModule,
) -> None:
    out = add([[1, 2, 3], [4, 5, 6]], [0.5, 0.5, 0.5])
    np.testing.assert_array_equal(out, np.array([[1.5, 2.5, 3.5], [4.5, 5.5, 6.5]]))
    with pytest.raises(InputError, match="dtype float32, got shape \\(3,\\) and dtype"):
        add(f32(2, 3), np.array([1 + 1j, 2, 3]).tolist())


def test_inputs_are_not_modified(add: CompiledModule) -> None:
    x, w = f32(2, 3), f32(3)
    before = (x.copy(), w.copy())
    add(x, w)
    np.testing.assert_array_equal(x, before[0])
    np.testing.assert_array_equal(w, before[1])


# --------------------------------------------------------------------------- #
# bind
# --------------------------------------------------------------------------- #


def test_bind_fixes_inputs_by_name(add: CompiledModule) -> None:
    x, w = f32(2, 3), f32(3, seed=3)
    bound = add.bind(w=w)
    assert [s.name for s in bound.signature.inputs] == ["x"]
    assert bound.full_signature == add.signature
    assert set(bound.bound) == {"w"}
    np.testing.assert_array_equal(bound(x), x + w)
    np.testing.assert_array_equal(add.bind({"x": x})(w), x + w)
    assert add(x, w).shape == (2, 3)  # the original still takes both
    everything = add.bind({"x": x}, w=w)
    assert everything.signature.inputs == ()
    np.testing.assert_array_equal(everything(), x + w)


def test_bind_errors_name_the_parameter(add: CompiledModule) -> None:
    with pytest.raises(InputError, match=r"^bind: 'v' is no input of @add"):
        add.bind(v=f32(3))
    with pytest.raises(InputError, match=r"^bind: 'w' is already bound"):
        add.bind(w=f32(3)).bind(w=f32(3))
    with pytest.raises(
        InputError,
        match=r"^bind: parameter 'w': expected shape \(3,\) and dtype float32, got "
        r"shape \(2,\)",
    ):
        add.bind(w=f32(2))


def test_bound_misaligned_arrays_are_used_in_place(add: CompiledModule) -> None:
    raw = np.zeros(4, np.float32)
    start = 1 if raw.ctypes.data % ALIGNMENT == 0 else 0
    w = raw[start : start + 3]
    w[...] = [1, 2, 3]
    bound = add.bind(w=w)
    assert bound.bound["w"] is w
    np.testing.assert_array_equal(bound(np.ones((2, 3), np.float32)), [1 + w] * 2)


def test_out_receives_the_result(add: CompiledModule) -> None:
    x, w = f32(2, 3), f32(3, seed=4)
    raw = np.zeros(7, np.float32)  # a misaligned output works too
    out = raw[1:].reshape(2, 3)
    assert add(x, w, out=out) is out
    np.testing.assert_array_equal(out, x + w)
    x2 = f32(2, 3, seed=5)
    assert add(x2, w, out=[out]) is out  # the same array again (cached address)
    np.testing.assert_array_equal(out, x2 + w)


@pytest.mark.parametrize(
    ("out", "message"),
    [
        (np.zeros((3, 2), np.float32), r"^out #0 'out0': expected shape \(2, 3\)"),
        (np.zeros((2, 3), np.float64), r"and dtype float64$"),
        (np.zeros((3, 2), np.float32).T, r"expected a C-contiguous array"),
        ([1.0], r"expected an array 2x3xfloat32 to write, got float$"),
        ((), r"^@add has 1 output\(s\), out= gives 0$"),
    ],
    ids=["shape", "dtype", "strided", "list", "empty"],
)
def test_bad_out_raises_input_error(
    add: CompiledModule, out: object, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        add(f32(2, 3), f32(3), out=out)  # pyright: ignore[reportArgumentType]


def test_read_only_and_overlapping_out_are_refused(add: CompiledModule) -> None:
    x = f32(2, 3)
    frozen = np.zeros((2, 3), np.float32)
    frozen.flags.writeable = False
    with pytest.raises(InputError, match="read-only"):
        add(x, f32(3), out=frozen)
    with pytest.raises(InputError, match="overlaps another argument"):
        add(x, f32(3), out=x)


def test_a_changed_input_in_the_same_array_is_seen(add: CompiledModule) -> None:
    x, w = f32(2, 3), f32(3)
    first = add(x, w)
    x += 1  # same array, same address, new values
    np.testing.assert_array_equal(add(x, w), x + w)
    assert not np.array_equal(first, x + w)


# --------------------------------------------------------------------------- #
# Entry selection and sources
# --------------------------------------------------------------------------- #

TWO_PUBLIC = ADD + ADD.replace("@add", "@add2")
WITH_PRIVATE = ADD + ADD.replace("func.func @add", "func.func private @helper")


def test_the_only_public_function_is_the_entry() -> None:
    assert mlc.compile(WITH_PRIVATE).entry == "add"


@pytest.mark.parametrize(
    ("text", "entry", "message"),
    [
        (TWO_PUBLIC, None, r"^the module has several public functions \(@add, @add2\)"),
        (ADD, "nope", r"^no public function @nope in the module \(public: @add\)$"),
        (WITH_PRIVATE, "helper", r"no public function @helper"),
        ("", None, r"^the module has no public function to compile$"),
    ],
)
def test_entry_selection_errors(text: str, entry: str | None, message: str) -> None:
    with pytest.raises(CompileError, match=message):
        mlc.compile(text or "builtin.module {\n}\n", entry)


def test_entry_among_several() -> None:
    compiled = mlc.compile(TWO_PUBLIC, entry="add2")
    assert compiled.entry == "add2"


def test_module_op_source_is_not_modified() -> None:
    module = Parser(full_context(), ADD).parse_module()
    before = str(module)
    compiled = mlc.compile(module, opt_level=0)
    assert str(module) == before
    assert compiled.opt_level == 0


def test_path_source_binds_its_weights_file(tmp_path: Path) -> None:
    from mlc.runtime.weights import save_weights

    w = f32(3, seed=4)
    save_weights(tmp_path / "add.weights", {"w": w})
    text = ADD.replace(
        "func.func", 'module attributes {mlc.weights = "add.weights"} {\nfunc.func', 1
    )
    source = tmp_path / "add.mlir"
    source.write_text(text + "}\n")
    compiled = mlc.compile(source)
    assert [s.name for s in compiled.signature.inputs] == ["x"]
    x = f32(2, 3)
    np.testing.assert_array_equal(compiled(x), x + w)
    np.testing.assert_array_equal(mlc.compile(str(source))(x), x + w)


def test_imported_model_binds_its_params() -> None:
    module = Parser(full_context(), ADD).parse_module()
    w = f32(3, seed=5)
    compiled = mlc.compile(ImportedModel(module, "add", {"w": w}))
    x = f32(2, 3)
    np.testing.assert_array_equal(compiled(x), x + w)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            "func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {\n"
            "  %0 = graph.relu %y : tensor<2xf32>\n"
            "  func.return %0 : tensor<2xf32>\n}\n",
            r"^<string>:2:\d+: error: .*%y",
        ),
        (
            "func.func @f(%x: tensor<2xf32>) -> tensor<3xf32> {\n"
            "  %0 = graph.relu %x : tensor<2xf32>\n"
            "  func.return %0 : tensor<2xf32>\n}\n",
            r"^<string>:3:\d+: error: ",
        ),
    ],
    ids=["parse", "verify"],
)
def test_bad_ir_is_a_located_one_line_error(source: str, message: str) -> None:
    with pytest.raises(CompileError, match=message) as info:
        mlc.compile(source)
    assert "\n" not in str(info.value)


def test_missing_path_and_wrong_source_type() -> None:
    with pytest.raises(CompileError, match=r"^no/such\.mlir: error: cannot read"):
        mlc.compile(Path("no/such.mlir"))
    with pytest.raises(TypeError, match="source must be a ModuleOp, IR text"):
        mlc.compile(42)  # pyright: ignore[reportArgumentType]
    with pytest.raises(ValueError, match="opt_level must be 0, 1, 2 or 3"):
        mlc.compile(ADD, opt_level=5)


# --------------------------------------------------------------------------- #
# Caching, LLVM IR, export
# --------------------------------------------------------------------------- #


def test_compiling_the_same_ir_again_skips_llvm() -> None:
    text = ADD.replace("@add", "@cached_add")
    before = jit.cache_info().misses
    first = mlc.compile(text)
    assert jit.cache_info().misses == before + 1
    second = mlc.compile(text)
    module = Parser(full_context(), text).parse_module()
    third = mlc.compile(module)
    assert jit.cache_info().misses == before + 1
    assert second.llvm_ir is first.llvm_ir is third.llvm_ir
    mlc.compile(text, opt_level=1)
    assert jit.cache_info().misses == before + 2


def test_llvm_ir_is_the_optimized_host_code(add: CompiledModule) -> None:
    assert "define void @add(ptr noalias" in add.llvm_ir
    assert "define void @add(ptr noalias" in add.unoptimized_llvm_ir
    assert "target triple" in add.llvm_ir
    assert repr(add).startswith("<CompiledModule @add(x: 2x3xfloat32")


def test_export_library_delegates_to_runtime_export(
    add: CompiledModule, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import mlc.runtime.export as export

    calls: list[tuple[object, ...]] = []
    monkeypatch.setattr(export, "export_library", lambda *args: calls.append(args))
    add.export_library(tmp_path / "libadd.so")
    add.export_library(tmp_path / "libadd.so", prefix="net")
    assert calls == [
        (add, tmp_path / "libadd.so", None),
        (add, tmp_path / "libadd.so", "net"),
    ]


def test_weights_file_errors_are_compile_errors(tmp_path: Path) -> None:
    from mlc.runtime.weights import save_weights

    source = tmp_path / "add.mlir"
    header = 'module attributes {mlc.weights = "add.weights"} {\n'
    source.write_text(header + ADD + "}\n")
    with pytest.raises(CompileError, match=r"add\.weights: cannot open weights file"):
        mlc.compile(source)
    save_weights(tmp_path / "add.weights", {"bias": f32(3)})
    with pytest.raises(CompileError, match=r"add\.weights: error: bind: 'bias' is no"):
        mlc.compile(source)


def test_onnx_path_source(tmp_path: Path) -> None:
    import onnx  # a test dependency
    from onnx import helper, numpy_helper

    graph = helper.make_graph(
        [helper.make_node("Add", ["x", "w"], ["y"])],
        "add",
        [helper.make_tensor_value_info("x", onnx.TensorProto.FLOAT, [2, 3])],
        [helper.make_tensor_value_info("y", onnx.TensorProto.FLOAT, [2, 3])],
        [numpy_helper.from_array(np.arange(3, dtype=np.float32), "w")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    path = tmp_path / "add.onnx"
    onnx.save(model, str(path))
    compiled = mlc.compile(path)
    x = f32(2, 3)
    np.testing.assert_allclose(compiled(x), x + np.arange(3, dtype=np.float32))


def test_zero_size_tensors() -> None:
    relu = (
        "func.func @f(%x: tensor<0x3xf64>) -> tensor<0x3xf64> {\n"
        "  %0 = graph.relu %x : tensor<0x3xf64>\n"
        "  func.return %0 : tensor<0x3xf64>\n}\n"
    )
    out = mlc.compile(relu)(np.zeros((0, 3)))
    assert isinstance(out, np.ndarray)
    assert out.shape == (0, 3)
    assert out.dtype == np.float64


def test_arguments_with_one_name_get_unique_names() -> None:
    """xDSL parses `%w_1` and `%w_2` both as `w`: they become `w`, `w_1`."""
    text = (
        "func.func @f(%w_1: tensor<2xf32>, %w_2: tensor<2xf32>) -> tensor<2xf32> {\n"
        "  %0 = graph.sub %w_1, %w_2 : (tensor<2xf32>, tensor<2xf32>) -> "
        "tensor<2xf32>\n"
        "  func.return %0 : tensor<2xf32>\n}\n"
    )
    compiled = mlc.compile(text)
    assert [s.name for s in compiled.signature.inputs] == ["w", "w_1"]
    a, b = f32(2), f32(2, seed=1)
    np.testing.assert_array_equal(compiled.bind(w_1=b)(a), a - b)
    np.testing.assert_array_equal(compiled.bind(w=a)(b), a - b)


RECURSIVE = """\
func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = func.call @f(%x) : (tensor<2xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}
"""

MUTUALLY_RECURSIVE = """\
func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = func.call @g(%x) : (tensor<2xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}
func.func private @g(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = graph.relu %x : tensor<2xf32>
  %1 = func.call @f(%0) : (tensor<2xf32>) -> tensor<2xf32>
  func.return %1 : tensor<2xf32>
}
"""


def test_a_recursive_call_graph_is_refused_at_the_call() -> None:
    with pytest.raises(CompileError) as info:
        mlc.compile(RECURSIVE)
    assert str(info.value) == (
        "<string>:2:8: error: @f calls itself; mlc does not compile recursive "
        "call graphs"
    )
    with pytest.raises(CompileError) as info:
        mlc.compile(MUTUALLY_RECURSIVE)
    assert str(info.value) == (
        "<string>:7:8: error: recursive calls @f -> @g -> @f; mlc does not "
        "compile recursive call graphs"
    )


def test_a_call_tree_is_not_recursion() -> None:
    text = """\
func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = func.call @g(%x) : (tensor<2xf32>) -> tensor<2xf32>
  %1 = func.call @g(%0) : (tensor<2xf32>) -> tensor<2xf32>
  func.return %1 : tensor<2xf32>
}
func.func private @g(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = graph.relu %x : tensor<2xf32>
  func.return %0 : tensor<2xf32>
}
"""
    x = np.array([-1.0, 2.0], np.float32)
    np.testing.assert_array_equal(mlc.compile(text)(x), np.maximum(x, 0))


def nested_regions(depth: int) -> str:
    """@f returning its argument through `depth` nested `scf.execute_region`s."""
    body = "scf.yield %x : tensor<2xf32>"
    for _ in range(depth):
        body = (
            "%r = scf.execute_region -> tensor<2xf32> {\n"
            f"{body}\n}}\nscf.yield %r : tensor<2xf32>"
        )
    body = body.rsplit("scf.yield", 1)[0]
    return (
        "func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {\n"
        f"{body}\nfunc.return %r : tensor<2xf32>\n}}"
    )


def test_deeply_nested_ir_is_a_one_line_compile_error() -> None:
    with pytest.raises(CompileError) as info:
        mlc.compile(nested_regions(150))
    message = str(info.value)
    assert message.startswith("<string>: error: the IR nests too deeply")
    assert "\n" not in message


def test_an_unknown_file_kind_is_a_compile_error(tmp_path: Path) -> None:
    script = tmp_path / "script.py"
    script.write_text("print('hello')\n")
    with pytest.raises(CompileError) as info:
        mlc.compile(str(script))
    assert str(info.value) == (
        f"{script}: error: unknown model format '.py' (expected a .mlir or .onnx "
        "file, or IR text)"
    )


def test_an_internal_failure_is_a_one_line_compile_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from mlc.runtime import compiled

    def crash(module: object, entry: str | None) -> str:
        raise KeyError("boom")

    monkeypatch.setattr(compiled, "choose_entry", crash)
    with pytest.raises(CompileError) as info:
        mlc.compile(RECURSIVE.replace("func.call @f", "func.call @g") + G_RELU)
    assert str(info.value) == "<string>: internal error: KeyError: 'boom'"


G_RELU = """\
func.func private @g(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = graph.relu %x : tensor<2xf32>
  func.return %0 : tensor<2xf32>
}
"""


class _BreakVerification(ModulePass):
    name = "break-verification"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        op.body.block.add_op(func.ReturnOp())  # a terminator outside a function


def test_invalid_ir_from_a_pass_is_named_though_verified_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from mlc.lowering import pipelines

    monkeypatch.setattr(
        pipelines, "pipeline_passes", lambda to, registry=None: [_BreakVerification()]
    )
    monkeypatch.setattr(pipelines, "stages_up_to", lambda to: [("loop", "break")])
    # The located error of the re-run that verifies after each pass, as
    # when verifying each pass throughout (not the final check's fallback).
    with pytest.raises(CompileError) as info:
        mlc.compile(ADD.replace("@add", "@add_broken"))
    assert str(info.value) == (
        "<module>:1:1: error: 'func.return' expects parent op 'func.func'"
    )
