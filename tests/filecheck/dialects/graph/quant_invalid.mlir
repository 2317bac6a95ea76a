// RUN: mlc-opt %s --split-input-file --verify-diagnostics

func.func @quantize_integer_input(%x: tensor<2xi32>, %s: tensor<f32>, %z: tensor<ui8>) -> tensor<2xui8> {
  // expected-error @+1 {{'graph.quantize' expects a float element type (bf16, f16, f32, f64) for input, got tensor<2xi32>}}
  %q = graph.quantize %x, %s, %z : (tensor<2xi32>, tensor<f32>, tensor<ui8>) -> tensor<2xui8>
  func.return %q : tensor<2xui8>
}

// -----

func.func @quantize_scale_of_another_type(%x: tensor<2xf32>, %s: tensor<f16>, %z: tensor<ui8>) -> tensor<2xui8> {
  // expected-error @+1 {{'graph.quantize' expects the same element type for input and scale, got tensor<2xf32> and tensor<f16>}}
  %q = graph.quantize %x, %s, %z : (tensor<2xf32>, tensor<f16>, tensor<ui8>) -> tensor<2xui8>
  func.return %q : tensor<2xui8>
}

// -----

func.func @quantize_float_zero_point(%x: tensor<2xf32>, %s: tensor<f32>, %z: tensor<f32>) -> tensor<2xf32> {
  // expected-error @+1 {{'graph.quantize' expects an integer element type for zero_point, got tensor<f32>}}
  %q = graph.quantize %x, %s, %z : (tensor<2xf32>, tensor<f32>, tensor<f32>) -> tensor<2xf32>
  func.return %q : tensor<2xf32>
}

// -----

func.func @quantize_to_64_bits(%x: tensor<2xf32>, %s: tensor<f32>, %z: tensor<i64>) -> tensor<2xi64> {
  // expected-error @+1 {{'graph.quantize' expects a zero point of at most 32 bits, got tensor<i64>}}
  %q = graph.quantize %x, %s, %z : (tensor<2xf32>, tensor<f32>, tensor<i64>) -> tensor<2xi64>
  func.return %q : tensor<2xi64>
}

// -----

func.func @quantize_scale_does_not_broadcast(%x: tensor<2x3xf32>, %s: tensor<2xf32>, %z: tensor<ui8>) -> tensor<2x3xui8> {
  // expected-error @+1 {{'graph.quantize' cannot broadcast shapes (2, 3) and (2,) and ()}}
  %q = graph.quantize %x, %s, %z : (tensor<2x3xf32>, tensor<2xf32>, tensor<ui8>) -> tensor<2x3xui8>
  func.return %q : tensor<2x3xui8>
}

// -----

func.func @quantize_wrong_result(%x: tensor<2xf32>, %s: tensor<f32>, %z: tensor<ui8>) -> tensor<2xi8> {
  // expected-error @+1 {{'graph.quantize' result type tensor<2xi8> does not match the inferred tensor<2xui8>}}
  %q = graph.quantize %x, %s, %z : (tensor<2xf32>, tensor<f32>, tensor<ui8>) -> tensor<2xi8>
  func.return %q : tensor<2xi8>
}

// -----

func.func @matmul_integer_of_16_bits(%a: tensor<2x3xi16>, %b: tensor<3x2xi16>) -> tensor<2x2xi32> {
  // expected-error @+1 {{'graph.matmul_integer' expects 8-bit integers for lhs, got tensor<2x3xi16>}}
  %0 = graph.matmul_integer %a, %b : (tensor<2x3xi16>, tensor<3x2xi16>) -> tensor<2x2xi32>
  func.return %0 : tensor<2x2xi32>
}

// -----

func.func @matmul_integer_inner_dims(%a: tensor<2x3xi8>, %b: tensor<2x2xi8>) -> tensor<2x2xi32> {
  // expected-error @+1 {{'graph.matmul_integer' expects (MxK)x(KxN), got (2, 3) and (2, 2)}}
  %0 = graph.matmul_integer %a, %b : (tensor<2x3xi8>, tensor<2x2xi8>) -> tensor<2x2xi32>
  func.return %0 : tensor<2x2xi32>
}

// -----

func.func @matmul_integer_zero_point_type(%a: tensor<2x3xui8>, %b: tensor<3x2xi8>, %az: tensor<i8>) -> tensor<2x2xi32> {
  // expected-error @+1 {{'graph.matmul_integer' expects lhs_zero_point of the element type ui8, got tensor<i8>}}
  %0 = graph.matmul_integer %a, %b lhs_zero_point(%az : tensor<i8>) : (tensor<2x3xui8>, tensor<3x2xi8>) -> tensor<2x2xi32>
  func.return %0 : tensor<2x2xi32>
}

// -----

func.func @matmul_integer_per_row_zero_point_as_a_vector(%a: tensor<2x3xi8>, %b: tensor<3x2xi8>, %az: tensor<2xi8>) -> tensor<2x2xi32> {
  // expected-error @+1 {{'graph.matmul_integer' expects lhs_zero_point that broadcasts to tensor<2x3xi8>, got tensor<2xi8>}}
  %0 = graph.matmul_integer %a, %b lhs_zero_point(%az : tensor<2xi8>) : (tensor<2x3xi8>, tensor<3x2xi8>) -> tensor<2x2xi32>
  func.return %0 : tensor<2x2xi32>
}

// -----

func.func @conv_integer_rank(%x: tensor<1x1x3xi8>, %w: tensor<1x1x2xi8>) -> tensor<1x1x2xi32> {
  // expected-error @+1 {{'graph.conv_integer' expects an NCHW input and an OIHW weight, got tensor<1x1x3xi8> and tensor<1x1x2xi8>}}
  %0 = graph.conv_integer %x, %w : (tensor<1x1x3xi8>, tensor<1x1x2xi8>) -> tensor<1x1x2xi32>
  func.return %0 : tensor<1x1x2xi32>
}

// -----

func.func @conv_integer_channels(%x: tensor<1x3x3x3xi8>, %w: tensor<1x2x2x2xi8>) -> tensor<1x1x2x2xi32> {
  // expected-error @+1 {{'graph.conv_integer' expects input channels 3 to equal weight channels 2 x groups 1}}
  %0 = graph.conv_integer %x, %w : (tensor<1x3x3x3xi8>, tensor<1x2x2x2xi8>) -> tensor<1x1x2x2xi32>
  func.return %0 : tensor<1x1x2x2xi32>
}

// -----

func.func @conv_integer_weight_zero_point_shape(%x: tensor<1x1x3x3xi8>, %w: tensor<2x1x2x2xi8>, %wz: tensor<3xi8>) -> tensor<1x2x2x2xi32> {
  // expected-error @+1 {{'graph.conv_integer' expects weight_zero_point with one element or of shape (2,), got tensor<3xi8>}}
  %0 = graph.conv_integer %x, %w weight_zero_point(%wz : tensor<3xi8>) : (tensor<1x1x3x3xi8>, tensor<2x1x2x2xi8>) -> tensor<1x2x2x2xi32>
  func.return %0 : tensor<1x2x2x2xi32>
}

// -----

func.func @conv_integer_negative_pads(%x: tensor<1x1x3x3xi8>, %w: tensor<1x1x2x2xi8>) -> tensor<1x1x2x2xi32> {
  // expected-error @+1 {{'graph.conv_integer' expects 4 non-negative pads, got [0, -1, 0, 0]}}
  %0 = graph.conv_integer %x, %w {pads = array<i64: 0, -1, 0, 0>} : (tensor<1x1x3x3xi8>, tensor<1x1x2x2xi8>) -> tensor<1x1x2x2xi32>
  func.return %0 : tensor<1x1x2x2xi32>
}
