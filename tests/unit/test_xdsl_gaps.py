"""
Each gap of the pinned xDSL that mlc works around (docs/xdsl_gaps.md) still
exists in the installed xDSL.

One test per gap, named after its id (the `xdsl-gap(<version>): <id>` marker in
the code). A test fails once xDSL closes its gap: bumping the pin then lists the
workarounds to delete.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import math
import re
import typing
import uuid
from pathlib import Path
from typing import Any

import pytest
from xdsl.context import Context
from xdsl.dialect_interfaces.op_asm import OpAsmDialectInterface
from xdsl.dialects import arith, builtin, cf, func, linalg, llvm, memref, tensor
from xdsl.dialects import math as mathd
from xdsl.dialects.builtin import (
    Float32Type,
    IntegerAttr,
    MemRefType,
    ModuleOp,
    TensorType,
    UnknownLoc,
    VectorType,
    f32,
    f64,
    i1,
    i32,
    i64,
)
from xdsl.dialects.linalg import ops as linalg_ops
from xdsl.interpreter import Interpreter, InterpreterFunctions
from xdsl.interpreters import arith as arith_interp
from xdsl.interpreters import cf as cf_interp
from xdsl.interpreters import linalg as linalg_interp
from xdsl.interpreters import math as math_interp
from xdsl.interpreters import memref as memref_interp
from xdsl.interpreters import tensor as tensor_interp
from xdsl.interpreters.shaped_array import ShapedArray
from xdsl.interpreters.utils.ptr import TypedPtr
from xdsl.ir import Attribute, Block, Operation, Region
from xdsl.irdl import (
    IRDLOperation,
    irdl_op_definition,
    opt_operand_def,
    opt_prop_def,
    result_def,
)
from xdsl.irdl.operations import AttrSizedOperandSegments, ParsePropInAttrDict
from xdsl.parser import Parser
from xdsl.utils.exceptions import (
    DiagnosticException,
    ParseError,
    PassFailedException,
    PyRDLOpDefinitionError,
    VerifyException,
)
from xdsl.utils.mlir_lexer import MLIRLexer
from xdsl.xdsl_opt_main import xDSLOptMain

from mlc.dialects.linalg_ext import BatchMatmulOp
from mlc.dialects.llvm_ext import LLVM_EXT_OPS

PINNED = "0.74.0"
ROOT = Path(__file__).resolve().parents[2]


def test_the_pin_is_what_the_ledger_describes() -> None:
    """The ledger (and every marker) speaks of this version."""
    assert importlib.metadata.version("xdsl") == PINNED


def stock_context(*dialects: Any) -> Context:
    ctx = Context()
    for dialect in (builtin.Builtin, func.Func, arith.Arith, *dialects):
        ctx.load_dialect(dialect)
    return ctx


def op_names(dialect: Any) -> set[str]:
    return {op.name for op in dialect.operations}


def impls(*functions: type[InterpreterFunctions]) -> set[type[Operation]]:
    return {
        op_type
        for cls in functions
        for op_type, _ in cls._impls()  # pyright: ignore[reportPrivateUsage]
    }


# --------------------------------------------------------------------------- #
# Dialects
# --------------------------------------------------------------------------- #


def test_llvm_ops() -> None:
    """xDSL's llvm dialect lacks every op of llvm_ext (casts, intrinsics, ...)."""
    replaced = {"llvm.fcmp", "llvm.select"}  # see test_llvm_fcmp_select_vector
    present = op_names(llvm.LLVM) & {op.name for op in LLVM_EXT_OPS} - replaced
    assert not present, f"xDSL now defines {sorted(present)}: drop them from llvm_ext"


def _vector_f32() -> tuple[Block, VectorType[Float32Type]]:
    vector_type = VectorType(f32, [4])
    return Block(arg_types=[vector_type, vector_type]), vector_type


def test_llvm_fcmp_select_vector() -> None:
    """xDSL's llvm.fcmp refuses vector operands."""
    block, _ = _vector_f32()
    with pytest.raises((VerifyException, TypeError, ValueError)):
        llvm.FCmpOp(block.args[0], block.args[1], "olt").verify()


def test_arith_cmp_select_vector() -> None:
    """xDSL's arith.cmpf on vectors gives one i1; select refuses a vector mask."""
    block, vector_type = _vector_f32()
    assert arith.CmpfOp(block.args[0], block.args[1], "olt").result.type == i1
    masks = Block(arg_types=[VectorType(i1, vector_type.get_shape())])
    select = arith.SelectOp(masks.args[0], block.args[0], block.args[1])
    with pytest.raises(VerifyException):
        select.verify()


def test_arith_remf() -> None:
    assert "arith.remf" not in op_names(arith.Arith)


def test_memref_prefetch() -> None:
    assert "memref.prefetch" not in op_names(memref.MemRef)
    assert "llvm.intr.prefetch" not in op_names(llvm.LLVM)


def test_llvm_memcpy_intrinsic() -> None:
    assert "llvm.intr.memcpy" not in op_names(llvm.LLVM)


def test_linalg_batch_matmul() -> None:
    assert BatchMatmulOp.name not in op_names(linalg.Linalg)


GENERIC_TWO_RESULTS = """
func.func @f(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
  %0:2 = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>,
      affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>],
      iterator_types = ["parallel"]}
      ins(%x : tensor<2xf32>) outs(%x, %x : tensor<2xf32>, tensor<2xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    linalg.yield %a, %a : f32, f32
  } -> (tensor<2xf32>, tensor<2xf32>)
  func.return %0#0, %0#1 : tensor<2xf32>, tensor<2xf32>
}
"""


def test_linalg_generic_results_parse() -> None:
    """Upstream's `-> (t0, t1)` after a multi-result generic does not parse."""
    ctx = stock_context(linalg.Linalg)
    with pytest.raises(ParseError):
        Parser(ctx, GENERIC_TWO_RESULTS).parse_module()


def test_pooling_max_region() -> None:
    """The hidden region maximises the input with the window operand, not `out`."""
    block = Block(arg_types=[f32, f32, f32])
    region = linalg_ops.PoolingNchwMaxOp.get_hidden_region(
        [block.args[0], block.args[1]], [block.args[2]]
    )
    body = region.block
    maximum = body.first_op
    assert isinstance(maximum, arith.MaximumfOp)
    assert (maximum.lhs, maximum.rhs) == (body.args[0], body.args[1])


def test_rank0_reassociation() -> None:
    """An expand_shape from rank 0 (empty reassociation) fails xDSL's verifier."""
    ctx = stock_context(tensor.Tensor)
    text = """
    func.func @f(%x: tensor<f32>) -> tensor<1x1xf32> {
      %0 = tensor.expand_shape %x [] output_shape [1, 1]
          : tensor<f32> into tensor<1x1xf32>
      func.return %0 : tensor<1x1xf32>
    }
    """
    module = Parser(ctx, text).parse_module()
    with pytest.raises(VerifyException):
        module.verify()


def test_linalg_reduce_broadcast_structured() -> None:
    structured = linalg_ops.LinalgStructuredOperation
    assert not issubclass(linalg_ops.ReduceOp, structured)
    assert not issubclass(linalg_ops.BroadcastOp, structured)


def test_one_shot_bufferize() -> None:
    from xdsl.transforms import get_all_passes

    assert "one-shot-bufferize" not in get_all_passes()


def test_llvm_fcmp_fastmath() -> None:
    """`llvm.fcmp` drops its fast-math flags when printed."""
    x = Block(arg_types=[f32]).args[0]
    op = llvm.FCmpOp(x, x, "olt")
    op.properties["fastmathFlags"] = llvm.FastMathAttr("fast")
    op.verify()
    assert "fast" not in str(op)


def test_dense_typed_structure() -> None:
    """The dense attribute's type parameter is bound to dense element types."""
    bound = typing.cast(Any, builtin)._DenseElementCovT.__bound__
    assert bound is not Attribute


# --------------------------------------------------------------------------- #
# IRDL and the declarative format
# --------------------------------------------------------------------------- #


def test_misspelt_property() -> None:
    """With properties in the attr-dict, an unknown name becomes an attribute."""

    @irdl_op_definition
    class PropOp(IRDLOperation):
        name = "gaps.prop"
        axis = opt_prop_def(IntegerAttr)
        result = result_def(i32)
        assembly_format = "attr-dict `:` type($result)"
        irdl_options = (ParsePropInAttrDict(),)

    ctx = stock_context()
    ctx.load_op(PropOp)
    op = Parser(ctx, "%0 = gaps.prop {axsi = 1 : i64} : i32").parse_op()
    op.verify()
    assert "axsi" in op.attributes


def test_format_two_optional_operands() -> None:
    """`functional-type(operands, results)` with two optional operands is refused."""
    with pytest.raises(PyRDLOpDefinitionError, match="ambiguous"):

        @irdl_op_definition
        class TwoOptional(IRDLOperation):  # pyright: ignore[reportUnusedClass]
            name = "gaps.two_optional"
            a = opt_operand_def(Float32Type)
            b = opt_operand_def(Float32Type)
            result = result_def(f32)
            assembly_format = (
                "($a^)? ($b^)? attr-dict `:` functional-type(operands, results)"
            )
            irdl_options = (AttrSizedOperandSegments(as_property=True),)


# --------------------------------------------------------------------------- #
# Parsing, verifying, diagnostics
# --------------------------------------------------------------------------- #


def test_op_locations() -> None:
    """Ops parsed without `loc(...)` are at `loc(unknown)`."""
    ctx = stock_context()
    op = Parser(ctx, "%0 = arith.constant 1 : i32").parse_op()
    assert isinstance(op.location, UnknownLoc)


def test_undefined_value_location() -> None:
    """An undefined SSA value is reported at the end of the input, not its use."""
    ctx = stock_context()
    text = "func.func @f() {\n  %0 = arith.addi %x, %x : i32\n  func.return\n}\n"
    with pytest.raises(ParseError) as error:
        Parser(ctx, text).parse_module()
    assert error.value.span.start > text.index("%x")


def test_verify_unlocated() -> None:
    """A nested op's verifier error does not say which op failed."""
    ctx = stock_context()
    text = """
    func.func @f(%x: i32, %y: i64) {
      %0 = "arith.addi"(%x, %y) : (i32, i64) -> i32
      func.return
    }
    """
    module = Parser(ctx, text).parse_module()
    with pytest.raises(VerifyException) as error:
        module.verify()
    assert not hasattr(error.value, "op")
    assert "arith.addi" not in str(error.value)


def test_diagnostic_exception_op() -> None:
    """A pass failure carries only a message: no op to locate it."""
    assert DiagnosticException.__init__ is Exception.__init__
    assert not hasattr(PassFailedException("x"), "op")


def test_lexer_string_backtracking() -> None:
    """The string-literal regex nests `+` in `*` (exponential backtracking)."""
    pattern = typing.cast(Any, MLIRLexer)._unescaped_characters_regex.pattern
    assert re.search(r"\]\+\|", pattern), pattern


def test_dense_resource_reparse() -> None:
    """A second parse of a `dense_resource` handle in one context loses its blob."""
    ctx = stock_context()
    # xDSL keeps the blobs in its dialect object, shared by every context of
    # the process: a handle no other parse has used.
    name = f"gap_{uuid.uuid4().hex}"
    text = f"""
    %c = arith.constant dense_resource<{name}> : tensor<2xf32>
    {{-#
      dialect_resources: {{
        builtin: {{
          {name}: "0x040000000000803F00000040"
        }}
      }}
    #-}}
    """
    builtin_dialect = ctx.get_dialect("builtin")
    storage = builtin_dialect.get_interface(OpAsmDialectInterface)
    assert storage is not None
    handles: list[str] = []
    for _ in range(2):
        constant = next(iter(Parser(ctx, text).parse_module().ops))
        assert isinstance(constant, arith.ConstantOp)
        value = constant.value
        assert isinstance(value, builtin.DenseResourceAttr)
        handles.append(value.resource_handle.data)
    assert handles[0] == name
    assert storage.lookup(handles[0])
    # The second attribute is renamed (NAME_0) but its blob is stored under a
    # third name: the handle resolves to nothing.
    assert handles[1] != handles[0]
    assert not storage.lookup(handles[1])


# --------------------------------------------------------------------------- #
# xdsl-opt's driver
# --------------------------------------------------------------------------- #


def test_disable_verify_global() -> None:
    """xdsl-opt's --disable-verify swaps `Attribute.__post_init__` for good."""
    original = Attribute.__post_init__
    try:
        xDSLOptMain(args=["--disable-verify"])
        assert Attribute.__post_init__ is not original
    finally:
        Attribute.__post_init__ = original


def test_opt_main_flag_help() -> None:
    """xdsl-opt's flags are registered once, with no way to redefine one."""
    redefined: list[BaseException] = []

    class Redefining(xDSLOptMain):
        def register_all_arguments(self, arg_parser: argparse.ArgumentParser) -> None:
            super().register_all_arguments(arg_parser)
            try:
                arg_parser.add_argument("--passes", help="a new meaning")
            except argparse.ArgumentError as error:
                redefined.append(error)

    Redefining(args=[])
    assert redefined


# --------------------------------------------------------------------------- #
# Interpreters
# --------------------------------------------------------------------------- #


def test_interp_missing_ops() -> None:
    """Ops of the tensor and loop levels that xDSL's interpreters cannot run."""
    known = impls(
        memref_interp.MemRefFunctions,
        linalg_interp.LinalgFunctions,
        tensor_interp.TensorFunctions,
        cf_interp.CfFunctions,
        arith_interp.ArithFunctions,
        math_interp.MathFunctions,
    )
    needed = {
        memref.SubviewOp,
        memref.CollapseShapeOp,
        memref.ExpandShapeOp,
        memref.ViewOp,
        memref.CopyOp,
        cf.AssertOp,
        linalg_ops.BroadcastOp,
        linalg_ops.IndexOp,
        tensor.ExtractSliceOp,
        tensor.PadOp,
        tensor.ConcatOp,
        tensor.InsertSliceOp,
        tensor.CollapseShapeOp,
        tensor.ExpandShapeOp,
        mathd.SinOp,
        mathd.AtanhOp,
        mathd.FloorOp,
        mathd.RoundEvenOp,
        mathd.CopySignOp,
        arith.ShRUIOp,
        arith.BitcastOp,
    }
    assert not needed & known, f"xDSL now interprets {needed & known}"


def test_interp_math_ieee() -> None:
    """`math.exp` overflows with a Python error instead of returning inf."""
    functions = math_interp.MathFunctions()
    with pytest.raises(OverflowError):
        functions.run_exp(typing.cast(Any, None), typing.cast(Any, None), (1000.0,))
    with pytest.raises(ValueError, match="math domain"):
        functions.run_sqrt(typing.cast(Any, None), typing.cast(Any, None), (-1.0,))
    assert math.isinf(float("inf"))


def test_interp_dense_constant() -> None:
    """`arith.constant dense<...>` is not a value xDSL's interpreter makes."""
    attr = builtin.DenseIntOrFPElementsAttr.from_list(TensorType(f32, [2]), [1.0, 2.0])
    op = arith.ConstantOp(attr)
    interpreter = Interpreter(ModuleOp([]))
    interpreter.register_implementations(arith_interp.ArithFunctions())
    with pytest.raises(Exception):  # noqa: PT011 - any refusal
        interpreter.run_op(op, ())


def shaped(values: list[float], shape: list[int]) -> ShapedArray[float]:
    return ShapedArray(TypedPtr.new_float64(values), shape)


def test_interp_linalg_fill() -> None:
    """`linalg.fill` wants a shaped fill value and an all-zero destination."""
    dest = Block(arg_types=[MemRefType(f64, [2])]).args[0]
    scalar = Block(arg_types=[f64]).args[0]
    op = linalg_ops.FillOp([scalar], [dest], [])
    functions = linalg_interp.LinalgFunctions()
    no_interpreter = typing.cast(Any, None)
    with pytest.raises(AssertionError):
        functions.run_fill(no_interpreter, op, (2.0, shaped([0.0, 0.0], [2])))
    with pytest.raises(NotImplementedError):
        functions.run_fill(
            no_interpreter, op, (shaped([2.0], [1]), shaped([1.0, 1.0], [2]))
        )


def test_interp_conv_channels() -> None:
    """`linalg.conv_2d_nchw_fchw` reads the first input channel only."""
    block = Block(
        arg_types=[
            MemRefType(f64, [1, 2, 1, 1]),
            MemRefType(f64, [1, 2, 1, 1]),
            MemRefType(f64, [1, 1, 1, 1]),
        ]
    )
    x, w, out = block.args
    ones = builtin.DenseIntOrFPElementsAttr.from_list(TensorType(i64, [2]), [1, 1])
    op = linalg_ops.Conv2DNchwFchwOp([x, w], [out], [], strides=ones, dilations=ones)
    result = shaped([0.0], [1, 1, 1, 1])
    linalg_interp.LinalgFunctions().run_conv_2d_nchw_fchw(
        typing.cast(Any, None),
        op,
        (shaped([1.0, 2.0], [1, 2, 1, 1]), shaped([1.0, 1.0], [1, 2, 1, 1]), result),
    )
    assert result.data[0] != 1.0 + 2.0


# --------------------------------------------------------------------------- #
# The LLVM IR translator (xdsl.backend.llvm)
# --------------------------------------------------------------------------- #


def translated(*ops: Operation) -> str:
    from xdsl.backend.llvm.convert import convert_module

    module = convert_module(ModuleOp(list(ops)), fallback_target_triple="x86_64")
    return str(module)


def test_llvm_translate_linkage() -> None:
    """A function's linkage is dropped (an internal definition turns external)."""
    function = llvm.FuncOp(
        "f",
        llvm.LLVMFunctionType([]),
        linkage=llvm.LinkageAttr("internal"),
        body=Region(Block([llvm.ReturnOp()])),
    )
    text = translated(function)
    assert 'define void @"f"' in text


def test_llvm_translate_global() -> None:
    """A global's alignment is dropped."""
    global_ = llvm.GlobalOp(
        i32, "g", "internal", constant=True, value=IntegerAttr(3, i32), alignment=64
    )
    text = translated(global_)
    assert '@"g" = internal constant i32 3' in text
    assert "align" not in text


def marker_ids() -> dict[str, list[str]]:
    """Gap id -> the files whose code names it with an `xdsl-gap` marker."""
    found: dict[str, list[str]] = {}
    marker = re.compile(r"xdsl-gap\((\d+\.\d+)\): ([a-z0-9-]+) — ")
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in (".venv", ".pkgroot", "tests", "build"):
            continue
        for version, gap in marker.findall(path.read_text()):
            assert version == PINNED.rsplit(".", 1)[0], f"{relative}: {version}"
            found.setdefault(gap, []).append(str(relative))
    return found


def ledger_ids() -> list[str]:
    text = (ROOT / "docs" / "xdsl_gaps.md").read_text()
    return re.findall(r"^### `([a-z0-9-]+)`", text, flags=re.M)


def gap_test_ids() -> list[str]:
    return sorted(
        name.removeprefix("test_").replace("_", "-")
        for name in globals()
        if name.startswith("test_")
    )


def test_every_gap_is_marked_listed_and_tested() -> None:
    """Markers in the code, the ledger's entries and these tests name the same gaps."""
    markers, ledger = marker_ids(), ledger_ids()
    tested = set(gap_test_ids())
    assert len(ledger) == len(set(ledger)), "a gap listed twice"
    assert set(markers) == set(ledger), set(markers) ^ set(ledger)
    assert set(ledger) <= tested, set(ledger) - tested
