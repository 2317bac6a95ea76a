"""mlc's own dialects, one per module, registered lazily."""

from collections.abc import Callable

from xdsl.ir import Dialect


def get_all_dialects() -> dict[str, Callable[[], Dialect]]:
    """Dialect name -> factory; importing a dialect only when it is used."""

    def get_graph() -> Dialect:
        from mlc.dialects.graph import Graph

        return Graph

    return {"graph": get_graph}
