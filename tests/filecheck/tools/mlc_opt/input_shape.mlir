// `--input-shape NAME=DxD` fixes the symbolic dimensions of the entry's inputs
// before the pipeline runs, and the graph ops' result types follow, so a
// pipeline that needs static shapes can run; a shape that does not fit, or an
// input the entry lacks, is one line and exit code 1.

// RUN: mlc-opt %s --input-shape x=2x4 | filecheck %s
// RUN: mlc-opt %s --input-shape x=2x4 -p graph-to-llvm{to=tensor} | filecheck %s --check-prefix=TENSOR
// RUN: not mlc-opt %s --input-shape x=2x5 2>&1 | filecheck %s --check-prefix=BAD
// RUN: not mlc-opt %s --input-shape y=2x4 --entry affine_relu 2>&1 | filecheck %s --check-prefix=NAME

// CHECK:      func.func @affine_relu(%x: tensor<2x4xf32>, %w: tensor<3x4xf32>) -> tensor<2x3xf32> {
// CHECK-NEXT:   %0 = graph.linear %x, %w : (tensor<2x4xf32>, tensor<3x4xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:   %1 = graph.relu %0 : tensor<2x3xf32>

// TENSOR: linalg.fill
// TENSOR-SAME: tensor<2x3xf32>

// BAD: input_shape.mlir: error: input_shapes['x'] = (2, 5) does not fit 'x: ?x4xfloat32' (dimension 1 is fixed at 4)
// NAME: input_shape.mlir: error: input_shapes names 'y', which is no input of @affine_relu (inputs: x, w)
func.func @affine_relu(%x: tensor<?x4xf32>, %w: tensor<3x4xf32>) -> tensor<?x3xf32> {
  %0 = graph.linear %x, %w : (tensor<?x4xf32>, tensor<3x4xf32>) -> tensor<?x3xf32>
  %1 = graph.relu %0 : tensor<?x3xf32>
  func.return %1 : tensor<?x3xf32>
}
