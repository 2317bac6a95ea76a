"""
Threads: the parallel-for runtime gives bitwise-identical results for any
thread count, honours `num_threads` and `MLC_NUM_THREADS`, runs small loops
serially, serializes concurrent callers, and goes into exported objects.
"""

import os
import threading
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pytest

import mlc
from mlc.runtime import parallel
from mlc.runtime.llvm_ir import emit_object

EXAMPLES = Path(__file__).parents[3] / "examples"

# Large enough for parallelize-loops' default work threshold (2^17 ops): the
# example models at batch 1 stay serial, where threads would cost more.
A, B, C = "tensor<384x256xf32>", "tensor<256x384xf32>", "tensor<384x384xf32>"
MATMUL_RELU = f"""
func.func @mm(%a: {A}, %b: {B}) -> {C} {{
  %0 = graph.matmul %a, %b : ({A}, {B}) -> {C}
  %1 = graph.relu %0 : {C}
  func.return %1 : {C}
}}
"""


def inputs(model: mlc.CompiledModule, seed: int = 0) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [
        rng.standard_normal(s.shape).astype(s.dtype) for s in model.signature.inputs
    ]


def test_one_and_two_threads_agree_bitwise() -> None:
    one = mlc.compile(MATMUL_RELU, num_threads=1)
    two = mlc.compile(MATMUL_RELU, num_threads=2)
    assert two._native.parallel  # pyright: ignore[reportPrivateUsage]
    args = inputs(one)
    first, second = one(*args), two(*args)
    for a, b in zip(np.atleast_1d(first), np.atleast_1d(second), strict=True):
        assert np.array_equal(a, b)
    assert parallel.jit_threads() == 2
    one(*args)
    assert parallel.jit_threads() == 1


def test_two_threads_start_a_worker() -> None:
    model = mlc.compile(EXAMPLES / "mlp.mlir", num_threads=2)
    model(*inputs(model))
    names = os.listdir("/proc/self/task")
    assert len(names) >= 2


def test_small_loops_stay_serial() -> None:
    small = mlc.compile(EXAMPLES / "small" / "mlp_small.mlir")
    assert not small._native.parallel  # pyright: ignore[reportPrivateUsage]
    assert "mlc_parallel_for" not in small.unoptimized_llvm_ir


def test_concurrent_callers_get_correct_results() -> None:
    model = mlc.compile(EXAMPLES / "mlp.mlir", num_threads=2)
    args = inputs(model)
    expected = mlc.compile(EXAMPLES / "mlp.mlir", num_threads=1)(*args)
    results: list[object] = []

    def run() -> None:
        for _ in range(20):
            results.append(model(*args))

    workers = [threading.Thread(target=run) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert len(results) == 60
    for result in results:
        assert np.array_equal(result, expected)  # pyright: ignore[reportArgumentType]


def test_num_threads_default_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MLC_NUM_THREADS", "3")
    assert parallel.default_num_threads() == 3
    assert mlc.compile(EXAMPLES / "mlp.mlir").num_threads == 3
    monkeypatch.delenv("MLC_NUM_THREADS")
    assert parallel.default_num_threads() == len(os.sched_getaffinity(0))
    monkeypatch.setenv("MLC_NUM_THREADS", "many")
    with pytest.raises(ValueError, match="MLC_NUM_THREADS must be a positive integer"):
        mlc.compile(EXAMPLES / "mlp.mlir")


@pytest.mark.parametrize("count", [0, -2, 1.5, True])
def test_bad_num_threads(count: object) -> None:
    with pytest.raises(ValueError, match="num_threads must be a positive integer"):
        mlc.compile(EXAMPLES / "mlp.mlir", num_threads=count)  # pyright: ignore[reportArgumentType]


def test_exported_objects_carry_the_runtime() -> None:
    model = mlc.compile(MATMUL_RELU, num_threads=2)
    obj = emit_object(model.unoptimized_llvm_ir, 2)
    assert b"mlc_parallel_for" in obj
    assert b"pthread_create" in obj


def test_timing_names_each_llvm_step(capsys: pytest.CaptureFixture[str]) -> None:
    text = (EXAMPLES / "small" / "lenet_small.mlir").read_text()
    model = mlc.compile(text + "\n// timing", timing=True)
    stages = model.compile_timing
    for stage in ("lower: loop", "llvm: translate", "llvm: optimize", "llvm: codegen"):
        assert stage in stages
    assert "llvm: codegen" in capsys.readouterr().err


def test_a_forked_child_starts_its_own_workers() -> None:
    model = mlc.compile(EXAMPLES / "mlp.mlir", num_threads=2)
    args = inputs(model)
    expected = model(*args)  # the parent's pool exists now
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: a parallel call must neither hang nor differ
        ok = np.array_equal(model(*args), expected)
        os.write(write, b"1" if ok else b"0")
        os._exit(0)
    os.close(write)
    answer = os.read(read, 1)
    os.waitpid(pid, 0)
    assert answer == b"1"


NESTED = """
declare void @mlc_parallel_for(ptr, ptr, i64)

define internal void @inner(ptr %row, i64 %b, i64 %e) {
entry:
  br label %check
check:
  %j = phi i64 [ %b, %entry ], [ %j1, %body ]
  %more = icmp slt i64 %j, %e
  br i1 %more, label %body, label %done
body:
  %p = getelementptr i64, ptr %row, i64 %j
  %old = load i64, ptr %p
  %new = add i64 %old, 1
  store i64 %new, ptr %p
  %j1 = add i64 %j, 1
  br label %check
done:
  ret void
}

define internal void @outer(ptr %out, i64 %b, i64 %e) {
entry:
  br label %check
check:
  %i = phi i64 [ %b, %entry ], [ %i1, %body ]
  %more = icmp slt i64 %i, %e
  br i1 %more, label %body, label %done
body:
  %off = mul i64 %i, 64
  %row = getelementptr i64, ptr %out, i64 %off
  call void @mlc_parallel_for(ptr @inner, ptr %row, i64 64)
  %i1 = add i64 %i, 1
  br label %check
done:
  ret void
}

define void @run(ptr %out, i64 %n) {
  call void @mlc_parallel_for(ptr @outer, ptr %out, i64 %n)
  ret void
}
"""


@pytest.mark.parametrize("rows", [0, 1, 2, 3, 101])
@pytest.mark.parametrize("threads", [1, 2, 3])
def test_every_iteration_runs_once_also_when_nested(rows: int, threads: int) -> None:
    import ctypes

    from mlc.runtime.jit import jit_llvm_ir

    jit = jit_llvm_ir(NESTED, 2)
    run = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_int64)(jit.address("run"))
    out = np.zeros(max(rows, 1) * 64, np.int64)
    parallel.set_jit_threads(threads)
    run(out.ctypes.data, rows)
    assert np.array_equal(out[: rows * 64], np.ones(rows * 64, np.int64))
    assert not out[rows * 64 :].any()


WHERE = """
declare void @mlc_parallel_for(ptr, ptr, i64)
declare i32 @sched_getcpu()
declare i32 @sched_yield()
declare i64 @pthread_self()

define internal void @where(ptr %out, i64 %b, i64 %e) {
entry:
  %slot = alloca i64
  %started = getelementptr i64, ptr %out, i64 4
  %ignored = atomicrmw add ptr %started, i64 1 seq_cst
  br label %busy
busy:  ; ~10 ms: long enough for the scheduler to run the worker beside it
  %i = phi i64 [ 0, %entry ], [ %i1, %busy ]
  store volatile i64 %i, ptr %slot
  %i1 = add i64 %i, 1
  %more = icmp slt i64 %i1, 10000000
  br i1 %more, label %busy, label %wait
wait:  ; until the other chunk has started (a busy host: at most ~1e5 yields),
       ; so the caller cannot take both chunks itself
  %tries = phi i64 [ 0, %busy ], [ %tries1, %yield ]
  %both = load atomic i64, ptr %started seq_cst, align 8
  %done = icmp sge i64 %both, 2
  %late = icmp sge i64 %tries, 100000
  %stop = or i1 %done, %late
  br i1 %stop, label %record, label %yield
yield:
  %y = call i32 @sched_yield()
  %tries1 = add i64 %tries, 1
  br label %wait
record:
  %cpu = call i32 @sched_getcpu()
  %cpu64 = sext i32 %cpu to i64
  %me = call i64 @pthread_self()
  %at = mul i64 %b, 2
  %p = getelementptr i64, ptr %out, i64 %at
  store i64 %cpu64, ptr %p
  %q = getelementptr i64, ptr %p, i64 1
  store i64 %me, ptr %q
  ret void
}

define void @run(ptr %out, i64 %n) {
  call void @mlc_parallel_for(ptr @where, ptr %out, i64 %n)
  ret void
}
"""


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="needs two CPUs")
def test_a_worker_never_runs_on_its_callers_cpu() -> None:
    """
    The scheduler may wake a worker on its caller's CPU and leave it there
    (the two then take turns on one core); the worker moves itself to the
    other CPUs it was started with before it runs a chunk. Here every other
    thread of the process is put on the caller's CPU first."""
    import ctypes

    from mlc.runtime.jit import jit_llvm_ir

    externals = ["sched_getcpu", "sched_yield", "pthread_self"]
    jit = jit_llvm_ir(WHERE, 2, allow_externals=externals)
    run = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_int64)(jit.address("run"))
    parallel.set_jit_threads(2)
    cpus = set(os.sched_getaffinity(0))
    out = np.zeros(5, np.int64)  # (cpu, thread) per chunk, chunks started
    run(out.ctypes.data, 2)  # the worker exists, started on every CPU
    caller, here = threading.get_ident(), min(cpus)
    others = [int(t) for t in os.listdir("/proc/self/task")]
    others.remove(threading.get_native_id())
    worker_chunks = 0
    try:
        os.sched_setaffinity(0, {here})  # this thread only
        for _ in range(200):  # (until the worker has run chunks: the host may be busy)
            if worker_chunks >= 3:
                break
            for tid in others:  # the worker too: now it shares `here`
                os.sched_setaffinity(tid, {here})
            out = np.zeros(5, np.int64)
            run(out.ctypes.data, 2)
            for cpu, thread in out[:4].reshape(2, 2):
                if thread != caller:
                    worker_chunks += 1
                    assert cpu != here
    finally:
        for tid in [threading.get_native_id(), *others]:
            os.sched_setaffinity(tid, cpus)
    assert worker_chunks > 0


@pytest.mark.parametrize(
    "name", ["mlp_small.mlir", "lenet_small.mlir", "transformer_block_small.mlir"]
)
def test_every_marked_loop_on_threads_agrees_with_serial_code(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mlc.passes.parallelize_loops import ParallelizeLoopsPass
    from mlc.runtime import compiled

    text = (EXAMPLES / "small" / name).read_text()
    serial = mlc.compile(text, num_threads=1)
    args = inputs(serial, seed=3)
    expected = np.atleast_1d(serial(*args))
    apply = ParallelizeLoopsPass.apply

    def everything(self: ParallelizeLoopsPass, ctx: object, op: object) -> None:
        apply(ParallelizeLoopsPass(min_work=1), ctx, op)  # pyright: ignore[reportArgumentType]

    monkeypatch.setattr(ParallelizeLoopsPass, "apply", everything)
    monkeypatch.setattr(compiled, "_ENTRIES", compiled.LRUCache(4))
    monkeypatch.setattr(compiled, "jit_module", _uncached_jit)
    models = [mlc.compile(text, num_threads=t) for t in (1, 2, 3)]
    assert "@mlc_parallel_for(" in models[0].unoptimized_llvm_ir
    results = [model(*args) for model in models]
    for result in results:
        got = np.atleast_1d(result)
        for a, b in zip(got, expected, strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)
        for a, b in zip(got, np.atleast_1d(results[0]), strict=True):
            assert np.array_equal(a, b)


def _uncached_jit(
    module: object,
    opt_level: int = 3,
    timer: object = None,
    allow_externals: Iterable[str] = (),
) -> object:
    from mlc.runtime.jit import jit_llvm_ir
    from mlc.runtime.llvm_ir import translate_to_llvm_ir

    llvm_ir = translate_to_llvm_ir(module)  # pyright: ignore[reportArgumentType]
    return jit_llvm_ir(llvm_ir, opt_level, allow_externals=allow_externals)
