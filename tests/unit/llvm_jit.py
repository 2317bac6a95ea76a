"""
Run LLVM-dialect code natively in tests: mlc's `convert-*-to-llvm` passes,
real `mlir-translate --mlir-to-llvmir`, then llvmlite's MCJIT.

`scalar_function` writes an `llvm.func` around one op of the loop level with a
C-callable signature: `f16` travels as `f32` (`arith.truncf`/`extf` inside),
`i1` as `i32` (`arith.trunci`/`extui`), `index` as `i64` (`arith.index_cast`).
"""

from __future__ import annotations

import ctypes
import os
import subprocess
import sysconfig
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
from helpers import full_context, print_op
from xdsl.dialects.builtin import ModuleOp
from xdsl.parser import Parser
from xdsl.passes import ModulePass
from xdsl.transforms.reconcile_unrealized_casts import ReconcileUnrealizedCastsPass

from mlc.lowering.arith_to_llvm import ConvertArithToLlvmPass
from mlc.lowering.math_to_llvm import ConvertMathToLlvmPass
from mlc.runtime.jit import jit_llvm_ir

MLIR_TRANSLATE = (
    Path(sysconfig.get_paths()["purelib"]) / "mlir" / "bin" / "mlir-translate"
)


def require_mlir_translate() -> None:
    """Skip the calling test module without upstream tools (an error in CI)."""
    if os.access(MLIR_TRANSLATE, os.X_OK):
        return
    if os.environ.get("CI"):
        raise RuntimeError(f"upstream mlir-translate missing in CI: {MLIR_TRANSLATE}")
    pytest.skip(
        f"upstream mlir-translate not installed ({MLIR_TRANSLATE})",
        allow_module_level=True,
    )


CARRIER = {"f16": "f32", "i1": "i32", "index": "i64"}
"""How a type that ctypes cannot pass travels across the C boundary."""

CTYPES: dict[str, Any] = {
    "f32": ctypes.c_float,
    "f64": ctypes.c_double,
    "i8": ctypes.c_int8,
    "i16": ctypes.c_int16,
    "i32": ctypes.c_int32,
    "i64": ctypes.c_int64,
}


_INTO = {"f16": "arith.truncf", "i1": "arith.trunci", "index": "arith.index_cast"}
_OUT = {"f16": "arith.extf", "i1": "arith.extui", "index": "arith.index_cast"}


def scalar_function(
    name: str, arg_types: Sequence[str], result_type: str, body: str
) -> str:
    """
    An `llvm.func @name` whose `body` reads `%a0, %a1, ...` (of `arg_types`)
    and defines `%r` (of `result_type`); carrier types on its signature."""
    params: list[str] = []
    lines = ""
    for i, t in enumerate(arg_types):
        carrier = CARRIER.get(t)
        if carrier is None:
            params.append(f"%a{i}: {t}")
        else:
            params.append(f"%c{i}: {carrier}")
            lines += f"    %a{i} = {_INTO[t]} %c{i} : {carrier} to {t}\n"
    out = "%r"
    carrier = CARRIER.get(result_type)
    if carrier is not None:
        lines_out = f"    %out = {_OUT[result_type]} %r : {result_type} to {carrier}\n"
        out = "%out"
    else:
        lines_out = ""
        carrier = result_type
    body_lines = "".join(f"    {line.strip()}\n" for line in body.splitlines())
    return (
        f"llvm.func @{name}({', '.join(params)}) -> {carrier} {{\n"
        f"{lines}{body_lines}{lines_out}    llvm.return {out} : {carrier}\n}}\n"
    )


DEFAULT_PASSES: tuple[type[ModulePass], ...] = (
    ConvertArithToLlvmPass,
    ConvertMathToLlvmPass,
)


def lower(text: str, passes: Sequence[type[ModulePass]] = DEFAULT_PASSES) -> str:
    """Parse `text`, run `passes` then `reconcile-unrealized-casts`; print it."""
    ctx = full_context()
    module = Parser(ctx, text).parse_module()
    for pass_type in (*passes, ReconcileUnrealizedCastsPass):
        pass_type().apply(ctx, module)
    module.verify()
    return print_op(module)


def translate(text: str) -> str:
    """LLVM IR of an LLVM-dialect module, by real `mlir-translate`."""
    done = subprocess.run(
        [str(MLIR_TRANSLATE), "--mlir-to-llvmir"],
        input=text,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, f"mlir-translate failed:\n{done.stderr}\n{text}"
    return done.stdout


class Jit:
    """Native code of one LLVM IR module: the runtime's JIT, without optimizing."""

    def __init__(self, llvm_ir: str) -> None:
        self.native = jit_llvm_ir(llvm_ir, opt_level=0)

    def address(self, name: str) -> int:
        """The entry point of function `name`."""
        return self.native.address(name)

    def function(
        self, name: str, result: str, args: Sequence[str]
    ) -> Callable[..., Any]:
        """The native function `name` of the given (carrier) MLIR types."""
        address = self.address(name)
        prototype = ctypes.CFUNCTYPE(
            CTYPES[CARRIER.get(result, result)],
            *(CTYPES[CARRIER.get(a, a)] for a in args),
        )
        return prototype(address)


def jit(text: str, passes: Sequence[type[ModulePass]] = DEFAULT_PASSES) -> Jit:
    """Lower `text` (a module of `llvm.func`s), translate it and JIT it."""
    return Jit(translate(lower(text, passes)))


def parse_module(text: str) -> ModuleOp:
    return Parser(full_context(), text).parse_module()
