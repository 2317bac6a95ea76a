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

DTYPE_ATTR = "mlc.dtype"
"""Argument or result attribute: the ml_dtypes type (`float8_e4m3fn`, `int4`,
...) whose one-byte storage this `ui8` tensor holds (support/narrow_types.py);
the runtime takes and returns arrays of that type."""

WEIGHTS_ATTR = "mlc.weights"
"""Module attribute: the MLCW weights file, relative to the model's folder."""

TEMP_BYTES_ATTR = "mlc.temp_bytes"
"""Function/module attribute: temporary bytes before and after buffer reuse."""

PARALLEL_ATTR = "mlc.parallel"
"""Unit attribute on an `scf.for`: its iterations are independent and may run
on several threads (the thread split is the parallelizing pass's choice)."""

ALIGNMENT = 64
"""Bytes: every public pointer argument and every allocation is aligned so."""

RUNTIME_ALLOC = "mlc_alloc"
"""`void *mlc_alloc(i64 align, i64 size)`: the runtime's allocator
(`runtime/memory.ll`), what `memref.alloc` lowers to; null when out of
memory."""
RUNTIME_FREE = "mlc_free"
"""`void mlc_free(void *)`: releases what `mlc_alloc` returned."""

_MATH_H = (
    "acos asin atan atan2 cos sin tan acosh asinh atanh cosh sinh tanh exp exp2 "
    "expm1 frexp ilogb ldexp log log10 log1p log2 logb modf scalbn scalbln cbrt "
    "fabs hypot pow sqrt erf erfc lgamma tgamma ceil floor nearbyint rint lrint "
    "llrint round lround llround trunc fmod remainder remquo copysign nan "
    "nextafter nexttoward fdim fmax fmin fma"
).split()

C_LIBRARY_SYMBOLS = frozenset(
    [
        *_MATH_H,
        *(name + "f" for name in _MATH_H),
        *"abs labs llabs div exit abort free malloc calloc realloc".split(),
        *"aligned_alloc memcpy memmove memset system".split(),
    ]
)
"""C library functions generated code may declare or LLVM may call by name: a
function mlc names itself (a fused tensor function) never takes one of them."""

PACKED_ATTR = "mlc.packed"
"""Argument attribute `{nr, n, type}`: this 2-D f32 weight `W` of memref type
`type` (`n` is the index of its output-column dimension, the other is the
reduction `k`) is passed packed,
as `Wp[ceil(N/nr)][K][nr]` with `Wp[p][k][j] = W(n = p*nr + j, k)`, zero past
`N` (`pack-weights`, `support/packing.py`, docs/gemm.md)."""
