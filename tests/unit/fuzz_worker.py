"""
The process the native fuzz suite (tests/unit/runtime/test_fuzz_native.py)
runs its cases in, so that a crash or a hang in native code is a finding
about one case, not the end of the test run.

Protocol: one JSON object per line on stdin, `{"text", "seed", "export"}`;
one JSON object per line on stdout, `{"status", "detail"}` with status

  ok        compiled, ran, and agreed with the numpy references
  error     an mlc error (one line, in detail) at compile, call or export
  skipped   compiled, but too large to run here, or no numpy reference
  mismatch  ran, but disagreed with the numpy references
  traceback any other exception (the text in detail)

The worker runs in a sandbox folder (its cwd, also its TMPDIR) that the
parent checks after each case: an export goes to `out/libfuzz.so` and may
write only its three files; nothing else may appear. The address space is
capped so a runaway allocation fails instead of swapping the machine.
"""

from __future__ import annotations

import json
import math
import os
import resource
import sys
import traceback
from typing import Any

import numpy as np

ADDRESS_SPACE = 6 * 2**30
RUN_LIMIT_BYTES = 64 * 2**20
"""A case whose inputs and outputs need more is compiled but not run."""


def main() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    for line in sys.stdin:
        case = json.loads(line)
        try:
            status, detail = run_case(case["text"], case["seed"], case["export"])
        except BaseException:  # report, and keep serving
            status, detail = "traceback", traceback.format_exc()
        sys.stdout.write(json.dumps({"status": status, "detail": detail}) + "\n")
        sys.stdout.flush()


def mlc_errors() -> tuple[type[BaseException], ...]:
    from mlc.runtime.export import ExportError
    from mlc.runtime.signature import CompileError, InputError, OutOfMemoryError
    from mlc.runtime.weights import WeightsError

    return (CompileError, InputError, OutOfMemoryError, WeightsError, ExportError)


def run_case(text: str, seed: int, export: bool) -> tuple[str, str]:
    import mlc

    errors = mlc_errors()
    opt_level = 3 if seed % 2 else 0
    try:
        compiled = mlc.compile(text, opt_level=opt_level)
    except errors as error:
        return "error", f"{type(error).__name__}: {error}"
    if export:
        os.makedirs("out", exist_ok=True)
        try:
            compiled.export_library("out/libfuzz.so")
        except errors as error:
            return "error", f"{type(error).__name__}: {error}"
    signature = compiled.full_signature
    specs = [*signature.inputs, *signature.outputs]
    sizes = [math.prod(s.shape) * np.dtype(s.dtype).itemsize for s in specs]
    if any(d < 0 for s in specs for d in s.shape) or sum(sizes) > RUN_LIMIT_BYTES:
        return "skipped", "too large to run"
    inputs, want = reference(text, compiled.entry, seed)
    try:
        got = compiled(*inputs)
    except errors as error:
        return "error", f"{type(error).__name__}: {error}"
    if want is None:
        return "skipped", "no numpy reference"
    results = got if isinstance(got, tuple) else (got,)
    for index, (g, w) in enumerate(zip(results, want, strict=True)):
        if (problem := disagreement(g, np.asarray(w))) is not None:
            return "mismatch", f"result #{index}: {problem}"
    return "ok", ""


def reference(text: str, entry: str, seed: int) -> tuple[list[Any], list[Any] | None]:
    """Random inputs for the entry, and what the numpy references make of them."""
    from graph_programs import argument_value
    from xdsl.dialects import func

    from mlc.interpreters import run_function
    from mlc.runtime.compiled import parse_ir

    module = parse_ir(text, "<fuzz>")
    function = next(
        op
        for op in module.ops
        if isinstance(op, func.FuncOp) and op.sym_name.data == entry
    )
    rng = np.random.default_rng(seed)
    inputs = [argument_value(arg, rng) for arg in function.body.block.args]
    try:
        with np.errstate(all="ignore"):
            want = list(run_function(module, entry, inputs))
    except Exception:  # the interpreter lacks something: nothing to compare
        return inputs, None
    return inputs, want


def disagreement(got: Any, want: Any) -> str | None:
    if not isinstance(got, np.ndarray):
        return f"not an array: {type(got).__name__}"
    if got.dtype != want.dtype or got.shape != want.shape:
        return f"{got.dtype}{list(got.shape)} != {want.dtype}{list(want.shape)}"
    if want.dtype.kind in "biu":
        if not np.array_equal(got, want):
            return "integer values differ"
        return None
    # Deep float programs (a transformer block on inputs in [-2, 2]) reorder
    # rounding natively; a lowering bug is off by far more than this.
    g, w = got.astype(np.float64), want.astype(np.float64)
    rtol = 1e-2 if want.dtype == np.float16 else 1e-3
    finite = np.abs(w[np.isfinite(w)])
    scale = max(1.0, float(finite.max())) if finite.size else 1.0
    close = np.isclose(g, w, rtol, rtol * 0.1 * scale, equal_nan=True)
    if not close.all():
        return f"{int((~close).sum())} of {close.size} values differ"
    return None


if __name__ == "__main__":
    main()
