"""
Conversions between levels, one per module named `<from>_to_<to>.py` (or a
package of that name, split by op family: `graph_to_linalg/`), the named
end-to-end pipelines (`pipelines.py`), what the `convert-*-to-llvm` passes share
(`llvm_common.py`) and the contract every conversion keeps (`utils.py`).

`get_all_passes()` maps each conversion's name to a lazy factory, so
`mlc-opt --help` imports no conversion module; `mlc.universe` merges it with
`mlc.passes.get_all_passes()`.
"""

from mlc.support.registry import PassFactory
from mlc.support.registry import lazy_pass as _lazy


def get_all_passes() -> dict[str, PassFactory]:
    """Pass name -> factory for every conversion and pipeline in `lowering/`."""
    return {
        "convert-graph-to-linalg": _lazy(
            "mlc.lowering.graph_to_linalg", "ConvertGraphToLinalgPass"
        ),
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
        "graph-to-llvm": _lazy("mlc.lowering.pipelines", "GraphToLlvmPass"),
    }
