"""
PyTorch modules with dynamic dimensions (`torch.export`'s `dynamic_shapes`).

`import_torch(module, example_inputs, dynamic_shapes=...)` returns a
`DynamicTorchModel` rather than an `ImportedModel`. `torch.export` checks the
declared dimensions once, with `dynamic_shapes` as given (a model that
specializes a dimension declared dynamic, `x.view(2, -1)`, is refused there);
the model then records the inputs' symbolic signature: the example inputs'
shapes with each dynamic dimension replaced by its `torch.export.Dim`'s name
(`Dim("batch")` gives `batch`; `Dim.AUTO`, `Dim.DYNAMIC` and unnamed ones
give `?`). `mlc.compile` turns it into a model compiled per input shape
(`mlc.runtime.specialize`): each variant is the module imported with example
inputs of that shape (`specialize_import`), so its code is static-shape code.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

import torch

from mlc.frontend import ImportedModel, UnsupportedModelError

Dims = tuple[int | str, ...]


@dataclass(frozen=True)
class DynamicTorchModel:
    """A module, its example inputs and which of their dimensions are dynamic."""

    module: torch.nn.Module
    example_inputs: tuple[torch.Tensor, ...]
    static: ImportedModel
    """The module imported for the example inputs: names, dtypes, parameters."""
    input_dims: tuple[Dims, ...]
    output_dims: tuple[Dims, ...]
    """Each output's dims: a size, an input's symbol, or `?` (an expression)."""

    @property
    def entry(self) -> str:
        return self.static.entry

    def specialize_import(self, shapes: Mapping[str, Sequence[int]]) -> ImportedModel:
        """The module imported for inputs of these shapes (by input name)."""
        from mlc.frontend.torch import import_torch

        names = _input_names(self.static, len(self.example_inputs))
        inputs = [
            torch.zeros(tuple(shapes[name]), dtype=example.dtype)
            for name, example in zip(names, self.example_inputs, strict=True)
        ]
        return import_torch(self.module, inputs, entry=self.entry)


def _dim_name(dim: object) -> str:
    name = getattr(dim, "__name__", None)
    if not isinstance(name, str) or name in ("AUTO", "DYNAMIC", "STATIC"):
        return "?"
    return name


def _axes(spec: object, rank: int, what: str) -> dict[int, str]:
    """The dynamic axes of one input's `dynamic_shapes` entry, with their names."""
    if spec is None:
        return {}
    if isinstance(spec, Mapping):
        items = cast(Mapping[object, object], spec).items()
    elif isinstance(spec, list | tuple):
        items = enumerate(cast(Sequence[object], spec))
    else:
        raise UnsupportedModelError(
            f"dynamic_shapes for {what}: expected a dict axis -> Dim or a list, got "
            f"{type(spec).__name__}"
        )
    axes: dict[int, str] = {}
    for axis, dim in items:
        if dim is None:
            continue
        if not isinstance(axis, int) or not -rank <= axis < rank:
            raise UnsupportedModelError(
                f"dynamic_shapes for {what}: axis {axis!r} is out of range for rank "
                f"{rank}"
            )
        axes[axis % rank] = _dim_name(dim)
    return axes


def import_torch_dynamic(
    module: torch.nn.Module,
    example_inputs: Sequence[Any],
    dynamic_shapes: dict[str, Any] | tuple[Any, ...] | list[Any],
    entry: str = "forward",
) -> DynamicTorchModel:
    """Check `dynamic_shapes` with torch.export; the model to compile per shape."""
    from mlc.frontend.torch import import_torch

    inputs = tuple(
        cast(Sequence[torch.Tensor], example_inputs)
        if not isinstance(example_inputs, torch.Tensor)
        else (example_inputs,)
    )
    try:
        program = torch.export.export(
            module.eval(), inputs, dynamic_shapes=dynamic_shapes
        )
    except Exception as error:  # torch.export raises many exception types
        lines = str(error).strip().splitlines() or [""]
        raise UnsupportedModelError(
            f"{type(module).__name__}: torch.export refuses the dynamic_shapes: "
            f"{type(error).__name__}: {lines[0]}"
        ) from error
    static = import_torch(module, inputs, entry=entry)
    names = _input_names(static, len(inputs))
    if isinstance(dynamic_shapes, Mapping):
        specs = [dynamic_shapes.get(n) for n in _parameter_names(module, len(inputs))]
    else:
        specs = list(dynamic_shapes)
    if len(specs) != len(inputs):
        raise UnsupportedModelError(
            f"dynamic_shapes has {len(specs)} entries for {len(inputs)} inputs"
        )
    dims: list[Dims] = []
    for name, example, spec in zip(names, inputs, specs, strict=True):
        axes = _axes(spec, example.dim(), f"input '{name}'")
        dims.append(tuple(axes.get(a, int(d)) for a, d in enumerate(example.shape)))
    return DynamicTorchModel(
        module, inputs, static, tuple(dims), _output_dims(program, dims)
    )


def _output_dims(program: Any, input_dims: list[Dims]) -> tuple[Dims, ...]:
    """The outputs' dims, torch's symbols named after the inputs' dims."""
    symbols: dict[str, str] = {}
    placeholders = {n.name: n for n in program.graph.nodes if n.op == "placeholder"}
    user_inputs = list(program.graph_signature.user_inputs)
    for name, dims in zip(user_inputs, input_dims, strict=False):
        value = placeholders[name].meta.get("val")
        for dim, size in zip(dims, getattr(value, "shape", ()), strict=False):
            if isinstance(dim, str) and dim != "?":
                symbols[str(size)] = dim
    output = next(n for n in program.graph.nodes if n.op == "output")
    results: list[Dims] = []
    for node in cast(Sequence[Any], output.args[0]):
        shape = getattr(getattr(node, "meta", {}).get("val"), "shape", ())
        results.append(
            tuple(
                int(d) if isinstance(d, int) else symbols.get(str(d), "?")
                for d in shape
            )
        )
    return tuple(results)


def _input_names(model: ImportedModel, count: int) -> list[str]:
    from xdsl.dialects import func

    for op in model.module.ops:
        if isinstance(op, func.FuncOp) and op.sym_name.data == model.entry:
            block = op.body.blocks.first
            assert block is not None
            return [a.name_hint or f"arg{i}" for i, a in enumerate(block.args[:count])]
    return [f"arg{i}" for i in range(count)]


def _parameter_names(module: torch.nn.Module, count: int) -> list[str]:
    import inspect

    parameters = list(inspect.signature(module.forward).parameters)
    return parameters[:count]


__all__ = ["DynamicTorchModel", "import_torch_dynamic"]
