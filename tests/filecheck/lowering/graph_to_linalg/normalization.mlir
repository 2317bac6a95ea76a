// RUN: mlc-opt %s -p convert-graph-to-linalg | filecheck %s

// Normalizations, (log-)softmax and reductions: reduction generics over a
// linalg.fill-ed init plus elementwise generics; f16 computes in f32.
// Operands are %a, %b, ... and captured as A, B, ...; unsigned element types
// become signless.

// Batch norm is a scale and a shift per channel: alpha = scale / sqrt(var +
// eps) and beta = bias - mean * alpha over the [C] parameters, emitted at
// the function's start (before the relu here, so nothing stands between a
// convolution and its batch norm), then x * alpha + beta read via (d1).
// CHECK-LABEL: func.func @batch_norm(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<1x2x3x3xf32>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<2xf32>
// CHECK-SAME:      %[[C:[a-z0-9]+]]: tensor<2xf32>
// CHECK-SAME:      %[[D:[a-z0-9]+]]: tensor<2xf32>
// CHECK-SAME:      %[[E:[a-z0-9]+]]: tensor<2xf32>
// CHECK:           %[[ALPHA:.*]] = linalg.generic {{.*}} iterator_types = ["parallel"]} ins(%[[B]], %[[E]] : tensor<2xf32>, tensor<2xf32>)
// CHECK:             arith.constant 1.000000e-03 : f32
// CHECK:             math.sqrt
// CHECK:             arith.divf
// CHECK:           %[[BETA:.*]] = linalg.generic {{.*}} iterator_types = ["parallel"]} ins(%[[C]], %[[D]], %[[ALPHA]] : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>)
// CHECK:             arith.mulf
// CHECK-NEXT:        arith.subf
// CHECK:           %[[RELU:.*]] = linalg.generic
// CHECK:             arith.maximumf
// CHECK:           linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d1)>, affine_map<(d0, d1, d2, d3) -> (d1)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>]
// CHECK-SAME:      ins(%[[RELU]], %[[ALPHA]], %[[BETA]] :
// CHECK:             %[[SCALED:.*]] = arith.mulf
// CHECK-NEXT:        arith.addf %[[SCALED]]
// CHECK-NOT:       graph.
func.func @batch_norm(%a: tensor<1x2x3x3xf32>, %b: tensor<2xf32>, %c: tensor<2xf32>, %d: tensor<2xf32>, %e: tensor<2xf32>) -> tensor<1x2x3x3xf32> {
  %r = graph.relu %a : tensor<1x2x3x3xf32>
  %0 = graph.batch_norm %r, %b, %c, %d, %e {epsilon = 1.0e-03 : f64} : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  func.return %0 : tensor<1x2x3x3xf32>
}

// CHECK-LABEL: func.func @layer_norm(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<3xf32>
// CHECK-SAME:      %[[C:[a-z0-9]+]]: tensor<3xf32>
// CHECK:           iterator_types = ["parallel", "reduction"]
// CHECK:           arith.constant 3.000000e+00 : f32
// CHECK:           arith.subf
// CHECK:           iterator_types = ["parallel", "reduction"]
// CHECK:           math.sqrt
// CHECK:           ins(%{{.*}}, %[[B]] : tensor<2x3xf32>, tensor<3xf32>)
// CHECK:           arith.mulf
// CHECK:           ins(%{{.*}}, %[[C]] : tensor<2x3xf32>, tensor<3xf32>)
// CHECK:           arith.addf
// CHECK-NOT:       graph.
func.func @layer_norm(%a: tensor<2x3xf32>, %b: tensor<3xf32>, %c: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = graph.layer_norm %a scale(%b : tensor<3xf32>) bias(%c : tensor<3xf32>) : tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @layer_norm_axis1_noparams(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x2x3xf32>
// CHECK:           affine_map<(d0, d1, d2) -> (d0, 0, 0)>], iterator_types = ["parallel", "reduction", "reduction"]
// CHECK:           arith.constant 6.000000e+00 : f32
// CHECK-NOT:       graph.
func.func @layer_norm_axis1_noparams(%a: tensor<2x2x3xf32>) -> tensor<2x2x3xf32> {
  %0 = graph.layer_norm %a {axis = 1 : i64} : tensor<2x2x3xf32>
  func.return %0 : tensor<2x2x3xf32>
}

// CHECK-LABEL: func.func @softmax(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK:           arith.constant 0xff800000 : f32
// CHECK:           %[[MAX:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, 0)>], iterator_types = ["parallel", "reduction"]}
// CHECK:           arith.maximumf
// CHECK:           arith.subf
// CHECK:           math.exp
// CHECK:           %[[SUM:.*]] = linalg.generic
// CHECK:           arith.addf
// CHECK:           arith.divf
// CHECK-NOT:       graph.
func.func @softmax(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = graph.softmax %a : tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @softmax_axis0_f16(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf16>
// CHECK:           arith.extf
// CHECK:           affine_map<(d0, d1) -> (0, d1)>], iterator_types = ["reduction", "parallel"]
// CHECK:           arith.truncf
// CHECK-NOT:       graph.
func.func @softmax_axis0_f16(%a: tensor<2x3xf16>) -> tensor<2x3xf16> {
  %0 = graph.softmax %a {axis = 0 : i64} : tensor<2x3xf16>
  func.return %0 : tensor<2x3xf16>
}

// CHECK-LABEL: func.func @log_softmax(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK:           math.exp
// CHECK:           math.log
// CHECK:           arith.subf
// CHECK-NOT:       graph.
func.func @log_softmax(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = graph.log_softmax %a : tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @reduce_sum(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK:           %[[FILL:.*]] = linalg.fill {{.*}} -> tensor<2xf32>
// CHECK:           linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%[[A]] : tensor<2x3xf32>) outs(%[[FILL]] : tensor<2xf32>)
// CHECK:           arith.addf
// CHECK-NOT:       graph.
func.func @reduce_sum(%a: tensor<2x3xf32>) -> tensor<2xf32> {
  %0 = graph.reduce_sum %a {axes = array<i64: 1>, keepdims = false} : (tensor<2x3xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// CHECK-LABEL: func.func @reduce_sum_i32_all(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xi32>
// CHECK:           arith.constant 0 : i32
// CHECK:           affine_map<(d0, d1) -> (0, 0)>], iterator_types = ["reduction", "reduction"]
// CHECK:           arith.addi
// CHECK-NOT:       graph.
func.func @reduce_sum_i32_all(%a: tensor<2x3xi32>) -> tensor<1x1xi32> {
  %0 = graph.reduce_sum %a : (tensor<2x3xi32>) -> tensor<1x1xi32>
  func.return %0 : tensor<1x1xi32>
}

// CHECK-LABEL: func.func @reduce_prod(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK:           %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK:           %[[FILL:.*]] = linalg.fill ins(%[[ONE]] : f32) {{.*}} -> tensor<3xf32>
// CHECK:           linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>], iterator_types = ["reduction", "parallel"]} ins(%[[A]] : tensor<2x3xf32>) outs(%[[FILL]] : tensor<3xf32>)
// CHECK:           arith.mulf
// CHECK-NOT:       graph.
func.func @reduce_prod(%a: tensor<2x3xf32>) -> tensor<3xf32> {
  %0 = graph.reduce_prod %a {axes = array<i64: 0>, keepdims = false} : (tensor<2x3xf32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// CHECK-LABEL: func.func @reduce_mean(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3x2xf32>
// CHECK:           affine_map<(d0, d1, d2) -> (d0, 0, d2)>
// CHECK:           arith.constant 3.000000e+00 : f32
// CHECK:           arith.divf
// CHECK-NOT:       graph.
func.func @reduce_mean(%a: tensor<2x3x2xf32>) -> tensor<2x1x2xf32> {
  %0 = graph.reduce_mean %a {axes = array<i64: -2>} : (tensor<2x3x2xf32>) -> tensor<2x1x2xf32>
  func.return %0 : tensor<2x1x2xf32>
}

// CHECK-LABEL: func.func @reduce_max_i8(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xi8>
// CHECK:           arith.constant -128 : i8
// CHECK:           arith.maxsi
// CHECK-NOT:       graph.
func.func @reduce_max_i8(%a: tensor<2x3xi8>) -> tensor<2x1xi8> {
  %0 = graph.reduce_max %a {axes = array<i64: -1>} : (tensor<2x3xi8>) -> tensor<2x1xi8>
  func.return %0 : tensor<2x1xi8>
}

// CHECK-LABEL: func.func @reduce_max_ui8(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xi8>
// CHECK:           arith.constant 0 : i8
// CHECK:           arith.maxui
// CHECK-NOT:       graph.
func.func @reduce_max_ui8(%a: tensor<2x3xui8>) -> tensor<3xui8> {
  %0 = graph.reduce_max %a {axes = array<i64: 0>, keepdims = false} : (tensor<2x3xui8>) -> tensor<3xui8>
  func.return %0 : tensor<3xui8>
}

// CHECK-LABEL: func.func @reduce_sum_f16(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf16>
// CHECK:           arith.extf
// CHECK:           arith.addf {{.*}} : f32
// CHECK:           arith.truncf
// CHECK-NOT:       graph.
func.func @reduce_sum_f16(%a: tensor<2x3xf16>) -> tensor<1x1xf16> {
  %0 = graph.reduce_sum %a : (tensor<2x3xf16>) -> tensor<1x1xf16>
  func.return %0 : tensor<1x1xf16>
}
