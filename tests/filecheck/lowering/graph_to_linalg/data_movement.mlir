// RUN: mlc-opt %s -p convert-graph-to-linalg | filecheck %s

// Data movement: collapse/expand_shape, extract_slice, pad, concat,
// linalg.transpose, and copy generics otherwise.
// Operands are %a, %b, ... and captured as A, B, ...; unsigned element types
// become signless.

// CHECK-LABEL: func.func @reshape_general(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK:           %[[FLAT:.*]] = tensor.collapse_shape %[[A]] {{\[}}[0 : i64, 1 : i64]] : tensor<2x3xf32> into tensor<6xf32>
// CHECK:           %[[R:.*]] = tensor.expand_shape %[[FLAT]] {{\[}}[0 : i64, 1 : i64]] output_shape [3, 2] : tensor<6xf32> into tensor<3x2xf32>
// CHECK:           func.return %[[R]]
// CHECK-NOT:       graph.
func.func @reshape_general(%a: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %0 = graph.reshape %a {shape = array<i64: 3, 2>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  func.return %0 : tensor<3x2xf32>
}

// CHECK-LABEL: func.func @reshape_expand(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<6xf32>
// CHECK:           tensor.expand_shape %[[A]] {{\[}}[0 : i64, 1 : i64]] output_shape [2, 3]
// CHECK-NOT:       graph.
func.func @reshape_expand(%a: tensor<6xf32>) -> tensor<2x3xf32> {
  %0 = graph.reshape %a {shape = array<i64: 2, 3>} : (tensor<6xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @flatten(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3x2xf32>
// CHECK:           tensor.collapse_shape %[[A]] {{\[}}[0 : i64], [1 : i64, 2 : i64]] : tensor<2x3x2xf32> into tensor<2x6xf32>
// CHECK-NOT:       graph.
func.func @flatten(%a: tensor<2x3x2xf32>) -> tensor<2x6xf32> {
  %0 = graph.flatten %a : (tensor<2x3x2xf32>) -> tensor<2x6xf32>
  func.return %0 : tensor<2x6xf32>
}

// CHECK-LABEL: func.func @squeeze(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x1x3xf32>
// CHECK:           tensor.collapse_shape %[[A]] {{\[}}[0 : i64], [1 : i64, 2 : i64]] : tensor<2x1x3xf32> into tensor<2x3xf32>
// CHECK-NOT:       graph.
func.func @squeeze(%a: tensor<2x1x3xf32>) -> tensor<2x3xf32> {
  %0 = graph.squeeze %a : (tensor<2x1x3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @unsqueeze(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xi64>
// CHECK:           tensor.expand_shape %[[A]] {{\[}}[0 : i64, 1 : i64], [2 : i64, 3 : i64]] output_shape [1, 2, 3, 1]
// CHECK-NOT:       graph.
func.func @unsqueeze(%a: tensor<2x3xi64>) -> tensor<1x2x3x1xi64> {
  %0 = graph.unsqueeze %a {axes = array<i64: 0, -1>} : (tensor<2x3xi64>) -> tensor<1x2x3x1xi64>
  func.return %0 : tensor<1x2x3x1xi64>
}

// CHECK-LABEL: func.func @squeeze_to_rank_0(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<1x1xi8>
// CHECK:           %[[R:.*]] = linalg.generic {indexing_maps = [affine_map<() -> (0, 0)>, affine_map<() -> ()>], iterator_types = []} ins(%[[A]] : tensor<1x1xi8>)
// CHECK:           func.return %[[R]] : tensor<i8>
// CHECK-NOT:       graph.
func.func @squeeze_to_rank_0(%a: tensor<1x1xi8>) -> tensor<i8> {
  %0 = graph.squeeze %a : (tensor<1x1xi8>) -> tensor<i8>
  func.return %0 : tensor<i8>
}

// CHECK-LABEL: func.func @unsqueeze_rank_0(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<f32>
// CHECK:           linalg.generic {indexing_maps = [affine_map<(d0, d1) -> ()>, affine_map<(d0, d1) -> (d0, d1)>]
// CHECK-NOT:       graph.
func.func @unsqueeze_rank_0(%a: tensor<f32>) -> tensor<1x1xf32> {
  %0 = graph.unsqueeze %a {axes = array<i64: 0, 1>} : (tensor<f32>) -> tensor<1x1xf32>
  func.return %0 : tensor<1x1xf32>
}

// CHECK-LABEL: func.func @transpose(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3x2xf32>
// CHECK:           %[[INIT:.*]] = tensor.empty() : tensor<2x2x3xf32>
// CHECK:           linalg.transpose ins(%[[A]]:tensor<2x3x2xf32>) outs(%[[INIT]]:tensor<2x2x3xf32>) permutation = [0, 2, 1]
// CHECK-NOT:       graph.
func.func @transpose(%a: tensor<2x3x2xf32>) -> tensor<2x2x3xf32> {
  %0 = graph.transpose %a {perm = array<i64: 0, 2, 1>} : (tensor<2x3x2xf32>) -> tensor<2x2x3xf32>
  func.return %0 : tensor<2x2x3xf32>
}

// CHECK-LABEL: func.func @slice(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<3x4xf32>
// CHECK:           %[[R:.*]] = tensor.extract_slice %[[A]][1, 0] [2, 2] [1, 2] : tensor<3x4xf32> to tensor<2x2xf32>
// CHECK:           func.return %[[R]]
// CHECK-NOT:       graph.
func.func @slice(%a: tensor<3x4xf32>) -> tensor<2x2xf32> {
  %0 = graph.slice %a {ends = array<i64: 9223372036854775807, 4>, starts = array<i64: 1, 0>, steps = array<i64: 1, 2>} : (tensor<3x4xf32>) -> tensor<2x2xf32>
  func.return %0 : tensor<2x2xf32>
}

// CHECK-LABEL: func.func @slice_negative_step(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<3x4xi32>
// CHECK:           %[[S:.*]] = tensor.extract_slice %[[A]][0, 1] [3, 2] [1, 2] : tensor<3x4xi32> to tensor<3x2xi32>
// CHECK:           linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, ((d1 * -1) + 1))>, affine_map<(d0, d1) -> (d0, d1)>], {{.*}} ins(%[[S]] : tensor<3x2xi32>)
// CHECK-NOT:       graph.
func.func @slice_negative_step(%a: tensor<3x4xi32>) -> tensor<3x2xi32> {
  %0 = graph.slice %a {axes = array<i64: 1>, ends = array<i64: -9223372036854775808>, starts = array<i64: -1>, steps = array<i64: -2>} : (tensor<3x4xi32>) -> tensor<3x2xi32>
  func.return %0 : tensor<3x2xi32>
}

// A unit step over part of an axis beside a negative step: the generic reverses
// the slice, so its unit-step axis is read whole (its loop range is the result's).
// CHECK-LABEL: func.func @slice_mixed_steps(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<1x3x7x7xf32>
// CHECK:           %[[S:.*]] = tensor.extract_slice %[[A]][0, 0, 0, 0] [1, 3, 3, 2] [1, 1, 1, 2] : tensor<1x3x7x7xf32> to tensor<1x3x3x2xf32>
// CHECK:           linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, ((d3 * -1) + 1))>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], {{.*}} ins(%[[S]] : tensor<1x3x3x2xf32>)
// CHECK-NOT:       graph.
func.func @slice_mixed_steps(%a: tensor<1x3x7x7xf32>) -> tensor<1x3x3x2xf32> {
  %0 = graph.slice %a {axes = array<i64: 2, 3>, ends = array<i64: 3, -4611686018427387904>, starts = array<i64: 0, 2>, steps = array<i64: 1, -2>} : (tensor<1x3x7x7xf32>) -> tensor<1x3x3x2xf32>
  func.return %0 : tensor<1x3x3x2xf32>
}

// A negative step taking one element needs no reversal.
// CHECK-LABEL: func.func @slice_negative_step_one_element(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<4x5xf32>
// CHECK:           %[[S:.*]] = tensor.extract_slice %[[A]][1, 4] [2, 1] [2, 3] : tensor<4x5xf32> to tensor<2x1xf32>
// CHECK-NEXT:      func.return %[[S]]
func.func @slice_negative_step_one_element(%a: tensor<4x5xf32>) -> tensor<2x1xf32> {
  %0 = graph.slice %a {ends = array<i64: 9223372036854775807, 2>, starts = array<i64: 1, 9223372036854775807>, steps = array<i64: 2, -3>} : (tensor<4x5xf32>) -> tensor<2x1xf32>
  func.return %0 : tensor<2x1xf32>
}

// CHECK-LABEL: func.func @broadcast_to(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<3x1xf32>
// CHECK:           linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d1, 0)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>]
// CHECK-NOT:       graph.
func.func @broadcast_to(%a: tensor<3x1xf32>) -> tensor<2x3x2xf32> {
  %0 = graph.broadcast_to %a {shape = array<i64: 2, 3, 2>} : (tensor<3x1xf32>) -> tensor<2x3x2xf32>
  func.return %0 : tensor<2x3x2xf32>
}

// CHECK-LABEL: func.func @pad(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK:           %[[R:.*]] = tensor.pad %[[A]] low[1, 0] high[0, 2] {
// CHECK:           %[[V:.*]] = arith.constant -1.000000e+00 : f32
// CHECK:           tensor.yield %[[V]] : f32
// CHECK:           } : tensor<2x3xf32> to tensor<3x5xf32>
// CHECK:           func.return %[[R]]
// CHECK-NOT:       graph.
func.func @pad(%a: tensor<2x3xf32>) -> tensor<3x5xf32> {
  %0 = graph.pad %a {pads = array<i64: 1, 0, 0, 2>, value = -1.0 : f32} : (tensor<2x3xf32>) -> tensor<3x5xf32>
  func.return %0 : tensor<3x5xf32>
}

// CHECK-LABEL: func.func @concat(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x1xf32>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<2x2xf32>
// CHECK:           %[[R:.*]] = tensor.concat dim(1) %[[A]], %[[B]] : (tensor<2x1xf32>, tensor<2x2xf32>) -> tensor<2x3xf32>
// CHECK:           func.return %[[R]]
// CHECK-NOT:       graph.
func.func @concat(%a: tensor<2x1xf32>, %b: tensor<2x2xf32>) -> tensor<2x3xf32> {
  %0 = graph.concat %a, %b {axis = -1 : i64} : (tensor<2x1xf32>, tensor<2x2xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @gather(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<3x2xf32>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<2x2xi64>
// CHECK:           linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>]
// CHECK:           ins(%[[B]] : tensor<2x2xi64>)
// CHECK:           %[[I:.*]] = arith.index_cast %{{.*}} : i64 to index
// CHECK:           arith.cmpi slt
// CHECK:           %[[W:.*]] = arith.select
// CHECK:           linalg.index 0 : index
// CHECK:           linalg.index 1 : index
// CHECK:           %[[K:.*]] = linalg.index 2 : index
// CHECK:           tensor.extract %[[A]][%[[W]], %[[K]]] : tensor<3x2xf32>
// CHECK-NOT:       graph.
func.func @gather(%a: tensor<3x2xf32>, %b: tensor<2x2xi64>) -> tensor<2x2x2xf32> {
  %0 = graph.gather %a, %b : (tensor<3x2xf32>, tensor<2x2xi64>) -> tensor<2x2x2xf32>
  func.return %0 : tensor<2x2x2xf32>
}

// CHECK-LABEL: func.func @gather_axis1_i32(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xi8>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<2xi32>
// CHECK:           affine_map<(d0, d1) -> (d1)>
// CHECK:           arith.index_cast %{{.*}} : i32 to index
// CHECK:           %[[I0:.*]] = linalg.index 0 : index
// CHECK:           tensor.extract %[[A]][%[[I0]], %{{.*}}] : tensor<2x3xi8>
// CHECK-NOT:       graph.
func.func @gather_axis1_i32(%a: tensor<2x3xi8>, %b: tensor<2xi32>) -> tensor<2x2xi8> {
  %0 = graph.gather %a, %b {axis = 1 : i64} : (tensor<2x3xi8>, tensor<2xi32>) -> tensor<2x2xi8>
  func.return %0 : tensor<2x2xi8>
}
