// RUN: mlc-opt %s -p convert-math-to-llvm | filecheck %s
// RUN: not mlc-opt %S/Inputs/math_to_llvm_ipowi.mlir -p convert-math-to-llvm 2>&1 | filecheck %s --check-prefix=ERR
// RUN: not mlc-opt %S/Inputs/math_to_llvm_erff_clash.mlir -p convert-math-to-llvm 2>&1 | filecheck %s --check-prefix=CLASH

// Math ops with an LLVM intrinsic become `llvm.intr.*` (fast-math flags kept);
// rsqrt is 1 / sqrt; absi is llvm.intr.abs with abs(INT_MIN) = INT_MIN; erf,
// expm1, log1p, atan2, ... call the C library (`erff` for f32, `erf` for f64,
// f16 through f32, a vector lane by lane), declared once as external llvm.func.
// Numerics: tests/unit/lowering/test_arith_math_to_llvm.py.

// ERR: {{^}}{{.*}}math_to_llvm_ipowi.mlir:2:8: error: convert-math-to-llvm could not lower 'math.ipowi'{{$}}
// ERR-NOT: Traceback

// A module's own @erff of another type cannot be the C library's.
// CLASH: {{^}}{{.*}}math_to_llvm_erff_clash.mlir:6:8: error: '@erff' is needed as the C library's !llvm.func<f32 (f32)> but is already defined otherwise{{$}}
// CLASH-NOT: Traceback

// The libm declarations come first in the module, in order of first use.
// CHECK:      builtin.module {
// CHECK-NEXT:   llvm.func @erff(f32) -> f32
// CHECK-NEXT:   llvm.func @erf(f64) -> f64
// CHECK-NEXT:   llvm.func @expm1f(f32) -> f32
// CHECK-NEXT:   llvm.func @log1pf(f32) -> f32
// CHECK-NEXT:   llvm.func @atan2f(f32, f32) -> f32

// CHECK-LABEL: func.func @intrinsics(
// CHECK-NEXT: %[[V0:.*]] = llvm.intr.fabs(%x) : (f32) -> f32
// CHECK-NEXT: %[[V1:.*]] = llvm.intr.exp(%[[V0]]) {fastmathFlags = #llvm.fastmath<fast>} : (f32) -> f32
// CHECK-NEXT: %[[V2:.*]] = llvm.intr.exp2(%[[V1]]) : (f32) -> f32
// CHECK-NEXT: %[[V3:.*]] = llvm.intr.log(%[[V2]]) : (f32) -> f32
// CHECK-NEXT: %[[V4:.*]] = llvm.intr.log2(%[[V3]]) : (f32) -> f32
// CHECK-NEXT: %[[V5:.*]] = llvm.intr.log10(%[[V4]]) : (f32) -> f32
// CHECK-NEXT: %[[V6:.*]] = llvm.intr.sqrt(%[[V5]]) : (f32) -> f32
// CHECK-NEXT: %[[V7:.*]] = llvm.intr.floor(%[[V6]]) : (f32) -> f32
// CHECK-NEXT: %[[V8:.*]] = llvm.intr.ceil(%[[V7]]) : (f32) -> f32
// CHECK-NEXT: %[[V9:.*]] = llvm.intr.round(%[[V8]]) : (f32) -> f32
// CHECK-NEXT: %[[V10:.*]] = llvm.intr.roundeven(%[[V9]]) : (f32) -> f32
// CHECK-NEXT: %[[V11:.*]] = llvm.intr.trunc(%[[V10]]) : (f32) -> f32
// CHECK-NEXT: %[[V12:.*]] = llvm.intr.sin(%[[V11]]) : (f32) -> f32
// CHECK-NEXT: %[[V13:.*]] = llvm.intr.cos(%[[V12]]) : (f32) -> f32
// CHECK-NEXT: %[[V14:.*]] = llvm.intr.tanh(%[[V13]]) : (f32) -> f32
// CHECK-NEXT: %[[V15:.*]] = llvm.intr.pow(%[[V14]], %x) : (f32, f32) -> f32
// CHECK-NEXT: %[[V16:.*]] = llvm.intr.copysign(%[[V15]], %x) : (f32, f32) -> f32
// CHECK-NEXT: %[[V17:.*]] = llvm.intr.fma(%[[V16]], %x, %x) : (f32, f32, f32) -> f32
// CHECK-NEXT: func.return %[[V17]] : f32
func.func @intrinsics(%x: f32) -> f32 {
  %0 = math.absf %x : f32
  %1 = math.exp %0 fastmath<fast> : f32
  %2 = math.exp2 %1 : f32
  %3 = math.log %2 : f32
  %4 = math.log2 %3 : f32
  %5 = math.log10 %4 : f32
  %6 = math.sqrt %5 : f32
  %7 = math.floor %6 : f32
  %8 = math.ceil %7 : f32
  %9 = math.round %8 : f32
  %10 = math.roundeven %9 : f32
  %11 = math.trunc %10 : f32
  %12 = math.sin %11 : f32
  %13 = math.cos %12 : f32
  %14 = math.tanh %13 : f32
  %15 = math.powf %14, %x : f32
  %16 = math.copysign %15, %x : f32
  %17 = math.fma %16, %x, %x : f32
  return %17 : f32
}

// CHECK-LABEL: func.func @rsqrt(
// CHECK-NEXT: %[[V0:.*]] = llvm.mlir.constant(1.000000e+00 : f64) : f64
// CHECK-NEXT: %[[V1:.*]] = llvm.intr.sqrt(%x) {fastmathFlags = #llvm.fastmath<arcp>} : (f64) -> f64
// CHECK-NEXT: %[[V2:.*]] = llvm.fdiv %[[V0]], %[[V1]] {fastmathFlags = #llvm.fastmath<arcp>} : f64
// CHECK-NEXT: %[[V3:.*]] = llvm.mlir.constant(dense<1.000000e+00> : vector<4xf32>) : vector<4xf32>
// CHECK-NEXT: %[[V4:.*]] = llvm.intr.sqrt(%v) : (vector<4xf32>) -> vector<4xf32>
// CHECK-NEXT: %[[V5:.*]] = llvm.fdiv %[[V3]], %[[V4]] : vector<4xf32>
// CHECK-NEXT: func.return %[[V2]], %[[V5]] : f64, vector<4xf32>
func.func @rsqrt(%x: f64, %v: vector<4xf32>) -> (f64, vector<4xf32>) {
  %0 = math.rsqrt %x fastmath<arcp> : f64
  %1 = math.rsqrt %v : vector<4xf32>
  return %0, %1 : f64, vector<4xf32>
}

// CHECK-LABEL: func.func @integers_and_powers(
// CHECK-NEXT: %[[V0:.*]] = "llvm.intr.abs"(%i) <{is_int_min_poison = false}> : (i32) -> i32
// CHECK-NEXT: %[[V1:.*]] = llvm.intr.powi(%x, %n) : (f16, i32) -> f16
// CHECK-NEXT: func.return %[[V0]], %[[V1]] : i32, f16
func.func @integers_and_powers(%i: i32, %x: f16, %n: i32) -> (i32, f16) {
  %0 = math.absi %i : i32
  %1 = math.fpowi %x, %n : f16, i32
  return %0, %1 : i32, f16
}

// CHECK-LABEL: func.func @libm_calls(
// CHECK-NEXT: %[[V0:.*]] = llvm.fpext %h : f16 to f32
// CHECK-NEXT: %[[V1:.*]] = llvm.call @erff(%[[V0]]) : (f32) -> f32
// CHECK-NEXT: %[[V2:.*]] = llvm.fptrunc %[[V1]] : f32 to f16
// CHECK-NEXT: %[[V3:.*]] = llvm.call @erff(%f) : (f32) -> f32
// CHECK-NEXT: %[[V4:.*]] = llvm.call @erf(%d) : (f64) -> f64
// CHECK-NEXT: %[[V5:.*]] = llvm.call @expm1f(%f) : (f32) -> f32
// CHECK-NEXT: %[[V6:.*]] = llvm.call @log1pf(%[[V5]]) : (f32) -> f32
// CHECK-NEXT: %[[V7:.*]] = llvm.call @atan2f(%[[V6]], %f) : (f32, f32) -> f32
// CHECK-NEXT: func.return %[[V2]], %[[V3]], %[[V4]], %[[V7]] : f16, f32, f64, f32
func.func @libm_calls(%h: f16, %f: f32, %d: f64) -> (f16, f32, f64, f32) {
  %0 = math.erf %h : f16
  %1 = math.erf %f : f32
  %2 = math.erf %d : f64
  %3 = math.expm1 %f : f32
  %4 = math.log1p %3 : f32
  %5 = math.atan2 %4, %f : f32
  return %0, %1, %2, %5 : f16, f32, f64, f32
}

// CHECK-LABEL: func.func @libm_on_a_vector(
// CHECK-NEXT: %[[V0:.*]] = llvm.mlir.undef : vector<2xf64>
// CHECK-NEXT: %[[V1:.*]] = llvm.mlir.constant(0) : i64
// CHECK-NEXT: %[[V2:.*]] = llvm.extractelement %v[%[[V1]] : i64] : vector<2xf64>
// CHECK-NEXT: %[[V3:.*]] = llvm.call @erf(%[[V2]]) : (f64) -> f64
// CHECK-NEXT: %[[V4:.*]] = llvm.insertelement %[[V3]], %[[V0]][%[[V1]] : i64] : vector<2xf64>
// CHECK-NEXT: %[[V5:.*]] = llvm.mlir.constant(1) : i64
// CHECK-NEXT: %[[V6:.*]] = llvm.extractelement %v[%[[V5]] : i64] : vector<2xf64>
// CHECK-NEXT: %[[V7:.*]] = llvm.call @erf(%[[V6]]) : (f64) -> f64
// CHECK-NEXT: %[[V8:.*]] = llvm.insertelement %[[V7]], %[[V4]][%[[V5]] : i64] : vector<2xf64>
// CHECK-NEXT: func.return %[[V8]] : vector<2xf64>
func.func @libm_on_a_vector(%v: vector<2xf64>) -> vector<2xf64> {
  %0 = math.erf %v : vector<2xf64>
  return %0 : vector<2xf64>
}
