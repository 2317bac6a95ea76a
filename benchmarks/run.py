"""
Latency of mlc-compiled models against numpy, PyTorch eager and onnxruntime.

```
python benchmarks/run.py [--quick] [--models NAME,...] [--threads 1,2] [--budget S]
```

Two kinds of model. The graph-IR models (`bench_models.py`) are compiled with
`mlc.compile(..., opt_level=3)`, their weights bound, and checked against a
hand-written numpy implementation. The real architectures
(`bench_torch_models.py`: ResNet-18, MobileNetV2, a BERT-style encoder) are
imported with `mlc.import_torch`, compiled, and checked against PyTorch; their
onnxruntime column runs their `torch.onnx.export`. A model mlc cannot import,
compile or run correctly gets its row anyway, with the error in one line.

Each framework then runs the same model on the same input: a warm-up call,
then repeated calls for about `--budget` seconds, in three rounds in which the
frameworks take turns (a burst of load from elsewhere falls on all alike); a
cell is the median time of one call (calls too short for the clock are timed in
groups). SGEMM cells also
give GFLOP/s. `mlc / onnxruntime` is the ratio of the two medians (below 1:
mlc is faster).

Threads: `--threads 1,2` measures every framework at each count and prints one
table per count: numpy's BLAS (its thread count set through the BLAS library
at run time, the `*_NUM_THREADS` variables at start), `torch.set_num_threads`,
onnxruntime's intra-op threads, mlc's `num_threads` when the compiled module
has one (else mlc runs single-threaded in every table).

After the tables: the per-call overhead (the native entry called directly
versus `CompiledModule.__call__`, the course MLP at batch 1 with its weights
bound). `--quick` is a smoke run: the small models, a short budget.
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
    _most = max((int(t) for t in _threads.split(",") if t.strip().isdigit()), default=1)
    for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[_var] = str(_most)

import argparse
import ctypes
import importlib
import io
import platform
import statistics
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_models import Model, all_models
from bench_torch_models import TorchModel, torch_models
from timing import Call, time_all, timed_samples

QUICK_MODELS = ("mlp_b1", "lenet_b1", "transformer_b1")
REL_TOLERANCE = 1e-3
"""A result whose max abs error exceeds this times max |reference| fails the check."""
FRAMEWORKS = ("mlc", "mlc-onnx", "numpy", "torch", "onnxruntime")
AnyModel = Model | TorchModel


@dataclass
class Result:
    """One model's row: compile time, error, and seconds per call per framework."""

    name: str
    description: str
    flops: float = 0.0
    compile_seconds: float | None = None
    max_error: float | None = None
    errors: dict[str, str] = field(default_factory=dict[str, str])
    """Why an mlc column has no time (one line), by framework."""
    first_call: dict[str, float] = field(default_factory=dict[str, float])
    """The checked call's seconds by framework: the first count's warm-up."""
    seconds: dict[tuple[str, int], float | None] = field(
        default_factory=dict[tuple[str, int], float | None]
    )


def one_line(error: BaseException) -> str:
    """An exception as one short line."""
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= 160 else text[:157] + "..."


# --------------------------------------------------------------------------- #
# Thread control
# --------------------------------------------------------------------------- #


def _blas_setter() -> Callable[[int], None] | None:
    """numpy's OpenBLAS `set_num_threads`, found among the loaded libraries."""
    maps = Path("/proc/self/maps")
    if not maps.exists():
        return None
    paths = {
        line.split()[-1] for line in maps.read_text().splitlines() if "blas" in line
    }
    for path in sorted(paths):
        try:
            library = ctypes.CDLL(path)
        except OSError:
            continue
        for symbol in (
            "scipy_openblas_set_num_threads64_",
            "openblas_set_num_threads64_",
            "openblas_set_num_threads",
        ):
            setter = getattr(library, symbol, None)
            if setter is not None:
                return lambda n, f=setter: f(ctypes.c_int(n))
    return None


BLAS_THREADS = _blas_setter()


def mlc_threads(compiled: Any, threads: int) -> None:
    """Run `compiled`'s parallel loops on `threads` threads, when it has any."""
    if hasattr(compiled, "num_threads"):
        compiled.num_threads = threads


# --------------------------------------------------------------------------- #
# Frameworks
# --------------------------------------------------------------------------- #


def torch_call(fn: Callable[..., object], args: Sequence[Any], threads: int) -> Call:
    """`fn(*args)` under PyTorch's inference mode on `threads` threads."""
    torch: Any = importlib.import_module("torch")
    torch.set_num_threads(threads)

    def call() -> object:
        with torch.inference_mode():
            return fn(*args)

    return call


def onnx_call(proto_bytes: bytes, feed: dict[str, Any], threads: int) -> Call | None:
    """onnxruntime on a serialized model, or None without onnxruntime."""
    try:
        ort = importlib.import_module("onnxruntime")
    except ImportError:
        return None
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(
        proto_bytes, options, providers=["CPUExecutionProvider"]
    )
    return lambda: session.run(None, feed)


def check(
    result: Result, framework: str, output: Any, reference: Any, against: str
) -> bool:
    """Whether mlc's output is close to `reference`; else the row's error says why."""
    output = np.asarray(output, dtype=np.float64)
    reference = np.asarray(reference, dtype=np.float64)
    if output.shape != reference.shape:
        result.errors[framework] = (
            f"output shape {output.shape}, {against} {reference.shape}"
        )
        return False
    error = float(np.max(np.abs(output - reference)))
    scale = float(np.max(np.abs(reference))) or 1.0
    if framework == "mlc":
        result.max_error = error
    if not error <= REL_TOLERANCE * scale:
        result.errors[framework] = (
            f"differs from {against}: max abs error {error:.3g}, max |{against}| "
            f"{scale:.3g}"
        )
        return False
    return True


def compile_checked(
    result: Result,
    framework: str,
    build: Callable[[], Any],
    x: Any,
    reference: Any,
    against: str,
) -> Any:
    """
    `build()` (a compiled module with its weights bound), checked on `x`
    against `reference`; None, with the row's error, when any step fails.
    mlc's own column records the compile time.
    """
    try:
        start = time.perf_counter()
        compiled = build()
        if framework == "mlc":
            result.compile_seconds = time.perf_counter() - start
        start = time.perf_counter()
        output = compiled(x)
        result.first_call[framework] = time.perf_counter() - start
        if check(result, framework, output, reference, against):
            return compiled
    except Exception as error:  # reported in the row, the run goes on
        result.errors[framework] = one_line(error)
    return None


def mlc_maker(compiled: Any, x: Any) -> Callable[[int], Call | None]:
    """The timed call of a compiled module at a thread count."""

    def make(t: int) -> Call | None:
        if compiled is None:
            return None
        mlc_threads(compiled, t)
        return lambda: compiled(x)

    return make


def measure_ir(
    model: Model, budget: float, threads: Sequence[int], frameworks: Sequence[str]
) -> Result:
    """Compile and check the graph IR, then time every framework."""
    import mlc
    from mlc.frontend import import_onnx

    result = Result(model.name, model.description, model.flops)
    args = model.arguments()
    x, weights = args[0], args[1:]
    reference = model.numpy_fn(*args)

    def direct() -> Any:
        compiled = mlc.compile(model.ir, entry=model.entry, opt_level=3)
        return compiled.bind(
            {p.name: a for p, a in zip(model.params[1:], weights, strict=True)}
        )

    def through_onnx() -> Any:
        return mlc.compile(import_onnx(model.onnx_model(args)), opt_level=3)

    compiled = compile_checked(result, "mlc", direct, x, reference, "numpy")
    via_onnx = (
        compile_checked(result, "mlc-onnx", through_onnx, x, reference, "numpy")
        if "mlc-onnx" in frameworks and model.onnx_route
        else None
    )

    def numpy_call(t: int) -> Call | None:
        if BLAS_THREADS is not None:
            BLAS_THREADS(t)
        elif t != max(threads):
            return None
        return lambda: model.numpy_fn(x, *weights)

    def torch_maker(t: int) -> Call | None:
        torch: Any = importlib.import_module("torch")
        tensors = [torch.from_numpy(a) for a in args]
        return torch_call(model.torch_fn, tensors, t)

    def ort_maker(t: int) -> Call | None:
        proto = model.onnx_model(args).SerializeToString()
        return onnx_call(proto, {model.params[0].name: x}, t)

    makers = {
        "mlc": mlc_maker(compiled, x),
        "mlc-onnx": mlc_maker(via_onnx, x),
        "numpy": numpy_call,
        "torch": torch_maker,
        "onnxruntime": ort_maker,
    }
    result.seconds = time_all(makers, budget, threads, frameworks, result.first_call)
    return result


def export_onnx(module: Any, x: Any) -> bytes:
    """`torch.onnx.export`, TorchScript-based (the dynamo one needs onnxscript)."""
    torch: Any = importlib.import_module("torch")
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(
            module, (x,), buffer, dynamo=False, input_names=["x"], opset_version=17
        )
    return buffer.getvalue()


def measure_torch(
    model: TorchModel, budget: float, threads: Sequence[int], frameworks: Sequence[str]
) -> Result:
    """Import, compile and check a PyTorch module, then time every framework."""
    import mlc
    from mlc.frontend import import_onnx

    torch: Any = importlib.import_module("torch")
    result = Result(model.name, model.description, model.flops)
    module, x = model.build()
    with torch.inference_mode():
        reference = module(x).numpy()
    x_np = x.numpy()
    proto: bytes | None = None

    def onnx_bytes() -> bytes:
        nonlocal proto
        if proto is None:
            proto = export_onnx(module, x)
        return proto

    def direct() -> Any:
        return mlc.compile(mlc.import_torch(module, (x,)), opt_level=3)

    def through_onnx() -> Any:
        onnx: Any = importlib.import_module("onnx")
        imported = import_onnx(onnx.load_from_string(onnx_bytes()))
        return mlc.compile(imported, opt_level=3)

    compiled = compile_checked(result, "mlc", direct, x_np, reference, "PyTorch")
    via_onnx = (
        compile_checked(result, "mlc-onnx", through_onnx, x_np, reference, "PyTorch")
        if "mlc-onnx" in frameworks
        else None
    )

    def ort_maker(t: int) -> Call | None:
        try:
            exported = onnx_bytes()
        except Exception as error:
            print(f"  {model.name}: onnx export: {one_line(error)}", file=sys.stderr)
            return None
        return onnx_call(exported, {"x": x_np}, t)

    makers: dict[str, Callable[[int], Call | None]] = {
        "mlc": mlc_maker(compiled, x_np),
        "mlc-onnx": mlc_maker(via_onnx, x_np),
        "torch": lambda t: torch_call(module, [x], t),
        "onnxruntime": ort_maker,
    }
    result.seconds = time_all(makers, budget, threads, frameworks, result.first_call)
    return result


# --------------------------------------------------------------------------- #
# Per-call overhead
# --------------------------------------------------------------------------- #


def call_overhead(model: Model, budget: float) -> tuple[float, float] | str:
    """
    (native entry alone, `CompiledModule.__call__`) seconds per call on
    `model` with its weights bound, or why it could not be measured.
    """
    import mlc

    args = model.arguments()
    compiled: Any = mlc.compile(model.ir, entry=model.entry, opt_level=3)
    compiled = compiled.bind(
        {p.name: a for p, a in zip(model.params[1:], args[1:], strict=True)}
    )
    x = args[0]
    mlc_threads(compiled, 1)  # both calls on one thread
    compiled(x)
    native = getattr(compiled, "_native", None)
    function = getattr(native, "function", None)
    if function is None:
        return "the compiled module exposes no native entry"

    def aligned(shape: Sequence[int], dtype: Any) -> Any:
        """A 64-byte-aligned array: the ABI promises aligned pointers."""
        raw = np.empty(int(np.prod(shape)) * np.dtype(dtype).itemsize + 64, np.uint8)
        offset = -raw.ctypes.data % 64
        return raw[offset : offset + raw.size - 64].view(dtype).reshape(shape)

    # The ABI: one pointer per input (signature order), then per output.
    x_aligned = aligned(x.shape, x.dtype)
    x_aligned[...] = x
    bound = compiled.native_bound  # packed where the native code reads packed
    addresses = [
        bound[s.name].ctypes.data if s.name in bound else x_aligned.ctypes.data
        for s in compiled.full_signature.inputs
    ]
    outputs = [aligned(s.shape, s.dtype) for s in compiled.signature.outputs]
    addresses += [o.ctypes.data for o in outputs]
    function(*addresses)
    if not np.allclose(outputs[0], compiled(x)):
        return "the native entry's result differs from the module's"
    native_seconds = statistics.median(
        timed_samples(lambda: function(*addresses), budget)
    )
    call_seconds = statistics.median(timed_samples(lambda: compiled(x), budget))
    return native_seconds, call_seconds


# --------------------------------------------------------------------------- #
# The tables
# --------------------------------------------------------------------------- #


def format_time(seconds: float | None, flops: float = 0.0) -> str:
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


NAMES = {
    "mlc": "mlc -O3",
    "mlc-onnx": "mlc via ONNX",
    "numpy": "numpy",
    "torch": "PyTorch eager",
    "onnxruntime": "onnxruntime",
}


def format_table(results: Sequence[Result], threads: int) -> str:
    """The results at `threads` threads as a Markdown table."""
    frameworks = [
        f
        for f in FRAMEWORKS
        if any(r.seconds.get((f, threads)) is not None for r in results)
        or any(f in r.errors for r in results)
    ]
    ratio = "mlc" in frameworks and "onnxruntime" in frameworks
    header = ["model", *[NAMES[f] for f in frameworks]]
    header += ["mlc / onnxruntime"] if ratio else []
    header += ["mlc compile", "mlc max abs error"]
    rows = [header, ["---"] * len(header)]
    for r in results:
        cells = [r.description]
        for f in frameworks:
            seconds = r.seconds.get((f, threads))
            if f in r.errors:
                cells.append(f"error: {r.errors[f]}")
            else:
                cells.append(format_time(seconds, r.flops))
        if ratio:
            mlc, ort = (
                r.seconds.get(("mlc", threads)),
                r.seconds.get(("onnxruntime", threads)),
            )
            cells.append(f"{mlc / ort:.3g}" if mlc and ort else "-")
        cells.append(format_time(r.compile_seconds))
        cells.append("-" if r.max_error is None else f"{r.max_error:.2g}")
        rows.append(cells)
    return "".join("| " + " | ".join(row) + " |\n" for row in rows)


def machine_description() -> str:
    """The CPU, core count and versions the tables were measured with."""
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    versions: list[str] = []
    for package in (
        "numpy",
        "torch",
        "onnxruntime",
        "torchvision",
        "transformers",
        "llvmlite",
        "xdsl",
    ):
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            pass
    return (
        f"{cpu}, {os.cpu_count()} cores, {platform.system()}, Python "
        f"{platform.python_version()}; {', '.join(versions)}"
    )


def select(names: str | None, quick: bool) -> list[AnyModel]:
    """The models named in `--models`, else all (the small ones with --quick)."""
    models: list[AnyModel] = [*all_models(), *torch_models()]
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


def parse_threads(text: str) -> list[int]:
    """`1,2` -> [1, 2]."""
    try:
        counts = [int(t) for t in text.split(",") if t.strip()]
    except ValueError:
        counts = []
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError(f"expected counts like 1,2, got '{text}'")
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    """Measure the selected models and print the tables; the exit code."""
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
    parser.add_argument(
        "--threads", type=parse_threads, default=[1], help="thread counts (1 or 1,2)"
    )
    parser.add_argument("--budget", type=float, help="seconds per measurement")
    parser.add_argument(
        "--write-ir",
        metavar="DIR",
        help="write the graph-IR models to DIR/<name>.mlir (for mlc-run) and exit",
    )
    args = parser.parse_args(argv)
    if args.write_ir is not None:
        directory = Path(args.write_ir)
        directory.mkdir(parents=True, exist_ok=True)
        for model in select(args.models, args.quick):
            if isinstance(model, Model):
                (directory / f"{model.name}.mlir").write_text(model.ir)
        return 0
    budget = args.budget if args.budget is not None else (0.05 if args.quick else 1.0)
    frameworks = [f.strip() for f in args.frameworks.split(",") if f.strip()]
    if unknown := sorted(set(frameworks) - set(FRAMEWORKS)):
        raise SystemExit(
            f"run.py: error: unknown framework '{unknown[0]}' (choose from "
            f"{', '.join(FRAMEWORKS)})"
        )
    threads: list[int] = args.threads
    results: list[Result] = []
    for model in select(args.models, args.quick):
        print(f"measuring {model.name} ...", file=sys.stderr, flush=True)
        if isinstance(model, Model):
            results.append(measure_ir(model, budget, threads, frameworks))
        else:
            results.append(measure_torch(model, budget, threads, frameworks))
    for t in threads:
        print(f"{t} thread{'s' if t > 1 else ''} per framework:\n")
        print(format_table(results, t))
    if "mlc" in frameworks and not args.quick:
        mlp = next(m for m in all_models() if m.name == "mlp_b1")
        overhead = call_overhead(mlp, budget)
        print("Per-call overhead (MLP 784→128→10, batch 1, weights bound):\n")
        if isinstance(overhead, str):
            print(f"not measured: {overhead}\n")
        else:
            native, call = overhead
            print("| native entry alone | CompiledModule.__call__ | overhead |")
            print("| --- | --- | --- |")
            print(
                f"| {format_time(native)} | {format_time(call)} | "
                f"{format_time(call - native)} |\n"
            )
    print(f"Machine: {machine_description()}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
