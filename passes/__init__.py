"""
Passes within one level (fusion, folding, tiling, ...), one pass per module.

`get_all_passes()` maps each pass name to a lazy factory, so `mlc-opt --help`
imports no pass module.
"""

from collections.abc import Callable

from xdsl.passes import ModulePass


def get_all_passes() -> dict[str, Callable[[], type[ModulePass]]]:
    """Pass name -> factory for every pass in `passes/` and `lowering/`."""
    return {}
