// RUN: mlc-opt %s --split-input-file --verify-diagnostics

func.func @and_of_floats(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'graph.bitwise_and' expects an integer or i1 element type for lhs, got tensor<2xf32>}}
  %0 = graph.bitwise_and %x, %x : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// -----

func.func @not_of_floats(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'graph.bitwise_not' expects an integer or i1 element type for input, got tensor<2xf32>}}
  %0 = graph.bitwise_not %x : tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// -----

func.func @shift_of_bools(%x: tensor<2xi1>) -> tensor<2xi1> {
  // expected-error @+1 {{'graph.shift_left' expects an integer element type for lhs, got tensor<2xi1>}}
  %0 = graph.shift_left %x, %x : (tensor<2xi1>, tensor<2xi1>) -> tensor<2xi1>
  func.return %0 : tensor<2xi1>
}

// -----

func.func @shift_by_other_type(%x: tensor<2xui8>, %y: tensor<2xui16>) -> tensor<2xui8> {
  // expected-error @+1 {{'graph.shift_right' expects the same element type}}
  %0 = graph.shift_right %x, %y : (tensor<2xui8>, tensor<2xui16>) -> tensor<2xui8>
  func.return %0 : tensor<2xui8>
}

// -----

func.func @bitcast_other_width(%x: tensor<2xf32>) -> tensor<2xi64> {
  // expected-error @+1 {{'graph.bitcast' expects element types of the same width, got f32 and i64}}
  %0 = graph.bitcast %x : tensor<2xf32> to tensor<2xi64>
  func.return %0 : tensor<2xi64>
}

// -----

func.func @bitcast_changes_shape(%x: tensor<2xf32>) -> tensor<3xi32> {
  // expected-error @+1 {{'graph.bitcast' result type tensor<3xi32> does not match the inferred tensor<2xi32>}}
  %0 = graph.bitcast %x : tensor<2xf32> to tensor<3xi32>
  func.return %0 : tensor<3xi32>
}

// -----

func.func @bitcast_to_bfloat(%x: tensor<2xi16>) -> tensor<2xbf16> {
  // expected-error @+1 {{'graph.bitcast' does not support the element type bf16}}
  %0 = graph.bitcast %x : tensor<2xi16> to tensor<2xbf16>
  func.return %0 : tensor<2xbf16>
}
