"""
The support layer: what every upper layer shares and nothing below needs.

It sits between `mlc.dialects` and the transformation layer (`mlc.passes`,
`mlc.lowering`), as MLIR's `lib/Support`, `lib/Parser` and `lib/Pass` sit under
its dialect conversions: the ABI's names (`abi`), the code-generation target
(`target`), one-line located diagnostics (`diagnostics`), parsing with source
locations (`located_parser`), op-by-op verification (`verifier`), pass
pipelines and the one pass runner (`pass_pipeline`, `pass_runner`), the pass
registry a context carries (`registry`) and the call-graph check
(`call_graph`). It imports nothing from mlc (docs/architecture.md, "Layers").
"""
