// RUN: mlc-opt %s -p canonicalize | filecheck %s

// The graph dialect's canonicalization patterns (dialects/graph/canonicalization.py)
// and constant folding (GraphOp.fold), as run by xDSL's `canonicalize`.

// ----- transpose ---------------------------------------------------------- //

// CHECK-LABEL: func.func @transpose_of_inverse_transpose_is_erased(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NOT:     graph.transpose
// CHECK:         func.return %[[X]]
func.func @transpose_of_inverse_transpose_is_erased(%x: tensor<2x3x4xf32>) -> tensor<2x3x4xf32> {
  %0 = graph.transpose %x {perm = array<i64: 1, 2, 0>} : (tensor<2x3x4xf32>) -> tensor<3x4x2xf32>
  %1 = graph.transpose %0 {perm = array<i64: 2, 0, 1>} : (tensor<3x4x2xf32>) -> tensor<2x3x4xf32>
  func.return %1 : tensor<2x3x4xf32>
}

// CHECK-LABEL: func.func @transpose_of_transpose_composes(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NEXT:    %[[T:.*]] = graph.transpose %[[X]] {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
// CHECK-NEXT:    func.return %[[T]]
func.func @transpose_of_transpose_composes(%x: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  %0 = graph.transpose %x {perm = array<i64: 1, 2, 0>} : (tensor<2x3x4xf32>) -> tensor<3x4x2xf32>
  %1 = graph.transpose %0 {perm = array<i64: 1, 2, 0>} : (tensor<3x4x2xf32>) -> tensor<4x2x3xf32>
  func.return %1 : tensor<4x2x3xf32>
}

// CHECK-LABEL: func.func @default_transposes_cancel(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xi32>)
// CHECK-NOT:     graph.transpose
// CHECK:         func.return %[[X]]
func.func @default_transposes_cancel(%x: tensor<2x3xi32>) -> tensor<2x3xi32> {
  %0 = graph.transpose %x : (tensor<2x3xi32>) -> tensor<3x2xi32>
  %1 = graph.transpose %0 : (tensor<3x2xi32>) -> tensor<2x3xi32>
  func.return %1 : tensor<2x3xi32>
}

// CHECK-LABEL: func.func @identity_transpose_is_erased(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xf32>)
// CHECK-NOT:     graph.transpose
// CHECK:         func.return %[[X]]
func.func @identity_transpose_is_erased(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = graph.transpose %x {perm = array<i64: 0, 1>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// Reversing a square matrix keeps its type but is no identity.
// CHECK-LABEL: func.func @transpose_not_erased_when_only_the_type_matches(
// CHECK:         %[[T:.*]] = graph.transpose
// CHECK:         func.return %[[T]]
func.func @transpose_not_erased_when_only_the_type_matches(%x: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %0 = graph.transpose %x : (tensor<2x2xf32>) -> tensor<2x2xf32>
  func.return %0 : tensor<2x2xf32>
}

// ----- reshape, flatten, squeeze, unsqueeze ------------------------------- //

// CHECK-LABEL: func.func @reshape_of_reshape_folds(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT:    %[[R:.*]] = graph.reshape %[[X]] {shape = array<i64: 3, -1>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
// CHECK-NEXT:    func.return %[[R]]
func.func @reshape_of_reshape_folds(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %0 = graph.reshape %x {shape = array<i64: 6>} : (tensor<2x3xf32>) -> tensor<6xf32>
  %1 = graph.reshape %0 {shape = array<i64: 3, -1>} : (tensor<6xf32>) -> tensor<3x2xf32>
  func.return %1 : tensor<3x2xf32>
}

// CHECK-LABEL: func.func @reshape_of_flatten_folds(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NEXT:    %[[R:.*]] = graph.reshape %[[X]] {shape = array<i64: 4, 6>} : (tensor<2x3x4xf32>) -> tensor<4x6xf32>
// CHECK-NEXT:    func.return %[[R]]
func.func @reshape_of_flatten_folds(%x: tensor<2x3x4xf32>) -> tensor<4x6xf32> {
  %0 = graph.flatten %x : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
  %1 = graph.reshape %0 {shape = array<i64: 4, 6>} : (tensor<2x12xf32>) -> tensor<4x6xf32>
  func.return %1 : tensor<4x6xf32>
}

// CHECK-LABEL: func.func @identity_reshape_is_erased(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xf32>)
// CHECK-NOT:     graph.reshape
// CHECK:         func.return %[[X]]
func.func @identity_reshape_is_erased(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = graph.reshape %x {shape = array<i64: 2, -1>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @reshape_round_trip_is_erased(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xf32>)
// CHECK-NOT:     graph.reshape
// CHECK:         func.return %[[X]]
func.func @reshape_round_trip_is_erased(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = graph.reshape %x {shape = array<i64: 3, 2>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  %1 = graph.reshape %0 {shape = array<i64: 2, 3>} : (tensor<3x2xf32>) -> tensor<2x3xf32>
  func.return %1 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @identity_flatten_is_erased(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xf32>)
// CHECK-NOT:     graph.flatten
// CHECK:         func.return %[[X]]
func.func @identity_flatten_is_erased(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = graph.flatten %x {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @flatten_not_erased_when_it_changes_the_shape(
// CHECK:         %[[F:.*]] = graph.flatten
// CHECK:         func.return %[[F]]
func.func @flatten_not_erased_when_it_changes_the_shape(%x: tensor<2x3xf32>) -> tensor<1x6xf32> {
  %0 = graph.flatten %x {axis = 0 : i64} : (tensor<2x3xf32>) -> tensor<1x6xf32>
  func.return %0 : tensor<1x6xf32>
}

// CHECK-LABEL: func.func @squeeze_of_unsqueeze_is_erased(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xf32>)
// CHECK-NOT:     graph.
// CHECK:         func.return %[[X]]
func.func @squeeze_of_unsqueeze_is_erased(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = graph.unsqueeze %x {axes = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2x1x3xf32>
  %1 = graph.squeeze %0 {axes = array<i64: 1>} : (tensor<2x1x3xf32>) -> tensor<2x3xf32>
  func.return %1 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @unsqueeze_of_squeeze_is_erased(
// CHECK-SAME:      %[[X:.*]]: tensor<1x3xf32>)
// CHECK-NOT:     graph.
// CHECK:         func.return %[[X]]
func.func @unsqueeze_of_squeeze_is_erased(%x: tensor<1x3xf32>) -> tensor<1x3xf32> {
  %0 = graph.squeeze %x : (tensor<1x3xf32>) -> tensor<3xf32>
  %1 = graph.unsqueeze %0 {axes = array<i64: 0>} : (tensor<3xf32>) -> tensor<1x3xf32>
  func.return %1 : tensor<1x3xf32>
}

// CHECK-LABEL: func.func @squeeze_of_unsqueeze_not_erased_when_the_shape_changes(
// CHECK-SAME:      %[[X:.*]]: tensor<2x1xf32>)
// CHECK:         %[[U:.*]] = graph.unsqueeze %[[X]]
// CHECK:         %[[S:.*]] = graph.squeeze %[[U]]
// CHECK:         func.return %[[S]]
func.func @squeeze_of_unsqueeze_not_erased_when_the_shape_changes(%x: tensor<2x1xf32>) -> tensor<1x2xf32> {
  %0 = graph.unsqueeze %x {axes = array<i64: 0>} : (tensor<2x1xf32>) -> tensor<1x2x1xf32>
  %1 = graph.squeeze %0 {axes = array<i64: 2>} : (tensor<1x2x1xf32>) -> tensor<1x2xf32>
  func.return %1 : tensor<1x2xf32>
}

// ----- add, mul ----------------------------------------------------------- //

// CHECK-LABEL: func.func @add_of_zero_is_erased(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xf32>)
// CHECK-NOT:     graph.add
// CHECK:         func.return %[[X]]
func.func @add_of_zero_is_erased(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %zero = arith.constant dense<0.0> : tensor<3xf32>
  %0 = graph.add %x, %zero : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @zero_plus_x_is_erased(
// CHECK-SAME:      %[[X:.*]]: tensor<2xi32>)
// CHECK-NOT:     graph.add
// CHECK:         func.return %[[X]]
func.func @zero_plus_x_is_erased(%x: tensor<2xi32>) -> tensor<2xi32> {
  %zero = arith.constant dense<[0, 0]> : tensor<2xi32>
  %0 = graph.add %zero, %x : (tensor<2xi32>, tensor<2xi32>) -> tensor<2xi32>
  func.return %0 : tensor<2xi32>
}

// CHECK-LABEL: func.func @add_of_zero_not_erased_when_it_broadcasts(
// CHECK-SAME:      %[[X:.*]]: tensor<3xf32>)
// CHECK:         %[[Z:.*]] = arith.constant dense<0.000000e+00> : tensor<2x3xf32>
// CHECK:         %[[S:.*]] = graph.add %[[X]], %[[Z]]
// CHECK:         func.return %[[S]]
func.func @add_of_zero_not_erased_when_it_broadcasts(%x: tensor<3xf32>) -> tensor<2x3xf32> {
  %zero = arith.constant dense<0.0> : tensor<2x3xf32>
  %0 = graph.add %x, %zero : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @add_not_erased_when_not_all_zero(
// CHECK:         %[[S:.*]] = graph.add
// CHECK:         func.return %[[S]]
func.func @add_not_erased_when_not_all_zero(%x: tensor<2xf32>) -> tensor<2xf32> {
  %c = arith.constant dense<[0.0, 1.0]> : tensor<2xf32>
  %0 = graph.add %x, %c : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// CHECK-LABEL: func.func @mul_by_one_is_erased(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xf32>)
// CHECK-NOT:     graph.mul
// CHECK:         func.return %[[X]]
func.func @mul_by_one_is_erased(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %one = arith.constant dense<1.0> : tensor<f32>
  %0 = graph.mul %x, %one : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @one_times_x_is_erased(
// CHECK-SAME:      %[[X:.*]]: tensor<2xui8>)
// CHECK-NOT:     graph.mul
// CHECK:         func.return %[[X]]
func.func @one_times_x_is_erased(%x: tensor<2xui8>) -> tensor<2xui8> {
  %one = arith.constant dense<1> : tensor<1xui8>
  %0 = graph.mul %one, %x : (tensor<1xui8>, tensor<2xui8>) -> tensor<2xui8>
  func.return %0 : tensor<2xui8>
}

// CHECK-LABEL: func.func @mul_by_one_not_erased_when_it_broadcasts(
// CHECK:         %[[P:.*]] = graph.mul
// CHECK:         func.return %[[P]]
func.func @mul_by_one_not_erased_when_it_broadcasts(%x: tensor<3xf32>) -> tensor<2x3xf32> {
  %one = arith.constant dense<1.0> : tensor<2x1xf32>
  %0 = graph.mul %x, %one : (tensor<3xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @mul_not_erased_when_not_one(
// CHECK:         %[[P:.*]] = graph.mul
// CHECK:         func.return %[[P]]
func.func @mul_not_erased_when_not_one(%x: tensor<2xf32>) -> tensor<2xf32> {
  %two = arith.constant dense<2.0> : tensor<2xf32>
  %0 = graph.mul %x, %two : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// ----- constant folding --------------------------------------------------- //

// CHECK-LABEL: func.func @transpose_of_constant_folds(
// CHECK-NEXT:    %[[C:.*]] = arith.constant dense<{{\[}}[1, 4], [2, 5], [3, 6]]> : tensor<3x2xi32>
// CHECK-NEXT:    func.return %[[C]]
func.func @transpose_of_constant_folds() -> tensor<3x2xi32> {
  %c = arith.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>
  %0 = graph.transpose %c : (tensor<2x3xi32>) -> tensor<3x2xi32>
  func.return %0 : tensor<3x2xi32>
}

// CHECK-LABEL: func.func @reshape_of_constant_folds(
// CHECK-NEXT:    %[[C:.*]] = arith.constant dense<{{\[}}[1, 2], [3, 4], [5, 6]]> : tensor<3x2xi64>
// CHECK-NEXT:    func.return %[[C]]
func.func @reshape_of_constant_folds() -> tensor<3x2xi64> {
  %c = arith.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi64>
  %0 = graph.reshape %c {shape = array<i64: 3, -1>} : (tensor<2x3xi64>) -> tensor<3x2xi64>
  func.return %0 : tensor<3x2xi64>
}

// CHECK-LABEL: func.func @slice_of_constant_folds(
// CHECK-NEXT:    %[[C:.*]] = arith.constant dense<[4, 1]> : tensor<2xi64>
// CHECK-NEXT:    func.return %[[C]]
func.func @slice_of_constant_folds() -> tensor<2xi64> {
  %c = arith.constant dense<[0, 1, 2, 3, 4]> : tensor<5xi64>
  %0 = graph.slice %c {starts = array<i64: -1>, ends = array<i64: 0>, steps = array<i64: -3>} : (tensor<5xi64>) -> tensor<2xi64>
  func.return %0 : tensor<2xi64>
}

// CHECK-LABEL: func.func @gather_of_constants_folds(
// CHECK-NEXT:    %[[C:.*]] = arith.constant dense<[30, 10]> : tensor<2xi32>
// CHECK-NEXT:    func.return %[[C]]
func.func @gather_of_constants_folds() -> tensor<2xi32> {
  %c = arith.constant dense<[10, 20, 30]> : tensor<3xi32>
  %i = arith.constant dense<[-1, 0]> : tensor<2xi64>
  %0 = graph.gather %c, %i : (tensor<3xi32>, tensor<2xi64>) -> tensor<2xi32>
  func.return %0 : tensor<2xi32>
}

// An out-of-range index is left for run time rather than failing the pass.
// CHECK-LABEL: func.func @gather_not_folded_when_an_index_is_out_of_range(
// CHECK:         %[[G:.*]] = graph.gather
// CHECK:         func.return %[[G]]
func.func @gather_not_folded_when_an_index_is_out_of_range() -> tensor<2xi32> {
  %c = arith.constant dense<[10, 20, 30]> : tensor<3xi32>
  %i = arith.constant dense<[3, 0]> : tensor<2xi64>
  %0 = graph.gather %c, %i : (tensor<3xi32>, tensor<2xi64>) -> tensor<2xi32>
  func.return %0 : tensor<2xi32>
}

// CHECK-LABEL: func.func @concat_of_constants_folds(
// CHECK-NEXT:    %[[C:.*]] = arith.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00]> : tensor<3xf16>
// CHECK-NEXT:    func.return %[[C]]
func.func @concat_of_constants_folds() -> tensor<3xf16> {
  %a = arith.constant dense<[1.0, 2.0]> : tensor<2xf16>
  %b = arith.constant dense<3.0> : tensor<1xf16>
  %0 = graph.concat %a, %b {axis = 0 : i64} : (tensor<2xf16>, tensor<1xf16>) -> tensor<3xf16>
  func.return %0 : tensor<3xf16>
}

// CHECK-LABEL: func.func @pad_of_constant_folds(
// CHECK-NEXT:    %[[C:.*]] = arith.constant dense<[true, false, true, true]> : tensor<4xi1>
// CHECK-NEXT:    func.return %[[C]]
func.func @pad_of_constant_folds() -> tensor<4xi1> {
  %c = arith.constant dense<[false, true]> : tensor<2xi1>
  %0 = graph.pad %c {pads = array<i64: 1, 1>, value = true} : (tensor<2xi1>) -> tensor<4xi1>
  func.return %0 : tensor<4xi1>
}

// CHECK-LABEL: func.func @broadcast_of_splat_folds(
// CHECK-NEXT:    %[[C:.*]] = arith.constant dense<1.000000e+00> : tensor<2x3xf32>
// CHECK-NEXT:    func.return %[[C]]
func.func @broadcast_of_splat_folds() -> tensor<2x3xf32> {
  %c = arith.constant dense<1.0> : tensor<3xf32>
  %0 = graph.broadcast_to %c {shape = array<i64: 2, 3>} : (tensor<3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @add_of_constants_folds(
// CHECK-NEXT:    %[[C:.*]] = arith.constant dense<[2.000000e+00, 2.500000e+00]> : tensor<2xf32>
// CHECK-NEXT:    func.return %[[C]]
func.func @add_of_constants_folds() -> tensor<2xf32> {
  %a = arith.constant dense<[1.5, 2.0]> : tensor<2xf32>
  %b = arith.constant dense<0.5> : tensor<f32>
  %0 = graph.add %a, %b : (tensor<2xf32>, tensor<f32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// Float to integer truncates toward zero.
// CHECK-LABEL: func.func @cast_of_constant_folds(
// CHECK-NEXT:    %[[C:.*]] = arith.constant dense<[1, -2, 3]> : tensor<3xi32>
// CHECK-NEXT:    func.return %[[C]]
func.func @cast_of_constant_folds() -> tensor<3xi32> {
  %a = arith.constant dense<[1.5, -2.7, 3.0]> : tensor<3xf32>
  %0 = graph.cast %a : tensor<3xf32> to tensor<3xi32>
  func.return %0 : tensor<3xi32>
}

// A chain folds all the way: transpose, then reshape, then add.
// CHECK-LABEL: func.func @chain_of_constants_folds(
// CHECK-NEXT:    %[[C:.*]] = arith.constant dense<[11, 14, 12, 15, 13, 16]> : tensor<6xi32>
// CHECK-NEXT:    func.return %[[C]]
func.func @chain_of_constants_folds() -> tensor<6xi32> {
  %c = arith.constant dense<[[1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>
  %ten = arith.constant dense<10> : tensor<i32>
  %0 = graph.transpose %c : (tensor<2x3xi32>) -> tensor<3x2xi32>
  %1 = graph.reshape %0 {shape = array<i64: 6>} : (tensor<3x2xi32>) -> tensor<6xi32>
  %2 = graph.add %1, %ten : (tensor<6xi32>, tensor<i32>) -> tensor<6xi32>
  func.return %2 : tensor<6xi32>
}

// ----- gather --------------------------------------------------------------- //

// ONNX's pick of q out of a stacked qkv: a scalar index is a slice and a squeeze.
// CHECK-LABEL: func.func @gather_of_a_scalar_index_is_a_slice(
// CHECK-SAME:      %[[X:.*]]: tensor<3x2x4xf32>)
// CHECK-NEXT:    %[[S:.*]] = graph.slice %[[X]] {axes = array<i64: 0>, ends = array<i64: 2>, starts = array<i64: 1>} : (tensor<3x2x4xf32>) -> tensor<1x2x4xf32>
// CHECK-NEXT:    %[[Q:.*]] = graph.squeeze %[[S]] {axes = array<i64: 0>} : (tensor<1x2x4xf32>) -> tensor<2x4xf32>
// CHECK-NEXT:    func.return %[[Q]]
func.func @gather_of_a_scalar_index_is_a_slice(%x: tensor<3x2x4xf32>) -> tensor<2x4xf32> {
  %i = arith.constant dense<1> : tensor<i64>
  %0 = graph.gather %x, %i : (tensor<3x2x4xf32>, tensor<i64>) -> tensor<2x4xf32>
  func.return %0 : tensor<2x4xf32>
}

// CHECK-LABEL: func.func @gather_of_a_run_of_indices_is_a_slice(
// CHECK-SAME:      %[[X:.*]]: tensor<2x5xf32>)
// CHECK-NEXT:    %[[S:.*]] = graph.slice %[[X]] {axes = array<i64: 1>, ends = array<i64: 5>, starts = array<i64: 2>} : (tensor<2x5xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    func.return %[[S]]
func.func @gather_of_a_run_of_indices_is_a_slice(%x: tensor<2x5xf32>) -> tensor<2x3xf32> {
  %i = arith.constant dense<[2, 3, -1]> : tensor<3xi64>
  %0 = graph.gather %x, %i {axis = 1 : i64} : (tensor<2x5xf32>, tensor<3xi64>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @gather_stays_when_the_indices_are_not_a_run(
// CHECK:         graph.gather
func.func @gather_stays_when_the_indices_are_not_a_run(%x: tensor<2x5xf32>) -> tensor<2x2xf32> {
  %i = arith.constant dense<[3, 1]> : tensor<2xi64>
  %0 = graph.gather %x, %i {axis = 1 : i64} : (tensor<2x5xf32>, tensor<2xi64>) -> tensor<2x2xf32>
  func.return %0 : tensor<2x2xf32>
}
