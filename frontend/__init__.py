"""
Importers that build graph-dialect modules from ONNX and PyTorch models.

An importer returns an `ImportedModel`: the graph-level module, the name of its
entry function and the values of the model's parameters. The entry's
arguments are the model's inputs in order, then one argument per parameter,
whose SSA name hint is the parameter's key in `params`; `mlc.compile` binds
the parameters, so the compiled callable takes only the model's inputs.

`mlc.frontend.onnx` and `mlc.frontend.torch` are the importers (packages: the
importer's state and driver, then one module per op family);
`mlc.frontend.common` holds what both share.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast, overload

import numpy as np

from mlc.frontend.model import ImportedModel, UnsupportedModelError

if TYPE_CHECKING:
    from onnx import ModelProto
    from torch.nn import Module

    # pyright checks this file as `frontend`, but mlc.frontend.torch returns
    # `mlc.frontend.ImportedModel` (through .pkgroot): name that class.
    import mlc.frontend
    from mlc.frontend.torch_dynamic import DynamicTorchModel


def import_onnx(
    model: str | Path | ModelProto,
    input_shapes: Mapping[str, Sequence[int]] | None = None,
    input_values: Mapping[str, np.ndarray[Any, np.dtype[Any]]] | None = None,
) -> ImportedModel:
    """
    Import an ONNX model (opsets 1 to 27) as a graph-dialect module.

    Arguments:
        model: a path to a `.onnx` file, or an `onnx.ModelProto`.
        input_shapes: the static shape of each graph input whose shape has a
            symbolic dimension (or none at all), by input name; mlc compiles
            static shapes only.
        input_values: values fixing graph inputs, by name: they become
            constants, not arguments. A model that reads an input as a
            shape, axes, pads or sizes operand needs it
            (`mlc.frontend.onnx.constant_operand_inputs(model)` lists them).

    Returns an `ImportedModel`: `module` (one `func.func` named after the
    ONNX graph, or `main`), `entry` (that name) and `params` (the
    initializers used as data, by sanitized name: `fc.weight` becomes
    `fc_weight`). The entry takes the remaining graph inputs in order, then
    the parameters, and returns the graph outputs in order; `mlc.compile`
    binds the parameters.

    Every op type mlc can neither convert nor evaluate at import is listed in
    one error before anything is converted. Errors are
    `mlc.frontend.UnsupportedModelError` (a `ValueError`) with a one-line
    message naming the file and, for a node, its name and op type.

    Example (a model whose input `image` has a symbolic batch dimension)::

        import numpy as np
        import mlc

        shapes = {"image": (1, 3, 224, 224)}
        model = mlc.import_onnx("resnet18.onnx", input_shapes=shapes)
        print(model.entry, list(model.params)[:2])  # the entry, two weights
        run = mlc.compile(model)  # the parameters are bound: run takes `image`
        logits = run(np.zeros((1, 3, 224, 224), np.float32))

    See `docs/onnx.md` for the op table and the import-time folding rules.
    """
    from mlc.frontend.onnx import import_onnx as _import_onnx

    return _import_onnx(model, input_shapes, input_values)


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
    Import a PyTorch module as a graph-dialect module (needs `mlc[torch]`).

    Arguments:
        module: an `torch.nn.Module`; it is traced in eval mode with
            `torch.export.export`, so control flow is resolved for
            `example_inputs` and shapes are those of the example.
        example_inputs: the tensors (a tuple, or one tensor) `forward` is
            traced on; non-tensor arguments are allowed if unused.
        entry: the name of the entry function.
        dynamic_shapes: torch.export's dynamic shapes; with them the result
            is a `DynamicTorchModel` that `mlc.compile` compiles per input
            shape (`mlc.frontend.torch_dynamic`).

    Returns an `ImportedModel`: `module` (one `func.func` named `entry`),
    `entry` and `params` (each parameter and buffer that `forward` uses, by
    sanitized qualified name: `fc1.weight` becomes `fc1_weight`). The entry
    takes the tensor inputs in order, then the parameters; `mlc.compile`
    binds the parameters. Aten ops the importer does not map are decomposed
    by PyTorch first; any still unsupported are listed in one
    `mlc.frontend.UnsupportedModelError` before anything is converted.

    Example:
        >>> import torch
        >>> import mlc
        >>> net = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.ReLU())
        >>> x = torch.randn(2, 4)
        >>> model = mlc.import_torch(net, (x,))
        >>> sorted(model.params)
        ['v_0_bias', 'v_0_weight']
        >>> run = mlc.compile(model)
        >>> bool(abs(run(x.numpy()) - net(x).detach().numpy()).max() < 1e-5)
        True
    """
    try:
        from mlc.frontend.torch import import_torch as _import_torch
    except ModuleNotFoundError as error:
        if error.name != "torch":
            raise
        raise ImportError(
            "mlc.import_torch needs PyTorch, an optional extra: "
            "pip install 'mlc[torch]' (see the README for the CPU-only build)"
        ) from None

    if dynamic_shapes is not None:
        from mlc.frontend.torch_dynamic import import_torch_dynamic

        return import_torch_dynamic(
            module, example_inputs, cast(Any, dynamic_shapes), entry
        )
    return _import_torch(module, example_inputs, entry=entry)


__all__ = ["ImportedModel", "UnsupportedModelError", "import_onnx", "import_torch"]
