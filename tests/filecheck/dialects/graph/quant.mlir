// RUN: MLC_ROUNDTRIP
// RUN: MLC_GENERIC_ROUNDTRIP

// The quantized-inference ops in their custom form, with and without each
// optional zero point; the generic RUN line checks that the generic form parses
// back to the same custom text (no operandSegmentSizes leak into it).

// CHECK-LABEL: func.func @quantize_per_tensor(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xf32>, %[[S:.*]]: tensor<f32>, %[[Z:.*]]: tensor<ui8>)
// CHECK-NEXT:    %[[Q:.*]] = graph.quantize %[[X]], %[[S]], %[[Z]] : (tensor<2x3xf32>, tensor<f32>, tensor<ui8>) -> tensor<2x3xui8>
// CHECK-NEXT:    func.return %[[Q]]
func.func @quantize_per_tensor(%x: tensor<2x3xf32>, %s: tensor<f32>, %z: tensor<ui8>) -> tensor<2x3xui8> {
  %q = graph.quantize %x, %s, %z : (tensor<2x3xf32>, tensor<f32>, tensor<ui8>) -> tensor<2x3xui8>
  func.return %q : tensor<2x3xui8>
}

// CHECK-LABEL: func.func @quantize_per_axis_f16_to_i16(
// CHECK:         graph.quantize %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x3xf16>, tensor<2x1xf16>, tensor<2x1xi16>) -> tensor<2x3xi16>
func.func @quantize_per_axis_f16_to_i16(%x: tensor<2x3xf16>, %s: tensor<2x1xf16>, %z: tensor<2x1xi16>) -> tensor<2x3xi16> {
  %q = graph.quantize %x, %s, %z : (tensor<2x3xf16>, tensor<2x1xf16>, tensor<2x1xi16>) -> tensor<2x3xi16>
  func.return %q : tensor<2x3xi16>
}

// CHECK-LABEL: func.func @matmul_integer_with_zero_points(
// CHECK-SAME:      %[[A:.*]]: tensor<4x3xui8>, %[[B:.*]]: tensor<3x2xi8>, %[[AZ:.*]]: tensor<4x1xui8>, %[[BZ:.*]]: tensor<2xi8>)
// CHECK-NEXT:    %{{.*}} = graph.matmul_integer %[[A]], %[[B]] lhs_zero_point(%[[AZ]] : tensor<4x1xui8>) rhs_zero_point(%[[BZ]] : tensor<2xi8>) : (tensor<4x3xui8>, tensor<3x2xi8>) -> tensor<4x2xi32>
func.func @matmul_integer_with_zero_points(%a: tensor<4x3xui8>, %b: tensor<3x2xi8>, %az: tensor<4x1xui8>, %bz: tensor<2xi8>) -> tensor<4x2xi32> {
  %0 = graph.matmul_integer %a, %b lhs_zero_point(%az : tensor<4x1xui8>) rhs_zero_point(%bz : tensor<2xi8>) : (tensor<4x3xui8>, tensor<3x2xi8>) -> tensor<4x2xi32>
  func.return %0 : tensor<4x2xi32>
}

// CHECK-LABEL: func.func @matmul_integer_rhs_zero_point_only(
// CHECK:         graph.matmul_integer %{{.*}}, %{{.*}} rhs_zero_point(%{{.*}} : tensor<ui8>) : (tensor<2x2x4xui8>, tensor<4x3xui8>) -> tensor<2x2x3xi32>
func.func @matmul_integer_rhs_zero_point_only(%a: tensor<2x2x4xui8>, %b: tensor<4x3xui8>, %bz: tensor<ui8>) -> tensor<2x2x3xi32> {
  %0 = graph.matmul_integer %a, %b rhs_zero_point(%bz : tensor<ui8>) : (tensor<2x2x4xui8>, tensor<4x3xui8>) -> tensor<2x2x3xi32>
  func.return %0 : tensor<2x2x3xi32>
}

// CHECK-LABEL: func.func @matmul_integer_without_zero_points(
// CHECK:         graph.matmul_integer %{{.*}}, %{{.*}} : (tensor<3xi8>, tensor<3x2xi8>) -> tensor<2xi32>
func.func @matmul_integer_without_zero_points(%a: tensor<3xi8>, %b: tensor<3x2xi8>) -> tensor<2xi32> {
  %0 = graph.matmul_integer %a, %b : (tensor<3xi8>, tensor<3x2xi8>) -> tensor<2xi32>
  func.return %0 : tensor<2xi32>
}

// CHECK-LABEL: func.func @conv_integer_per_channel(
// CHECK:         graph.conv_integer %{{.*}}, %{{.*}} input_zero_point(%{{.*}} : tensor<ui8>) weight_zero_point(%{{.*}} : tensor<2xui8>) {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x1x3x3xui8>, tensor<2x1x2x2xui8>) -> tensor<1x2x4x4xi32>
func.func @conv_integer_per_channel(%x: tensor<1x1x3x3xui8>, %w: tensor<2x1x2x2xui8>, %xz: tensor<ui8>, %wz: tensor<2xui8>) -> tensor<1x2x4x4xi32> {
  %0 = graph.conv_integer %x, %w input_zero_point(%xz : tensor<ui8>) weight_zero_point(%wz : tensor<2xui8>) {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x1x3x3xui8>, tensor<2x1x2x2xui8>) -> tensor<1x2x4x4xi32>
  func.return %0 : tensor<1x2x4x4xi32>
}

// CHECK-LABEL: func.func @conv_integer_grouped_strided(
// CHECK:         graph.conv_integer %{{.*}}, %{{.*}} {dilations = array<i64: 1, 2>, groups = 2 : i64, strides = array<i64: 2, 1>} : (tensor<1x4x5x5xi8>, tensor<2x2x2x2xi8>) -> tensor<1x2x2x3xi32>
func.func @conv_integer_grouped_strided(%x: tensor<1x4x5x5xi8>, %w: tensor<2x2x2x2xi8>) -> tensor<1x2x2x3xi32> {
  %0 = graph.conv_integer %x, %w {strides = array<i64: 2, 1>, groups = 2 : i64, dilations = array<i64: 1, 2>} : (tensor<1x4x5x5xi8>, tensor<2x2x2x2xi8>) -> tensor<1x2x2x3xi32>
  func.return %0 : tensor<1x2x2x3xi32>
}
