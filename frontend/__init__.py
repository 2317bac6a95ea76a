"""
Importers that build graph-dialect modules from ONNX and PyTorch models.

An importer returns an `ImportedModel`: the graph-level module, the name of its
entry function and the values of the model's parameters. The entry's
arguments are the model's inputs in order, then one argument per parameter,
whose SSA name hint is the parameter's key in `params`; `mlc.compile` binds
the parameters, so the compiled callable takes only the model's inputs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast, overload

import numpy as np
from xdsl.dialects.builtin import ModuleOp

if TYPE_CHECKING:
    from onnx import ModelProto
    from torch.nn import Module

    # pyright checks this file as `frontend`, but mlc.frontend.torch returns
    # `mlc.frontend.ImportedModel` (through .pkgroot): name that class.
    import mlc.frontend
    from mlc.frontend.torch_dynamic import DynamicTorchModel


class UnsupportedModelError(ValueError):
    """A model mlc cannot import; the message is one line naming what and where."""


@dataclass
class ImportedModel:
    """A graph-level module with its entry function and parameter values."""

    module: ModuleOp
    entry: str
    params: dict[str, np.ndarray[Any, np.dtype[Any]]] = field(
        default_factory=lambda: {}
    )


def import_onnx(
    model: str | Path | ModelProto,
    input_shapes: Mapping[str, Sequence[int]] | None = None,
    input_values: Mapping[str, np.ndarray[Any, np.dtype[Any]]] | None = None,
) -> ImportedModel:
    """Import an ONNX model (a path or a `ModelProto`); see `mlc.frontend.onnx`."""
    from mlc.frontend.onnx import import_onnx as _import_onnx

    # pyright sees this package as both `frontend` and `mlc.frontend`.
    return cast(ImportedModel, _import_onnx(model, input_shapes, input_values))


@overload
def import_torch(
    module: Module,
    example_inputs: Sequence[Any],
    *,
    entry: str = "forward",
    dynamic_shapes: None = None,
) -> mlc.frontend.ImportedModel: ...
@overload
def import_torch(
    module: Module,
    example_inputs: Sequence[Any],
    *,
    entry: str = "forward",
    dynamic_shapes: object,
) -> DynamicTorchModel: ...
def import_torch(
    module: Module,
    example_inputs: Sequence[Any],
    *,
    entry: str = "forward",
    dynamic_shapes: object = None,
) -> mlc.frontend.ImportedModel | DynamicTorchModel:
    """
    Import a PyTorch module traced on `example_inputs`; see `mlc.frontend.torch`.

    With `dynamic_shapes` (torch.export's), a `DynamicTorchModel` that
    `mlc.compile` compiles per input shape; see `mlc.frontend.torch_dynamic`.
    """
    try:
        from mlc.frontend.torch import import_torch as _import_torch
    except ModuleNotFoundError as error:
        if error.name != "torch":
            raise
        raise ImportError(
            "mlc.import_torch needs PyTorch, an optional extra: "
            "pip install 'mlc[torch]'"
        ) from None

    if dynamic_shapes is not None:
        from mlc.frontend.torch_dynamic import import_torch_dynamic

        return import_torch_dynamic(
            module, example_inputs, cast(Any, dynamic_shapes), entry
        )
    return _import_torch(module, example_inputs, entry=entry)


__all__ = ["ImportedModel", "UnsupportedModelError", "import_onnx", "import_torch"]
