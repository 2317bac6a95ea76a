"""
The registry of passes a pipeline resolves its names in, carried by the context.

MLIR keeps its pass registry in `lib/Pass`, under every pass library, and the
tools fill it; xDSL 0.74's `Context` knows dialects only. `RegistryContext` is
a `Context` that also carries the passes registered with it, so a pass that
runs other passes by name (`graph-to-llvm` in `mlc.lowering.pipelines`) finds
them through the context it is applied with, without importing the layer that
registers them. `mlc.universe.full_context()` builds such a context with
xDSL's and mlc's passes; a plain `Context` (stock `xdsl-opt` running an mlc
pass) falls back to the passes of every installed xDSL universe, which is the
set `xdsl-opt` itself offers.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from xdsl.context import Context
from xdsl.passes import ModulePass

PassFactory = Callable[[], type[ModulePass]]
PassRegistry = Mapping[str, PassFactory]
"""Pass name -> lazy factory of its class (xDSL's `Universe.all_passes`)."""


@dataclass
class RegistryContext(Context):
    """A `Context` with the passes registered with it."""

    passes: dict[str, PassFactory] = field(default_factory=dict[str, PassFactory])

    def register_passes(self, passes: PassRegistry) -> None:
        """Add `passes`; a name registered twice is an error, as in xDSL."""
        for name, factory in passes.items():
            if name in self.passes and self.passes[name] is not factory:
                raise ValueError(f"pass '{name}' is registered twice")
            self.passes[name] = factory

    def clone(self) -> RegistryContext:
        base = super().clone()
        return RegistryContext(
            base.allow_unregistered,
            base._loaded_dialects,  # pyright: ignore[reportPrivateUsage]
            base._loaded_ops,  # pyright: ignore[reportPrivateUsage]
            base._loaded_attrs,  # pyright: ignore[reportPrivateUsage]
            base._loaded_types,  # pyright: ignore[reportPrivateUsage]
            base._registered_dialects,  # pyright: ignore[reportPrivateUsage]
            dict(self.passes),
        )


def passes_of(ctx: Context | None) -> PassRegistry:
    """The passes registered with `ctx`, else those of every installed universe."""
    if isinstance(ctx, RegistryContext):
        return ctx.passes
    return _installed_passes()


@functools.cache
def _installed_passes() -> PassRegistry:
    """The passes of every `xdsl.universe` entry point (what `xdsl-opt` offers)."""
    from xdsl.universe import Universe

    return Universe.get_multiverse().all_passes


def lazy_pass(module: str, name: str) -> PassFactory:
    """A factory importing the pass class `name` from `module` when called."""

    def factory() -> type[ModulePass]:
        import importlib

        pass_type: type[ModulePass] = getattr(importlib.import_module(module), name)
        return pass_type

    return factory
