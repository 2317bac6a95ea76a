// RUN: mlc-opt %s -p check-llvm-converted | filecheck %s
// RUN: not mlc-opt %S/Inputs/check_llvm_converted_leftover.mlir -p check-llvm-converted 2>&1 | filecheck %s --check-prefix=LEFTOVER

// LEFTOVER: check_llvm_converted_leftover.mlir:4:8: error: 'arith.addf' is not in the llvm dialect (expected convert-arith-to-llvm to lower it)

// Pure LLVM-dialect IR passes unchanged.
// CHECK:       llvm.mlir.global internal constant @g(dense<1.000000e+00> : tensor<2xf32>) {addr_space = 0 : i32} : !llvm.array<2 x f32>
// CHECK-LABEL: llvm.func @f(
// CHECK-NEXT:    %[[G:.*]] = llvm.mlir.addressof @g : !llvm.ptr
// CHECK-NEXT:    %[[X:.*]] = llvm.load %[[G]] : !llvm.ptr -> f32
// CHECK-NEXT:    llvm.return %[[X]] : f32
llvm.mlir.global internal constant @g(dense<1.0> : tensor<2xf32>) : !llvm.array<2 x f32>
llvm.func @f() -> f32 {
  %g = llvm.mlir.addressof @g : !llvm.ptr
  %x = llvm.load %g : !llvm.ptr -> f32
  llvm.return %x : f32
}
