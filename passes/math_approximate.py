"""
`math-approximate`: `math.exp`, `math.tanh`, `math.erf`, `math.log`,
`math.sin` and `math.cos` on f32 vectors become `arith` code: range reduction
and a polynomial, no libm call.

`convert-math-to-llvm` turns these ops into `llvm.intr.exp` (which LLVM
scalarizes into one `expf` call per lane) or a libm call per lane; inside a
vectorized loop that costs more than all the arithmetic around it. Each
expansion here works lane-wise on whole vectors (the same code serves scalars
with `scalars=true`):

- `exp`: `x` clamped to `[-104, 89]` (`maximumf`/`minimumf` keep NaN);
  `n = round(x·log2(e))` (adding and subtracting 1.5·2^23, whose bits
  then hold `n` as an integer); Cody-Waite reduction `r = (x - n·C1) - n·C2`
  with `C1 = 0.693359375` (9 bits, so `n·C1` is exact) and
  `C2 = -2.12194440e-4`; `e^r ≈ 1 + r + r²·P(r)`, a degree-5 minimax
  polynomial on `[-ln2/2, ln2/2]` (Cephes `expf`); then `·2^n` as two
  factors `2^⌊n/2⌋·2^(n-⌊n/2⌋)` built from the exponent bits
  (`(k + 127) << 23`, bitcast), so results in the subnormal range round once
  and `exp(89) = +inf`.
- `tanh`: `|x| < 0.625`: `x + x³·P(x²)` (Cephes `tanhf`); else
  `copysign(1 - 2/(exp(2|x|) + 1), x)` with the `exp` above (+inf for large
  `|x|`, so the result is exactly ±1).
- `erf`: `|x| < 1`: `x·T(x²)` (Cephes `erff`); else
  `copysign(1 - exp(-x²)·G(1/|x|), x)` with `|x|` clamped to 4 (`erf` is 1
  in f32 beyond 3.92) and `G` a degree-8 polynomial fitted (Lawson's
  iteration towards minimax) to `erfc(x)·e^(x²)` on `[1, 4]`, absolute error
  2.2e-11.
- `log`: subnormal inputs scaled by 2^23 first; `x = m·2^e` from the bits,
  `m` in `[√½, √2)`; `f = m - 1`; `log(x) = f - f²/2 + f³·P(f) + e·ln2`
  (Cephes `logf`'s degree-8 polynomial, `e·ln2` split in two);
  `x < 0` → NaN, `x = ±0` → -inf, `+inf` → +inf.
- `sin`, `cos`: `x = n·π/2 + r` computed in f64 (`n = round(x·2/π)` by
  adding and subtracting 1.5·2^52; π/2 as fdlibm's 33-bit head, so `n·head`
  is exact, and its tail: 86 bits), `|r| <= π/4` rounded once to f32;
  then `S(r) = r + r³·P(r²)` or `C(r) = 1 - r²/2 + r⁴·Q(r²)` (Cephes
  `sinf`/`cosf`), chosen and negated by the quadrant `n` (+1 for cos) from
  the low bits. The reduction serves `|x| <= TRIG_LIMIT` (10^6, `|n| <
  2^20`): when any lane of a vector is beyond it, or NaN, the whole vector
  takes libm instead (an `scf.if` on the `vector.reduction` of `|x|`; the
  math op is kept with the `mlc.libm` attribute), which reduces any
  argument exactly; `±inf` give NaN there.

Measured maximum error in ulp (f32 result against numpy's float64 function
rounded to f32; `ULP_BOUNDS`), natively at -O3 on AVX-512 (Zen 5) and with
`MLC_TARGET=avx2`, identical on both, over 4,186,000 finite points per
function: 2^21 uniformly random bit patterns (subnormals and the largest
magnitudes included; absolute values for log) and 2^21 evenly spaced points
over [-110, 95] (exp), [-12, 12] (tanh), [-6, 6] (erf), [0, 100] (log);
for sin and cos 2^20 points evenly over [-10^6, 10^6] and 2,405,395
random bit patterns of magnitude at most 10^6 (at most 1 ulp on those):

| function | max ulp | mean ulp | worst point |
| --- | --- | --- | --- |
| exp | 1 | 0.046 | 10.866925 |
| tanh | 1 | 0.010 | -0.81742 |
| erf | 3 | 0.226 | -0.9702563 |
| log | 1 | 0.021 | 6.7733545 |
| sin | 2 | 0.17 | -17140.404 |
| cos | 2 | 0.17 | -157885.7 |

`tests/unit/passes/test_math_approximate.py` re-checks the bounds on 2^16
points per function and target. NaN, ±inf and ±0 give libm's results (exp:
NaN, +inf, 0, 1, 1; tanh: NaN, ±1, ±0; erf: NaN, ±1, ±0; log: NaN, +inf,
NaN, -inf, -inf); signed zeros keep their sign.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from xdsl.context import Context
from xdsl.dialects import arith, scf, vector
from xdsl.dialects import math as mathd
from xdsl.dialects.builtin import (
    DenseIntOrFPElementsAttr,
    FloatAttr,
    IntegerAttr,
    ModuleOp,
    UnitAttr,
    VectorType,
    f32,
    f64,
    i32,
)
from xdsl.ir import Attribute, Block, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    PatternRewriter,
    PatternRewriteWalker,
    RewritePattern,
)
from xdsl.utils.hints import isa

from mlc.dialects import arith_ext

CombiningKind = vector.CombiningKindFlag

ULP_BOUNDS: dict[str, int] = {
    "exp": 1,
    "tanh": 1,
    "erf": 3,
    "log": 1,
    "sin": 2,
    "cos": 2,
}
"""Maximum measured error of each expansion in f32 ulp (see the docstring)."""

EXP_P = (
    1.9875691500e-4,
    1.3981999507e-3,
    8.3334519073e-3,
    4.1665795894e-2,
    1.6666665459e-1,
    5.0000001201e-1,
)
TANH_P = (
    -5.70498872745e-3,
    2.06390887954e-2,
    -5.37397155531e-2,
    1.33314422036e-1,
    -3.33332819422e-1,
)
ERF_T = (
    7.853861353153693e-5,
    -8.010193625184903e-4,
    5.188327685732524e-3,
    -2.685381193529856e-2,
    1.128358514861418e-1,
    -3.761262582423300e-1,
    1.128379165726710e0,
)
ERFC_G = (
    0.007047420833259821,
    -0.05995132401585579,
    0.22803190350532532,
    -0.5066733360290527,
    0.707572877407074,
    -0.5768716931343079,
    0.07424139231443405,
    0.553507924079895,
    0.0006784126162528992,
)
LOG_P = (
    7.0376836292e-2,
    -1.1514610310e-1,
    1.1676998740e-1,
    -1.2420140846e-1,
    1.4249322787e-1,
    -1.6668057665e-1,
    2.0000714765e-1,
    -2.4999993993e-1,
    3.3333331174e-1,
)
SIN_P = (-1.9515295891e-4, 8.3321608736e-3, -1.6666654611e-1)
COS_P = (2.443315711809948e-5, -1.388731625493765e-3, 4.166664568298827e-2)
"""Polynomial coefficients, highest degree first."""

PIO2_HI = 1.57079632673412561417
PIO2_LO = 6.07710050650619224932e-11
"""π/2 as the f64s of fdlibm's `__ieee754_rem_pio2`: its first 33 bits (so
`n·PIO2_HI` is exact for `|n| < 2^20`) and the rest."""

MAGIC64 = 6755399441055744.0
"""1.5·2^52: `MAGIC`'s f64 twin (the integer lands in the low mantissa bits)."""

TRIG_LIMIT = 1.0e6
"""The largest `|x|` the sin/cos reduction serves; beyond, libm reduces."""

LIBM_ATTR = "mlc.libm"
"""Marks a math op left for libm (the fallback of a bounded expansion)."""


class _Emit:
    """Builds arith/math ops of one type (`f32` or a vector of it) before `op`."""

    def __init__(
        self, rewriter: PatternRewriter, type_: Attribute, block: Block | None = None
    ) -> None:
        self.rewriter = rewriter
        self.block = block
        self.type = type_
        self.int_type: Attribute = (
            VectorType(i32, type_.get_shape())
            if isa(type_, VectorType[Attribute])
            else i32
        )

    def __call__(self, op: Operation) -> SSAValue:
        if self.block is None:
            self.rewriter.insert(op)
        else:
            self.block.add_op(op)
        return op.results[0]

    def f(self, value: float) -> SSAValue:
        if isa(self.type, VectorType[Attribute]):
            attr = DenseIntOrFPElementsAttr.from_list(cast(Any, self.type), [value])
            return self(arith.ConstantOp(attr, self.type))
        return self(arith.ConstantOp(FloatAttr(value, cast(Any, self.type))))

    def like(self, element: Attribute) -> Attribute:
        """`element`, or a vector of it of this emitter's shape."""
        if isa(self.type, VectorType[Attribute]):
            return VectorType(element, self.type.get_shape())
        return element

    def i(self, value: int) -> SSAValue:
        type_ = self.int_type
        if isa(type_, VectorType[Attribute]):
            attr = DenseIntOrFPElementsAttr.from_list(cast(Any, type_), [value])
            return self(arith.ConstantOp(attr, type_))
        return self(arith.ConstantOp(IntegerAttr(value, i32)))

    def add(self, a: SSAValue, b: SSAValue) -> SSAValue:
        return self(arith.AddfOp(a, b))

    def sub(self, a: SSAValue, b: SSAValue) -> SSAValue:
        return self(arith.SubfOp(a, b))

    def mul(self, a: SSAValue, b: SSAValue) -> SSAValue:
        return self(arith.MulfOp(a, b))

    def div(self, a: SSAValue, b: SSAValue) -> SSAValue:
        return self(arith.DivfOp(a, b))

    def poly(self, x: SSAValue, coefficients: Sequence[float]) -> SSAValue:
        """Horner's scheme, highest degree first."""
        result = self.f(coefficients[0])
        for c in coefficients[1:]:
            result = self.add(self.mul(result, x), self.f(c))
        return result

    def select(self, cond: SSAValue, a: SSAValue, b: SSAValue) -> SSAValue:
        return self(arith_ext.SelectOp(cond, a, b))

    def cmp(self, predicate: str, a: SSAValue, b: SSAValue) -> SSAValue:
        return self(arith_ext.CmpfOp(a, b, predicate))

    def bits_to_float(self, bits: SSAValue) -> SSAValue:
        return self(arith.BitcastOp(bits, self.type))

    def float_to_bits(self, x: SSAValue) -> SSAValue:
        return self(arith.BitcastOp(x, self.int_type))

    def pow2(self, k: SSAValue) -> SSAValue:
        """`2^k` for an integer `k` in [-126, 127]."""
        biased = self(arith.AddiOp(k, self.i(127)))
        return self.bits_to_float(self(arith.ShLIOp(biased, self.i(23))))


MAGIC = 12582912.0
"""1.5·2^23: adding it rounds an f32 of magnitude < 2^22 to an integer (nearest
even) and leaves that integer in the low mantissa bits, `bits - MAGIC_BITS`."""
MAGIC_BITS = 0x4B400000


def expand_exp(e: _Emit, x: SSAValue) -> SSAValue:
    clamped = e(arith.MinimumfOp(e(arith.MaximumfOp(x, e.f(-104.0))), e.f(89.0)))
    t = e.add(e.mul(clamped, e.f(1.44269504088896341)), e.f(MAGIC))
    n = e.sub(t, e.f(MAGIC))  # round(x·log2(e)), exactly
    r = e.sub(e.sub(clamped, e.mul(n, e.f(0.693359375))), e.mul(n, e.f(-2.12194440e-4)))
    p = e.add(e.add(e.mul(e.mul(e.poly(r, EXP_P), r), r), r), e.f(1.0))
    # n as an integer from the bits of t (a NaN gives garbage bits, no poison;
    # the NaN reaches the result through p).
    k = e(arith.SubiOp(e.float_to_bits(t), e.i(MAGIC_BITS)))
    half = e(arith.ShRSIOp(k, e.i(1)))
    rest = e(arith.SubiOp(k, half))
    return e.mul(e.mul(p, e.pow2(half)), e.pow2(rest))


def expand_tanh(e: _Emit, x: SSAValue) -> SSAValue:
    ax = e(mathd.AbsFOp(x))
    z = e.mul(x, x)
    small = e.add(e.mul(e.mul(e.poly(z, TANH_P), z), x), x)
    small = e(mathd.CopySignOp(small, x))  # -0 + +0 is +0; tanh(-0) is -0
    exp2x = expand_exp(e, e.add(ax, ax))
    large = e.sub(e.f(1.0), e.div(e.f(2.0), e.add(exp2x, e.f(1.0))))
    large = e(mathd.CopySignOp(large, x))
    return e.select(e.cmp("olt", ax, e.f(0.625)), small, large)


def expand_erf(e: _Emit, x: SSAValue) -> SSAValue:
    ax = e(mathd.AbsFOp(x))
    small = e.mul(x, e.poly(e.mul(x, x), ERF_T))
    a = e(arith.MinimumfOp(ax, e.f(4.0)))
    g = e.poly(e.div(e.f(1.0), a), ERFC_G)
    erfc = e.mul(expand_exp(e, e(arith.NegfOp(e.mul(a, a)))), g)
    large = e(mathd.CopySignOp(e.sub(e.f(1.0), erfc), x))
    return e.select(e.cmp("olt", ax, e.f(1.0)), small, large)


def expand_log(e: _Emit, x: SSAValue) -> SSAValue:
    tiny = e.cmp("olt", x, e.f(1.17549435e-38))
    scaled = e.select(tiny, e.mul(x, e.f(8388608.0)), x)
    bits = e.float_to_bits(scaled)
    exponent = e(arith.SubiOp(e(arith.ShRSIOp(bits, e.i(23))), e.i(127)))
    exponent = e(arith.SubiOp(exponent, e.select(tiny, e.i(23), e.i(0))))
    mantissa = e.bits_to_float(
        e(arith.OrIOp(e(arith.AndIOp(bits, e.i(0x007FFFFF))), e.i(0x3F800000)))
    )
    # m in [1, 2): move [√2, 2) to [√½, 1) so that f = m - 1 stays small.
    big = e.cmp("ogt", mantissa, e.f(1.41421356))
    mantissa = e.select(big, e.mul(mantissa, e.f(0.5)), mantissa)
    exponent = e(arith.AddiOp(exponent, e.select(big, e.i(1), e.i(0))))
    ef = e.sub(e.bits_to_float(e(arith.AddiOp(exponent, e.i(MAGIC_BITS)))), e.f(MAGIC))
    f = e.sub(mantissa, e.f(1.0))
    z = e.mul(f, f)
    y = e.mul(e.mul(e.poly(f, LOG_P), f), z)
    y = e.add(y, e.mul(ef, e.f(-2.12194440e-4)))
    y = e.sub(y, e.mul(z, e.f(0.5)))
    result = e.add(e.add(f, y), e.mul(ef, e.f(0.693359375)))
    # Special values: NaN and +inf pass through, negatives are NaN, 0 is -inf.
    passthrough = e.cmp("uge", x, e.f(float("inf")))  # NaN or +inf
    result = e.select(passthrough, x, result)
    result = e.select(e.cmp("olt", x, e.f(0.0)), e.f(float("nan")), result)
    return e.select(e.cmp("oeq", x, e.f(0.0)), e.f(float("-inf")), result)


def _sin_cos(e: _Emit, x: SSAValue, quadrant_shift: int) -> SSAValue:
    """
    `sin(x)` (shift 0) or `cos(x)` (shift 1) for `|x| <= TRIG_LIMIT`: `x = n·π/2
    + r` in f64 (`n·PIO2_HI` exact, π/2 to 86 bits), `|r| <= π/4` rounded
    once to f32, then ±S(r) or ±C(r) by the quadrant `n + shift`."""
    wide = e.like(f64)
    w = _Emit(e.rewriter, wide, e.block)
    x64 = w(arith.ExtFOp(x, wide))
    t = w.add(w.mul(x64, w.f(0.636619772367581343)), w.f(MAGIC64))
    n = w.sub(t, w.f(MAGIC64))  # round(x·2/π), exactly
    r64 = w.sub(w.sub(x64, w.mul(n, w.f(PIO2_HI))), w.mul(n, w.f(PIO2_LO)))
    r = e(arith.TruncFOp(r64, e.type))
    z = e.mul(r, r)
    sin_r = e.add(e.mul(e.mul(e.poly(z, SIN_P), z), r), r)
    sin_r = e(mathd.CopySignOp(sin_r, r))  # -0 + +0 is +0; sin(-0) is -0
    cos_r = e.add(
        e.sub(e.mul(e.mul(e.poly(z, COS_P), z), z), e.mul(z, e.f(0.5))), e.f(1.0)
    )
    # n (|n| < 2^20, exact in f32) as an i32 by the f32 magic constant (a NaN
    # gives garbage bits, no poison).
    t32 = e.add(e(arith.TruncFOp(n, e.type)), e.f(MAGIC))
    q = e(arith.SubiOp(e.float_to_bits(t32), e.i(MAGIC_BITS)))
    q = e(arith.AddiOp(q, e.i(quadrant_shift)))
    odd = e(arith_ext.CmpiOp(e(arith.AndIOp(q, e.i(1))), e.i(0), "ne"))
    negative = e(arith_ext.CmpiOp(e(arith.AndIOp(q, e.i(2))), e.i(0), "ne"))
    value = e.select(odd, cos_r, sin_r)
    return e.select(negative, e(arith.NegfOp(value)), value)


def _with_libm_fallback(
    e: _Emit, op: Operation, x: SSAValue, expand: Callable[[_Emit, SSAValue], SSAValue]
) -> SSAValue:
    """
    `expand(x)` when every lane has `|x| <= TRIG_LIMIT` (or is NaN), else the
    math op itself, marked `LIBM_ATTR` (libm per lane: exact reduction)."""
    magnitude = e(mathd.AbsFOp(x))
    if isa(e.type, VectorType[Attribute]):
        magnitude = e(
            vector.ReductionOp.create(
                operands=[magnitude],
                result_types=[f32],
                properties={"kind": vector.CombiningKindAttr(CombiningKind.MAXIMUMF)},
            )
        )
    limit = e(arith.ConstantOp(FloatAttr(TRIG_LIMIT, f32)))
    # Unordered: a NaN lane hides the others' magnitudes, so libm takes them.
    large = e(arith.CmpfOp(magnitude, limit, "ugt"))
    exact = op.clone()
    exact.attributes[LIBM_ATTR] = UnitAttr()
    exact.operands = [x]
    then_block = Block([exact, scf.YieldOp(exact.results[0])])
    else_block = Block()
    inner = _Emit(e.rewriter, e.type, else_block)
    else_block.add_op(scf.YieldOp(expand(inner, x)))
    return e(scf.IfOp(large, [e.type], [then_block], [else_block]))


def expand_sin(e: _Emit, x: SSAValue) -> SSAValue:
    return _sin_cos(e, x, 0)


def expand_cos(e: _Emit, x: SSAValue) -> SSAValue:
    return _sin_cos(e, x, 1)


EXPANSIONS: dict[type[Operation], Callable[[_Emit, SSAValue], SSAValue]] = {
    mathd.ExpOp: expand_exp,
    mathd.TanhOp: expand_tanh,
    mathd.ErfOp: expand_erf,
    mathd.LogOp: expand_log,
    mathd.SinOp: expand_sin,
    mathd.CosOp: expand_cos,
}
BOUNDED = frozenset({mathd.SinOp, mathd.CosOp})
"""Expansions valid for `|x| <= TRIG_LIMIT` only, guarded by a libm fallback."""


@dataclass
class ApproximateMathOp(RewritePattern):
    """
    An f32 (vector) `math.exp`/`tanh`/`erf`/`log`/`sin`/`cos` → its `arith`
    expansion (sin and cos behind their libm fallback)."""

    scalars: bool

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter) -> None:
        expand = EXPANSIONS.get(type(op))
        if expand is None or LIBM_ATTR in op.attributes:
            return
        type_ = op.results[0].type
        is_vector = isa(type_, VectorType[Attribute]) and type_.element_type == f32
        if not is_vector and not (self.scalars and type_ == f32):
            return
        if is_vector and cast(VectorType[Attribute], type_).get_num_dims() != 1:
            return
        e = _Emit(rewriter, type_)
        if type(op) in BOUNDED:
            result = _with_libm_fallback(e, op, op.operands[0], expand)
        else:
            result = expand(e, op.operands[0])
        rewriter.replace(op, [], [result])


@dataclass(frozen=True)
class MathApproximatePass(ModulePass):
    """
    Expand f32 vector exp/tanh/erf/log/sin/cos into arith (see the module
    docstring).

    **Input invariant**: any module; only `math.exp`/`tanh`/`erf`/`log`/
    `sin`/`cos` on `vector<N x f32>` (and on `f32` with `scalars=true`) are
    expanded.

    **Output IR**: `arith` ops (`mulf`, `addf`, `subf`, `divf`, `maximumf`,
    `minimumf`, `cmpf`, `cmpi`, `select`, `addi`, `subi`, `shli`, `shrsi`,
    `andi`, `ori`, `bitcast`, `extf`/`truncf` to f64 and back, `trunci`) and
    `math.absf`/`copysign` on the same type; for sin and cos an `scf.if` on
    `vector.reduction <maximumf>` of `|x|` whose other branch keeps the math
    op, marked `mlc.libm`.

    **Invariants**: other math ops, other types and ops marked `mlc.libm` are
    untouched; the expansions agree with libm to within `ULP_BOUNDS` and on
    every special value.
    """

    name = "math-approximate"

    scalars: bool = False
    """Also expand the ops on scalar `f32` (libm's are as accurate)."""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        PatternRewriteWalker(
            ApproximateMathOp(self.scalars), apply_recursively=False
        ).rewrite_module(op)


__all__ = ["EXPANSIONS", "ULP_BOUNDS", "ApproximateMathOp", "MathApproximatePass"]
