"""
The PyTorch importer's driver: trace with `torch.export`, decompose what the
op table does not map, list every unsupported aten op at once, lay out the
entry's arguments, walk the FX graph and build the entry function.
"""

from __future__ import annotations

import operator
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import torch
from torch.export import ExportedProgram
from torch.export.graph_signature import InputKind, OutputKind
from torch.fx import Node
from xdsl.dialects import func
from xdsl.dialects.builtin import ModuleOp
from xdsl.ir import Block, Region, SSAValue

from mlc.dialects.graph.base import Array
from mlc.frontend.common import check_all_supported, unique_name
from mlc.frontend.model import ImportedModel, UnsupportedModelError
from mlc.frontend.torch import (
    elementwise,
    elementwise_math,
    indexing,
    logic,
    nn,
    quant,
    resample,
    shape,
)
from mlc.frontend.torch.importer import (
    ASSERTIONS,
    Builder,
    Importer,
    node_meta,
    to_numpy,
)

OPS: dict[str, Builder] = {
    **elementwise.OPS,
    **elementwise_math.OPS,
    **shape.OPS,
    **nn.OPS,
    **logic.OPS,
    **indexing.OPS,
    **quant.OPS,
    **resample.OPS,
}
"""Every aten op the importer maps, by overload name, to its builder."""

CREATION_OPS = frozenset(
    {
        "aten.arange.default",
        "aten.arange.start",
        "aten.arange.start_step",
        "aten.full.default",
        "aten.zeros.default",
        "aten.ones.default",
        "aten.scalar_tensor.default",
        "aten.eye.default",
        "aten.empty.memory_format",
    }
)
"""Ops without tensor inputs that PyTorch evaluates at import time."""

SUPPORTED = frozenset(OPS) | ASSERTIONS


# --------------------------------------------------------------------------- #
# Entry point
# --------------------------------------------------------------------------- #


def _export(module: torch.nn.Module, example_inputs: Sequence[Any]) -> ExportedProgram:
    """Trace `module` in eval mode and decompose what `OPS` does not map."""
    with warnings.catch_warnings():
        # torch 2.13's own pytree code trips its LeafSpec deprecation warning.
        warnings.filterwarnings("ignore", ".*LeafSpec", FutureWarning)
        try:
            program = torch.export.export(module.eval(), tuple(example_inputs))
        except Exception as error:  # torch.export raises many exception types
            lines = str(error).strip().splitlines() or [""]
            raise UnsupportedModelError(
                f"{type(module).__name__}: torch.export could not trace it: "
                f"{type(error).__name__}: {lines[0]}"
            ) from error
        table: Any = torch.export.default_decompositions()
        for op in list(cast(Iterable[object], table.keys())):
            if str(op) in SUPPORTED:
                table.pop(op)
        # torch's annotation of the table's values is partially unknown.
        return program.run_decompositions(table)  # pyright: ignore[reportUnknownMemberType]


def _lifted_constants(program: ExportedProgram) -> dict[str, str]:
    """Placeholder name -> qualified name of each lifted tensor constant."""
    return {
        spec.arg.name: spec.target
        for spec in program.graph_signature.input_specs
        if spec.kind == InputKind.CONSTANT_TENSOR and spec.target is not None
    }


def _constant_nodes(program: ExportedProgram) -> set[Node]:
    """The nodes whose values PyTorch can compute at import time."""
    lifted = _lifted_constants(program)
    constant: set[Node] = set()
    for node in program.graph.nodes:
        if node.op == "placeholder" and node.name in lifted:
            constant.add(node)
        elif node.op == "call_function":
            inputs = node.all_input_nodes
            if all(n in constant for n in inputs) and (
                bool(inputs) or str(node.target) in CREATION_OPS
            ):
                constant.add(node)
    return constant


def check_supported(program: ExportedProgram, source: str) -> None:
    """Raise one error listing every aten op without a builder."""
    constant = _constant_nodes(program)
    unsupported: list[tuple[str, str]] = []
    for node in program.graph.nodes:
        if node.op != "call_function" or node in constant:
            continue
        name = str(node.target)
        if node.target is operator.getitem or name in SUPPORTED:
            continue
        unsupported.append((name, node.name))
    check_all_supported(source, "aten", unsupported)


def _state_value(program: ExportedProgram, target: str) -> torch.Tensor:
    if target in program.state_dict:
        return cast(torch.Tensor, program.state_dict[target])
    return cast(torch.Tensor, program.constants[target])


@dataclass
class _Arguments:
    """The entry function's arguments: user inputs, then used parameters."""

    nodes: list[Node] = field(default_factory=list[Node])
    names: list[str] = field(default_factory=list[str])
    params: dict[str, Array] = field(default_factory=dict[str, Array])


def _arguments(program: ExportedProgram, constant: set[Node]) -> _Arguments:
    by_name = {n.name: n for n in program.graph.nodes if n.op == "placeholder"}
    taken: set[str] = set()
    out = _Arguments()
    inputs = [
        s for s in program.graph_signature.input_specs if s.kind == InputKind.USER_INPUT
    ]
    states = [
        s
        for s in program.graph_signature.input_specs
        if s.kind in (InputKind.PARAMETER, InputKind.BUFFER)
    ]
    for spec in inputs:
        node = by_name[spec.arg.name]
        if not isinstance(node.meta.get("val"), torch.Tensor):
            if node.users:
                raise UnsupportedModelError(f"input '{node.name}' is not a tensor")
            continue
        out.nodes.append(node)
        out.names.append(unique_name(node.name, taken))
    for spec in states:
        node = by_name[spec.arg.name]
        if not node.users or node in constant or spec.target is None:
            continue
        name = unique_name(spec.target, taken)
        out.nodes.append(node)
        out.names.append(name)
        meta = node_meta(node)
        out.params[name] = to_numpy(_state_value(program, spec.target)).astype(
            meta.dtype
        )
    return out


def _outputs(program: ExportedProgram) -> list[Node]:
    specs = program.graph_signature.output_specs
    mutated = [s.target for s in specs if s.kind != OutputKind.USER_OUTPUT]
    if mutated:
        raise UnsupportedModelError(
            f"the model's forward mutates {', '.join(str(m) for m in mutated)}; "
            "mlc imports pure functions"
        )
    output = next(n for n in program.graph.nodes if n.op == "output")
    return list(cast(Sequence[Node], output.args[0]))


def import_program(
    program: ExportedProgram, entry: str = "forward", source: str = "the model"
) -> ImportedModel:
    """Build the graph-dialect module of an exported (and decomposed) program."""
    try:
        return _import_program(program, entry, source)
    except UnsupportedModelError as error:
        if str(error).startswith(f"{source}: "):
            raise
        raise UnsupportedModelError(f"{source}: {error}") from None


def _import_program(program: ExportedProgram, entry: str, source: str) -> ImportedModel:
    check_supported(program, source)
    constant = _constant_nodes(program)
    arguments = _arguments(program, constant)
    types = [node_meta(n).type for n in arguments.nodes]
    importer = Importer(
        program, source, Block(arg_types=types), constant_nodes=constant, ops=OPS
    )
    for node, arg, name in zip(
        arguments.nodes, importer.block.args, arguments.names, strict=True
    ):
        arg.name_hint = name
        importer.values[node] = arg
    lifted = _lifted_constants(program)
    for node in program.graph.nodes:
        if node.op == "placeholder" and node.name in lifted:
            importer.constants[node] = _state_value(program, lifted[node.name])
    importer.run()
    results = [cast(SSAValue, importer.operand(n)) for n in _outputs(program)]
    importer.block.add_op(func.ReturnOp(*results))
    function = func.FuncOp(
        entry, (types, [r.type for r in results]), Region(importer.block)
    )
    module = ModuleOp([function])
    module.verify()
    return ImportedModel(module, entry, arguments.params)


def import_torch(
    module: torch.nn.Module, example_inputs: Sequence[Any], *, entry: str = "forward"
) -> ImportedModel:
    """
    Import `module` (traced in eval mode on `example_inputs`) as a graph module.

    The entry function takes the tensor inputs in order, then one argument
    per used parameter or buffer, named by its sanitized qualified name.
    """
    if isinstance(example_inputs, torch.Tensor):
        example_inputs = (example_inputs,)
    program = _export(module, example_inputs)
    return import_program(program, entry, type(module).__name__)
