// `--input-shape NAME=DxD` gives an entry with symbolic dimensions
// (`tensor<?x4xf32>`) concrete shapes before it is lowered; without it the
// lowering refuses the dynamic op.

// REQUIRES: mlir-tools
// RUN: mlc-translate --mlir-to-llvmir %s --input-shape x=2x4 | %llvm-opt -passes=verify -S | filecheck %s
// RUN: not mlc-translate --mlir-to-llvmir %s 2>&1 | filecheck %s --check-prefix=NOSHAPE
// RUN: not mlc-translate --mlir-to-llvmir %s --input-shape x=2x5 2>&1 | filecheck %s --check-prefix=BAD

// The 2x3 result is 6 floats: the loop over it is static. The GEMM's packing
// buffers are allocated, so the entry returns the out-of-memory status.
// CHECK-LABEL: define i64 @affine_relu(
// CHECK-SAME:      ptr noalias %{{[^,]+}}, ptr noalias %{{[^,]+}}, ptr noalias %{{[^,]+}}, ptr noalias %{{[^,)]+}})
// CHECK:         ret i64 0

// NOSHAPE: input_shape.mlir:[[# @LINE + 5]]:8: error: convert-graph-to-linalg supports static shapes only: 'graph.linear' has tensor<?x4xf32>

// BAD: input_shape.mlir: error: input_shapes['x'] = (2, 5) does not fit 'x: ?x4xfloat32' (dimension 1 is fixed at 4)
func.func @affine_relu(%x: tensor<?x4xf32>, %w: tensor<3x4xf32>, %b: tensor<3xf32>)
    -> tensor<?x3xf32> {
  %0 = graph.linear %x, %w, %b : (tensor<?x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<?x3xf32>
  %1 = graph.relu %0 : tensor<?x3xf32>
  func.return %1 : tensor<?x3xf32>
}
