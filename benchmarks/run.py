"""
Latency of mlc-compiled models against numpy, PyTorch eager and onnxruntime.

```
python benchmarks/run.py [--quick] [--models NAME,...] [--threads N] [--budget S]
```

Every model (`bench_models.py`) is compiled from graph IR with
`mlc.compile(..., opt_level=3)`, its weights bound, and its result checked
against the hand-written numpy implementation before anything is timed (the
table reports the max abs error). Each framework then runs the same model on
the same input: a warm-up call, then repeated calls for about `--budget`
seconds; a cell is the median time of one call (calls too short for the
clock are timed in groups). SGEMM cells also give GFLOP/s. onnxruntime's
column is there only when `onnxruntime` is importable.

Threads: every framework is limited to `--threads` threads (default 1: numpy's
BLAS through the `*_NUM_THREADS` variables, set before numpy loads;
`torch.set_num_threads`; onnxruntime's intra-op threads). mlc's code is
single-threaded.

`--quick` is a smoke run: the small models only, with a short budget.
"""

from __future__ import annotations

import os
import sys

if __name__ == "__main__":  # before numpy loads: its BLAS reads these once
    _threads = "1"
    for _i, _arg in enumerate(sys.argv):
        if _arg == "--threads" and _i + 1 < len(sys.argv):
            _threads = sys.argv[_i + 1]
        elif _arg.startswith("--threads="):
            _threads = _arg.split("=", 1)[1]
    for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[_var] = _threads

import argparse
import importlib
import platform
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_models import Model, all_models

QUICK_MODELS = ("mlp_b1", "lenet_b1", "transformer_b1")
REL_TOLERANCE = 1e-3
"""A result whose max abs error exceeds this times max |numpy| fails the check."""


@dataclass
class Result:
    """One model's row: compile time, error, and seconds per call per framework."""

    model: Model
    compile_seconds: float = 0.0
    max_error: float = 0.0
    relative_error: float = 0.0
    seconds: dict[str, float | None] = field(default_factory=dict[str, float | None])


# --------------------------------------------------------------------------- #
# Timing
# --------------------------------------------------------------------------- #


LONG_CALL = 10.0
"""Seconds from which a warm-up call is its own measurement (SGEMM 2048)."""


def median_seconds(
    call: Callable[[], object], budget: float, warm_up: float | None = None
) -> float:
    """
    Median wall time of one call, over about `budget` seconds of calls.

    A warm-up call comes first, unless `warm_up` gives the time of one already
    made; a warm-up of `LONG_CALL` seconds or more is the measurement, else a
    call longer than `budget` is timed once.
    """
    if warm_up is None:
        start = time.perf_counter()
        call()
        warm_up = time.perf_counter() - start
    if warm_up >= LONG_CALL:
        return warm_up
    start = time.perf_counter()
    call()
    first = time.perf_counter() - start
    if first >= budget:
        return first
    group = max(1, int(1e-3 / max(first, 1e-9)))  # samples of at least ~1 ms
    samples = int(min(max(budget / (first * group), 3), 200))
    times: list[float] = []
    for _ in range(samples):
        start = time.perf_counter()
        for _ in range(group):
            call()
        times.append((time.perf_counter() - start) / group)
    return statistics.median(times)


# --------------------------------------------------------------------------- #
# Frameworks
# --------------------------------------------------------------------------- #


def mlc_callable(model: Model, args: list[np.ndarray[Any, Any]]) -> tuple[Any, float]:
    """The compiled model with its weights bound, and the compile time."""
    import mlc

    start = time.perf_counter()
    compiled = mlc.compile(model.ir, entry=model.entry, opt_level=3)
    weights = {p.name: a for p, a in zip(model.params[1:], args[1:], strict=True)}
    bound = compiled.bind(weights)
    return bound, time.perf_counter() - start


def torch_callable(
    model: Model, args: list[np.ndarray[Any, Any]], threads: int
) -> Callable[[], object] | None:
    """PyTorch eager on the same arrays (no autograd), or None without torch."""
    try:
        torch = importlib.import_module("torch")
    except ImportError:
        return None
    torch.set_num_threads(threads)
    tensors = [torch.from_numpy(a) for a in args]

    def call() -> object:
        with torch.inference_mode():
            return model.torch_fn(*tensors)

    return call


def onnx_callable(
    model: Model, args: list[np.ndarray[Any, Any]], threads: int
) -> Callable[[], object] | None:
    """onnxruntime on the model built with `onnx.helper`, or None without it."""
    try:
        ort = importlib.import_module("onnxruntime")
    except ImportError:
        return None
    proto = model.onnx_model(args)
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(
        proto.SerializeToString(), options, providers=["CPUExecutionProvider"]
    )
    feed = {model.params[0].name: args[0]}

    def call() -> object:
        return session.run(None, feed)

    return call


FRAMEWORKS = ("mlc", "numpy", "torch", "onnxruntime")


def measure(
    model: Model, budget: float, threads: int, frameworks: Sequence[str]
) -> Result:
    """Compile, check against numpy, then time every framework on `model`."""
    args = model.arguments()
    reference = model.numpy_fn(*args)
    compiled, compile_seconds = mlc_callable(model, args)
    start = time.perf_counter()
    output = np.asarray(compiled(args[0]))  # the warm-up call, checked
    first = time.perf_counter() - start
    error = float(np.max(np.abs(output.astype(np.float64) - reference)))
    scale = float(np.max(np.abs(reference))) or 1.0
    result = Result(model, compile_seconds, error, error / scale)
    if output.shape != reference.shape or not error <= REL_TOLERANCE * scale:
        raise SystemExit(
            f"run.py: error: {model.name}: mlc's result differs from numpy's (max "
            f"abs error {error:.3g}, max |numpy| {scale:.3g})"
        )
    x, weights = args[0], args[1:]
    numpy_fn = model.numpy_fn
    calls: dict[str, Callable[[], object] | None] = {
        "mlc": lambda: compiled(x),
        "numpy": lambda: numpy_fn(x, *weights),
    }
    for name, make in (("torch", torch_callable), ("onnxruntime", onnx_callable)):
        calls[name] = make(model, args, threads) if name in frameworks else None
    for name in frameworks:
        call = calls[name]
        warm = first if name == "mlc" else None
        result.seconds[name] = (
            None if call is None else median_seconds(call, budget, warm)
        )
    return result


# --------------------------------------------------------------------------- #
# The table
# --------------------------------------------------------------------------- #


def format_time(seconds: float | None, flops: float) -> str:
    """`12.3 µs`, `4.56 ms`; with `(X GFLOP/s)` when `flops` is known."""
    if seconds is None:
        return "-"
    if seconds < 1e-3:
        text = f"{seconds * 1e6:.3g} µs"
    elif seconds < 1:
        text = f"{seconds * 1e3:.3g} ms"
    else:
        text = f"{seconds:.3g} s"
    if flops:
        text += f" ({flops / seconds / 1e9:.3g} GFLOP/s)"
    return text


def format_table(results: Sequence[Result], threads: int) -> str:
    """The results as a Markdown table."""
    frameworks = [
        f for f in FRAMEWORKS if any(r.seconds.get(f) is not None for r in results)
    ]
    names = {
        "mlc": "mlc -O3",
        "numpy": "numpy",
        "torch": f"PyTorch eager ({threads} thr)",
        "onnxruntime": f"onnxruntime ({threads} thr)",
    }
    header = [
        "model",
        *[names[f] for f in frameworks],
        "mlc compile",
        "mlc max abs error",
    ]
    rows = [header, ["---"] * len(header)]
    for r in results:
        rows.append(
            [
                r.model.description,
                *[format_time(r.seconds.get(f), r.model.flops) for f in frameworks],
                format_time(r.compile_seconds, 0.0),
                f"{r.max_error:.2g}",
            ]
        )
    return "".join("| " + " | ".join(row) + " |\n" for row in rows)


def machine_description(threads: int) -> str:
    """The CPU, core count and versions the table was measured with."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    versions: list[str] = []
    for package in ("numpy", "torch", "onnxruntime", "llvmlite", "xdsl"):
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            pass
    return (
        f"{cpu}, {os.cpu_count()} cores, {platform.system()}, Python "
        f"{platform.python_version()}; {', '.join(versions)}; {threads} thread(s) "
        "per framework"
    )


def select(names: str | None, quick: bool) -> list[Model]:
    """The models named in `--models`, else all (the small ones with --quick)."""
    models = all_models()
    if names is None:
        return [m for m in models if not quick or m.name in QUICK_MODELS]
    wanted = [n.strip() for n in names.split(",") if n.strip()]
    known = {m.name: m for m in models}
    unknown = [n for n in wanted if n not in known]
    if unknown:
        raise SystemExit(
            f"run.py: error: unknown model '{unknown[0]}' (choose from "
            f"{', '.join(known)})"
        )
    return [known[n] for n in wanted]


def main(argv: Sequence[str] | None = None) -> int:
    """Measure the selected models and print the table; the exit code."""
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").split("\n\n")[0].strip()
    )
    parser.add_argument("--quick", action="store_true", help="a fast smoke run")
    parser.add_argument("--models", help="comma-separated model names")
    parser.add_argument(
        "--frameworks",
        default=",".join(FRAMEWORKS),
        help="comma-separated columns to time (default: all available)",
    )
    parser.add_argument("--threads", type=int, default=1, help="threads (1)")
    parser.add_argument("--budget", type=float, help="seconds per measurement")
    parser.add_argument(
        "--write-ir",
        metavar="DIR",
        help="write the models' graph IR to DIR/<name>.mlir (for mlc-run) and exit",
    )
    args = parser.parse_args(argv)
    if args.write_ir is not None:
        directory = Path(args.write_ir)
        directory.mkdir(parents=True, exist_ok=True)
        for model in select(args.models, args.quick):
            (directory / f"{model.name}.mlir").write_text(model.ir)
        return 0
    budget = args.budget if args.budget is not None else (0.05 if args.quick else 1.0)
    frameworks = [f.strip() for f in args.frameworks.split(",") if f.strip()]
    if unknown := sorted(set(frameworks) - set(FRAMEWORKS)):
        raise SystemExit(
            f"run.py: error: unknown framework '{unknown[0]}' (choose from "
            f"{', '.join(FRAMEWORKS)})"
        )
    results: list[Result] = []
    for model in select(args.models, args.quick):
        print(f"measuring {model.name} ...", file=sys.stderr, flush=True)
        results.append(measure(model, budget, args.threads, frameworks))
    print(format_table(results, args.threads))
    print(f"Machine: {machine_description(args.threads)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
