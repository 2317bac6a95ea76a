"""
Normalizations, activations and the transformer block: mlc's scalar loops
(the pipeline without `linalg-vectorize` and `math-approximate`) against its
vector loops (the default pipeline), and numpy.

```
python benchmarks/vector_kernels.py [--repeat N] [--rows R] [--cols C]
```

Each kernel is compiled at -O3 both ways, checked against numpy (max abs
error in the table), then timed: a warm-up call, then `--repeat` calls; a
cell is the median time of one call, single-threaded (the `mlc.parallel`
loops are not split across threads here). `MLC_TARGET=avx2` measures the
AVX2 code on an AVX-512 host.
"""

from __future__ import annotations

import argparse
import math
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from xdsl.parser import Parser

import mlc
from mlc.lowering.pipelines import PIPELINE, pipeline_passes
from mlc.support.pass_runner import run_passes
from mlc.support.target import current_target
from mlc.universe import full_context

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_models

Array = np.ndarray[Any, Any]
VECTOR_PASSES = ("linalg-vectorize", "math-approximate")


def scalar_pipeline() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The default pipeline without the vectorizing passes."""
    return tuple(
        (level, tuple(p for p in passes if p not in VECTOR_PASSES))
        for level, passes in PIPELINE
    )


def compile_both(text: str) -> tuple[Callable[..., Any], Callable[..., Any]]:
    ctx = full_context()
    module = Parser(ctx, text).parse_module()
    run_passes(pipeline_passes("llvm", scalar_pipeline()), ctx, module)
    return mlc.compile(module, opt_level=3), mlc.compile(text, opt_level=3)


def median_time(fn: Callable[[], object], repeat: int) -> float:
    fn()
    times: list[float] = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def kernels(
    rows: int, cols: int
) -> list[tuple[str, str, list[Array], Callable[..., Array]]]:
    rng = np.random.default_rng(0)
    t = f"tensor<{rows}x{cols}xf32>"
    v = f"tensor<{cols}xf32>"
    x = rng.standard_normal((rows, cols)).astype(np.float32)
    scale = rng.standard_normal(cols).astype(np.float32)
    bias = rng.standard_normal(cols).astype(np.float32)

    def softmax(a: Array) -> Array:
        e = np.exp(a - a.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)

    def layer_norm(a: Array, s: Array, b: Array) -> Array:
        mean = a.mean(axis=-1, keepdims=True)
        var = ((a - mean) ** 2).mean(axis=-1, keepdims=True)
        return (a - mean) / np.sqrt(var + 1e-5) * s + b

    erf = np.vectorize(math.erf, otypes=[np.float32])

    def gelu(a: Array) -> Array:
        return 0.5 * a * (1 + erf(a / np.float32(math.sqrt(2))))

    return [
        (
            "softmax",
            f"func.func @softmax(%x: {t}) -> {t} {{\n"
            f"  %0 = graph.softmax %x : {t}\n  func.return %0 : {t}\n}}",
            [x],
            softmax,
        ),
        (
            "layer_norm",
            f"func.func @layer_norm(%x: {t}, %s: {v}, %b: {v}) -> {t} {{\n"
            f"  %0 = graph.layer_norm %x scale(%s : {v}) bias(%b : {v}) : {t}\n"
            f"  func.return %0 : {t}\n}}",
            [x, scale, bias],
            layer_norm,
        ),
        (
            "gelu",
            f"func.func @gelu(%x: {t}) -> {t} {{\n"
            f"  %0 = graph.gelu %x : {t}\n  func.return %0 : {t}\n}}",
            [x],
            gelu,
        ),
    ]


def transformer_block() -> tuple[str, str, list[Array], Callable[..., Array]]:
    """`examples/transformer_block.mlir` with `bench_models`' numpy version."""
    model = bench_models.transformer_block("transformer_block", bench_models.Block())
    return model.name, model.ir, model.arguments(), model.numpy_fn


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--rows", type=int, default=128)
    parser.add_argument("--cols", type=int, default=768)
    options = parser.parse_args()
    target = current_target()
    print(
        f"CPU {platform.processor() or target.cpu} (LLVM: {target.cpu}), "
        f"target {target.name}, {target.vector_bits}-bit vectors; "
        f"median of {options.repeat} calls, 1 thread"
    )
    header = (
        f"{'kernel':<18} {'scalar':>10} {'vector':>10} {'numpy':>10} "
        f"{'speedup':>8} {'vs numpy':>8} {'max err':>9}"
    )
    print(header)
    print("-" * len(header))
    rows = [*kernels(options.rows, options.cols), transformer_block()]
    for name, text, args, reference in rows:
        scalar, vector = compile_both(text)
        got = vector(*args)
        want = reference(*args)
        error = float(np.max(np.abs(np.asarray(got) - np.asarray(want))))
        t_scalar = median_time(lambda: scalar(*args), options.repeat)
        t_vector = median_time(lambda: vector(*args), options.repeat)
        t_numpy = median_time(lambda: reference(*args), max(5, options.repeat // 10))
        print(
            f"{name:<18} {t_scalar * 1e6:>8.1f}us {t_vector * 1e6:>8.1f}us "
            f"{t_numpy * 1e6:>8.1f}us {t_scalar / t_vector:>7.2f}x "
            f"{t_numpy / t_vector:>7.2f}x {error:>9.2e}"
        )


if __name__ == "__main__":
    main()
