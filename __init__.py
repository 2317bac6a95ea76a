"""
mlc: a multi-level machine-learning compiler on xDSL.

A model in its development form (graph-dialect IR text today; ONNX and PyTorch
later) is lowered level by level — graph, tensor, loop, LLVM — to native code.
See README.md and DESIGN.md.
"""

__version__ = "0.1.0"
