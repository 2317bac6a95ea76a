"""mlc's own dialects, one per module, registered lazily."""

from collections.abc import Callable

from xdsl.ir import Dialect


def get_all_dialects() -> dict[str, Callable[[], Dialect]]:
    """Dialect name -> factory; importing a dialect only when it is used."""

    def get_graph() -> Dialect:
        from mlc.dialects.graph import Graph

        return Graph

    return {"graph": get_graph}


def get_dialect_overrides() -> dict[str, Callable[[], Dialect]]:
    """
    Dialect name -> factory replacing xDSL's dialect of that name in mlc-opt.

    Kept out of `get_all_dialects` (mlc's universe): a second `linalg` there
    would clash with xDSL's in xDSL's Multiverse and break stock `xdsl-opt`.
    """

    def get_arith_ext() -> Dialect:
        from mlc.dialects.arith_ext import ArithExt

        return ArithExt

    def get_linalg_ext() -> Dialect:
        from mlc.dialects.linalg_ext import LinalgExt

        return LinalgExt

    def get_memref_ext() -> Dialect:
        from mlc.dialects.memref_ext import MemrefExt

        return MemrefExt

    def get_llvm_ext() -> Dialect:
        from mlc.dialects.llvm_ext import LlvmExt

        return LlvmExt

    return {
        "arith": get_arith_ext,
        "linalg": get_linalg_ext,
        "llvm": get_llvm_ext,
        "memref": get_memref_ext,
    }
