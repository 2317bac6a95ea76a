// RUN: MLC_ROUNDTRIP
// RUN: MLC_GENERIC_ROUNDTRIP

// The vector reductions of dialects/llvm_reductions.py (part of the `llvm`
// dialect's extension) round-trip in mlc-opt in upstream MLIR's syntax: the
// integer ones in the generic form, as upstream prints them;
// upstream/llvm_ext.mlir checks that real mlir-opt reads what mlc prints.

// CHECK-LABEL: llvm.func @reductions(
// CHECK-SAME:      %[[V:.*]]: vector<4xi32>, %[[W:.*]]: vector<8xf32>)
// CHECK-NEXT:    %{{.*}} = "llvm.intr.vector.reduce.add"(%[[V]]) : (vector<4xi32>) -> i32
// CHECK-NEXT:    %{{.*}} = "llvm.intr.vector.reduce.mul"(%[[V]]) : (vector<4xi32>) -> i32
// CHECK-NEXT:    %{{.*}} = "llvm.intr.vector.reduce.and"(%[[V]]) : (vector<4xi32>) -> i32
// CHECK-NEXT:    %{{.*}} = "llvm.intr.vector.reduce.or"(%[[V]]) : (vector<4xi32>) -> i32
// CHECK-NEXT:    %{{.*}} = "llvm.intr.vector.reduce.xor"(%[[V]]) : (vector<4xi32>) -> i32
// CHECK-NEXT:    %{{.*}} = "llvm.intr.vector.reduce.smax"(%[[V]]) : (vector<4xi32>) -> i32
// CHECK-NEXT:    %{{.*}} = "llvm.intr.vector.reduce.smin"(%[[V]]) : (vector<4xi32>) -> i32
// CHECK-NEXT:    %{{.*}} = "llvm.intr.vector.reduce.umax"(%[[V]]) : (vector<4xi32>) -> i32
// CHECK-NEXT:    %{{.*}} = "llvm.intr.vector.reduce.umin"(%[[V]]) : (vector<4xi32>) -> i32
// CHECK-NEXT:    %{{.*}} = llvm.intr.vector.reduce.fmaximum(%[[W]]) : (vector<8xf32>) -> f32
// CHECK-NEXT:    %{{.*}} = llvm.intr.vector.reduce.fminimum(%[[W]]) : (vector<8xf32>) -> f32
// CHECK-NEXT:    %{{.*}} = llvm.intr.vector.reduce.fmax(%[[W]]) {fastmathFlags = #llvm.fastmath<nnan>} : (vector<8xf32>) -> f32
// CHECK-NEXT:    %{{.*}} = llvm.intr.vector.reduce.fmin(%[[W]]) : (vector<8xf32>) -> f32
llvm.func @reductions(%v: vector<4xi32>, %w: vector<8xf32>) {
  %0 = "llvm.intr.vector.reduce.add"(%v) : (vector<4xi32>) -> i32
  %1 = "llvm.intr.vector.reduce.mul"(%v) : (vector<4xi32>) -> i32
  %2 = "llvm.intr.vector.reduce.and"(%v) : (vector<4xi32>) -> i32
  %3 = "llvm.intr.vector.reduce.or"(%v) : (vector<4xi32>) -> i32
  %4 = "llvm.intr.vector.reduce.xor"(%v) : (vector<4xi32>) -> i32
  %5 = "llvm.intr.vector.reduce.smax"(%v) : (vector<4xi32>) -> i32
  %6 = "llvm.intr.vector.reduce.smin"(%v) : (vector<4xi32>) -> i32
  %7 = "llvm.intr.vector.reduce.umax"(%v) : (vector<4xi32>) -> i32
  %8 = "llvm.intr.vector.reduce.umin"(%v) : (vector<4xi32>) -> i32
  %9 = llvm.intr.vector.reduce.fmaximum(%w) : (vector<8xf32>) -> f32
  %10 = llvm.intr.vector.reduce.fminimum(%w) : (vector<8xf32>) -> f32
  %11 = llvm.intr.vector.reduce.fmax(%w) {fastmathFlags = #llvm.fastmath<nnan>} : (vector<8xf32>) -> f32
  %12 = llvm.intr.vector.reduce.fmin(%w) : (vector<8xf32>) -> f32
  llvm.return
}
