// RUN: mlc-opt %s --split-input-file --verify-diagnostics

// One case per verifier rule of the data-movement ops (dialects/graph/shape.py).

func.func @reshape_element_count_mismatch(%x: tensor<2x3xf32>) -> tensor<4x2xf32> {
  // expected-error @+1 {{'graph.reshape' cannot reshape (2, 3) (6 elements) to (4, 2)}}
  %0 = graph.reshape %x {shape = array<i64: 4, 2>} : (tensor<2x3xf32>) -> tensor<4x2xf32>
  func.return %0 : tensor<4x2xf32>
}

// -----

func.func @reshape_minus_one_does_not_divide(%x: tensor<2x3xf32>) -> tensor<4x1xf32> {
  // expected-error @+1 {{'graph.reshape' cannot reshape (2, 3) (6 elements) to (4, -1)}}
  %0 = graph.reshape %x {shape = array<i64: 4, -1>} : (tensor<2x3xf32>) -> tensor<4x1xf32>
  func.return %0 : tensor<4x1xf32>
}

// -----

func.func @reshape_two_minus_ones(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'graph.reshape' shape (-1, -1) has more than one -1}}
  %0 = graph.reshape %x {shape = array<i64: -1, -1>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

func.func @reshape_zero_size(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'graph.reshape' expects a shape of positive sizes and at most one -1, got (0, 6)}}
  %0 = graph.reshape %x {shape = array<i64: 0, 6>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

func.func @reshape_wrong_result_type(%x: tensor<2x3xf32>) -> tensor<3x2xf64> {
  // expected-error @+1 {{'graph.reshape' result type tensor<3x2xf64> does not match the inferred tensor<3x2xf32>}}
  %0 = graph.reshape %x {shape = array<i64: 3, 2>} : (tensor<2x3xf32>) -> tensor<3x2xf64>
  func.return %0 : tensor<3x2xf64>
}

// -----

func.func @reshape_unsupported_element_type(%x: tensor<2x3xi4>) -> tensor<6xi4> {
  // expected-error @+1 {{'graph.reshape' does not support element type i4 (input)}}
  %0 = graph.reshape %x {shape = array<i64: 6>} : (tensor<2x3xi4>) -> tensor<6xi4>
  func.return %0 : tensor<6xi4>
}

// -----

func.func @flatten_axis_out_of_range(%x: tensor<2x3xf32>) -> tensor<6x1xf32> {
  // expected-error @+1 {{'graph.flatten' axis 3 is out of range for rank 2}}
  %0 = graph.flatten %x {axis = 3 : i64} : (tensor<2x3xf32>) -> tensor<6x1xf32>
  func.return %0 : tensor<6x1xf32>
}

// -----

func.func @transpose_repeated_perm(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{'graph.transpose' perm [0, 0] is not a permutation of [0, 1]}}
  %0 = graph.transpose %x {perm = array<i64: 0, 0>} : (tensor<2x3xf32>) -> tensor<2x2xf32>
  func.return %0 : tensor<2x2xf32>
}

// -----

func.func @transpose_perm_of_wrong_length(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  // expected-error @+1 {{'graph.transpose' perm [2, 1, 0] is not a permutation of [0, 1]}}
  %0 = graph.transpose %x {perm = array<i64: 2, 1, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  func.return %0 : tensor<3x2xf32>
}

// -----

func.func @squeeze_dim_not_one(%x: tensor<2x1xf32>) -> tensor<1xf32> {
  // expected-error @+1 {{'graph.squeeze' cannot squeeze dimension 0 of size 2 in (2, 1)}}
  %0 = graph.squeeze %x {axes = array<i64: 0>} : (tensor<2x1xf32>) -> tensor<1xf32>
  func.return %0 : tensor<1xf32>
}

// -----

func.func @squeeze_axis_out_of_range(%x: tensor<2x1xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'graph.squeeze' axis 2 of axes [2] is out of range for rank 2}}
  %0 = graph.squeeze %x {axes = array<i64: 2>} : (tensor<2x1xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// -----

func.func @squeeze_repeated_axis(%x: tensor<1x3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'graph.squeeze' axes [0, -2] repeat an axis}}
  %0 = graph.squeeze %x {axes = array<i64: 0, -2>} : (tensor<1x3xf32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

func.func @unsqueeze_axis_out_of_range(%x: tensor<3xf32>) -> tensor<3x1xf32> {
  // expected-error @+1 {{'graph.unsqueeze' axis 2 is out of range for the result rank 2}}
  %0 = graph.unsqueeze %x {axes = array<i64: 2>} : (tensor<3xf32>) -> tensor<3x1xf32>
  func.return %0 : tensor<3x1xf32>
}

// -----

func.func @unsqueeze_repeated_axis(%x: tensor<3xf32>) -> tensor<1x1x3xf32> {
  // expected-error @+1 {{'graph.unsqueeze' axes [0, -3] repeat an axis}}
  %0 = graph.unsqueeze %x {axes = array<i64: 0, -3>} : (tensor<3xf32>) -> tensor<1x1x3xf32>
  func.return %0 : tensor<1x1x3xf32>
}

// -----

func.func @concat_no_inputs() -> tensor<2xf32> {
  // expected-error @+1 {{'graph.concat' expects at least one input}}
  %0 = graph.concat {axis = 0 : i64} : () -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// -----

func.func @concat_mismatched_dims(%x: tensor<2x3xf32>, %y: tensor<3x3xf32>) -> tensor<2x6xf32> {
  // expected-error @+1 {{'graph.concat' expects inputs of equal shapes except along axis 1, got (2, 3) and (3, 3)}}
  %0 = graph.concat %x, %y {axis = 1 : i64} : (tensor<2x3xf32>, tensor<3x3xf32>) -> tensor<2x6xf32>
  func.return %0 : tensor<2x6xf32>
}

// -----

func.func @concat_mismatched_ranks(%x: tensor<2x3xf32>, %y: tensor<3xf32>) -> tensor<2x6xf32> {
  // expected-error @+1 {{'graph.concat' expects inputs of equal shapes except along axis 0, got (2, 3) and (3,)}}
  %0 = graph.concat %x, %y {axis = 0 : i64} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x6xf32>
  func.return %0 : tensor<2x6xf32>
}

// -----

func.func @concat_mismatched_element_types(%x: tensor<2xf32>, %y: tensor<2xi32>) -> tensor<4xf32> {
  // expected-error @+1 {{'graph.concat' expects the same element type for input 0 and input 1, got tensor<2xf32> and tensor<2xi32>}}
  %0 = graph.concat %x, %y {axis = 0 : i64} : (tensor<2xf32>, tensor<2xi32>) -> tensor<4xf32>
  func.return %0 : tensor<4xf32>
}

// -----

func.func @concat_axis_out_of_range(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'graph.concat' axis 1 is out of range for rank 1}}
  %0 = graph.concat %x {axis = 1 : i64} : (tensor<2xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// -----

func.func @slice_ends_count(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'graph.slice' expects as many ends as starts, got [1, 2] and [0]}}
  %0 = graph.slice %x {starts = array<i64: 0>, ends = array<i64: 1, 2>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

func.func @slice_axes_count(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'graph.slice' expects as many axes as starts, got [0, 1] and [0]}}
  %0 = graph.slice %x {starts = array<i64: 0>, ends = array<i64: 1>, axes = array<i64: 0, 1>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

func.func @slice_steps_count(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'graph.slice' expects as many steps as starts, got [1, 1] and [0]}}
  %0 = graph.slice %x {starts = array<i64: 0>, ends = array<i64: 1>, steps = array<i64: 1, 1>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

func.func @slice_zero_step(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'graph.slice' steps [0] contain a 0}}
  %0 = graph.slice %x {starts = array<i64: 0>, ends = array<i64: 1>, steps = array<i64: 0>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

func.func @slice_axis_out_of_range(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'graph.slice' axis 2 of axes [2] is out of range for rank 2}}
  %0 = graph.slice %x {starts = array<i64: 0>, ends = array<i64: 1>, axes = array<i64: 2>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

func.func @slice_repeated_axis(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'graph.slice' axes [1, -1] repeat an axis}}
  %0 = graph.slice %x {starts = array<i64: 0, 0>, ends = array<i64: 1, 1>, axes = array<i64: 1, -1>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

func.func @gather_float_indices(%x: tensor<2x3xf32>, %i: tensor<4xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'graph.gather' expects i32 or i64 indices, got tensor<4xf32>}}
  %0 = graph.gather %x, %i : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<4x3xf32>
  func.return %0 : tensor<4x3xf32>
}

// -----

func.func @gather_unsigned_indices(%x: tensor<2x3xf32>, %i: tensor<4xui64>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'graph.gather' expects i32 or i64 indices, got tensor<4xui64>}}
  %0 = graph.gather %x, %i : (tensor<2x3xf32>, tensor<4xui64>) -> tensor<4x3xf32>
  func.return %0 : tensor<4x3xf32>
}

// -----

func.func @gather_axis_out_of_range(%x: tensor<2x3xf32>, %i: tensor<4xi64>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'graph.gather' axis -3 is out of range for rank 2}}
  %0 = graph.gather %x, %i {axis = -3 : i64} : (tensor<2x3xf32>, tensor<4xi64>) -> tensor<4x3xf32>
  func.return %0 : tensor<4x3xf32>
}

// -----

func.func @broadcast_to_incompatible(%x: tensor<2x3xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'graph.broadcast_to' cannot broadcast (2, 3) to (4, 3)}}
  %0 = graph.broadcast_to %x {shape = array<i64: 4, 3>} : (tensor<2x3xf32>) -> tensor<4x3xf32>
  func.return %0 : tensor<4x3xf32>
}

// -----

func.func @broadcast_to_lower_rank(%x: tensor<2x3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'graph.broadcast_to' cannot broadcast (2, 3) to (3,)}}
  %0 = graph.broadcast_to %x {shape = array<i64: 3>} : (tensor<2x3xf32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

func.func @broadcast_to_negative_size(%x: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'graph.broadcast_to' expects a static shape, got (-1, 3)}}
  %0 = graph.broadcast_to %x {shape = array<i64: -1, 3>} : (tensor<3xf32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

func.func @pad_wrong_count(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'graph.pad' expects 2 * rank = 4 pads for rank 2, got [1, 1]}}
  %0 = graph.pad %x {pads = array<i64: 1, 1>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

func.func @pad_negative(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'graph.pad' expects non-negative pads, got [0, -1, 0, 1]}}
  %0 = graph.pad %x {pads = array<i64: 0, -1, 0, 1>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

func.func @pad_value_of_other_type(%x: tensor<2x3xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'graph.pad' expects value of the element type f32, got 1 : i32}}
  %0 = graph.pad %x {pads = array<i64: 0, 0, 0, 1>, value = 1 : i32} : (tensor<2x3xf32>) -> tensor<2x4xf32>
  func.return %0 : tensor<2x4xf32>
}
