"""
`translate_to_llvm_ir`: every op family the `convert-*-to-llvm` passes produce
translates to LLVM IR that real `opt -passes=verify` (LLVM 22) accepts; each
input is itself checked by real `mlir-translate`, so the cases are upstream
llvm-dialect IR. Plus `optimize` (vectorizes for the host at -O3) and
`emit_object`, and the one-line errors of untranslatable input.
"""

from __future__ import annotations

import os
import re
import subprocess
import sysconfig
from pathlib import Path

import pytest

from mlc.runtime.compiled import CompileError, parse_ir
from mlc.runtime.llvm_ir import (
    LLVMError,
    TranslationError,
    emit_object,
    optimize,
    translate_to_llvm_ir,
)

BIN = Path(sysconfig.get_paths()["purelib"])
OPT = BIN / "llvm" / "bin" / "opt"
MLIR_TRANSLATE = BIN / "mlir" / "bin" / "mlir-translate"

if not (os.access(OPT, os.X_OK) and os.access(MLIR_TRANSLATE, os.X_OK)):
    if os.environ.get("CI"):
        raise RuntimeError(f"upstream opt / mlir-translate missing: {OPT}")
    pytest.skip("upstream opt / mlir-translate not installed", allow_module_level=True)


def llvm_verify(llvm_ir: str) -> str:
    """The module as real `opt -passes=verify -S` prints it (LLVM's spelling)."""
    done = subprocess.run(
        [str(OPT), "-passes=verify", "-S"],
        input=llvm_ir,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, f"{done.stderr}\n{llvm_ir}"
    return done.stdout


def upstream_translates(mlir: str) -> None:
    done = subprocess.run(
        [str(MLIR_TRANSLATE), "--mlir-to-llvmir"],
        input=mlir,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def translate(mlir: str) -> str:
    """Our LLVM IR for `mlir` (which upstream translates too), verified."""
    upstream_translates(mlir)
    return translate_to_llvm_ir(parse_ir(mlir, "case.mlir"))


def fn(args: str, body: str) -> str:
    return f"llvm.func @f({args}) {{\n{body}\n  llvm.return\n}}\n"


# Each case: an llvm-dialect module and strings its LLVM IR must contain.
CASES: dict[str, tuple[str, list[str]]] = {
    "integer_arithmetic": (
        fn(
            "%a: i32, %b: i32, %p: !llvm.ptr",
            """
  %0 = llvm.add %a, %b overflow<nsw> : i32
  %1 = llvm.sub %0, %b : i32
  %2 = llvm.mul %1, %a : i32
  %3 = llvm.sdiv %2, %b : i32
  %4 = llvm.udiv %3, %b : i32
  %5 = llvm.srem %4, %a : i32
  %6 = llvm.urem %5, %a : i32
  %7 = llvm.and %6, %a : i32
  %8 = llvm.or %7, %b : i32
  %9 = llvm.xor %8, %a : i32
  %10 = llvm.shl %9, %b : i32
  %11 = llvm.lshr %10, %b : i32
  %12 = llvm.ashr %11, %b : i32
  %13 = llvm.icmp "ult" %12, %a : i32
  %14 = llvm.select %13, %a, %b : i1, i32
  %15 = llvm.trunc %14 : i32 to i8
  %16 = llvm.zext %15 : i8 to i64
  %17 = llvm.sext %15 : i8 to i16
  llvm.store %16, %p : i64, !llvm.ptr""",
        ),
        ["add nsw i32", "icmp ult", "select i1", "zext i8", "sext i8"],
    ),
    "float_arithmetic_with_fastmath": (
        fn(
            "%a: f32, %b: f32, %p: !llvm.ptr",
            """
  %0 = llvm.fadd %a, %b {fastmathFlags = #llvm.fastmath<contract>} : f32
  %1 = llvm.fsub %0, %b : f32
  %2 = llvm.fmul %1, %a {fastmathFlags = #llvm.fastmath<fast>} : f32
  %3 = llvm.fdiv %2, %b : f32
  %4 = llvm.frem %3, %a : f32
  %5 = llvm.fneg %4 : f32
  %6 = llvm.fcmp "uno" %5, %a : f32
  %7 = llvm.fcmp "une" %5, %a : f32
  %8 = llvm.fcmp "ord" %5, %a : f32
  %9 = llvm.fcmp "olt" %5, %a : f32
  %10 = llvm.and %6, %7 : i1
  %11 = llvm.or %8, %9 : i1
  %12 = llvm.and %10, %11 : i1
  %13 = llvm.select %12, %5, %a : i1, f32
  llvm.store %13, %p : f32, !llvm.ptr""",
        ),
        ["fadd contract float", "fmul fast float", "fcmp uno", "fcmp une", "fneg"],
    ),
    "casts": (
        fn(
            "%i: i32, %x: f32, %p: !llvm.ptr",
            """
  %0 = llvm.sitofp %i : i32 to f64
  %1 = llvm.uitofp %i : i32 to f32
  %2 = llvm.fptosi %x : f32 to i16
  %3 = llvm.fptoui %x : f32 to i8
  %4 = llvm.fptrunc %x : f32 to f16
  %5 = llvm.fpext %4 : f16 to f64
  %6 = llvm.bitcast %x : f32 to i32
  %7 = llvm.ptrtoint %p : !llvm.ptr to i64
  %8 = llvm.inttoptr %7 : i64 to !llvm.ptr
  llvm.store %5, %8 : f64, !llvm.ptr""",
        ),
        ["sitofp", "uitofp", "fptosi", "fptoui", "fptrunc float", "to half"],
    ),
    "math_intrinsics": (
        fn(
            "%x: f32, %y: f64, %p: !llvm.ptr",
            """
  %0 = llvm.intr.fabs(%x) : (f32) -> f32
  %1 = llvm.intr.sqrt(%0) : (f32) -> f32
  %2 = llvm.intr.exp(%1) : (f32) -> f32
  %3 = llvm.intr.log(%2) : (f32) -> f32
  %4 = llvm.intr.log2(%3) : (f32) -> f32
  %5 = llvm.intr.log10(%4) : (f32) -> f32
  %6 = llvm.intr.exp2(%5) : (f32) -> f32
  %7 = llvm.intr.floor(%6) : (f32) -> f32
  %8 = llvm.intr.ceil(%7) : (f32) -> f32
  %9 = llvm.intr.round(%8) : (f32) -> f32
  %10 = llvm.intr.roundeven(%9) : (f32) -> f32
  %11 = llvm.intr.trunc(%10) : (f32) -> f32
  %12 = llvm.intr.tanh(%11) : (f32) -> f32
  %13 = llvm.intr.sin(%12) : (f32) -> f32
  %14 = llvm.intr.cos(%13) : (f32) -> f32
  %15 = llvm.intr.pow(%14, %x) : (f32, f32) -> f32
  %16 = llvm.intr.maximum(%15, %x) : (f32, f32) -> f32
  %17 = llvm.intr.minimum(%16, %x) : (f32, f32) -> f32
  %18 = llvm.intr.maxnum(%17, %x) : (f32, f32) -> f32
  %19 = llvm.intr.minnum(%18, %x) : (f32, f32) -> f32
  %20 = llvm.intr.copysign(%19, %x) : (f32, f32) -> f32
  %21 = llvm.intr.fma(%20, %x, %x) {fastmathFlags = #llvm.fastmath<contract>}
      : (f32, f32, f32) -> f32
  %c3 = llvm.mlir.constant(3 : i32) : i32
  %22 = llvm.intr.powi(%y, %c3) : (f64, i32) -> f64
  %23 = llvm.fpext %21 : f32 to f64
  %24 = llvm.fadd %22, %23 : f64
  llvm.store %24, %p : f64, !llvm.ptr""",
        ),
        [
            "@llvm.maximum.f32",
            "@llvm.minimum.f32",
            "@llvm.tanh.f32",
            "@llvm.log10.f32",
            "@llvm.roundeven.f32",
            "call contract float @llvm.fma.f32",
            "@llvm.powi.f64.i32",
        ],
    ),
    "integer_intrinsics": (
        fn(
            "%a: i32, %b: i32, %p: !llvm.ptr",
            """
  %0 = llvm.intr.smax(%a, %b) : (i32, i32) -> i32
  %1 = llvm.intr.smin(%0, %b) : (i32, i32) -> i32
  %2 = llvm.intr.umax(%1, %b) : (i32, i32) -> i32
  %3 = llvm.intr.umin(%2, %b) : (i32, i32) -> i32
  %4 = "llvm.intr.abs"(%3) <{is_int_min_poison = false}> : (i32) -> i32
  llvm.store %4, %p : i32, !llvm.ptr""",
        ),
        ["@llvm.smax.i32", "@llvm.umin.i32", "@llvm.abs.i32(i32 %", "i1 false)"],
    ),
    "memory_and_calls": (
        """
llvm.func @aligned_alloc(i64, i64) -> !llvm.ptr
llvm.func @free(!llvm.ptr)
llvm.func @memcpy(!llvm.ptr, !llvm.ptr, i64) -> !llvm.ptr
llvm.func @erff(f32) -> f32
llvm.func @f(%a: !llvm.ptr {llvm.noalias, llvm.align = 64 : i64},
             %out: !llvm.ptr {llvm.noalias, llvm.align = 64 : i64}) {
  %c64 = llvm.mlir.constant(64 : i64) : i64
  %c1 = llvm.mlir.constant(1 : i64) : i64
  %c2 = llvm.mlir.constant(2 : i64) : i64
  %buf = llvm.call @aligned_alloc(%c64, %c64) : (i64, i64) -> !llvm.ptr
  %0 = llvm.call @memcpy(%buf, %a, %c64) : (!llvm.ptr, !llvm.ptr, i64) -> !llvm.ptr
  %p = llvm.getelementptr inbounds %buf[%c1] : (!llvm.ptr, i64) -> !llvm.ptr, f32
  %q = llvm.getelementptr %buf[1, 2] : (!llvm.ptr) -> !llvm.ptr, !llvm.array<4 x f32>
  %x = llvm.load %p {alignment = 4 : i64} : !llvm.ptr -> f32
  %y = llvm.load %q : !llvm.ptr -> f32
  %e = llvm.call @erff(%x) : (f32) -> f32
  %s = llvm.fadd %e, %y : f32
  %slot = llvm.alloca %c2 x f32 {alignment = 16 : i64} : (i64) -> !llvm.ptr
  llvm.store %s, %slot : f32, !llvm.ptr
  %t = llvm.load %slot : !llvm.ptr -> f32
  llvm.store %t, %out {alignment = 64 : i64} : f32, !llvm.ptr
  llvm.call @free(%buf) : (!llvm.ptr) -> ()
  llvm.return
}
""",
        [
            "define void @f(ptr noalias align 64",
            "declare ptr @aligned_alloc(i64, i64)",
            "call float @erff(",
            "getelementptr inbounds float",
            "load float, ptr",
            "align 4",
            "alloca float, i64",
        ],
    ),
    "globals": (
        """
llvm.mlir.global internal constant
    @table(dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>)
    {addr_space = 0 : i32, alignment = 64 : i64} : !llvm.array<2 x array<3 x f32>>
llvm.mlir.global private constant @splat(dense<7> : tensor<4xi32>)
    {addr_space = 0 : i32} : !llvm.array<4 x i32>
llvm.mlir.global internal constant @flags(dense<[true, false]> : tensor<2xi1>)
    {addr_space = 0 : i32} : !llvm.array<2 x i1>
llvm.mlir.global internal constant @message("fails\00")
    {addr_space = 0 : i32} : !llvm.array<6 x i8>
llvm.func @f(%out: !llvm.ptr) {
  %t = llvm.mlir.addressof @table : !llvm.ptr
  %s = llvm.mlir.addressof @splat : !llvm.ptr
  %x = llvm.load %t : !llvm.ptr -> f32
  %i = llvm.load %s : !llvm.ptr -> i32
  %y = llvm.sitofp %i : i32 to f32
  %z = llvm.fadd %x, %y : f32
  llvm.store %z, %out : f32, !llvm.ptr
  llvm.return
}
""",
        [
            "@table = internal constant [2 x [3 x float]] [[3 x float] [float",
            "align 64",
            "@splat = private constant [4 x i32] [i32 7, i32 7, i32 7, i32 7]",
            "[2 x i1] [i1 true, i1 false]",
            '@message = internal constant [6 x i8] c"fails\\00"',
        ],
    ),
    "vectors": (
        fn(
            "%p: !llvm.ptr, %out: !llvm.ptr",
            """
  %v = llvm.load %p {alignment = 64 : i64} : !llvm.ptr -> vector<8xf32>
  %zero = llvm.mlir.constant(dense<0.0> : vector<8xf32>) : vector<8xf32>
  %m = llvm.intr.maximum(%v, %zero) : (vector<8xf32>, vector<8xf32>) -> vector<8xf32>
  %f = llvm.intr.fma(%m, %v, %zero)
      : (vector<8xf32>, vector<8xf32>, vector<8xf32>) -> vector<8xf32>
  %c0 = llvm.mlir.constant(0 : i64) : i64
  %c1 = llvm.mlir.constant(1 : i32) : i32
  %e = llvm.extractelement %f[%c0 : i64] : vector<8xf32>
  %poison = llvm.mlir.undef : vector<8xf32>
  %ins = llvm.insertelement %e, %poison[%c1 : i32] : vector<8xf32>
  %bc = llvm.shufflevector %ins, %poison [1, 1, 1, 1, 1, 1, 1, 1] : vector<8xf32>
  %acc = llvm.mlir.constant(0.0 : f32) : f32
  %sum = "llvm.intr.vector.reduce.fadd"(%acc, %bc)
      <{fastmathFlags = #llvm.fastmath<reassoc>}> : (f32, vector<8xf32>) -> f32
  %max = "llvm.intr.vector.reduce.fmaximum"(%bc) : (vector<8xf32>) -> f32
  %ints = llvm.fptosi %bc : vector<8xf32> to vector<8xi32>
  %isum = "llvm.intr.vector.reduce.add"(%ints) : (vector<8xi32>) -> i32
  %imax = "llvm.intr.vector.reduce.smax"(%ints) : (vector<8xi32>) -> i32
  %both = llvm.fadd %sum, %max : f32
  %fi = llvm.sitofp %isum : i32 to f32
  %gi = llvm.sitofp %imax : i32 to f32
  %r0 = llvm.fadd %both, %fi : f32
  %r = llvm.fadd %r0, %gi : f32
  llvm.store %r, %out : f32, !llvm.ptr
  llvm.store %f, %out {alignment = 64 : i64} : vector<8xf32>, !llvm.ptr
  %mask = llvm.mlir.constant(dense<true> : vector<8xi1>) : vector<8xi1>
  llvm.intr.masked.store %f, %out, %mask {alignment = 32 : i32}
      : vector<8xf32>, vector<8xi1> into !llvm.ptr""",
        ),
        [
            "load <8 x float>, ptr",
            "@llvm.maximum.v8f32",
            "@llvm.fma.v8f32",
            "extractelement <8 x float>",
            "undef",
            "shufflevector",
            "call reassoc float @llvm.vector.reduce.fadd.v8f32",
            "@llvm.vector.reduce.fmaximum.v8f32",
            "@llvm.vector.reduce.add.v8i32",
            "@llvm.vector.reduce.smax.v8i32",
            "call void @llvm.masked.store.v8f32.p0(<8 x float> %",
            "ptr align 32 %",
        ],
    ),
    "prefetch_hints": (
        fn(
            "%p: !llvm.ptr",
            """
  "llvm.intr.prefetch"(%p) <{cache = 1 : i32, hint = 3 : i32, rw = 0 : i32}>
      : (!llvm.ptr) -> ()
  "llvm.intr.prefetch"(%p) <{cache = 0 : i32, hint = 1 : i32, rw = 1 : i32}>
      : (!llvm.ptr) -> ()""",
        ),
        [
            "call void @llvm.prefetch.p0(ptr %",
            ", i32 0, i32 3, i32 1)",
            ", i32 1, i32 1, i32 0)",
        ],
    ),
    "branches_with_block_arguments": (
        fn(
            "%n: i64, %out: !llvm.ptr",
            """
  %c0 = llvm.mlir.constant(0 : i64) : i64
  %c1 = llvm.mlir.constant(1 : i64) : i64
  %f0 = llvm.mlir.constant(0.0 : f64) : f64
  llvm.br ^loop(%c0, %f0 : i64, f64)
^loop(%i: i64, %acc: f64):
  %more = llvm.icmp "slt" %i, %n : i64
  llvm.cond_br %more, ^body, ^exit(%acc : f64)
^body:
  %x = llvm.sitofp %i : i64 to f64
  %next_acc = llvm.fadd %acc, %x : f64
  %next = llvm.add %i, %c1 : i64
  llvm.br ^loop(%next, %next_acc : i64, f64)
^exit(%result: f64):
  llvm.store %result, %out : f64, !llvm.ptr""",
        ),
        ["phi i64", "phi double", "br i1"],
    ),
    "private_functions_and_library_names": (
        """
llvm.func internal @pow(%x: !llvm.ptr {llvm.noalias}, %out: !llvm.ptr {llvm.noalias}) {
  %v = llvm.load %x : !llvm.ptr -> f64
  %r = llvm.intr.pow(%v, %v) : (f64, f64) -> f64
  llvm.store %r, %out : f64, !llvm.ptr
  llvm.return
}
llvm.func internal @linear_relu(%x: !llvm.ptr {llvm.noalias}) {
  llvm.return
}
llvm.func @f(%x: !llvm.ptr {llvm.noalias, llvm.align = 64 : i64},
             %out: !llvm.ptr {llvm.noalias, llvm.align = 64 : i64}) {
  llvm.call @pow(%x, %out) : (!llvm.ptr, !llvm.ptr) -> ()
  llvm.call @linear_relu(%x) : (!llvm.ptr) -> ()
  llvm.return
}
""",
        [
            "define internal void @pow.mlc(ptr noalias",
            "define internal void @linear_relu(ptr noalias",
            "call void @pow.mlc(",
            "call double @llvm.pow.f64",
        ],
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_op_family_translates_to_valid_llvm_ir(name: str) -> None:
    mlir, expected = CASES[name]
    llvm_ir = llvm_verify(translate(mlir))
    for text in expected:
        assert text in llvm_ir, f"missing {text!r} in\n{llvm_ir}"


def test_optimize_vectorizes_for_the_host_at_o3() -> None:
    loop = fn(
        "%a: !llvm.ptr {llvm.noalias, llvm.align = 64 : i64}, "
        "%out: !llvm.ptr {llvm.noalias, llvm.align = 64 : i64}",
        """
  %c0 = llvm.mlir.constant(0 : i64) : i64
  %c1 = llvm.mlir.constant(1 : i64) : i64
  %n = llvm.mlir.constant(1024 : i64) : i64
  llvm.br ^loop(%c0 : i64)
^loop(%i: i64):
  %more = llvm.icmp "slt" %i, %n : i64
  llvm.cond_br %more, ^body, ^exit
^body:
  %p = llvm.getelementptr %a[%i] : (!llvm.ptr, i64) -> !llvm.ptr, f32
  %q = llvm.getelementptr %out[%i] : (!llvm.ptr, i64) -> !llvm.ptr, f32
  %x = llvm.load %p : !llvm.ptr -> f32
  %y = llvm.fmul %x, %x : f32
  llvm.store %y, %q : f32, !llvm.ptr
  %next = llvm.add %i, %c1 : i64
  llvm.br ^loop(%next : i64)
^exit:""",
    )
    llvm_ir = translate(loop)
    assert " x float>" not in optimize(llvm_ir, 0)
    optimized = optimize(llvm_ir, 3)
    llvm_verify(optimized)
    assert re.search(r"fmul <\d+ x float>", optimized), optimized


def test_emit_object_is_a_relocatable_elf_object() -> None:
    llvm_ir = translate(CASES["memory_and_calls"][0])
    for level in (0, 3):
        data = emit_object(llvm_ir, level)
        assert data[:4] == b"\x7fELF"
        assert data[16] == 1  # e_type ET_REL (little endian low byte)


def test_opt_level_out_of_range_is_an_error() -> None:
    with pytest.raises(ValueError, match="opt_level must be 0, 1, 2 or 3, got 4"):
        optimize("", 4)


def test_invalid_llvm_ir_is_one_line_error() -> None:
    with pytest.raises(LLVMError, match="invalid LLVM IR"):
        optimize("define void @f() {\n  ret i32 0\n}\n", 2)


def test_a_non_llvm_op_is_named_with_its_location() -> None:
    module = parse_ir(
        "func.func @g(%x: f32) -> f32 {\n"
        "  %0 = arith.addf %x, %x : f32\n"
        "  func.return %0 : f32\n}\n",
        "in.mlir",
    )
    with pytest.raises(
        TranslationError, match=r"cannot translate 'func\.func'"
    ) as info:
        translate_to_llvm_ir(module)
    assert info.value.op is not None
    assert info.value.op.name == "func.func"


def test_an_unlowered_op_inside_a_function_is_named() -> None:
    module = parse_ir(
        "llvm.func @g(%x: f32, %p: !llvm.ptr) {\n"
        "  %0 = arith.addf %x, %x : f32\n"
        "  llvm.store %0, %p : f32, !llvm.ptr\n"
        "  llvm.return\n}\n",
        "in.mlir",
    )
    with pytest.raises(TranslationError, match=r"cannot translate 'arith\.addf'"):
        translate_to_llvm_ir(module)


def test_the_compile_api_locates_the_untranslatable_op() -> None:
    import mlc

    text = (
        "llvm.func @g(%x: !llvm.ptr {mlc.type = memref<f32>}) {\n"
        "  %0 = llvm.load %x : !llvm.ptr -> f32\n"
        '  %1 = "test.op"(%0) : (f32) -> f32\n'
        "  llvm.return\n}\n"
    )
    with pytest.raises(CompileError, match=r"^<string>:3:\d+: error: .*'test.op'"):
        mlc.compile(text)


EXAMPLES = Path(__file__).parents[3] / "examples"


@pytest.mark.parametrize(
    "path", sorted((EXAMPLES / "small").glob("*.mlir")), ids=lambda p: p.stem
)
def test_the_pipeline_output_of_the_examples_verifies_in_llvm(path: Path) -> None:
    from mlc.runtime.compiled import lower_to_llvm

    module = parse_ir(path.read_text(), str(path))
    lower_to_llvm(module)
    llvm_ir = llvm_verify(translate_to_llvm_ir(module))
    # The entries allocate, so they return the out-of-memory status.
    assert f"define i64 @{path.stem}(" in llvm_ir
    llvm_verify(optimize(llvm_ir, 3))
