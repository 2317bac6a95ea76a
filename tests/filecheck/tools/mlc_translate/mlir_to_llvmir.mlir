// `mlc-translate --mlir-to-llvmir` lowers IR of any level through the default
// pipeline and prints LLVM IR that LLVM's own verifier accepts.

// REQUIRES: mlir-tools
// RUN: mlc-translate --mlir-to-llvmir %s | %llvm-opt -passes=verify -S | filecheck %s
// RUN: mlc-translate --mlir-to-llvmir %s -O3 | %llvm-opt -passes=verify -S | filecheck %s --check-prefix=OPT
// RUN: mlc-opt %s -p 'graph-to-llvm{to=loop}' | mlc-translate --mlir-to-llvmir | %llvm-opt -passes=verify -S | filecheck %s
// RUN: mlc-opt %s -p graph-to-llvm | mlc-translate --mlir-to-llvmir | %llvm-opt -passes=verify -S | filecheck %s

// The public entry keeps its name and takes one noalias pointer (no
// alignment promised) per input, then per output; it returns an i64 status
// (0, or the bytes of an allocation that failed), since it allocates.
// CHECK-LABEL: define i64 @affine_relu(
// CHECK-SAME:      ptr noalias %{{[^,]+}}, ptr noalias %{{[^,]+}}, ptr noalias %{{[^,]+}}, ptr noalias %{{[^,)]+}})
// CHECK:         ret i64 0

// With -O3 the fused tensor function is inlined into the entry.
// OPT-LABEL: define {{.*}}i64 @affine_relu(
// OPT-NOT:   call i64 @linear_relu
// OPT:       ret i64
func.func @affine_relu(%x: tensor<2x4xf32>, %w: tensor<3x4xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = graph.linear %x, %w, %b : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %1 = graph.relu %0 : tensor<2x3xf32>
  func.return %1 : tensor<2x3xf32>
}

// The elementwise tensor function is a private (internal) function; f64 exp
// is LLVM's intrinsic, on the vectors of the vectorized loop.
// CHECK:       define internal void @[[EXP:[^(]+]](ptr noalias
// CHECK:         call <{{[0-9]+}} x double> @llvm.exp.v{{[0-9]+}}f64(
// CHECK-LABEL: define void @exp_f64(
// CHECK:         call void @[[EXP]](
func.func @exp_f64(%x: tensor<4xf64>) -> tensor<4xf64> {
  %0 = graph.exp %x : tensor<4xf64>
  func.return %0 : tensor<4xf64>
}
