"""
The names and numbers of mlc's ABI, in one place.

Every layer that writes or reads them imports them from here: the passes that
attach them, the runtime that reads them, the frontends that set them, the
tools that print them. `docs/conventions.md` ("The LLVM-level ABI") describes
what each means.
"""

OUT_ATTR = "mlc.out"
"""Unit argument attribute: this memref/pointer argument is a result."""

TYPE_ATTR = "mlc.type"
"""On a public `llvm.func`'s pointer argument: the memref type it points to."""

NAME_ATTR = "mlc.name"
"""Result attribute: the model's name for this output (ONNX output names)."""

WEIGHTS_ATTR = "mlc.weights"
"""Module attribute: the MLCW weights file, relative to the model's folder."""

TEMP_BYTES_ATTR = "mlc.temp_bytes"
"""Function/module attribute: temporary bytes before and after buffer reuse."""

PARALLEL_ATTR = "mlc.parallel"
"""Unit attribute on an `scf.for`: its iterations are independent and may run
on several threads (the thread split is the parallelizing pass's choice)."""

ALIGNMENT = 64
"""Bytes: every public pointer argument and every allocation is aligned so."""
