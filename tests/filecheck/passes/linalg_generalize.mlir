// RUN: mlc-opt %s -p linalg-generalize | filecheck %s

// CHECK-LABEL: func.func @fill_is_generic(
// CHECK-SAME:      %[[OUT:.*]]: memref<2x3xf32>)
// CHECK:         %[[C:.*]] = arith.constant
// CHECK:         linalg.generic {indexing_maps = [affine_map<(d0, d1) -> ()>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME:      ins(%[[C]] : f32) outs(%[[OUT]] : memref<2x3xf32>)
// CHECK-NEXT:    ^{{.*}}(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:      linalg.yield %[[IN]] : f32
// CHECK-NOT:     linalg.fill
func.func @fill_is_generic(%out: memref<2x3xf32>) {
  %c = arith.constant 1.5 : f32
  linalg.fill ins(%c : f32) outs(%out : memref<2x3xf32>)
  func.return
}

// CHECK-LABEL: func.func @matmul_is_generic(
// CHECK-SAME:      %[[A:.*]]: memref<2x3xf32>, %[[B:.*]]: memref<3x4xf32>, %[[OUT:.*]]: memref<2x4xf32>)
// CHECK:         linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-SAME:      ins(%[[A]], %[[B]] : memref<2x3xf32>, memref<3x4xf32>) outs(%[[OUT]] : memref<2x4xf32>)
// CHECK-NEXT:    ^{{.*}}(%[[X:.*]]: f32, %[[Y:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK-NEXT:      %[[MUL:.*]] = arith.mulf %[[X]], %[[Y]] : f32
// CHECK-NEXT:      %[[ADD:.*]] = arith.addf %[[MUL]], %[[ACC]] : f32
// CHECK-NEXT:      linalg.yield %[[ADD]] : f32
// CHECK-NOT:     linalg.matmul
func.func @matmul_is_generic(%a: memref<2x3xf32>, %b: memref<3x4xf32>, %out: memref<2x4xf32>) {
  linalg.matmul ins(%a, %b : memref<2x3xf32>, memref<3x4xf32>) outs(%out : memref<2x4xf32>)
  func.return
}

// CHECK-LABEL: func.func @matmul_on_tensors_is_generic_with_a_result(
// CHECK-SAME:      %[[A:.*]]: tensor<2x3xi32>, %[[B:.*]]: tensor<3x4xi32>, %[[INIT:.*]]: tensor<2x4xi32>)
// CHECK:         %[[R:.*]] = linalg.generic
// CHECK-SAME:      ins(%[[A]], %[[B]] : tensor<2x3xi32>, tensor<3x4xi32>) outs(%[[INIT]] : tensor<2x4xi32>)
// CHECK:           arith.muli
// CHECK:           arith.addi
// CHECK:         } -> tensor<2x4xi32>
// CHECK:         func.return %[[R]]
func.func @matmul_on_tensors_is_generic_with_a_result(%a: tensor<2x3xi32>, %b: tensor<3x4xi32>, %init: tensor<2x4xi32>) -> tensor<2x4xi32> {
  %0 = linalg.matmul ins(%a, %b : tensor<2x3xi32>, tensor<3x4xi32>) outs(%init : tensor<2x4xi32>) -> tensor<2x4xi32>
  func.return %0 : tensor<2x4xi32>
}

// CHECK-LABEL: func.func @transpose_reads_through_the_inverse_permutation(
// CHECK-SAME:      %[[A:.*]]: memref<2x3x4xf32>, %[[OUT:.*]]: memref<4x2x3xf32>)
// CHECK:         linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d1, d2, d0)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK-SAME:      ins(%[[A]] : memref<2x3x4xf32>) outs(%[[OUT]] : memref<4x2x3xf32>)
// CHECK-NEXT:    ^{{.*}}(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:      linalg.yield %[[IN]] : f32
// CHECK-NOT:     linalg.transpose
func.func @transpose_reads_through_the_inverse_permutation(%a: memref<2x3x4xf32>, %out: memref<4x2x3xf32>) {
  linalg.transpose ins(%a : memref<2x3x4xf32>) outs(%out : memref<4x2x3xf32>) permutation = [2, 0, 1]
  func.return
}

// CHECK-LABEL: func.func @broadcast_reads_the_kept_dimensions(
// CHECK-SAME:      %[[A:.*]]: tensor<3xf16>, %[[INIT:.*]]: tensor<2x3x4xf16>)
// CHECK:         %[[R:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d1)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]}
// CHECK-SAME:      ins(%[[A]] : tensor<3xf16>) outs(%[[INIT]] : tensor<2x3x4xf16>)
// CHECK-NEXT:    ^{{.*}}(%[[IN:.*]]: f16, %{{.*}}: f16):
// CHECK-NEXT:      linalg.yield %[[IN]] : f16
// CHECK-NEXT:    } -> tensor<2x3x4xf16>
// CHECK:         func.return %[[R]]
// CHECK-NOT:     linalg.broadcast
func.func @broadcast_reads_the_kept_dimensions(%a: tensor<3xf16>, %init: tensor<2x3x4xf16>) -> tensor<2x3x4xf16> {
  %0 = linalg.broadcast ins(%a : tensor<3xf16>) outs(%init : tensor<2x3x4xf16>) dimensions = [0, 2]
  func.return %0 : tensor<2x3x4xf16>
}

// CHECK-LABEL: func.func @reduce_has_reduction_iterators(
// CHECK-SAME:      %[[A:.*]]: memref<2x3x4xi64>, %[[OUT:.*]]: memref<3xi64>)
// CHECK:         linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (d1)>], iterator_types = ["reduction", "parallel", "reduction"]}
// CHECK-SAME:      ins(%[[A]] : memref<2x3x4xi64>) outs(%[[OUT]] : memref<3xi64>)
// CHECK-NEXT:    ^{{.*}}(%[[IN:.*]]: i64, %[[ACC:.*]]: i64):
// CHECK-NEXT:      %[[MAX:.*]] = arith.maxsi %[[IN]], %[[ACC]] : i64
// CHECK-NEXT:      linalg.yield %[[MAX]] : i64
// CHECK-NOT:     linalg.reduce
func.func @reduce_has_reduction_iterators(%a: memref<2x3x4xi64>, %out: memref<3xi64>) {
  linalg.reduce ins(%a : memref<2x3x4xi64>) outs(%out : memref<3xi64>) dimensions = [0, 2]
    (%in: i64, %acc: i64) {
      %m = arith.maxsi %in, %acc : i64
      linalg.yield %m : i64
    }
  func.return
}

// CHECK-LABEL: func.func @conv_2d_nchw_fchw_is_generic(
// CHECK-SAME:      %[[X:.*]]: memref<1x2x5x5xf32>, %[[W:.*]]: memref<3x2x2x2xf32>, %[[OUT:.*]]: memref<1x3x2x2xf32>)
// CHECK:         linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d4, ((d2 * 2) + d5), ((d3 * 2) + d6))>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1, d4, d5, d6)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// CHECK-SAME:      ins(%[[X]], %[[W]] : memref<1x2x5x5xf32>, memref<3x2x2x2xf32>) outs(%[[OUT]] : memref<1x3x2x2xf32>)
// CHECK:           arith.mulf
// CHECK:           arith.addf
// CHECK-NOT:     linalg.conv_2d_nchw_fchw
func.func @conv_2d_nchw_fchw_is_generic(%x: memref<1x2x5x5xf32>, %w: memref<3x2x2x2xf32>, %out: memref<1x3x2x2xf32>) {
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : memref<1x2x5x5xf32>, memref<3x2x2x2xf32>) outs(%out : memref<1x3x2x2xf32>)
  func.return
}

// The max is over the output and the input; the window operand only gives
// the window's shape (xDSL's own generalization maximises input and window).
// CHECK-LABEL: func.func @pooling_nchw_max_maximises_output_and_input(
// CHECK-SAME:      %[[X:.*]]: memref<1x2x4x4xf32>, %[[WIN:.*]]: memref<2x2xf32>, %[[OUT:.*]]: memref<1x2x2x2xf32>)
// CHECK:         linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, ((d2 * 2) + d4), ((d3 * 2) + d5))>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
// CHECK-SAME:      ins(%[[X]], %[[WIN]] : memref<1x2x4x4xf32>, memref<2x2xf32>) outs(%[[OUT]] : memref<1x2x2x2xf32>)
// CHECK-NEXT:    ^{{.*}}(%[[IN:.*]]: f32, %{{.*}}: f32, %[[ACC:.*]]: f32):
// CHECK-NEXT:      %[[MAX:.*]] = arith.maximumf %[[ACC]], %[[IN]] : f32
// CHECK-NEXT:      linalg.yield %[[MAX]] : f32
// CHECK-NOT:     linalg.pooling_nchw_max
func.func @pooling_nchw_max_maximises_output_and_input(%x: memref<1x2x4x4xf32>, %win: memref<2x2xf32>, %out: memref<1x2x2x2xf32>) {
  linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %win : memref<1x2x4x4xf32>, memref<2x2xf32>) outs(%out : memref<1x2x2x2xf32>)
  func.return
}

// CHECK-LABEL: func.func @pooling_nchw_max_on_integers_uses_maxsi(
// CHECK:           %[[MAX:.*]] = arith.maxsi %{{.*}}, %{{.*}} : i8
// CHECK-NOT:     linalg.pooling_nchw_max
func.func @pooling_nchw_max_on_integers_uses_maxsi(%x: memref<1x1x2x2xi8>, %win: memref<2x2xi8>, %out: memref<1x1x1x1xi8>) {
  linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %win : memref<1x1x2x2xi8>, memref<2x2xi8>) outs(%out : memref<1x1x1x1xi8>)
  func.return
}

// CHECK-LABEL: func.func @elementwise_named_op_is_generic(
// CHECK-SAME:      %[[A:.*]]: memref<2x3xf32>, %[[B:.*]]: memref<2x3xf32>, %[[OUT:.*]]: memref<2x3xf32>)
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%[[A]], %[[B]] : memref<2x3xf32>, memref<2x3xf32>) outs(%[[OUT]] : memref<2x3xf32>)
// CHECK:           arith.addf
// CHECK-NOT:     linalg.add
func.func @elementwise_named_op_is_generic(%a: memref<2x3xf32>, %b: memref<2x3xf32>, %out: memref<2x3xf32>) {
  linalg.add ins(%a, %b : memref<2x3xf32>, memref<2x3xf32>) outs(%out : memref<2x3xf32>)
  func.return
}

// CHECK-LABEL: func.func @generic_not_changed(
// CHECK-NEXT:    linalg.generic {indexing_maps = [affine_map<(d0) -> (0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
// CHECK-NEXT:    ^{{.*}}(%[[IN:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:      %[[NEG:.*]] = arith.negf %[[IN]] : f32
// CHECK-NEXT:      linalg.yield %[[NEG]] : f32
func.func @generic_not_changed(%a: memref<1xf32>, %out: memref<3xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0) -> (0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%a : memref<1xf32>) outs(%out : memref<3xf32>) {
  ^bb0(%in: f32, %o: f32):
    %n = arith.negf %in : f32
    linalg.yield %n : f32
  }
  func.return
}
