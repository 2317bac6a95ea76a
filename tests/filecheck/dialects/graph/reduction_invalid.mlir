// RUN: mlc-opt %s --split-input-file --verify-diagnostics

func.func @reduce_mean_of_integers(%x: tensor<2x3xi32>) -> tensor<1x1xi32> {
  // expected-error @+1 {{'graph.reduce_mean' expects a float element type (bf16, f16, f32, f64) for input, got tensor<2x3xi32>}}
  %0 = graph.reduce_mean %x : (tensor<2x3xi32>) -> tensor<1x1xi32>
  func.return %0 : tensor<1x1xi32>
}

// -----

func.func @reduce_sum_of_bool(%x: tensor<2x3xi1>) -> tensor<1x1xi1> {
  // expected-error @+1 {{'graph.reduce_sum' expects a numeric element type for input, got tensor<2x3xi1>}}
  %0 = graph.reduce_sum %x : (tensor<2x3xi1>) -> tensor<1x1xi1>
  func.return %0 : tensor<1x1xi1>
}

// -----

func.func @reduce_max_unsupported_element_type(%x: tensor<2x3xi4>) -> tensor<1x1xi4> {
  // expected-error @+1 {{'graph.reduce_max' does not support element type i4 (input)}}
  %0 = graph.reduce_max %x : (tensor<2x3xi4>) -> tensor<1x1xi4>
  func.return %0 : tensor<1x1xi4>
}

// -----

func.func @reduce_sum_axis_out_of_range(%x: tensor<2x3xf32>) -> tensor<2x1xf32> {
  // expected-error @+1 {{'graph.reduce_sum' axis 2 is out of range for rank 2}}
  %0 = graph.reduce_sum %x {axes = array<i64: 0, 2>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  func.return %0 : tensor<2x1xf32>
}

// -----

func.func @reduce_max_repeated_axis(%x: tensor<2x3xf32>) -> tensor<2x1xf32> {
  // expected-error @+1 {{'graph.reduce_max' axes [1, -1] repeat an axis}}
  %0 = graph.reduce_max %x {axes = array<i64: 1, -1>} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  func.return %0 : tensor<2x1xf32>
}

// -----

func.func @reduce_sum_result_ignores_keepdims(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'graph.reduce_sum' result type tensor<2xf32> does not match the inferred tensor<2x1xf32>}}
  %0 = graph.reduce_sum %x {axes = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// -----

func.func @reduce_mean_wrong_element_type(%x: tensor<2x3xf32>) -> tensor<2xf16> {
  // expected-error @+1 {{'graph.reduce_mean' result type tensor<2xf16> does not match the inferred tensor<2xf32>}}
  %0 = graph.reduce_mean %x {axes = array<i64: 1>, keepdims = false} : (tensor<2x3xf32>) -> tensor<2xf16>
  func.return %0 : tensor<2xf16>
}
