"""
`mlc-opt --check-numerics`: run the entry function before and after every pass.

The checker picks the entry function (the module's only public `func.func`,
else `--check-numerics-entry=NAME`), draws random inputs for its argument types
(floats: standard normal times 0.5; signed integers: nonzero in [-3, 3];
unsigned: [1, 6]; i1: random bools; shapes must be static), and interprets it
through `mlc.interpreters` before the pipeline (the reference) and after each
top-level step of it. Every result is compared with the reference: exactly for
integers and bools, within rtol/atol for floats (NaN equals NaN). Per step it
prints `numerics: after <pass>: ok (max abs error <e>)` to stderr, and at the
end `numerics: all <n> levels agree` (n counts the input and each step). The
first divergence is a `DiagnosticError`:
`numerics diverge after pass '<pass>': result #<i> max abs error <e> (rtol <r>,
atol <a>)`, naming the first op of the entry whose results differ from the
previous level when the entry's op sequence is unchanged.

Calling convention after bufferization: a bufferized function returns nothing;
its results are trailing memref arguments carrying the unit argument attribute
`mlc.out`. The checker passes zeroed buffers for them and reads the results
back from them. The entry is called by name at every level, so a pass may add
or change other functions. A nested step (`func.func(cse)`) is checked once,
after it ran on every function.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from math import isnan
from typing import Any

import numpy as np
from xdsl.dialects.builtin import (
    DYNAMIC_INDEX,
    DictionaryAttr,
    IntegerAttr,
    MemRefType,
    ModuleOp,
    TensorType,
)
from xdsl.dialects.func import FuncOp
from xdsl.interpreter import Interpreter, PythonValues
from xdsl.ir import Attribute, Block, Operation
from xdsl.utils.hints import isa

from mlc.dialects.graph.base import Array, is_float_dtype, to_numpy_dtype
from mlc.interpreters import from_interpreter, run_function_with_buffers
from mlc.support.abi import OUT_ATTR, PACKED_ATTR
from mlc.support.diagnostics import (
    Diagnostic,
    DiagnosticError,
    location_of,
    op_location,
)
from mlc.support.packing import PACKED_RANKS, pack_weight

FLOAT_SCALE = 0.5
"""Random float inputs are standard normal times this."""

DEFAULT_TOLERANCES: dict[str, tuple[float, float]] = {
    "bfloat16": (2e-2, 1e-2),
    "float16": (1e-2, 1e-3),
    "float32": (1e-4, 1e-5),
    "float64": (1e-9, 1e-12),
}
"""(rtol, atol) per float dtype when the command line gives none."""


@dataclass(frozen=True)
class NumericsOptions:
    """The `--check-numerics-*` options."""

    entry: str | None = None
    seed: int = 0
    rtol: float | None = None
    atol: float | None = None

    def tolerances(self, dtype: np.dtype[Any]) -> tuple[float, float]:
        """(rtol, atol) for comparing floats of `dtype`."""
        rtol, atol = DEFAULT_TOLERANCES.get(dtype.name, DEFAULT_TOLERANCES["float32"])
        return (
            rtol if self.rtol is None else self.rtol,
            atol if self.atol is None else self.atol,
        )


def format_error(error: float) -> str:
    """A max abs error as printed: `0.0`, `nan`, else three significant digits."""
    if error == 0:
        return "0.0"
    return "nan" if isnan(error) else f"{error:.3g}"


# --------------------------------------------------------------------------- #
# Signatures and inputs
# --------------------------------------------------------------------------- #


def is_out_param(function: FuncOp, index: int) -> bool:
    """Whether argument `index` of `function` carries the `mlc.out` attribute."""
    attrs = function.arg_attrs
    if attrs is None or index >= len(attrs.data):
        return False
    return OUT_ATTR in attrs.data[index].data


def public_functions(module: ModuleOp) -> list[FuncOp]:
    """The module's public `func.func`s that have a body."""
    return [
        op
        for op in module.ops
        if isinstance(op, FuncOp)
        and (op.sym_visibility is None or op.sym_visibility.data == "public")
        and op.body.blocks
    ]


def find_entry(module: ModuleOp, name: str | None) -> FuncOp:
    """The entry function: `@name`, else the only public function."""
    functions = [op for op in module.ops if isinstance(op, FuncOp)]
    if name is not None:
        for function in functions:
            if function.sym_name.data == name and function.body.blocks:
                return function
        listed = ", ".join(f"@{f.sym_name.data}" for f in functions) or "none"
        raise _error(f"no function @{name} to check (functions: {listed})", module)
    public = public_functions(module)
    if len(public) == 1:
        return public[0]
    if not public:
        raise _error(
            "no public function to check; name one with --check-numerics-entry=NAME",
            module,
        )
    listed = ", ".join(f"@{f.sym_name.data}" for f in public)
    raise _error(
        f"the entry function is ambiguous: {len(public)} public functions "
        f"({listed}); name it with --check-numerics-entry=NAME",
        module,
    )


def _arg_name(block: Block, index: int) -> str:
    hint = block.args[index].name_hint
    return f"argument #{index}" + (f" (%{hint})" if hint else "")


def random_input(
    type_: Attribute, rng: np.random.Generator, what: str, function: FuncOp
) -> Array:
    """A random value of `type_` (a static tensor or memref, or a scalar)."""
    shape: tuple[int, ...] = ()
    element = type_
    if isa(type_, TensorType[Attribute]) or isa(type_, MemRefType[Attribute]):
        shape = tuple(type_.get_shape())
        element = type_.get_element_type()
        if DYNAMIC_INDEX in shape:
            raise _error(
                f"{what} of @{function.sym_name.data} has the dynamic type "
                f"{type_}; the check needs static shapes",
                function,
            )
    try:
        dtype = to_numpy_dtype(element)
    except ValueError:
        raise _error(
            f"{what} of @{function.sym_name.data} has the type {type_}, whose "
            "element type has no numpy dtype",
            function,
        ) from None
    if is_float_dtype(dtype):
        return (rng.standard_normal(shape) * FLOAT_SCALE).astype(dtype)
    if dtype.kind == "b":
        return rng.integers(0, 2, shape).astype(dtype)
    if dtype.kind == "u":
        return rng.integers(1, 7, shape).astype(dtype)
    magnitude = rng.integers(1, 4, shape)
    return np.where(rng.integers(0, 2, shape) == 1, magnitude, -magnitude).astype(dtype)


# --------------------------------------------------------------------------- #
# Running one level
# --------------------------------------------------------------------------- #


@dataclass
class _Trace(Interpreter.Listener):
    """The values of the entry block's top-level ops, in execution order."""

    block: Block
    ops: list[tuple[str, str | None]] = field(
        default_factory=list[tuple[str, str | None]]
    )
    values: list[list[Array] | None] = field(default_factory=list[list[Array] | None])

    def did_interpret_op(self, op: Operation, results: PythonValues) -> None:
        if op.parent_block() is not self.block:
            return
        loc = location_of(op.location)
        self.ops.append((op.name, None if loc is None else str(loc)))
        types = [r.type for r in op.results]
        if any(isa(t, MemRefType[Attribute]) for t in types):
            # A buffer's contents change after the op: its value is not comparable.
            self.values.append(None)
            return
        self.values.append(
            [from_interpreter(v, t) for v, t in zip(results, types, strict=True)]
        )


@dataclass
class Level:
    """What one run of the entry gave: its results and the entry block's trace."""

    results: list[Array]
    trace: _Trace


def run_level(module: ModuleOp, entry: str, inputs: Sequence[Array]) -> Level:
    """
    Interpret `@entry` of `module` on `inputs`; its results.

    Results are the function's results, then the final contents of its
    `mlc.out` arguments, which get zeroed buffers.
    """
    function = next(
        op for op in module.ops if isinstance(op, FuncOp) and op.sym_name.data == entry
    )
    block = function.body.blocks.first
    assert block is not None
    outs = [i for i in range(len(block.args)) if is_out_param(function, i)]
    given = len(block.args) - len(outs)
    if given != len(inputs):
        raise ValueError(
            f"@{entry} takes {given} inputs at this level, the input took {len(inputs)}"
        )
    it = iter(inputs)
    args: list[Array] = []
    for i, arg in enumerate(block.args):
        if i in outs:
            args.append(_zeros(arg.type))
        else:
            args.append(_as_passed(function, i, next(it)))
    trace = _Trace(block)
    with np.errstate(all="ignore"):
        results, finals = run_function_with_buffers(module, entry, args, [trace])
    return Level([*results, *(finals[i] for i in outs)], trace)


def _as_passed(function: FuncOp, index: int, value: Array) -> Array:
    """An input as this level takes it: packed once `pack-weights` packed it."""
    arg_attrs = function.arg_attrs
    packed = arg_attrs.data[index].data.get(PACKED_ATTR) if arg_attrs else None
    if not isinstance(packed, DictionaryAttr) or value.ndim not in PACKED_RANKS:
        return value
    nr, n_dim = packed.data["nr"], packed.data["n"]
    assert isinstance(nr, IntegerAttr)
    assert isinstance(n_dim, IntegerAttr)
    return pack_weight(value, nr.value.data, n_dim.value.data)


def _zeros(type_: Attribute) -> Array:
    assert isa(type_, MemRefType[Attribute]), f"an out-param is a memref, not {type_}"
    return np.zeros(type_.get_shape(), to_numpy_dtype(type_.get_element_type()))


# --------------------------------------------------------------------------- #
# Comparing
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class Mismatch:
    """How an array differs from its reference."""

    error: float
    """The max abs error (nan when a NaN meets a number; inf for shapes)."""
    detail: str


def compare(
    actual: Array, expected: Array, options: NumericsOptions
) -> tuple[float, Mismatch | None]:
    """The max abs error of `actual` against `expected`, and a mismatch if any."""
    actual, expected = np.asarray(actual), np.asarray(expected)
    if actual.shape != expected.shape:
        detail = f"has shape {actual.shape}, expected {expected.shape}"
        return float("inf"), Mismatch(float("inf"), detail)
    if actual.dtype != expected.dtype:
        # Signless integers at the tensor level stand for the graph's uiN.
        same_width = actual.dtype.kind in "iu" and expected.dtype.kind in "iu"
        if same_width and actual.dtype.itemsize == expected.dtype.itemsize:
            actual = actual.view(expected.dtype)
        else:
            actual = actual.astype(expected.dtype)
    if not is_float_dtype(expected.dtype):
        wrong = actual != expected
        if not wrong.any():
            return 0.0, None
        error = float(
            np.max(np.abs(actual.astype(np.float64) - expected.astype(np.float64)))
        )
        return error, Mismatch(error, f"differs at {int(wrong.sum())} elements (exact)")
    rtol, atol = options.tolerances(expected.dtype)
    a, e = actual.astype(np.float64), expected.astype(np.float64)
    both_nan = np.isnan(a) & np.isnan(e)
    same = (a == e) | both_nan
    with np.errstate(invalid="ignore"):  # inf - inf where both are inf
        diff = np.where(same, 0.0, np.abs(a - e))
    error = float(np.max(diff)) if diff.size else 0.0
    if np.isnan(diff).any():
        error = float("nan")
    close = np.isclose(a, e, rtol=rtol, atol=atol, equal_nan=True)
    if close.all():
        return error, None
    return error, Mismatch(error, f"(rtol {rtol:g}, atol {atol:g})")


# --------------------------------------------------------------------------- #
# The checker
# --------------------------------------------------------------------------- #


class NumericsChecker:
    """Runs the entry on the same random inputs at each level and compares."""

    def __init__(self, options: NumericsOptions) -> None:
        self.options = options
        self.entry = ""
        self.inputs: list[Array] = []
        self.reference: list[Array] = []
        self.previous: Level | None = None
        self.levels = 0

    def start(self, module: ModuleOp) -> None:
        """Pick the entry, draw its inputs and run the reference."""
        function = find_entry(module, self.options.entry)
        self.entry = function.sym_name.data
        rng = np.random.default_rng(self.options.seed)
        block = function.body.blocks.first
        assert block is not None
        self.inputs = [
            random_input(arg.type, rng, _arg_name(block, i), function)
            for i, arg in enumerate(block.args)
            if not is_out_param(function, i)
        ]
        self.previous = self._run(module, "before the pipeline")
        self.reference = self.previous.results
        self.levels = 1

    def after_step(self, step: str, module: ModuleOp) -> None:
        """Run the entry after `step`; report agreement or raise on divergence."""
        where = f"after pass '{step}'"
        if not any(
            isinstance(op, FuncOp) and op.sym_name.data == self.entry
            for op in module.ops
        ):
            raise _error(f"numerics: the entry function @{self.entry} is gone {where}")
        level = self._run(module, where)
        if len(level.results) != len(self.reference):
            raise _error(
                f"numerics diverge {where}: @{self.entry} gives "
                f"{len(level.results)} results, the input gave {len(self.reference)}"
            )
        worst = 0.0
        for index, (got, want) in enumerate(
            zip(level.results, self.reference, strict=True)
        ):
            error, mismatch = compare(got, want, self.options)
            if mismatch is not None:
                message = (
                    f"numerics diverge {where}: result #{index} max abs error "
                    f"{format_error(mismatch.error)} {mismatch.detail}"
                )
                if (culprit := self._first_differing_op(level)) is not None:
                    message += f"; first differing op: {culprit}"
                raise _error(message)
            worst = error if isnan(error) else max(worst, error)
        sys.stderr.write(
            f"numerics: after {step}: ok (max abs error {format_error(worst)})\n"
        )
        self.previous = level
        self.levels += 1

    def finish(self) -> None:
        """Report that every level agreed."""
        sys.stderr.write(f"numerics: all {self.levels} levels agree\n")
        sys.stderr.flush()

    def _run(self, module: ModuleOp, where: str) -> Level:
        try:
            return run_level(module, self.entry, self.inputs)
        except DiagnosticError:
            raise
        except Exception as error:
            raise _error(
                f"numerics: cannot run @{self.entry} {where}: "
                f"{type(error).__name__}: {error}"
            ) from error

    def _first_differing_op(self, level: Level) -> str | None:
        """The first entry op whose results differ from the previous level's."""
        previous = self.previous
        if previous is None:
            return None
        before, after = previous.trace, level.trace
        if len(before.ops) != len(after.ops):
            return None
        for index, (old, new) in enumerate(
            zip(before.values, after.values, strict=True)
        ):
            if old is None or new is None or len(old) != len(new):
                continue
            if any(compare(n, o, self.options)[1] for n, o in zip(new, old)):
                name, loc = after.ops[index]
                old_name, old_loc = before.ops[index]
                where = loc or old_loc
                text = f"'{name}'" + ("" if where is None else f" at {where}")
                if old_name != name:
                    text += f" (was '{old_name}')"
                return text
        return None


def _error(message: str, op: Operation | None = None) -> DiagnosticError:
    """A one-line diagnostic, at `op` when given."""
    return DiagnosticError([Diagnostic(message, op_location(op))])
