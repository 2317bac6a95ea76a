// RUN: mlc-opt %s --split-input-file --verify-diagnostics

func.func @resize_of_integers(%x: tensor<2x3xi32>) -> tensor<2x6xi32> {
  // expected-error @+1 {{'graph.resize' expects a float element type (bf16, f16, f32, f64) for input, got tensor<2x3xi32>}}
  %0 = graph.resize %x {mode = "nearest", scales = array<f64: 1.0, 2.0>, sizes = array<i64: 2, 6>} : (tensor<2x3xi32>) -> tensor<2x6xi32>
  func.return %0 : tensor<2x6xi32>
}

// -----

func.func @resize_scales_of_another_rank(%x: tensor<2x3xf32>) -> tensor<2x6xf32> {
  // expected-error @+1 {{'graph.resize' expects 2 scales and sizes for rank 2, got 1 and 2}}
  %0 = graph.resize %x {mode = "nearest", scales = array<f64: 2.0>, sizes = array<i64: 2, 6>} : (tensor<2x3xf32>) -> tensor<2x6xf32>
  func.return %0 : tensor<2x6xf32>
}

// -----

func.func @resize_zero_scale(%x: tensor<2x3xf32>) -> tensor<2x6xf32> {
  // expected-error @+1 {{'graph.resize' expects positive scales and sizes, got [1.0, 0.0] and [2, 6]}}
  %0 = graph.resize %x {mode = "nearest", scales = array<f64: 1.0, 0.0>, sizes = array<i64: 2, 6>} : (tensor<2x3xf32>) -> tensor<2x6xf32>
  func.return %0 : tensor<2x6xf32>
}

// -----

func.func @resize_unknown_mode(%x: tensor<2x3xf32>) -> tensor<2x6xf32> {
  // expected-error @+1 {{'graph.resize' mode 'area' is not one of nearest, linear, cubic}}
  %0 = graph.resize %x {mode = "area", scales = array<f64: 1.0, 2.0>, sizes = array<i64: 2, 6>} : (tensor<2x3xf32>) -> tensor<2x6xf32>
  func.return %0 : tensor<2x6xf32>
}

// -----

func.func @resize_unknown_coordinate_mode(%x: tensor<2x3xf32>) -> tensor<2x6xf32> {
  // expected-error @+1 {{'graph.resize' coordinate_mode 'corners' is not one of half_pixel, half_pixel_symmetric, pytorch_half_pixel, align_corners, asymmetric, tf_crop_and_resize}}
  %0 = graph.resize %x {coordinate_mode = "corners", mode = "linear", scales = array<f64: 1.0, 2.0>, sizes = array<i64: 2, 6>} : (tensor<2x3xf32>) -> tensor<2x6xf32>
  func.return %0 : tensor<2x6xf32>
}

// -----

func.func @resize_antialiased_nearest(%x: tensor<2x6xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'graph.resize' antialias needs mode linear or cubic}}
  %0 = graph.resize %x {antialias = true, mode = "nearest", scales = array<f64: 1.0, 0.5>, sizes = array<i64: 2, 3>} : (tensor<2x6xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

func.func @resize_crop_without_roi(%x: tensor<2x3xf32>) -> tensor<2x6xf32> {
  // expected-error @+1 {{'graph.resize' tf_crop_and_resize needs the property roi}}
  %0 = graph.resize %x {coordinate_mode = "tf_crop_and_resize", mode = "linear", scales = array<f64: 1.0, 2.0>, sizes = array<i64: 2, 6>} : (tensor<2x3xf32>) -> tensor<2x6xf32>
  func.return %0 : tensor<2x6xf32>
}

// -----

func.func @resize_short_roi(%x: tensor<2x3xf32>) -> tensor<2x6xf32> {
  // expected-error @+1 {{'graph.resize' expects 4 roi values, got 2}}
  %0 = graph.resize %x {coordinate_mode = "tf_crop_and_resize", mode = "linear", roi = array<f64: 0.0, 1.0>, scales = array<f64: 1.0, 2.0>, sizes = array<i64: 2, 6>} : (tensor<2x3xf32>) -> tensor<2x6xf32>
  func.return %0 : tensor<2x6xf32>
}

// -----

func.func @resize_wrong_result(%x: tensor<2x3xf32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{'graph.resize' result type tensor<2x5xf32> does not match the inferred tensor<2x6xf32>}}
  %0 = graph.resize %x {mode = "linear", scales = array<f64: 1.0, 2.0>, sizes = array<i64: 2, 6>} : (tensor<2x3xf32>) -> tensor<2x5xf32>
  func.return %0 : tensor<2x5xf32>
}
