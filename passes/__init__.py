"""
Passes within one level (fusion, folding, tiling, ...), one pass per module.

`get_all_passes()` maps each pass name to a lazy factory, so `mlc-opt --help`
imports no pass module.
"""

from collections.abc import Callable

from xdsl.passes import ModulePass


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
        "bufferize": get_bufferize,
        "buffer-reuse": get_buffer_reuse,
        "linalg-generalize": get_linalg_generalize,
        "graph-to-llvm": get_graph_to_llvm,
        "graph-fuse": get_graph_fuse,
        "linalg-fuse-elementwise": get_linalg_fuse_elementwise,
    }
