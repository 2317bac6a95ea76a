// RUN: MLC_ROUNDTRIP
// RUN: MLC_GENERIC_ROUNDTRIP

// The resampling ops in their custom form; properties print sorted by name,
// f64 arrays in MLIR's exponent form. The generic RUN line checks that the
// generic form parses back to the same custom text.

// CHECK-LABEL: func.func @resize_linear(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT:    %[[Y:.*]] = graph.resize %[[X]] {mode = "linear", scales = array<f64: 1.000000e+00, 2.000000e+00>, sizes = array<i64: 2, 6>} : (tensor<2x3xf32>) -> tensor<2x6xf32>
// CHECK-NEXT:    func.return %[[Y]] : tensor<2x6xf32>
func.func @resize_linear(%x: tensor<2x3xf32>) -> tensor<2x6xf32> {
  %y = graph.resize %x {mode = "linear", scales = array<f64: 1.0, 2.0>, sizes = array<i64: 2, 6>} : (tensor<2x3xf32>) -> tensor<2x6xf32>
  func.return %y : tensor<2x6xf32>
}

// CHECK-LABEL: func.func @resize_nearest(
// CHECK-NEXT:    graph.resize %{{.*}} {coordinate_mode = "asymmetric", mode = "nearest", nearest_mode = "floor", scales = array<f64: 1.000000e+00, 1.000000e+00, 2.000000e+00, 3.000000e+00>, sizes = array<i64: 1, 1, 4, 6>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x4x6xf32>
func.func @resize_nearest(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x4x6xf32> {
  %y = graph.resize %x {nearest_mode = "floor", mode = "nearest", coordinate_mode = "asymmetric", scales = array<f64: 1.0, 1.0, 2.0, 3.0>, sizes = array<i64: 1, 1, 4, 6>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x4x6xf32>
  func.return %y : tensor<1x1x4x6xf32>
}

// Every optional property at once.
// CHECK-LABEL: func.func @resize_every_property(
// CHECK-NEXT:    graph.resize %{{.*}} {antialias = true, coordinate_mode = "tf_crop_and_resize", cubic_coeff_a = -5.000000e-01 : f64, exclude_outside = true, extrapolation_value = 1.000000e+01 : f64, mode = "cubic", roi = array<f64: 0.000000e+00, 2.500000e-01, 1.000000e+00, 1.250000e+00>, scales = array<f64: 7.500000e-01, 7.500000e-01>, sizes = array<i64: 3, 3>} : (tensor<4x4xf64>) -> tensor<3x3xf64>
func.func @resize_every_property(%x: tensor<4x4xf64>) -> tensor<3x3xf64> {
  %y = graph.resize %x {antialias = true, coordinate_mode = "tf_crop_and_resize", cubic_coeff_a = -0.5 : f64, exclude_outside = true, extrapolation_value = 10.0 : f64, mode = "cubic", roi = array<f64: 0.0, 0.25, 1.0, 1.25>, scales = array<f64: 0.75, 0.75>, sizes = array<i64: 3, 3>} : (tensor<4x4xf64>) -> tensor<3x3xf64>
  func.return %y : tensor<3x3xf64>
}
