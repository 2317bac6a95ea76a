"""
The support layer: what every upper layer shares and nothing below needs.

It sits between `mlc.dialects` and the transformation layer (`mlc.passes`,
`mlc.lowering`), as MLIR's `lib/Support`, `lib/Parser` and `lib/Pass` sit under
its dialect conversions: the code-generation target, and (as the layering
work moves it here) parsing with locations, verification, diagnostics, the
pass runner and the ABI's attribute names.
"""
