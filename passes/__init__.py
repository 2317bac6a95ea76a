"""
Passes within one level (fusion, folding, tiling, ...), one pass per module.

`get_all_passes()` maps each pass name to a lazy factory, so `mlc-opt --help`
imports no pass module.
"""

import importlib
from collections.abc import Callable

from xdsl.passes import ModulePass


def _lazy(module: str, name: str) -> Callable[[], type[ModulePass]]:
    """A factory importing the pass class `name` from `module` when called."""

    def factory() -> type[ModulePass]:
        pass_type: type[ModulePass] = getattr(importlib.import_module(module), name)
        return pass_type

    return factory


def get_all_passes() -> dict[str, Callable[[], type[ModulePass]]]:
    """Pass name -> factory for every pass in `passes/` and `lowering/`."""

    def get_bufferize() -> type[ModulePass]:
        from mlc.passes.bufferize import BufferizePass

        return BufferizePass

    def get_buffer_reuse() -> type[ModulePass]:
        from mlc.passes.buffer_reuse import BufferReusePass

        return BufferReusePass

    def get_linalg_generalize() -> type[ModulePass]:
        from mlc.passes.linalg_generalize import LinalgGeneralizePass

        return LinalgGeneralizePass

    def get_linalg_fuse_elementwise() -> type[ModulePass]:
        from mlc.passes.linalg_fuse_elementwise import LinalgFuseElementwisePass

        return LinalgFuseElementwisePass

    def get_graph_fuse() -> type[ModulePass]:
        from mlc.passes.graph_fuse import GraphFusePass

        return GraphFusePass

    def get_graph_to_llvm() -> type[ModulePass]:
        from mlc.lowering.pipelines import GraphToLlvmPass

        return GraphToLlvmPass

    def get_convert_graph_to_linalg() -> type[ModulePass]:
        from mlc.lowering.graph_to_linalg import ConvertGraphToLinalgPass

        return ConvertGraphToLinalgPass

    return {
        "convert-graph-to-linalg": get_convert_graph_to_linalg,
        "convert-arith-to-llvm": _lazy(
            "mlc.lowering.arith_to_llvm", "ConvertArithToLlvmPass"
        ),
        "convert-math-to-llvm": _lazy(
            "mlc.lowering.math_to_llvm", "ConvertMathToLlvmPass"
        ),
        "convert-vector-to-llvm": _lazy(
            "mlc.lowering.vector_to_llvm", "ConvertVectorToLlvmPass"
        ),
        "convert-memref-to-llvm": _lazy(
            "mlc.lowering.memref_to_llvm", "ConvertMemrefToLlvmPass"
        ),
        "convert-func-to-llvm": _lazy(
            "mlc.lowering.func_to_llvm", "ConvertFuncToLlvmPass"
        ),
        "convert-cf-to-llvm": _lazy("mlc.lowering.cf_to_llvm", "ConvertCfToLlvmPass"),
        "check-llvm-converted": _lazy(
            "mlc.passes.check_llvm_converted", "CheckLlvmConvertedPass"
        ),
        "bufferize": get_bufferize,
        "buffer-reuse": get_buffer_reuse,
        "linalg-generalize": get_linalg_generalize,
        "graph-to-llvm": get_graph_to_llvm,
        "graph-fuse": get_graph_fuse,
        "linalg-fuse-elementwise": get_linalg_fuse_elementwise,
    }
