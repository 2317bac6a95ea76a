"""
Native code: LLVM IR from an llvm-dialect module, LLVM's optimizer, objects.

`translate_to_llvm_ir` turns a module of `llvm.func`s and `llvm.mlir.global`s
into LLVM IR text through xDSL's llvmlite translator (`xdsl.backend.llvm`),
which this module wraps: module, globals and functions are converted here, and
each op goes first to the handlers below (the ops xDSL's `convert_op` lacks or
gets wrong), then to xDSL's `convert_op`. An op neither knows is a one-line
`TranslationError` naming the op and, when parsed from a file, its location.
The result is verified and printed by LLVM itself.

`optimize` runs LLVM's default pipeline (the new pass manager, loop and SLP
vectorization from -O2) for the host CPU, whose features (AVX, FMA, ...) the
code may use; `emit_object` returns a position-independent object file for a
shared library. Both verify the module first.
"""

# llvmlite 0.50 ships no type annotations, so its calls are untyped:
# pyright: reportUnknownMemberType=false, reportUnknownArgumentType=false
# pyright: reportUnknownVariableType=false, reportMissingTypeStubs=false

from __future__ import annotations

import ctypes.util
import functools
from collections.abc import Callable, Sequence
from typing import Any, cast

import llvmlite.binding as llvm
import llvmlite.ir as ir
from xdsl.backend.llvm.convert_op import convert_op as xdsl_convert_op
from xdsl.backend.llvm.convert_type import convert_type
from xdsl.dialects import llvm as llvm_dialect
from xdsl.dialects.builtin import (
    AnyFloat,
    ArrayAttr,
    DenseIntOrFPElementsAttr,
    DictionaryAttr,
    FloatAttr,
    IntegerAttr,
    IntegerType,
    ModuleOp,
    StringAttr,
    UnitAttr,
)
from xdsl.ir import Attribute, Block, Operation, SSAValue
from xdsl.utils.exceptions import DiagnosticException, LLVMTranslationException
from xdsl.utils.type import get_element_type_or_self

from mlc.support.target import current_target

ValueMap = dict[SSAValue, ir.Value]
Symbols = dict[str, ir.Function]
BlockMap = dict[Block, ir.Block]
Handler = Callable[[Operation, ir.IRBuilder, ValueMap], None]


class TranslationError(DiagnosticException):
    """An llvm-dialect op (`.op`) that has no LLVM IR translation."""

    def __init__(self, message: str, op: Operation | None = None) -> None:
        super().__init__(message)
        self.op = op


class LLVMError(Exception):
    """LLVM rejected the IR (verification or parsing); the message is LLVM's."""


# --------------------------------------------------------------------------- #
# Module, globals and functions
# --------------------------------------------------------------------------- #

# Argument attributes llvmlite can print (others are hints LLVM infers anyway);
# xdsl-gap(0.74): llvm-translate-linkage — linkage dropped
# xDSL's `_declare_func` ignores linkage, so functions are declared here.
_ARG_FLAGS = {
    "llvm.noalias": "noalias",
    "llvm.nocapture": "captures(none)",
    "llvm.nonnull": "nonnull",
    "llvm.noundef": "noundef",
    "llvm.signext": "signext",
    "llvm.zeroext": "zeroext",
}
_ARG_INTS = {
    "llvm.align": "align",
    "llvm.dereferenceable": "dereferenceable",
}


def translate_to_llvm_ir(module: ModuleOp) -> str:
    """
    The LLVM IR text of an llvm-dialect `module`, verified by LLVM.

    Printed by LLVM for the host's triple and data layout, as `opt -S` would.
    """
    llvm_module = convert_module(module)
    try:
        text = str(llvm_module)
    except (AttributeError, TypeError, ValueError) as error:  # llvmlite's printer
        raise TranslationError(f"cannot print the LLVM IR: {error}") from error
    parsed = parse(text)
    machine = target_machine(0)
    parsed.triple = machine.triple
    parsed.data_layout = str(machine.target_data)
    return str(parsed)


def convert_module(module: ModuleOp) -> ir.Module:
    """An llvmlite module for an llvm-dialect `module`, for the host triple."""
    llvm_module = ir.Module()
    llvm_module.triple = llvm.get_process_triple()
    functions: list[llvm_dialect.FuncOp] = []
    for op in module.ops:
        if isinstance(op, llvm_dialect.GlobalOp):
            _convert_global(op, llvm_module)
        elif isinstance(op, llvm_dialect.FuncOp):
            functions.append(op)
        else:
            raise TranslationError(
                f"cannot translate '{op.name}' to LLVM IR: a module holds only "
                "llvm.func and llvm.mlir.global (lower it to the llvm dialect "
                "first)",
                op,
            )
    symbols = {f.sym_name.data: _declare_function(f, llvm_module) for f in functions}
    for function in functions:
        if function.body.blocks:
            _convert_body(function, symbols)
    return llvm_module


def _declare_function(op: llvm_dialect.FuncOp, llvm_module: ir.Module) -> ir.Function:
    type_ = op.function_type
    function_type = ir.FunctionType(
        _type(type_.output, op),
        [_type(t, op) for t in type_.inputs.data],
        var_arg=type_.is_variadic,
    )
    name = op.sym_name.data
    linkage = op.linkage.linkage.data
    local = bool(op.body.blocks) and linkage != "external"
    if local and is_library_symbol(name):
        # LLVM lowers intrinsics to C library calls (llvm.pow -> `pow`); a
        # local function of that name would capture them, so it is renamed.
        name = f"{name}.mlc"
    function = ir.Function(llvm_module, function_type, name=name)
    if local:
        function.linkage = linkage
    if op.arg_attrs is not None:
        _add_arg_attrs(function, op.arg_attrs)
    return function


def _add_arg_attrs(function: ir.Function, arg_attrs: ArrayAttr[DictionaryAttr]) -> None:
    for arg, attrs in zip(function.args, arg_attrs.data, strict=True):
        for name, value in attrs.data.items():
            if name in _ARG_FLAGS:
                arg.add_attribute(_ARG_FLAGS[name])
            elif name in _ARG_INTS and isinstance(value, IntegerAttr):
                setattr(arg.attributes, _ARG_INTS[name], value.value.data)


def _convert_global(op: llvm_dialect.GlobalOp, llvm_module: ir.Module) -> None:
    # xdsl-gap(0.74): llvm-translate-global — alignment dropped
    # xDSL's `_convert_global` drops `alignment` and cannot fill nested arrays
    # (a memref<2x3xf32> global is !llvm.array<2 x array<3 x f32>>).
    type_ = _type(op.global_type, op)
    variable = ir.GlobalVariable(llvm_module, type_, name=op.sym_name.data)
    variable.linkage = op.linkage.linkage.data
    variable.global_constant = op.constant is not None
    if op.alignment is not None:
        setattr(variable, "align", op.alignment.value.data)  # untyped in llvmlite
    value = op.value
    if isinstance(value, StringAttr):
        raw = value.data.encode()
        array = ir.ArrayType(ir.IntType(8), len(raw))
        initializer = ir.Constant(array, bytearray(raw))
        setattr(variable, "initializer", initializer)
    elif value is not None:
        setattr(variable, "initializer", _constant(type_, value, op))
    elif op.body.blocks:
        raise TranslationError(
            f"cannot translate '{op.name}' @{op.sym_name.data}: an initializer "
            "region is not supported (give a value attribute)",
            op,
        )


def _convert_body(op: llvm_dialect.FuncOp, symbols: Symbols) -> None:
    function = symbols[op.sym_name.data]
    entry = op.body.blocks.first
    if entry is not None:  # readable LLVM IR: arguments keep their SSA names
        for arg, llvm_arg in zip(entry.args, function.args):
            if arg.name_hint:
                llvm_arg.name = arg.name_hint
    blocks: BlockMap = {}
    values: ValueMap = {}
    for index, block in enumerate(op.body.blocks):
        llvm_block = function.append_basic_block(name=block.name_hint or "")
        blocks[block] = llvm_block
        if index == 0:
            values.update(zip(block.args, function.args))
        else:  # block arguments are phis; branches add their incoming values
            builder = ir.IRBuilder(llvm_block)
            for arg in block.args:
                values[arg] = builder.phi(_type(arg.type, op))
    for block in op.body.blocks:
        builder = ir.IRBuilder(blocks[block])
        builder.position_at_end(blocks[block])
        for inner in block.ops:
            convert_op(inner, builder, values, blocks, symbols)


def convert_op(
    op: Operation,
    builder: ir.IRBuilder,
    values: ValueMap,
    blocks: BlockMap,
    symbols: Symbols,
) -> None:
    """Translate one op: mlc's handlers first, then xDSL's `convert_op`."""
    handler = _HANDLERS.get(op.name)
    if handler is None and op.name.startswith("llvm.intr."):
        handler = _convert_intrinsic
    try:
        if isinstance(op, llvm_dialect.CallOp):
            _convert_call(op, builder, values, symbols)
        elif handler is not None:
            handler(op, builder, values)
        else:
            xdsl_convert_op(op, builder, values, blocks)
    except TranslationError:
        raise
    except (NotImplementedError, LLVMTranslationException) as error:
        raise TranslationError(
            f"cannot translate '{op.name}' to LLVM IR: {error}", op
        ) from error
    except (KeyError, TypeError, ValueError, AssertionError, AttributeError) as error:
        detail = f": {error}" if str(error) else ""
        raise TranslationError(
            f"cannot translate '{op.name}' to LLVM IR ({type(error).__name__}{detail})",
            op,
        ) from error


def _type(type_: Attribute, op: Operation) -> ir.Type:
    try:
        return convert_type(type_)
    except LLVMTranslationException as error:
        raise TranslationError(
            f"cannot translate '{op.name}' to LLVM IR: {error}", op
        ) from error


def _convert_call(
    op: llvm_dialect.CallOp, builder: ir.IRBuilder, values: ValueMap, symbols: Symbols
) -> None:
    # xDSL's call conversion looks callees up by their MLIR name.
    if op.callee is None:
        raise TranslationError(f"cannot translate '{op.name}': an indirect call", op)
    callee = symbols.get(op.callee.string_value())
    if callee is None:
        raise TranslationError(
            f"cannot translate '{op.name}': no function @{op.callee.string_value()}",
            op,
        )
    result = op.returned
    float_result = result is not None and isinstance(
        get_element_type_or_self(result.type), AnyFloat
    )
    call = builder.call(
        callee,
        [values[arg] for arg in op.args],
        fastmath=_fastmath(op) if float_result else (),
    )
    if result is not None:
        values[result] = call


@functools.cache
def is_library_symbol(name: str) -> bool:
    """Whether the C library (libc, libm, libgcc) defines `name`."""
    load_runtime_libraries()
    return llvm.address_of_symbol(name) is not None


@functools.cache
def load_runtime_libraries() -> None:
    """Load libc, libm, libgcc and libpthread into LLVM's symbol search."""
    for library in ("c", "m", "gcc_s", "pthread"):
        path = ctypes.util.find_library(library)
        if path is not None:
            llvm.load_library_permanently(path)


# --------------------------------------------------------------------------- #
# Constants
# --------------------------------------------------------------------------- #


def _constant(type_: ir.Type, value: Attribute, op: Operation) -> ir.Constant:
    """A constant of `type_` from an integer, float or dense (maybe splat) attr."""
    # xDSL's `create_constant` neither repeats a splat nor nests arrays.
    if isinstance(value, IntegerAttr):
        integer = cast(IntegerAttr[IntegerType], value).value.data
        if isinstance(type_, ir.IntType) and type_.width == 1:
            integer = integer & 1  # xDSL stores `true : i1` as -1
        return ir.Constant(type_, integer)
    if isinstance(value, FloatAttr):
        return ir.Constant(type_, cast(FloatAttr[AnyFloat], value).value.data)
    if isinstance(value, DenseIntOrFPElementsAttr):
        flat: list[Any] = list(value.get_values())  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
        count = _element_count(type_)
        if len(flat) == 1 and count != 1:
            flat = flat * count
        if isinstance(_leaf_type(type_), ir.IntType):
            width = cast(ir.IntType, _leaf_type(type_)).width
            flat = [int(v) & ((1 << width) - 1) if width == 1 else int(v) for v in flat]
        if len(flat) != count:
            raise TranslationError(
                f"cannot translate '{op.name}': {len(flat)} values for {type_}", op
            )
        return _nested(type_, flat)
    raise TranslationError(
        f"cannot translate '{op.name}' to LLVM IR: unsupported constant {value}", op
    )


def _element_count(type_: ir.Type) -> int:
    if isinstance(type_, ir.ArrayType):
        return type_.count * _element_count(type_.element)
    if isinstance(type_, ir.VectorType):
        return type_.count
    return 1


def _leaf_type(type_: ir.Type) -> ir.Type:
    while isinstance(type_, ir.ArrayType | ir.VectorType):
        type_ = type_.element
    return type_


def _nested(type_: ir.Type, flat: Sequence[Any]) -> ir.Constant:
    if isinstance(type_, ir.ArrayType):
        step = _element_count(type_.element)
        parts = [
            _nested(type_.element, flat[i * step : (i + 1) * step])
            for i in range(type_.count)
        ]
        return ir.Constant(type_, parts)
    if isinstance(type_, ir.VectorType):
        return ir.Constant(type_, list(flat))
    return ir.Constant(type_, flat[0])


def _property(op: Operation, name: str) -> Attribute | None:
    """A property, else an attribute (an op of generic form may carry either)."""
    value = op.properties.get(name)
    return op.attributes.get(name) if value is None else value


def _convert_constant(op: Operation, builder: ir.IRBuilder, values: ValueMap) -> None:
    type_ = _type(op.results[0].type, op)
    value = _property(op, "value")
    if value is None:
        raise TranslationError(f"'{op.name}' has no value", op)
    values[op.results[0]] = _constant(type_, value, op)


# --------------------------------------------------------------------------- #
# Casts, vector elements, fastmath arithmetic
# --------------------------------------------------------------------------- #

_CASTS = {
    "llvm.fptosi": "fptosi",
    "llvm.fptoui": "fptoui",
    "llvm.uitofp": "uitofp",
    "llvm.sitofp": "sitofp",
}


def _convert_cast(op: Operation, builder: ir.IRBuilder, values: ValueMap) -> None:
    # xdsl-gap(0.74): llvm-ops — no fp casts
    # xDSL 0.74 has no fptosi/fptoui/uitofp (llvm_ext.py adds the ops).
    build = getattr(builder, _CASTS[op.name])
    values[op.results[0]] = build(values[op.operands[0]], _type(op.results[0].type, op))


def _convert_extractelement(
    op: Operation, builder: ir.IRBuilder, values: ValueMap
) -> None:
    # xdsl-gap(0.74): llvm-ops — no extractelement
    # xDSL 0.74 has no llvm.extractelement.
    vector, index = op.operands
    values[op.results[0]] = builder.extract_element(values[vector], values[index])


def _convert_fcmp(op: Operation, builder: ir.IRBuilder, values: ValueMap) -> None:
    # xDSL (through llvmlite) cannot emit the constant predicates `_false` and
    # `_true`; they are the constant they always give.
    # mlc's `llvm.fcmp` (llvm_ext.FCmpOp) also compares vectors, which xDSL's
    # conversion does not know.
    lhs, rhs = op.operands
    predicate = llvm_dialect.FCmpPredicateFlag.from_int(
        cast(IntegerAttr[IntegerType], op.properties["predicate"]).value.data
    ).value
    if predicate not in ("_false", "_true"):
        compare = (
            builder.fcmp_ordered if predicate[0] == "o" else builder.fcmp_unordered
        )
        symbol = _FCMP_SYMBOLS.get(predicate[1:], predicate)
        values[op.results[0]] = compare(symbol, values[lhs], values[rhs])
        return
    type_ = _type(op.results[0].type, op)
    bit = int(predicate == "_true")
    count = type_.count if isinstance(type_, ir.VectorType) else 0
    values[op.results[0]] = ir.Constant(type_, [bit] * count if count else bit)


_FCMP_SYMBOLS = {"eq": "==", "gt": ">", "ge": ">=", "lt": "<", "le": "<=", "ne": "!="}


def _fastmath(op: Operation) -> list[str]:
    flags = op.properties.get("fastmathFlags")
    if isinstance(flags, llvm_dialect.FastMathAttr):
        return [flag.value for flag in flags.data]
    return []


# --------------------------------------------------------------------------- #
# Intrinsics: `llvm.intr.<name>` -> a call of `@llvm.<name>.<overload types>`
# --------------------------------------------------------------------------- #

_OVERLOADS: dict[str, tuple[int, ...]] = {
    # intrinsic -> which types name the overload: -1 the result, i operand i.
    "vector.reduce.fadd": (1,),
    "vector.reduce.fmul": (1,),
    "powi": (-1, 1),
    "memcpy": (0, 1, 2),
    "memmove": (0, 1, 2),
    "memset": (0, 2),
    "masked.load": (-1, 0),
    "masked.store": (0, 1),
    "assume": (),
    "prefetch": (0,),
}

_IMMEDIATES: dict[str, tuple[str, ...]] = {
    # intrinsic -> i1 immediate operands, from properties, after the operands.
    "memcpy": ("isVolatile",),
    "memmove": ("isVolatile",),
    "memset": ("isVolatile",),
    "abs": ("is_int_min_poison",),
    "ctlz": ("is_zero_poison",),
    "cttz": ("is_zero_poison",),
}


def _mangle(type_: ir.Type) -> str:
    if isinstance(type_, ir.VectorType):
        return f"v{type_.count}{_mangle(type_.element)}"
    if isinstance(type_, ir.PointerType):
        return f"p{type_.addrspace}"
    if isinstance(type_, ir.IntType):
        return f"i{type_.width}"
    names = {ir.HalfType: "f16", ir.FloatType: "f32", ir.DoubleType: "f64"}
    for kind, name in names.items():
        if isinstance(type_, kind):
            return name
    raise LLVMTranslationException(f"no intrinsic overload name for type {type_}")


def _overloads(name: str) -> tuple[int, ...]:
    if name in _OVERLOADS:
        return _OVERLOADS[name]
    if name.startswith("vector.reduce."):
        return (0,)
    return (-1,)


def _flag(op: Operation, prop: str) -> int:
    value = _property(op, prop)
    if isinstance(value, IntegerAttr):
        return cast(IntegerAttr[IntegerType], value).value.data & 1
    return 1 if isinstance(value, UnitAttr) else 0


def _convert_intrinsic(op: Operation, builder: ir.IRBuilder, values: ValueMap) -> None:
    """Any `llvm.intr.<name>`: xDSL 0.74 knows a few, without their fastmath."""
    name = op.name.removeprefix("llvm.intr.")
    args: list[ir.Value] = [values[v] for v in op.operands]
    result = _type(op.results[0].type, op) if op.results else ir.VoidType()
    types = [result if i < 0 else _type_of(args[i]) for i in _overloads(name)]
    if name == "masked.store":
        args = [args[0], args[1], _i32(op, "alignment"), args[2]]
    elif name == "masked.load":
        args = [args[0], _i32(op, "alignment"), *args[1:]]
    elif name == "prefetch":
        args += [_i32(op, p) for p in ("rw", "hint", "cache")]
    args += [
        ir.Constant(ir.IntType(1), _flag(op, p)) for p in _IMMEDIATES.get(name, ())
    ]
    full_name = ".".join(["llvm", name, *map(_mangle, types)])
    module = cast(ir.Module, builder.module)
    function = module.globals.get(full_name)
    if function is None:
        function = ir.Function(
            module, ir.FunctionType(result, [_type_of(a) for a in args]), name=full_name
        )
    call = builder.call(function, args, fastmath=_fastmath(op))
    if op.results:
        values[op.results[0]] = call


def _type_of(value: ir.Value) -> ir.Type:
    return getattr(value, "type")  # every llvmlite value has one, undeclared


def _i32(op: Operation, prop: str) -> ir.Constant:
    value = _property(op, prop)
    number = 1 if value is None else cast(IntegerAttr[IntegerType], value).value.data
    return ir.Constant(ir.IntType(32), number)


def _convert_select(op: Operation, builder: ir.IRBuilder, values: ValueMap) -> None:
    # mlc's `llvm.select` (llvm_ext.SelectOp) also takes a vector condition.
    cond, lhs, rhs = (values[v] for v in op.operands)
    values[op.results[0]] = builder.select(cond, lhs, rhs)


_HANDLERS: dict[str, Handler] = {
    "llvm.select": _convert_select,
    "llvm.mlir.constant": _convert_constant,
    "llvm.extractelement": _convert_extractelement,
    "llvm.fcmp": _convert_fcmp,
    **dict.fromkeys(_CASTS, _convert_cast),
}


# --------------------------------------------------------------------------- #
# LLVM: verification, optimization, object files
# --------------------------------------------------------------------------- #


@functools.cache
def _initialize() -> None:
    llvm.initialize_native_target()
    llvm.initialize_native_asmprinter()


def host_cpu() -> tuple[str, str]:
    """
    The CPU code is generated for and its features (`+avx2,+fma,...`): the
    host's, or the SIMD level `MLC_TARGET` names (`support/target.py`), the
    same target the loop-level passes chose their vector widths for.
    """
    target = current_target()
    return target.cpu, target.features


def target_machine(opt_level: int, *, jit: bool = False) -> llvm.TargetMachine:
    """A target machine for the host CPU; position-independent unless `jit`."""
    _check_level(opt_level)
    _initialize()
    cpu, features = host_cpu()
    target = llvm.Target.from_triple(llvm.get_process_triple())
    return target.create_target_machine(
        cpu=cpu,
        features=features,
        opt=opt_level,
        reloc="default" if jit else "pic",
        codemodel="jitdefault" if jit else "default",
        jit=jit,
    )


def parse(llvm_ir: str) -> llvm.ModuleRef:
    """Parse and verify LLVM IR text; LLVM's complaint as an `LLVMError`."""
    # llvmlite's parse_assembly and verify raise RuntimeError with LLVM's text.
    _initialize()
    try:
        module = llvm.parse_assembly(llvm_ir)
        module.verify()
    except RuntimeError as error:
        raise LLVMError(f"invalid LLVM IR: {_first_line(str(error))}") from error
    return module


def optimize_module(
    module: llvm.ModuleRef, machine: llvm.TargetMachine, opt_level: int
) -> None:
    """Run LLVM's -O`opt_level` pipeline on `module` for `machine`, in place."""
    _bound_unrolling()
    module.triple = machine.triple
    module.data_layout = str(machine.target_data)
    options = llvm.PipelineTuningOptions(speed_level=opt_level)
    options.loop_vectorization = opt_level >= 2
    options.slp_vectorization = opt_level >= 2
    options.loop_unrolling = opt_level >= 2
    builder = llvm.PassBuilder(machine, options)
    builder.getModulePassManager().run(module, builder)


UNROLL_THRESHOLD = 60
"""LLVM's loop-unroll cost threshold (its -O3 default is 300).

At the default, -O3 fully unrolls the static loop nests of a model, nests
inside nests: a 2-layer encoder's LLVM IR grows tenfold and optimizing and
compiling it take minutes. 60 still unrolls small bodies (a 5x5 convolution
window's inner loop, a vector loop's remainder) and keeps functions bounded.
"""


@functools.cache
def _bound_unrolling() -> None:
    # A process-wide LLVM option, set once (llvmlite has no per-pipeline knob).
    llvm.set_option("mlc", f"-unroll-threshold={UNROLL_THRESHOLD}")


def optimize(llvm_ir: str, opt_level: int) -> str:
    """LLVM IR optimized at -O`opt_level` (0-3) for the host CPU."""
    module = parse(llvm_ir)
    optimize_module(module, target_machine(opt_level), opt_level)
    return str(module)


def emit_object(llvm_ir: str, opt_level: int, with_runtime: bool = True) -> bytes:
    """
    A position-independent host object file of `llvm_ir`, optimized.

    When the code calls the parallel-for runtime (`mlc_parallel_for`), the
    runtime's LLVM IR is linked in, so the object needs only libc, libm and
    libpthread; `with_runtime=False` leaves it to another object
    (`parallel.emit_runtime_object`).
    """
    from mlc.runtime.parallel import link_runtime

    machine = target_machine(opt_level)
    module = parse(llvm_ir)
    if with_runtime:
        link_runtime(module)
    optimize_module(module, machine, opt_level)
    return machine.emit_object(module)


def _check_level(opt_level: int) -> None:
    if opt_level not in (0, 1, 2, 3):
        raise ValueError(f"opt_level must be 0, 1, 2 or 3, got {opt_level!r}")


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return " ".join(lines[:2]) if lines else text
