"""The one registry: every pass of passes/ and lowering/ under its name, once."""

import importlib
import inspect
import pkgutil

from xdsl.passes import ModulePass
from xdsl.universe import XDSL_UNIVERSE

import mlc.lowering
import mlc.passes
from mlc.lowering import get_all_passes as lowering_passes
from mlc.passes import get_all_passes as in_level_passes
from mlc.support.registry import RegistryContext, passes_of
from mlc.universe import MLC_UNIVERSE, all_dialects, all_passes, full_context


def defined_passes(package: object) -> list[type[ModulePass]]:
    """Every `ModulePass` subclass defined in a module of `package`."""
    found: list[type[ModulePass]] = []
    path = getattr(package, "__path__")
    prefix = f"{getattr(package, '__name__')}."
    for info in pkgutil.walk_packages(path, prefix):
        module = importlib.import_module(info.name)
        for _, value in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(value, ModulePass)
                and value.__module__ == module.__name__
                and not inspect.isabstract(value)
            ):
                found.append(value)
    return found


def test_every_pass_is_registered_under_its_name_in_its_own_layer():
    for package, registry in (
        (mlc.passes, in_level_passes()),
        (mlc.lowering, lowering_passes()),
    ):
        classes = defined_passes(package)
        assert classes
        assert {cls.name for cls in classes} == set(registry)
        for cls in classes:
            assert registry[cls.name]() is cls


def test_the_universe_merges_both_layers_without_clashing_with_xdsl():
    assert not in_level_passes().keys() & lowering_passes().keys()
    assert set(MLC_UNIVERSE.all_passes) == {*in_level_passes(), *lowering_passes()}
    assert not MLC_UNIVERSE.all_passes.keys() & XDSL_UNIVERSE.all_passes.keys()
    assert set(all_passes()) == {*MLC_UNIVERSE.all_passes, *XDSL_UNIVERSE.all_passes}


def test_the_full_context_carries_every_pass_and_dialect():
    ctx = full_context()
    assert isinstance(ctx, RegistryContext)
    assert passes_of(ctx) == all_passes()
    assert set(ctx.registered_dialect_names) >= set(all_dialects())
    clone = ctx.clone()
    assert isinstance(clone, RegistryContext)
    assert clone.passes == ctx.passes
