"""
Passes within one level (fusion, folding, tiling, ...), one pass per module.

`get_all_passes()` maps each pass name to a lazy factory, so `mlc-opt --help`
imports no pass module.
"""

from mlc.support.registry import PassFactory
from mlc.support.registry import lazy_pass as _lazy


def get_all_passes() -> dict[str, PassFactory]:
    """
    Pass name -> factory for every pass in `passes/` (`mlc.universe` adds
    the conversions of `mlc.lowering`)."""
    return {
        "bufferize": _lazy("mlc.passes.bufferize", "BufferizePass"),
        "buffer-reuse": _lazy("mlc.passes.buffer_reuse", "BufferReusePass"),
        "conv-depthwise-kernel": _lazy(
            "mlc.passes.conv_depthwise_kernel", "ConvDepthwiseKernelPass"
        ),
        "check-llvm-converted": _lazy(
            "mlc.passes.check_llvm_converted", "CheckLlvmConvertedPass"
        ),
        "fuse-parallel-loops": _lazy(
            "mlc.passes.fuse_parallel_loops", "FuseParallelLoopsPass"
        ),
        "graph-fuse": _lazy("mlc.passes.graph_fuse", "GraphFusePass"),
        "linalg-fuse-elementwise": _lazy(
            "mlc.passes.linalg_fuse_elementwise", "LinalgFuseElementwisePass"
        ),
        "linalg-generalize": _lazy(
            "mlc.passes.linalg_generalize", "LinalgGeneralizePass"
        ),
        "linalg-contraction-kernel": _lazy(
            "mlc.passes.linalg_contraction_kernel", "LinalgContractionKernelPass"
        ),
        "linalg-vectorize": _lazy("mlc.passes.linalg_vectorize", "LinalgVectorizePass"),
        "mark-parallel-loops": _lazy(
            "mlc.passes.mark_parallel_loops", "MarkParallelLoopsPass"
        ),
        "math-approximate": _lazy("mlc.passes.math_approximate", "MathApproximatePass"),
        "pack-weights": _lazy("mlc.passes.pack_weights", "PackWeightsPass"),
        "parallelize-loops": _lazy(
            "mlc.passes.parallelize_loops", "ParallelizeLoopsPass"
        ),
        "widen-bf16": _lazy("mlc.passes.widen_bf16", "WidenBf16Pass"),
    }
