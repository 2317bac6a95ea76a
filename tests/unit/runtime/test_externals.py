"""
The trust model: a model file cannot call into the rest of the process.

Only the C functions mlc's generated code needs (libm, the allocator,
`memcpy`/`memset`, mlc's `mlc_*` runtime) may be declared; anything else —
`system` at the graph level or the llvm level, an external global, inline
assembly — is a located compile error before any code is generated, unless
the caller opts in with `allow_externals`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import mlc
from mlc.lowering.math_to_llvm import LIBM
from mlc.runtime.externals import ALLOWED_EXTERNALS, is_allowed
from mlc.runtime.jit import jit_llvm_ir
from mlc.runtime.llvm_ir import LLVMError
from mlc.runtime.signature import CompileError


def graph_system(marker: Path) -> str:
    command = f"touch {marker}".encode() + b"\0"
    values = ", ".join(str(b) for b in command)
    n = len(command)
    return f"""
func.func private @system(tensor<{n}xi8>)
func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {{
  %c = arith.constant dense<[{values}]> : tensor<{n}xi8>
  func.call @system(%c) : (tensor<{n}xi8>) -> ()
  func.return %x : tensor<2xf32>
}}
"""


def llvm_system(marker: Path) -> str:
    return f"""
llvm.mlir.global internal constant @cmd("touch {marker}\\00") {{addr_space = 0 : i32}}
llvm.func @system(!llvm.ptr) -> i32
llvm.func @f(%x: !llvm.ptr {{llvm.noalias, llvm.align = 64 : i64, \
mlc.type = memref<2xf32>}}, %o: !llvm.ptr {{llvm.noalias, llvm.align = 64 : i64, \
mlc.type = memref<2xf32>, mlc.out}}) {{
  %p = llvm.mlir.addressof @cmd : !llvm.ptr
  %r = llvm.call @system(%p) : (!llvm.ptr) -> i32
  llvm.return
}}
"""


@pytest.mark.parametrize("level", ["graph", "llvm"])
def test_a_model_cannot_call_system(tmp_path: Path, level: str):
    marker = tmp_path / "ran"
    text = (graph_system if level == "graph" else llvm_system)(marker)
    with pytest.raises(CompileError) as error:
        mlc.compile(text)
    message = str(error.value)
    assert "\n" not in message
    line = 2 if level == "graph" else 3
    assert message.startswith(f"<string>:{line}:1: error: external function 'system'")
    assert "allow_externals" in message
    assert not marker.exists()


@pytest.mark.parametrize("level", ["graph", "llvm"])
def test_mlc_run_refuses_the_model(tmp_path: Path, level: str):
    marker = tmp_path / "ran"
    model = tmp_path / "m.mlir"
    model.write_text((graph_system if level == "graph" else llvm_system)(marker))
    done = subprocess.run(
        [sys.executable, "-m", "mlc.tools.mlc_run", str(model), "--random-inputs"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 1
    assert "external function 'system'" in done.stderr
    assert "Traceback" not in done.stderr
    assert not marker.exists()


def test_the_caller_may_trust_an_external(tmp_path: Path):
    marker = tmp_path / "ran"
    compiled = mlc.compile(graph_system(marker), allow_externals=["system"])
    compiled(np.zeros(2, np.float32))
    assert marker.exists()


EXTERNAL_GLOBAL = """
llvm.mlir.global external @environ() {addr_space = 0 : i32} : !llvm.ptr
llvm.func @f(%x: !llvm.ptr {llvm.noalias, llvm.align = 64 : i64, \
mlc.type = memref<2xf32>}, %o: !llvm.ptr {llvm.noalias, llvm.align = 64 : i64, \
mlc.type = memref<2xf32>, mlc.out}) {
  llvm.return
}
"""


def test_external_globals_are_refused():
    with pytest.raises(CompileError, match="external global 'environ'"):
        mlc.compile(EXTERNAL_GLOBAL)


def test_the_jit_refuses_disallowed_declarations():
    ir = "declare i32 @system(ptr)\ndefine void @f() {\n  ret void\n}\n"
    with pytest.raises(LLVMError, match="'system'"):
        jit_llvm_ir(ir)
    jit_llvm_ir(ir, allow_externals=["system"])


def test_what_the_lowerings_call_is_allowed():
    for base in LIBM.values():
        assert base in ALLOWED_EXTERNALS
        assert base + "f" in ALLOWED_EXTERNALS
    for name in ("aligned_alloc", "free", "memcpy", "memset", "write", "abort"):
        assert is_allowed(name)
    assert is_allowed("mlc_parallel_for")
    assert is_allowed("llvm.fma.f32")
    for name in ("system", "fopen", "execve", "dlopen", "mmap", "mprotect"):
        assert not is_allowed(name)


INLINE_ASM = """
llvm.func @f(%x: !llvm.ptr {llvm.noalias, llvm.align = 64 : i64, \
mlc.type = memref<2xf32>}, %o: !llvm.ptr {llvm.noalias, llvm.align = 64 : i64, \
mlc.type = memref<2xf32>, mlc.out}) {
  %0 = llvm.inline_asm has_side_effects "syscall", "" : () -> i64
  llvm.return
}
"""


def test_inline_assembly_is_refused():
    with pytest.raises(CompileError) as error:
        mlc.compile(INLINE_ASM)
    assert str(error.value) == (
        "<string>:3:8: error: inline assembly is not allowed in a model"
    )


POINTER_TO_LIBC = """
llvm.func @free(!llvm.ptr)
llvm.func @f(%x: !llvm.ptr {llvm.noalias, llvm.align = 64 : i64, \
mlc.type = memref<2xf32>}, %o: !llvm.ptr {llvm.noalias, llvm.align = 64 : i64, \
mlc.type = memref<2xf32>, mlc.out}) {
  %0 = llvm.mlir.addressof @free : !llvm.ptr
  llvm.call %0(%x) : !llvm.ptr, (!llvm.ptr) -> ()
  llvm.return
}
"""


def test_no_pointer_to_a_c_function_and_no_indirect_call():
    # The address of an allowed libc function plus a fixed offset would reach
    # any other in the same libc: neither the address nor the call is allowed.
    with pytest.raises(CompileError) as error:
        mlc.compile(POINTER_TO_LIBC)
    assert str(error.value) == (
        "<string>:4:8: error: taking the address of external function 'free' "
        "is not allowed"
    )
    without_address = POINTER_TO_LIBC.replace(
        "%0 = llvm.mlir.addressof @free : !llvm.ptr", "%0 = llvm.mlir.zero : !llvm.ptr"
    )
    with pytest.raises(CompileError, match="5:3: error: an indirect call"):
        mlc.compile(without_address)
