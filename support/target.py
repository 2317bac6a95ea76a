"""
The machine code is generated for: its CPU, its features, its SIMD width.

Passes that choose a schedule (vector width, micro-kernel shape) read
`current_target()`; the runtime builds LLVM's target machine from the same
object, so the IR's choices and the machine code agree.

The default is the host. `MLC_TARGET` selects a SIMD level instead, so every
vector path mlc emits can be built and run on a machine that has a superset
of it (an AVX-512 host runs `avx2` code): `host`, `avx512`, `avx2`, `sse`.
"""

# llvmlite 0.50 ships no type annotations, so its calls are untyped:
# pyright: reportUnknownMemberType=false, reportUnknownVariableType=false
# pyright: reportMissingTypeStubs=false

from __future__ import annotations

import functools
import os
from dataclasses import dataclass

TARGET_ENV = "MLC_TARGET"
"""The environment variable that overrides the host target."""


@dataclass(frozen=True)
class Target:
    """A CPU as LLVM names it, its feature string, and its vector width."""

    name: str
    """`host` or the SIMD level asked for (`avx512`, `avx2`, `sse`)."""
    cpu: str
    """LLVM's CPU name (`znver4`, `haswell`, ...)."""
    features: str
    """LLVM's feature string (`+avx2,+fma,...`); empty for the CPU's defaults."""
    vector_bits: int
    """The widest SIMD register code should use: 512, 256 or 128."""
    has_fma: bool
    """Whether fused multiply-add is a single instruction."""

    def lanes(self, element_bits: int) -> int:
        """How many elements of `element_bits` fill one vector register."""
        return max(1, self.vector_bits // element_bits)


LEVELS: dict[str, tuple[str, int, bool]] = {
    "avx512": ("skylake-avx512", 512, True),
    "avx2": ("haswell", 256, True),
    "sse": ("x86-64", 128, False),
}
"""Each SIMD level's reference CPU, vector width and FMA."""


@functools.cache
def host_target() -> Target:
    """The CPU this process runs on, as llvmlite reports it."""
    import llvmlite.binding as llvm  # loads LLVM: only on use

    feature_map = llvm.get_host_cpu_features()
    flat: str = feature_map.flatten()
    has = {item[1:] for item in flat.split(",") if item.startswith("+")}
    bits = 512 if "avx512f" in has else 256 if "avx2" in has else 128
    return Target(
        "host",
        llvm.get_host_cpu_name(),
        flat,
        bits,
        "fma" in has,
    )


def target_named(name: str) -> Target:
    """The target of a SIMD level name (`host`, `avx512`, `avx2`, `sse`)."""
    if name == "host":
        return host_target()
    if name not in LEVELS:
        choices = ", ".join(["host", *LEVELS])
        raise ValueError(f"unknown target '{name}' (choose from {choices})")
    cpu, bits, fma = LEVELS[name]
    return Target(name, cpu, "", bits, fma)


def current_target() -> Target:
    """The target named by `MLC_TARGET`, else the host."""
    return target_named(os.environ.get(TARGET_ENV, "host") or "host")
