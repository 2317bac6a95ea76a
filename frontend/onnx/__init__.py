"""
The ONNX importer: an ONNX `ModelProto` (opsets 1 to 27) to a graph-dialect module.

`import_onnx(path_or_model)` returns an `ImportedModel` whose entry function
takes the model's graph inputs in order, then one argument per parameter (an
initializer used as data, named after it), and returns the graph outputs in
order. Shapes are static, so whatever an op reads as a shape, axes, pads,
sizes or bounds operand must be known at import: `Constant` nodes, `Shape`,
small integer and single-element initializers (which are constants, not
parameters) and anything
computed only from them fold at import, through the graph ops' numpy
references or, for ops mlc has no converter for, onnx's reference
implementation. A graph input used so can be fixed with `input_values`
(`constant_operand_inputs` lists them).

Each ONNX op type maps to one converter function in `CONVERTERS`; a converter
builds graph ops from the node's inputs and attributes (per opset version).
Before anything is converted, every node that can be neither converted nor
evaluated at import is listed in one `UnsupportedModelError` (op type, count,
first node). Each imported op carries the ONNX node as its location,
`loc("<node name>"("<op type>"("<file>":0:0)))`, so later diagnostics read
`model.onnx: node 'conv1' (Conv): error: ...`.

Modules: `importer` (the state, `Node`, the converter registry), `driver`
(loading, checks, the walk), `versions` (older op forms rewritten to the
newest, the forms refused), and the converters by op family: `elementwise`,
`nn` (contractions, windows, normalization), `shape` (reductions, data
movement), `indexing` (scatters, top-k, selections), `einsum`, `pooling`
(LpPool, MaxUnpool), `resample` (Resize, GridSample and kin), ...;
docs/onnx.md has the full table.
"""

from mlc.frontend.common import sanitize
from mlc.frontend.onnx.driver import check_supported, import_onnx, load_model
from mlc.frontend.onnx.importer import (
    CONSTANT_OPERANDS,
    CONVERTERS,
    MAX_OPSET,
    MIN_OPSET,
    constant_operand_inputs,
)

__all__ = [
    "CONSTANT_OPERANDS",
    "CONVERTERS",
    "MAX_OPSET",
    "MIN_OPSET",
    "check_supported",
    "constant_operand_inputs",
    "import_onnx",
    "load_model",
    "sanitize",
]
