// RUN: MLC_ROUNDTRIP
// RUN: MLC_GENERIC_ROUNDTRIP

// The data-movement ops of the graph dialect (dialects/graph/shape.py): every
// op in every form, printed, parsed back and printed again.

// ----- graph.reshape ------------------------------------------------------ //

// CHECK-LABEL: func.func @reshape_infers_minus_one(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xf32>)
// CHECK:         %[[Y:.*]] = graph.reshape %[[X]] {shape = array<i64: 3, -1>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
// CHECK:         func.return %[[Y]]
func.func @reshape_infers_minus_one(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %y = graph.reshape %x {shape = array<i64: 3, -1>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  func.return %y : tensor<3x2xf32>
}

// CHECK-LABEL: func.func @reshape_static(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xi64>)
// CHECK:         %[[Y:.*]] = graph.reshape %[[X]] {shape = array<i64: 6>} : (tensor<2x3xi64>) -> tensor<6xi64>
func.func @reshape_static(%x: tensor<2x3xi64>) -> tensor<6xi64> {
  %y = graph.reshape %x {shape = array<i64: 6>} : (tensor<2x3xi64>) -> tensor<6xi64>
  func.return %y : tensor<6xi64>
}

// CHECK-LABEL: func.func @reshape_to_scalar(
// CHECK-SAME:      %[[X:.*]]: tensor<1x1xi1>)
// CHECK:         %[[Y:.*]] = graph.reshape %[[X]] {shape = array<i64>} : (tensor<1x1xi1>) -> tensor<i1>
func.func @reshape_to_scalar(%x: tensor<1x1xi1>) -> tensor<i1> {
  %y = graph.reshape %x {shape = array<i64>} : (tensor<1x1xi1>) -> tensor<i1>
  func.return %y : tensor<i1>
}

// CHECK-LABEL: func.func @reshape_dynamic(
// CHECK-SAME:      %[[X:.*]]: tensor<?x3xf32>)
// CHECK:         %[[Y:.*]] = graph.reshape %[[X]] {shape = array<i64: -1, 3, 1>} : (tensor<?x3xf32>) -> tensor<?x3x1xf32>
func.func @reshape_dynamic(%x: tensor<?x3xf32>) -> tensor<?x3x1xf32> {
  %y = graph.reshape %x {shape = array<i64: -1, 3, 1>} : (tensor<?x3xf32>) -> tensor<?x3x1xf32>
  func.return %y : tensor<?x3x1xf32>
}

// ----- graph.flatten ------------------------------------------------------ //

// CHECK-LABEL: func.func @flatten_axis_1(
// CHECK-SAME:      %[[X:.*]]: tensor<1x1x28x28xf32>)
// CHECK:         %[[Y:.*]] = graph.flatten %[[X]] {axis = 1 : i64} : (tensor<1x1x28x28xf32>) -> tensor<1x784xf32>
func.func @flatten_axis_1(%x: tensor<1x1x28x28xf32>) -> tensor<1x784xf32> {
  %y = graph.flatten %x {axis = 1 : i64} : (tensor<1x1x28x28xf32>) -> tensor<1x784xf32>
  func.return %y : tensor<1x784xf32>
}

// CHECK-LABEL: func.func @flatten_default_axis(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3x4xf16>)
// CHECK:         %[[Y:.*]] = graph.flatten %[[X]] : (tensor<2x3x4xf16>) -> tensor<2x12xf16>
func.func @flatten_default_axis(%x: tensor<2x3x4xf16>) -> tensor<2x12xf16> {
  %y = graph.flatten %x : (tensor<2x3x4xf16>) -> tensor<2x12xf16>
  func.return %y : tensor<2x12xf16>
}

// CHECK-LABEL: func.func @flatten_axis_0(
// CHECK:         graph.flatten %{{.*}} {axis = 0 : i64} : (tensor<2x3x4xf32>) -> tensor<1x24xf32>
func.func @flatten_axis_0(%x: tensor<2x3x4xf32>) -> tensor<1x24xf32> {
  %y = graph.flatten %x {axis = 0 : i64} : (tensor<2x3x4xf32>) -> tensor<1x24xf32>
  func.return %y : tensor<1x24xf32>
}

// CHECK-LABEL: func.func @flatten_negative_axis(
// CHECK:         graph.flatten %{{.*}} {axis = -1 : i64} : (tensor<2x3x4xui8>) -> tensor<6x4xui8>
func.func @flatten_negative_axis(%x: tensor<2x3x4xui8>) -> tensor<6x4xui8> {
  %y = graph.flatten %x {axis = -1 : i64} : (tensor<2x3x4xui8>) -> tensor<6x4xui8>
  func.return %y : tensor<6x4xui8>
}

// CHECK-LABEL: func.func @flatten_axis_rank(
// CHECK:         graph.flatten %{{.*}} {axis = 3 : i64} : (tensor<2x3x4xf32>) -> tensor<24x1xf32>
func.func @flatten_axis_rank(%x: tensor<2x3x4xf32>) -> tensor<24x1xf32> {
  %y = graph.flatten %x {axis = 3 : i64} : (tensor<2x3x4xf32>) -> tensor<24x1xf32>
  func.return %y : tensor<24x1xf32>
}

// CHECK-LABEL: func.func @flatten_dynamic(
// CHECK:         graph.flatten %{{.*}} : (tensor<?x3x4xf32>) -> tensor<?x12xf32>
func.func @flatten_dynamic(%x: tensor<?x3x4xf32>) -> tensor<?x12xf32> {
  %y = graph.flatten %x : (tensor<?x3x4xf32>) -> tensor<?x12xf32>
  func.return %y : tensor<?x12xf32>
}

// ----- graph.transpose ---------------------------------------------------- //

// CHECK-LABEL: func.func @transpose_perm(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xf32>)
// CHECK:         %[[Y:.*]] = graph.transpose %[[X]] {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
func.func @transpose_perm(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %y = graph.transpose %x {perm = array<i64: 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  func.return %y : tensor<3x2xf32>
}

// CHECK-LABEL: func.func @transpose_default_reverses(
// CHECK:         graph.transpose %{{.*}} : (tensor<2x3x4xi32>) -> tensor<4x3x2xi32>
func.func @transpose_default_reverses(%x: tensor<2x3x4xi32>) -> tensor<4x3x2xi32> {
  %y = graph.transpose %x : (tensor<2x3x4xi32>) -> tensor<4x3x2xi32>
  func.return %y : tensor<4x3x2xi32>
}

// CHECK-LABEL: func.func @transpose_rank_3(
// CHECK:         graph.transpose %{{.*}} {perm = array<i64: 0, 2, 1>} : (tensor<?x3x4xf32>) -> tensor<?x4x3xf32>
func.func @transpose_rank_3(%x: tensor<?x3x4xf32>) -> tensor<?x4x3xf32> {
  %y = graph.transpose %x {perm = array<i64: 0, 2, 1>} : (tensor<?x3x4xf32>) -> tensor<?x4x3xf32>
  func.return %y : tensor<?x4x3xf32>
}

// ----- graph.squeeze ------------------------------------------------------ //

// CHECK-LABEL: func.func @squeeze_axes(
// CHECK-SAME:      %[[X:.*]]: tensor<1x3xf32>)
// CHECK:         %[[Y:.*]] = graph.squeeze %[[X]] {axes = array<i64: 0>} : (tensor<1x3xf32>) -> tensor<3xf32>
func.func @squeeze_axes(%x: tensor<1x3xf32>) -> tensor<3xf32> {
  %y = graph.squeeze %x {axes = array<i64: 0>} : (tensor<1x3xf32>) -> tensor<3xf32>
  func.return %y : tensor<3xf32>
}

// CHECK-LABEL: func.func @squeeze_all_unit_dims(
// CHECK:         graph.squeeze %{{.*}} : (tensor<1x2x1xi8>) -> tensor<2xi8>
func.func @squeeze_all_unit_dims(%x: tensor<1x2x1xi8>) -> tensor<2xi8> {
  %y = graph.squeeze %x : (tensor<1x2x1xi8>) -> tensor<2xi8>
  func.return %y : tensor<2xi8>
}

// CHECK-LABEL: func.func @squeeze_negative_axis(
// CHECK:         graph.squeeze %{{.*}} {axes = array<i64: -1>} : (tensor<1x2x1xf32>) -> tensor<1x2xf32>
func.func @squeeze_negative_axis(%x: tensor<1x2x1xf32>) -> tensor<1x2xf32> {
  %y = graph.squeeze %x {axes = array<i64: -1>} : (tensor<1x2x1xf32>) -> tensor<1x2xf32>
  func.return %y : tensor<1x2xf32>
}

// ----- graph.unsqueeze ---------------------------------------------------- //

// CHECK-LABEL: func.func @unsqueeze_axes_index_the_result(
// CHECK-SAME:      %[[X:.*]]: tensor<3xf32>)
// CHECK:         %[[Y:.*]] = graph.unsqueeze %[[X]] {axes = array<i64: 0, -1>} : (tensor<3xf32>) -> tensor<1x3x1xf32>
func.func @unsqueeze_axes_index_the_result(%x: tensor<3xf32>) -> tensor<1x3x1xf32> {
  %y = graph.unsqueeze %x {axes = array<i64: 0, -1>} : (tensor<3xf32>) -> tensor<1x3x1xf32>
  func.return %y : tensor<1x3x1xf32>
}

// CHECK-LABEL: func.func @unsqueeze_scalar(
// CHECK:         graph.unsqueeze %{{.*}} {axes = array<i64: 0>} : (tensor<i64>) -> tensor<1xi64>
func.func @unsqueeze_scalar(%x: tensor<i64>) -> tensor<1xi64> {
  %y = graph.unsqueeze %x {axes = array<i64: 0>} : (tensor<i64>) -> tensor<1xi64>
  func.return %y : tensor<1xi64>
}

// CHECK-LABEL: func.func @unsqueeze_middle(
// CHECK:         graph.unsqueeze %{{.*}} {axes = array<i64: 1, 3>} : (tensor<2x3xf32>) -> tensor<2x1x3x1xf32>
func.func @unsqueeze_middle(%x: tensor<2x3xf32>) -> tensor<2x1x3x1xf32> {
  %y = graph.unsqueeze %x {axes = array<i64: 1, 3>} : (tensor<2x3xf32>) -> tensor<2x1x3x1xf32>
  func.return %y : tensor<2x1x3x1xf32>
}

// ----- graph.concat ------------------------------------------------------- //

// CHECK-LABEL: func.func @concat_two(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xf32>, %[[Y:.*]]: tensor<2x1xf32>)
// CHECK:         %[[Z:.*]] = graph.concat %[[X]], %[[Y]] {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
// CHECK:         func.return %[[Z]]
func.func @concat_two(%x: tensor<2x3xf32>, %y: tensor<2x1xf32>) -> tensor<2x4xf32> {
  %z = graph.concat %x, %y {axis = 1 : i64} : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  func.return %z : tensor<2x4xf32>
}

// CHECK-LABEL: func.func @concat_one(
// CHECK:         graph.concat %{{.*}} {axis = 0 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
func.func @concat_one(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %z = graph.concat %x {axis = 0 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %z : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @concat_three_negative_axis(
// CHECK-SAME:      %[[A:.*]]: tensor<1x3xi1>, %[[B:.*]]: tensor<2x3xi1>, %[[C:.*]]: tensor<?x3xi1>)
// CHECK:         graph.concat %[[A]], %[[B]], %[[C]] {axis = -2 : i64} : (tensor<1x3xi1>, tensor<2x3xi1>, tensor<?x3xi1>) -> tensor<?x3xi1>
func.func @concat_three_negative_axis(%a: tensor<1x3xi1>, %b: tensor<2x3xi1>, %c: tensor<?x3xi1>) -> tensor<?x3xi1> {
  %z = graph.concat %a, %b, %c {axis = -2 : i64} : (tensor<1x3xi1>, tensor<2x3xi1>, tensor<?x3xi1>) -> tensor<?x3xi1>
  func.return %z : tensor<?x3xi1>
}

// ----- graph.slice -------------------------------------------------------- //

// CHECK-LABEL: func.func @slice_to_the_end(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xf32>)
// CHECK:         %[[Y:.*]] = graph.slice %[[X]] {axes = array<i64: 1>, ends = array<i64: 9223372036854775807>, starts = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2x2xf32>
func.func @slice_to_the_end(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  %y = graph.slice %x {starts = array<i64: 1>, ends = array<i64: 9223372036854775807>, axes = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2x2xf32>
  func.return %y : tensor<2x2xf32>
}

// CHECK-LABEL: func.func @slice_default_axes_and_steps(
// CHECK:         graph.slice %{{.*}} {ends = array<i64: 2, -1>, starts = array<i64: 0, 1>} : (tensor<2x3xi32>) -> tensor<2x1xi32>
func.func @slice_default_axes_and_steps(%x: tensor<2x3xi32>) -> tensor<2x1xi32> {
  %y = graph.slice %x {starts = array<i64: 0, 1>, ends = array<i64: 2, -1>} : (tensor<2x3xi32>) -> tensor<2x1xi32>
  func.return %y : tensor<2x1xi32>
}

// CHECK-LABEL: func.func @slice_reverse(
// CHECK:         graph.slice %{{.*}} {axes = array<i64: -1>, ends = array<i64: -9223372036854775808>, starts = array<i64: -1>, steps = array<i64: -1>} : (tensor<2x5xf32>) -> tensor<2x5xf32>
func.func @slice_reverse(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %y = graph.slice %x {starts = array<i64: -1>, ends = array<i64: -9223372036854775808>, axes = array<i64: -1>, steps = array<i64: -1>} : (tensor<2x5xf32>) -> tensor<2x5xf32>
  func.return %y : tensor<2x5xf32>
}

// CHECK-LABEL: func.func @slice_strided(
// CHECK:         graph.slice %{{.*}} {axes = array<i64: 1>, ends = array<i64: 100>, starts = array<i64: 0>, steps = array<i64: 2>} : (tensor<2x5xf32>) -> tensor<2x3xf32>
func.func @slice_strided(%x: tensor<2x5xf32>) -> tensor<2x3xf32> {
  %y = graph.slice %x {starts = array<i64: 0>, ends = array<i64: 100>, axes = array<i64: 1>, steps = array<i64: 2>} : (tensor<2x5xf32>) -> tensor<2x3xf32>
  func.return %y : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @slice_empty(
// CHECK:         graph.slice %{{.*}} {axes = array<i64: 0>, ends = array<i64: 1>, starts = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<0x3xf32>
func.func @slice_empty(%x: tensor<2x3xf32>) -> tensor<0x3xf32> {
  %y = graph.slice %x {starts = array<i64: 1>, ends = array<i64: 1>, axes = array<i64: 0>} : (tensor<2x3xf32>) -> tensor<0x3xf32>
  func.return %y : tensor<0x3xf32>
}

// ----- graph.gather ------------------------------------------------------- //

// CHECK-LABEL: func.func @gather_axis_1(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xf32>, %[[I:.*]]: tensor<4xi64>)
// CHECK:         %[[Y:.*]] = graph.gather %[[X]], %[[I]] {axis = 1 : i64} : (tensor<2x3xf32>, tensor<4xi64>) -> tensor<2x4xf32>
func.func @gather_axis_1(%x: tensor<2x3xf32>, %i: tensor<4xi64>) -> tensor<2x4xf32> {
  %y = graph.gather %x, %i {axis = 1 : i64} : (tensor<2x3xf32>, tensor<4xi64>) -> tensor<2x4xf32>
  func.return %y : tensor<2x4xf32>
}

// CHECK-LABEL: func.func @gather_default_axis(
// CHECK-SAME:      %[[X:.*]]: tensor<10x4xf32>, %[[I:.*]]: tensor<2x3xi32>)
// CHECK:         graph.gather %[[X]], %[[I]] : (tensor<10x4xf32>, tensor<2x3xi32>) -> tensor<2x3x4xf32>
func.func @gather_default_axis(%x: tensor<10x4xf32>, %i: tensor<2x3xi32>) -> tensor<2x3x4xf32> {
  %y = graph.gather %x, %i : (tensor<10x4xf32>, tensor<2x3xi32>) -> tensor<2x3x4xf32>
  func.return %y : tensor<2x3x4xf32>
}

// CHECK-LABEL: func.func @gather_scalar_index(
// CHECK:         graph.gather %{{.*}}, %{{.*}} {axis = -1 : i64} : (tensor<2x3xui16>, tensor<i64>) -> tensor<2xui16>
func.func @gather_scalar_index(%x: tensor<2x3xui16>, %i: tensor<i64>) -> tensor<2xui16> {
  %y = graph.gather %x, %i {axis = -1 : i64} : (tensor<2x3xui16>, tensor<i64>) -> tensor<2xui16>
  func.return %y : tensor<2xui16>
}

// ----- graph.broadcast_to ------------------------------------------------- //

// CHECK-LABEL: func.func @broadcast_to_new_leading_dim(
// CHECK-SAME:      %[[X:.*]]: tensor<3xf32>)
// CHECK:         %[[Y:.*]] = graph.broadcast_to %[[X]] {shape = array<i64: 2, 3>} : (tensor<3xf32>) -> tensor<2x3xf32>
func.func @broadcast_to_new_leading_dim(%x: tensor<3xf32>) -> tensor<2x3xf32> {
  %y = graph.broadcast_to %x {shape = array<i64: 2, 3>} : (tensor<3xf32>) -> tensor<2x3xf32>
  func.return %y : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @broadcast_to_unit_dim(
// CHECK:         graph.broadcast_to %{{.*}} {shape = array<i64: 4, 2, 3>} : (tensor<2x1xi1>) -> tensor<4x2x3xi1>
func.func @broadcast_to_unit_dim(%x: tensor<2x1xi1>) -> tensor<4x2x3xi1> {
  %y = graph.broadcast_to %x {shape = array<i64: 4, 2, 3>} : (tensor<2x1xi1>) -> tensor<4x2x3xi1>
  func.return %y : tensor<4x2x3xi1>
}

// CHECK-LABEL: func.func @broadcast_to_from_scalar(
// CHECK:         graph.broadcast_to %{{.*}} {shape = array<i64: 2, 3>} : (tensor<f64>) -> tensor<2x3xf64>
func.func @broadcast_to_from_scalar(%x: tensor<f64>) -> tensor<2x3xf64> {
  %y = graph.broadcast_to %x {shape = array<i64: 2, 3>} : (tensor<f64>) -> tensor<2x3xf64>
  func.return %y : tensor<2x3xf64>
}

// ----- graph.pad ---------------------------------------------------------- //

// CHECK-LABEL: func.func @pad_with_value(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xf32>)
// CHECK:         %[[Y:.*]] = graph.pad %[[X]] {pads = array<i64: 0, 1, 0, 2>, value = -1.000000e+00 : f32} : (tensor<2x3xf32>) -> tensor<2x6xf32>
func.func @pad_with_value(%x: tensor<2x3xf32>) -> tensor<2x6xf32> {
  %y = graph.pad %x {pads = array<i64: 0, 1, 0, 2>, value = -1.0 : f32} : (tensor<2x3xf32>) -> tensor<2x6xf32>
  func.return %y : tensor<2x6xf32>
}

// CHECK-LABEL: func.func @pad_default_zero(
// CHECK:         graph.pad %{{.*}} {pads = array<i64: 1, 0, 1, 0>} : (tensor<2x3xf32>) -> tensor<4x3xf32>
func.func @pad_default_zero(%x: tensor<2x3xf32>) -> tensor<4x3xf32> {
  %y = graph.pad %x {pads = array<i64: 1, 0, 1, 0>} : (tensor<2x3xf32>) -> tensor<4x3xf32>
  func.return %y : tensor<4x3xf32>
}

// CHECK-LABEL: func.func @pad_integer_value(
// CHECK:         graph.pad %{{.*}} {pads = array<i64: 2, 0>, value = 7 : i64} : (tensor<3xi64>) -> tensor<5xi64>
func.func @pad_integer_value(%x: tensor<3xi64>) -> tensor<5xi64> {
  %y = graph.pad %x {pads = array<i64: 2, 0>, value = 7 : i64} : (tensor<3xi64>) -> tensor<5xi64>
  func.return %y : tensor<5xi64>
}

// CHECK-LABEL: func.func @pad_bool_value(
// CHECK:         graph.pad %{{.*}} {pads = array<i64: 0, 1>, value = true} : (tensor<3xi1>) -> tensor<4xi1>
func.func @pad_bool_value(%x: tensor<3xi1>) -> tensor<4xi1> {
  %y = graph.pad %x {pads = array<i64: 0, 1>, value = true} : (tensor<3xi1>) -> tensor<4xi1>
  func.return %y : tensor<4xi1>
}

// CHECK-LABEL: func.func @pad_dynamic(
// CHECK:         graph.pad %{{.*}} {pads = array<i64: 0, 1, 0, 1>} : (tensor<?x3xf32>) -> tensor<?x5xf32>
func.func @pad_dynamic(%x: tensor<?x3xf32>) -> tensor<?x5xf32> {
  %y = graph.pad %x {pads = array<i64: 0, 1, 0, 1>} : (tensor<?x3xf32>) -> tensor<?x5xf32>
  func.return %y : tensor<?x5xf32>
}
