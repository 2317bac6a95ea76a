// RUN: mlc-opt %s --split-input-file --verify-diagnostics

func.func @relu_of_bool(%x: tensor<2xi1>) -> tensor<2xi1> {
  // expected-error @+1 {{'graph.relu' expects a numeric element type for input, got tensor<2xi1>}}
  %0 = graph.relu %x : tensor<2xi1>
  func.return %0 : tensor<2xi1>
}

// -----

func.func @sigmoid_of_integer(%x: tensor<2xi32>) -> tensor<2xi32> {
  // expected-error @+1 {{'graph.sigmoid' expects a float element type (bf16, f16, f32, f64) for input, got tensor<2xi32>}}
  %0 = graph.sigmoid %x : tensor<2xi32>
  func.return %0 : tensor<2xi32>
}

// -----

func.func @neg_of_unsigned(%x: tensor<2xui8>) -> tensor<2xui8> {
  // expected-error @+1 {{'graph.neg' expects a float or signed integer element type for input, got tensor<2xui8>}}
  %0 = graph.neg %x : tensor<2xui8>
  func.return %0 : tensor<2xui8>
}

// -----

func.func @unsupported_element_type(%x: tensor<2xi4>) -> tensor<2xi4> {
  // expected-error @+1 {{'graph.exp' does not support element type i4 (input)}}
  %0 = graph.exp %x : tensor<2xi4>
  func.return %0 : tensor<2xi4>
}

// -----

func.func @gelu_unknown_approximation(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'graph.gelu' approximate must be "none" or "tanh", got "fast"}}
  %0 = graph.gelu %x {approximate = "fast"} : tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// -----

func.func @clip_bound_of_other_type(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'graph.clip' expects min of the element type f32, got -1.000000e+00 : f64}}
  %0 = graph.clip %x {min = -1.0 : f64} : tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// -----

func.func @cast_changes_shape(%x: tensor<2xf32>) -> tensor<3xi32> {
  // expected-error @+1 {{'graph.cast' result type tensor<3xi32> does not match the inferred tensor<2xi32>}}
  %0 = graph.cast %x : tensor<2xf32> to tensor<3xi32>
  func.return %0 : tensor<3xi32>
}

// -----

func.func @cast_to_unsupported(%x: tensor<2xf32>) -> tensor<2xi4> {
  // expected-error @+1 {{'graph.cast' does not support the target element type i4}}
  %0 = graph.cast %x : tensor<2xf32> to tensor<2xi4>
  func.return %0 : tensor<2xi4>
}

// -----

func.func @add_mixed_element_types(%x: tensor<2xf32>, %y: tensor<2xf64>) -> tensor<2xf32> {
  // expected-error @+1 {{'graph.add' expects the same element type for lhs and rhs, got tensor<2xf32> and tensor<2xf64>}}
  %0 = graph.add %x, %y : (tensor<2xf32>, tensor<2xf64>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// -----

func.func @add_shapes_do_not_broadcast(%x: tensor<2x3xf32>, %y: tensor<4xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'graph.add' cannot broadcast shapes (2, 3) and (4,)}}
  %0 = graph.add %x, %y : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

func.func @mul_wrong_result_shape(%x: tensor<2x3xf32>, %y: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'graph.mul' result type tensor<3xf32> does not match the inferred tensor<2x3xf32>}}
  %0 = graph.mul %x, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

func.func @sub_of_bool(%x: tensor<2xi1>) -> tensor<2xi1> {
  // expected-error @+1 {{'graph.sub' expects a numeric element type for lhs, got tensor<2xi1>}}
  %0 = graph.sub %x, %x : (tensor<2xi1>, tensor<2xi1>) -> tensor<2xi1>
  func.return %0 : tensor<2xi1>
}

// -----

func.func @where_condition_not_bool(%c: tensor<2xi32>, %x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'graph.where' expects i1 elements for condition, got tensor<2xi32>}}
  %0 = graph.where %c, %x, %x : (tensor<2xi32>, tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// -----

func.func @where_three_way_broadcast_fails(%c: tensor<3xi1>, %x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'graph.where' cannot broadcast shapes (3,) and (2,) and (2,)}}
  %0 = graph.where %c, %x, %x : (tensor<3xi1>, tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// -----

func.func @unranked_operand(%x: tensor<*xf32>) -> tensor<*xf32> {
  // expected-error @+1 {{tensor<*xf32> should be of base attribute tensor}}
  %0 = "graph.tanh"(%x) : (tensor<*xf32>) -> tensor<*xf32>
  func.return %0 : tensor<*xf32>
}
