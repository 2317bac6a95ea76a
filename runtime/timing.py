"""
Where compile time goes: `CompileTimer` records the wall time of each stage
of `mlc.compile` (parsing/importing, each pipeline level, and each LLVM step:
translate, optimize, codegen — MCJIT's object emission and linking) and,
when asked, prints a progress line per stage on stderr once the compile has
run `progress_after()` seconds (2, or `MLC_PROGRESS_AFTER`; `inf` never), so a
long compile says where it is.

`mlc.compile(..., timing=True)` prints the report when done and keeps it on
the result (`CompiledModule.compile_timing`); `mlc-run --timing` prints it
too; `mlc-run` and the tools show the progress lines by default, the Python
API only with `progress=True`.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Generator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TextIO

PROGRESS_AFTER_ENV = "MLC_PROGRESS_AFTER"


def progress_after() -> float:
    """Seconds into a compile before progress lines are printed."""
    try:
        return float(os.environ.get(PROGRESS_AFTER_ENV, "2"))
    except ValueError:
        return 2.0


@dataclass
class CompileTimer:
    """Stage name -> seconds, in the order the stages ran."""

    progress: bool = False
    stream: TextIO | None = None
    stages: dict[str, float] = field(default_factory=dict[str, float])
    start: float = field(default_factory=time.perf_counter)

    @contextmanager
    def stage(self, name: str) -> Generator[None]:
        """Time the enclosed block as stage `name` (repeats add up)."""
        begin = time.perf_counter()
        try:
            yield
        finally:
            seconds = time.perf_counter() - begin
            self.stages[name] = self.stages.get(name, 0.0) + seconds
            elapsed = time.perf_counter() - self.start
            if self.progress and elapsed >= progress_after():
                out = self.stream or sys.stderr
                out.write(
                    f"mlc: {name} took {seconds:.2f} s ({elapsed:.1f} s so far)\n"
                )
                out.flush()

    @property
    def total(self) -> float:
        return sum(self.stages.values())

    def report(self) -> str:
        """A table of the stages, their seconds and share of the total."""
        total = self.total or 1e-12
        width = max([len(name) for name in self.stages] + [5])
        lines = ["mlc.compile timing:"]
        for name, seconds in self.stages.items():
            lines.append(
                f"  {name:<{width}}  {seconds * 1e3:9.1f} ms  {seconds / total:6.1%}"
            )
        lines.append(f"  {'total':<{width}}  {self.total * 1e3:9.1f} ms")
        return "\n".join(lines) + "\n"
