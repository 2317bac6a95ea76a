// RUN: mlc-opt %s -p convert-graph-to-linalg | filecheck %s

// The shared builders of lowering/graph_to_linalg/emitter.py, seen through the pass:
// reassociations (unit dims join a neighbour's group; none exists -> through 1-D;
// rank 0), broadcast maps (right-aligned, size-1 dims read at index 0) and the
// destination-passing init of reductions (tensor.empty -> linalg.fill -> outs).

// CHECK-LABEL: func.func @reassociation_unit_dims_join_the_last_group(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3x1x1xf32>)
// CHECK:         %[[R:.*]] = tensor.collapse_shape %[[X]] {{\[}}[0 : i64], [1 : i64, 2 : i64, 3 : i64]] : tensor<2x3x1x1xf32> into tensor<2x3xf32>
// CHECK:         func.return %[[R]]
func.func @reassociation_unit_dims_join_the_last_group(%x: tensor<2x3x1x1xf32>) -> tensor<2x3xf32> {
  %0 = graph.reshape %x {shape = array<i64: 2, 3>} : (tensor<2x3x1x1xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @reshape_without_reassociation_goes_through_1d(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3x2xf32>)
// CHECK:         %[[FLAT:.*]] = tensor.collapse_shape %[[X]] {{\[}}[0 : i64, 1 : i64, 2 : i64]] : tensor<2x3x2xf32> into tensor<12xf32>
// CHECK:         %[[R:.*]] = tensor.expand_shape %[[FLAT]] {{\[}}[0 : i64, 1 : i64]] output_shape [4, 3] : tensor<12xf32> into tensor<4x3xf32>
// CHECK:         func.return %[[R]]
func.func @reshape_without_reassociation_goes_through_1d(%x: tensor<2x3x2xf32>) -> tensor<4x3xf32> {
  %0 = graph.reshape %x {shape = array<i64: 4, 3>} : (tensor<2x3x2xf32>) -> tensor<4x3xf32>
  func.return %0 : tensor<4x3xf32>
}

// CHECK-LABEL: func.func @rank_0_reshape_is_a_copy_generic(
// CHECK-SAME:      %[[X:.*]]: tensor<f32>)
// CHECK:         linalg.generic {indexing_maps = [affine_map<(d0, d1) -> ()>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%[[X]] : tensor<f32>)
func.func @rank_0_reshape_is_a_copy_generic(%x: tensor<f32>) -> tensor<1x1xf32> {
  %0 = graph.unsqueeze %x {axes = array<i64: 0, 1>} : (tensor<f32>) -> tensor<1x1xf32>
  func.return %0 : tensor<1x1xf32>
}

// CHECK-LABEL: func.func @identity_reshape_is_no_op(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT:    func.return %[[X]]
func.func @identity_reshape_is_no_op(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = graph.reshape %x {shape = array<i64: 2, 3>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @broadcast_maps_are_right_aligned(
// CHECK:         linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>, affine_map<(d0, d1, d2) -> (0, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>]
func.func @broadcast_maps_are_right_aligned(%x: tensor<2x3x4xf32>, %y: tensor<1x4xf32>) -> tensor<2x3x4xf32> {
  %0 = graph.sub %x, %y : (tensor<2x3x4xf32>, tensor<1x4xf32>) -> tensor<2x3x4xf32>
  func.return %0 : tensor<2x3x4xf32>
}

// CHECK-LABEL: func.func @reduction_init_is_filled_with_the_identity(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xi16>)
// CHECK:         %[[LOW:.*]] = arith.constant -32768 : i16
// CHECK-NEXT:    %[[EMPTY:.*]] = tensor.empty() : tensor<3xi16>
// CHECK-NEXT:    %[[INIT:.*]] = linalg.fill ins(%[[LOW]] : i16) outs(%[[EMPTY]] : tensor<3xi16>) -> tensor<3xi16>
// CHECK-NEXT:    linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]} ins(%[[X]] : tensor<2x3xi16>) outs(%[[INIT]] : tensor<3xi16>)
func.func @reduction_init_is_filled_with_the_identity(%x: tensor<2x3xi16>) -> tensor<3xi16> {
  %0 = graph.reduce_max %x {axes = array<i64: 0>, keepdims = false} : (tensor<2x3xi16>) -> tensor<3xi16>
  func.return %0 : tensor<3xi16>
}

// CHECK-LABEL: func.func @to_rank_0_reads_index_0(
// CHECK:         linalg.generic {indexing_maps = [affine_map<() -> (0, 0)>, affine_map<() -> ()>], iterator_types = []}
// CHECK-NOT:     graph.
func.func @to_rank_0_reads_index_0(%x: tensor<1x1xi8>) -> tensor<i8> {
  %0 = graph.squeeze %x : (tensor<1x1xi8>) -> tensor<i8>
  func.return %0 : tensor<i8>
}
