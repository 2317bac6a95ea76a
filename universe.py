"""
mlc's xDSL universe and the one registry of dialects and passes mlc's tools use.

`MLC_UNIVERSE` holds mlc's dialects and passes (those of `mlc.passes` and
`mlc.lowering`), each behind a lazy factory. It is registered as the
`xdsl.universe` entry point `mlc`, so stock `xdsl-opt` runs mlc passes too. A
name clash with xDSL's own universe is an error, which is why mlc never reuses
an xDSL pass name and pins xdsl==0.74.0.

`all_dialects()` and `all_passes()` merge xDSL's universe with mlc's (the
dialects with mlc's extended `linalg` and `llvm` in place of xDSL's, see
`mlc.dialects.get_dialect_overrides`); `full_context()` is a context holding
both, which `mlc-opt`, `mlc-run`, `mlc-translate` and `mlc.compile` all use.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from xdsl.ir import Dialect
from xdsl.universe import XDSL_UNIVERSE, Universe

from mlc.dialects import get_all_dialects, get_dialect_overrides
from mlc.lowering import get_all_passes as get_lowering_passes
from mlc.passes import get_all_passes as get_in_level_passes
from mlc.support.registry import PassFactory, RegistryContext


def _mlc_passes() -> dict[str, PassFactory]:
    in_level, lowering = get_in_level_passes(), get_lowering_passes()
    if clash := in_level.keys() & lowering.keys():
        raise ValueError(f"passes registered twice: {', '.join(sorted(clash))}")
    return {**in_level, **lowering}


MLC_UNIVERSE = Universe(all_dialects=get_all_dialects(), all_passes=_mlc_passes())


def all_dialects() -> dict[str, Callable[[], Dialect]]:
    """Dialect name -> factory: xDSL's and mlc's, with mlc's overrides."""
    return {
        **XDSL_UNIVERSE.all_dialects,
        **MLC_UNIVERSE.all_dialects,
        **get_dialect_overrides(),
    }


def all_passes() -> dict[str, PassFactory]:
    """Pass name -> factory: xDSL's and mlc's (mlc never reuses an xDSL name)."""
    if clash := XDSL_UNIVERSE.all_passes.keys() & MLC_UNIVERSE.all_passes.keys():
        raise ValueError(f"mlc reuses xDSL pass names: {', '.join(sorted(clash))}")
    return {**XDSL_UNIVERSE.all_passes, **MLC_UNIVERSE.all_passes}


def mlc_pass_names() -> list[str]:
    """mlc's own passes (those of `mlc.passes` and `mlc.lowering`), sorted."""
    return sorted(MLC_UNIVERSE.all_passes)


def full_context() -> RegistryContext:
    """A new context with every dialect and every pass xDSL and mlc register."""
    ctx = RegistryContext()
    for name, factory in all_dialects().items():
        ctx.register_dialect(name, factory)
    ctx.register_passes(all_passes())
    return ctx


@functools.cache
def shared_context() -> RegistryContext:
    """One full context for the process: parsing and lowering in the runtime."""
    return full_context()
