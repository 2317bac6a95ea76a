"""
Import a PyTorch `nn.Module` as a graph-dialect module.

`import_torch(module, example_inputs)` traces `module.eval()` with
`torch.export.export`, decomposes every aten op the importer does not map
directly (`run_decompositions` with the default table minus `SUPPORTED`), then
walks the FX graph once:

- the user inputs become the entry function's first arguments, in order;
- each parameter and buffer that is used becomes one more argument whose SSA
  name hint is its sanitized qualified name (`fc1.weight` -> `fc1_weight`),
  with its value in `ImportedModel.params` under that name;
- lifted tensor constants, and every value computed from constants only
  (`torch.arange`, `torch.full`, `torch.triu` for a causal mask), become
  `arith.constant`s;
- each aten op becomes graph ops (`OPS`: one small builder per op);
- the user outputs become `func.return`.

Shapes and element types come from the exporter's fake tensors
(`node.meta["val"]`), so reshapes never have to resolve `-1` and mixed-type
arithmetic casts to the type PyTorch computes. Ops without a builder are all
reported in one error, each with its count and first node.

Modules: `importer` (the state and the builders' shared helpers), `driver`
(tracing, checks, argument layout, the walk), and the builders by op family:
`elementwise`, `elementwise_math`, `shape`, `nn`, `logic`, `indexing`
(scatters, `index_put`, topk/sort, einsum, masked_scatter, embedding_bag),
`quant`, `resample` (`interpolate`, `grid_sample`, `affine_grid`, `fold`),
each with its part of the op table. The absolute `import torch` inside this
package is PyTorch, never this package.
"""

from mlc.frontend.common import unique_name as sanitize_name
from mlc.frontend.torch.driver import (
    OPS,
    SUPPORTED,
    check_supported,
    import_program,
    import_torch,
)

__all__ = [
    "OPS",
    "SUPPORTED",
    "check_supported",
    "import_program",
    "import_torch",
    "sanitize_name",
]
