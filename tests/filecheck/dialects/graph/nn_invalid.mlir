// RUN: mlc-opt %s --split-input-file --verify-diagnostics

// ===== graph.linear =====

func.func @linear_of_integers(%x: tensor<2x3xi32>, %w: tensor<4x3xi32>) -> tensor<2x4xi32> {
  // expected-error @+1 {{'graph.linear' expects a float element type (bf16, f16, f32, f64) for input, got tensor<2x3xi32>}}
  %0 = graph.linear %x, %w : (tensor<2x3xi32>, tensor<4x3xi32>) -> tensor<2x4xi32>
  func.return %0 : tensor<2x4xi32>
}

// -----

func.func @linear_mixed_element_types(%x: tensor<2x3xf32>, %w: tensor<4x3xf16>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'graph.linear' expects the same element type for input and weight, got tensor<2x3xf32> and tensor<4x3xf16>}}
  %0 = graph.linear %x, %w : (tensor<2x3xf32>, tensor<4x3xf16>) -> tensor<2x4xf32>
  func.return %0 : tensor<2x4xf32>
}

// -----

func.func @linear_of_scalar(%x: tensor<f32>, %w: tensor<4x3xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'graph.linear' expects an input of rank >= 1, got tensor<f32>}}
  %0 = graph.linear %x, %w : (tensor<f32>, tensor<4x3xf32>) -> tensor<4xf32>
  func.return %0 : tensor<4xf32>
}

// -----

func.func @linear_weight_not_matrix(%x: tensor<2x3xf32>, %w: tensor<3xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'graph.linear' expects a weight of rank 2 (N x K), got tensor<3xf32>}}
  %0 = graph.linear %x, %w : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// -----

func.func @linear_feature_mismatch(%x: tensor<2x3xf32>, %w: tensor<4x5xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'graph.linear' expects input features 3 to equal weight features 5, got (2, 3) and (4, 5)}}
  %0 = graph.linear %x, %w : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x4xf32>
  func.return %0 : tensor<2x4xf32>
}

// -----

func.func @linear_bias_length(%x: tensor<2x3xf32>, %w: tensor<4x3xf32>, %b: tensor<3xf32>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'graph.linear' expects a bias of shape (4,), got tensor<3xf32>}}
  %0 = graph.linear %x, %w, %b : (tensor<2x3xf32>, tensor<4x3xf32>, tensor<3xf32>) -> tensor<2x4xf32>
  func.return %0 : tensor<2x4xf32>
}

// -----

func.func @linear_wrong_result_type(%x: tensor<2x3xf32>, %w: tensor<4x3xf32>) -> tensor<2x5xf32> {
  // expected-error @+1 {{'graph.linear' result type tensor<2x5xf32> does not match the inferred tensor<2x4xf32>}}
  %0 = graph.linear %x, %w : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<2x5xf32>
  func.return %0 : tensor<2x5xf32>
}

// -----

// ===== graph.matmul =====

func.func @matmul_of_scalar(%a: tensor<f32>, %b: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'graph.matmul' expects operands of rank >= 1, got tensor<f32> and tensor<3xf32>}}
  %0 = graph.matmul %a, %b : (tensor<f32>, tensor<3xf32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

func.func @matmul_contraction_mismatch(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'graph.matmul' expects (MxK)x(KxN), got (2, 3) and (2, 3)}}
  %0 = graph.matmul %a, %b : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

func.func @matmul_batch_mismatch(%a: tensor<2x2x3xf32>, %b: tensor<3x3x4xf32>) -> tensor<2x2x4xf32> {
  // expected-error @+1 {{'graph.matmul' cannot broadcast the batch dims of (2, 2, 3) and (3, 3, 4)}}
  %0 = graph.matmul %a, %b : (tensor<2x2x3xf32>, tensor<3x3x4xf32>) -> tensor<2x2x4xf32>
  func.return %0 : tensor<2x2x4xf32>
}

// -----

func.func @matmul_mixed_element_types(%a: tensor<2x3xf32>, %b: tensor<3x4xf64>) -> tensor<2x4xf32> {
  // expected-error @+1 {{'graph.matmul' expects the same element type for lhs and rhs, got tensor<2x3xf32> and tensor<3x4xf64>}}
  %0 = graph.matmul %a, %b : (tensor<2x3xf32>, tensor<3x4xf64>) -> tensor<2x4xf32>
  func.return %0 : tensor<2x4xf32>
}

// -----

// ===== graph.conv2d =====

func.func @conv2d_input_not_nchw(%x: tensor<3x4x4xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<1x2x2x2xf32> {
  // expected-error @+1 {{'graph.conv2d' expects an input of rank 4 (NCHW), got tensor<3x4x4xf32>}}
  %0 = graph.conv2d %x, %w : (tensor<3x4x4xf32>, tensor<2x3x3x3xf32>) -> tensor<1x2x2x2xf32>
  func.return %0 : tensor<1x2x2x2xf32>
}

// -----

func.func @conv2d_weight_not_oihw(%x: tensor<1x3x4x4xf32>, %w: tensor<2x3x3xf32>) -> tensor<1x2x2x2xf32> {
  // expected-error @+1 {{'graph.conv2d' expects a weight of rank 4 (OIHW), got tensor<2x3x3xf32>}}
  %0 = graph.conv2d %x, %w : (tensor<1x3x4x4xf32>, tensor<2x3x3xf32>) -> tensor<1x2x2x2xf32>
  func.return %0 : tensor<1x2x2x2xf32>
}

// -----

func.func @conv2d_of_integers(%x: tensor<1x3x4x4xi8>, %w: tensor<2x3x3x3xi8>) -> tensor<1x2x2x2xi8> {
  // expected-error @+1 {{'graph.conv2d' expects a float element type (bf16, f16, f32, f64) for input, got tensor<1x3x4x4xi8>}}
  %0 = graph.conv2d %x, %w : (tensor<1x3x4x4xi8>, tensor<2x3x3x3xi8>) -> tensor<1x2x2x2xi8>
  func.return %0 : tensor<1x2x2x2xi8>
}

// -----

func.func @conv2d_channel_mismatch(%x: tensor<1x3x4x4xf32>, %w: tensor<2x2x3x3xf32>) -> tensor<1x2x2x2xf32> {
  // expected-error @+1 {{'graph.conv2d' expects input channels 3 to equal weight channels 2 x groups 1}}
  %0 = graph.conv2d %x, %w : (tensor<1x3x4x4xf32>, tensor<2x2x3x3xf32>) -> tensor<1x2x2x2xf32>
  func.return %0 : tensor<1x2x2x2xf32>
}

// -----

func.func @conv2d_output_channels_not_divisible(%x: tensor<1x4x4x4xf32>, %w: tensor<3x2x3x3xf32>) -> tensor<1x3x2x2xf32> {
  // expected-error @+1 {{'graph.conv2d' expects output channels 3 to be divisible by groups 2}}
  %0 = graph.conv2d %x, %w {groups = 2 : i64} : (tensor<1x4x4x4xf32>, tensor<3x2x3x3xf32>) -> tensor<1x3x2x2xf32>
  func.return %0 : tensor<1x3x2x2xf32>
}

// -----

func.func @conv2d_zero_groups(%x: tensor<1x3x4x4xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<1x2x2x2xf32> {
  // expected-error @+1 {{'graph.conv2d' expects positive groups, got 0}}
  %0 = graph.conv2d %x, %w {groups = 0 : i64} : (tensor<1x3x4x4xf32>, tensor<2x3x3x3xf32>) -> tensor<1x2x2x2xf32>
  func.return %0 : tensor<1x2x2x2xf32>
}

// -----

func.func @conv2d_bias_length(%x: tensor<1x3x4x4xf32>, %w: tensor<2x3x3x3xf32>, %b: tensor<3xf32>) -> tensor<1x2x2x2xf32> {
  // expected-error @+1 {{'graph.conv2d' expects a bias of shape (2,), got tensor<3xf32>}}
  %0 = graph.conv2d %x, %w, %b : (tensor<1x3x4x4xf32>, tensor<2x3x3x3xf32>, tensor<3xf32>) -> tensor<1x2x2x2xf32>
  func.return %0 : tensor<1x2x2x2xf32>
}

// -----

func.func @conv2d_dynamic_kernel(%x: tensor<1x3x4x4xf32>, %w: tensor<2x3x?x3xf32>) -> tensor<1x2x2x2xf32> {
  // expected-error @+1 {{'graph.conv2d' expects a static kernel size, got tensor<2x3x?x3xf32>}}
  %0 = graph.conv2d %x, %w : (tensor<1x3x4x4xf32>, tensor<2x3x?x3xf32>) -> tensor<1x2x2x2xf32>
  func.return %0 : tensor<1x2x2x2xf32>
}

// -----

func.func @conv2d_three_strides(%x: tensor<1x3x4x4xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<1x2x2x2xf32> {
  // expected-error @+1 {{'graph.conv2d' expects 2 strides, got [1, 1, 1]}}
  %0 = graph.conv2d %x, %w {strides = array<i64: 1, 1, 1>} : (tensor<1x3x4x4xf32>, tensor<2x3x3x3xf32>) -> tensor<1x2x2x2xf32>
  func.return %0 : tensor<1x2x2x2xf32>
}

// -----

func.func @conv2d_zero_stride(%x: tensor<1x3x4x4xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<1x2x2x2xf32> {
  // expected-error @+1 {{'graph.conv2d' expects positive strides, got [0, 1]}}
  %0 = graph.conv2d %x, %w {strides = array<i64: 0, 1>} : (tensor<1x3x4x4xf32>, tensor<2x3x3x3xf32>) -> tensor<1x2x2x2xf32>
  func.return %0 : tensor<1x2x2x2xf32>
}

// -----

func.func @conv2d_two_pads(%x: tensor<1x3x4x4xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<1x2x4x4xf32> {
  // expected-error @+1 {{'graph.conv2d' expects 4 pads (top, left, bottom, right), got [1, 1]}}
  %0 = graph.conv2d %x, %w {pads = array<i64: 1, 1>} : (tensor<1x3x4x4xf32>, tensor<2x3x3x3xf32>) -> tensor<1x2x4x4xf32>
  func.return %0 : tensor<1x2x4x4xf32>
}

// -----

func.func @conv2d_negative_pad(%x: tensor<1x3x4x4xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<1x2x1x2xf32> {
  // expected-error @+1 {{'graph.conv2d' expects non-negative pads, got [-1, 0, 0, 0]}}
  %0 = graph.conv2d %x, %w {pads = array<i64: -1, 0, 0, 0>} : (tensor<1x3x4x4xf32>, tensor<2x3x3x3xf32>) -> tensor<1x2x1x2xf32>
  func.return %0 : tensor<1x2x1x2xf32>
}

// -----

func.func @conv2d_zero_dilation(%x: tensor<1x3x4x4xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<1x2x2x2xf32> {
  // expected-error @+1 {{'graph.conv2d' expects positive dilations, got [1, 0]}}
  %0 = graph.conv2d %x, %w {dilations = array<i64: 1, 0>} : (tensor<1x3x4x4xf32>, tensor<2x3x3x3xf32>) -> tensor<1x2x2x2xf32>
  func.return %0 : tensor<1x2x2x2xf32>
}

// -----

func.func @conv2d_kernel_larger_than_input(%x: tensor<1x3x2x4xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<1x2x0x2xf32> {
  // expected-error @+1 {{'graph.conv2d' expects a positive output height, got 0 (input 2, kernel 3, pads 0+0, stride 1, dilation 1)}}
  %0 = graph.conv2d %x, %w : (tensor<1x3x2x4xf32>, tensor<2x3x3x3xf32>) -> tensor<1x2x0x2xf32>
  func.return %0 : tensor<1x2x0x2xf32>
}

// -----

// ===== graph.max_pool2d =====

func.func @max_pool2d_input_not_nchw(%x: tensor<4x4xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{'graph.max_pool2d' expects an input of rank 4 (NCHW), got tensor<4x4xf32>}}
  %0 = graph.max_pool2d %x {kernel = array<i64: 2, 2>} : (tensor<4x4xf32>) -> tensor<2x2xf32>
  func.return %0 : tensor<2x2xf32>
}

// -----

func.func @max_pool2d_of_integers(%x: tensor<1x1x4x4xi32>) -> tensor<1x1x3x3xi32> {
  // expected-error @+1 {{'graph.max_pool2d' expects a float element type (bf16, f16, f32, f64) for input, got tensor<1x1x4x4xi32>}}
  %0 = graph.max_pool2d %x {kernel = array<i64: 2, 2>} : (tensor<1x1x4x4xi32>) -> tensor<1x1x3x3xi32>
  func.return %0 : tensor<1x1x3x3xi32>
}

// -----

func.func @max_pool2d_one_kernel_size(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x3x3xf32> {
  // expected-error @+1 {{'graph.max_pool2d' expects 2 kernel sizes, got [2]}}
  %0 = graph.max_pool2d %x {kernel = array<i64: 2>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x3x3xf32>
  func.return %0 : tensor<1x1x3x3xf32>
}

// -----

func.func @max_pool2d_zero_kernel_size(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x3x3xf32> {
  // expected-error @+1 {{'graph.max_pool2d' expects positive kernel sizes, got [0, 2]}}
  %0 = graph.max_pool2d %x {kernel = array<i64: 0, 2>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x3x3xf32>
  func.return %0 : tensor<1x1x3x3xf32>
}

// -----

func.func @max_pool2d_pad_as_large_as_window(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x5x3xf32> {
  // expected-error @+1 {{'graph.max_pool2d' expects pads smaller than the kernel window (2, 2), got [2, 0, 0, 0]}}
  %0 = graph.max_pool2d %x {kernel = array<i64: 2, 2>, pads = array<i64: 2, 0, 0, 0>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x5x3xf32>
  func.return %0 : tensor<1x1x5x3xf32>
}

// -----

func.func @max_pool2d_zero_dilation(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x3x3xf32> {
  // expected-error @+1 {{'graph.max_pool2d' expects positive dilations, got [0, 0]}}
  %0 = graph.max_pool2d %x {dilations = array<i64: 0, 0>, kernel = array<i64: 2, 2>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x3x3xf32>
  func.return %0 : tensor<1x1x3x3xf32>
}

// -----

func.func @max_pool2d_window_larger_than_input(%x: tensor<1x1x4x2xf32>) -> tensor<1x1x3x0xf32> {
  // expected-error @+1 {{'graph.max_pool2d' expects a positive output width, got 0 (input 2, kernel 2, pads 0+0, stride 1, dilation 2)}}
  %0 = graph.max_pool2d %x {dilations = array<i64: 1, 2>, kernel = array<i64: 2, 2>} : (tensor<1x1x4x2xf32>) -> tensor<1x1x3x0xf32>
  func.return %0 : tensor<1x1x3x0xf32>
}

// -----

func.func @max_pool2d_wrong_result_type(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32> {
  // expected-error @+1 {{'graph.max_pool2d' result type tensor<1x1x2x2xf32> does not match the inferred tensor<1x1x3x3xf32>}}
  %0 = graph.max_pool2d %x {kernel = array<i64: 2, 2>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32>
  func.return %0 : tensor<1x1x2x2xf32>
}

// -----

// ===== graph.avg_pool2d =====

func.func @avg_pool2d_of_integers(%x: tensor<1x1x4x4xi32>) -> tensor<1x1x3x3xi32> {
  // expected-error @+1 {{'graph.avg_pool2d' expects a float element type (bf16, f16, f32, f64) for input, got tensor<1x1x4x4xi32>}}
  %0 = graph.avg_pool2d %x {kernel = array<i64: 2, 2>} : (tensor<1x1x4x4xi32>) -> tensor<1x1x3x3xi32>
  func.return %0 : tensor<1x1x3x3xi32>
}

// -----

func.func @avg_pool2d_pad_as_large_as_kernel(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32> {
  // expected-error @+1 {{'graph.avg_pool2d' expects pads smaller than the kernel window (3, 3), got [0, 0, 0, 3]}}
  %0 = graph.avg_pool2d %x {kernel = array<i64: 3, 3>, pads = array<i64: 0, 0, 0, 3>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32>
  func.return %0 : tensor<1x1x4x4xf32>
}

// -----

func.func @avg_pool2d_three_strides(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x3x3xf32> {
  // expected-error @+1 {{'graph.avg_pool2d' expects 2 strides, got [1, 1, 1]}}
  %0 = graph.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 1, 1, 1>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x3x3xf32>
  func.return %0 : tensor<1x1x3x3xf32>
}

// -----

func.func @avg_pool2d_window_larger_than_input(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x0x0xf32> {
  // expected-error @+1 {{'graph.avg_pool2d' expects a positive output height, got 0 (input 2, kernel 3, pads 0+0, stride 1, dilation 1)}}
  %0 = graph.avg_pool2d %x {kernel = array<i64: 3, 3>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x0x0xf32>
  func.return %0 : tensor<1x1x0x0xf32>
}

// -----

// ===== graph.global_avg_pool2d =====

func.func @global_avg_pool2d_input_not_nchw(%x: tensor<2x3x3xf32>) -> tensor<2x1x1xf32> {
  // expected-error @+1 {{'graph.global_avg_pool2d' expects an input of rank 4 (NCHW), got tensor<2x3x3xf32>}}
  %0 = graph.global_avg_pool2d %x : (tensor<2x3x3xf32>) -> tensor<2x1x1xf32>
  func.return %0 : tensor<2x1x1xf32>
}

// -----

func.func @global_avg_pool2d_of_integers(%x: tensor<1x2x3x3xi32>) -> tensor<1x2x1x1xi32> {
  // expected-error @+1 {{'graph.global_avg_pool2d' expects a float element type (bf16, f16, f32, f64) for input, got tensor<1x2x3x3xi32>}}
  %0 = graph.global_avg_pool2d %x : (tensor<1x2x3x3xi32>) -> tensor<1x2x1x1xi32>
  func.return %0 : tensor<1x2x1x1xi32>
}

// -----

// ===== graph.batch_norm =====

func.func @batch_norm_of_vector(%x: tensor<3xf32>, %p: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'graph.batch_norm' expects an input of rank >= 2 (N, C, ...), got tensor<3xf32>}}
  %0 = graph.batch_norm %x, %p, %p, %p, %p : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  func.return %0 : tensor<3xf32>
}

// -----

func.func @batch_norm_mean_length(%x: tensor<2x3xf32>, %p: tensor<3xf32>, %m: tensor<4xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'graph.batch_norm' expects mean of shape (3,), got tensor<4xf32>}}
  %0 = graph.batch_norm %x, %p, %p, %m, %p : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<4xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

func.func @batch_norm_mixed_element_types(%x: tensor<2x3xf32>, %p: tensor<3xf32>, %v: tensor<3xf16>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'graph.batch_norm' expects the same element type for input and var, got tensor<2x3xf32> and tensor<3xf16>}}
  %0 = graph.batch_norm %x, %p, %p, %p, %v : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf16>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

func.func @batch_norm_negative_epsilon(%x: tensor<2x3xf32>, %p: tensor<3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'graph.batch_norm' expects a non-negative epsilon, got -1.0}}
  %0 = graph.batch_norm %x, %p, %p, %p, %p {epsilon = -1.0 : f64} : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

// ===== graph.layer_norm =====

func.func @layer_norm_axis_out_of_range(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'graph.layer_norm' axis 2 is out of range for rank 2}}
  %0 = graph.layer_norm %x {axis = 2 : i64} : tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

func.func @layer_norm_scale_wider_than_normalized(%x: tensor<2x3xf32>, %s: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'graph.layer_norm' expects a scale broadcastable to the normalized shape (3,), got (2, 3)}}
  %0 = graph.layer_norm %x scale(%s : tensor<2x3xf32>) : tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

func.func @layer_norm_bias_mismatch(%x: tensor<2x3xf32>, %b: tensor<4xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'graph.layer_norm' expects a bias broadcastable to the normalized shape (3,), got (4,)}}
  %0 = graph.layer_norm %x bias(%b : tensor<4xf32>) : tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

func.func @layer_norm_mixed_element_types(%x: tensor<2x3xf32>, %s: tensor<3xf16>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'graph.layer_norm' expects the same element type for input and scale, got tensor<2x3xf32> and tensor<3xf16>}}
  %0 = graph.layer_norm %x scale(%s : tensor<3xf16>) : tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

func.func @layer_norm_negative_epsilon(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'graph.layer_norm' expects a non-negative epsilon, got -0.5}}
  %0 = graph.layer_norm %x {epsilon = -0.5 : f64} : tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

func.func @layer_norm_of_integers(%x: tensor<2x3xi32>) -> tensor<2x3xi32> {
  // expected-error @+1 {{'graph.layer_norm' expects a float element type (bf16, f16, f32, f64) for input, got tensor<2x3xi32>}}
  %0 = graph.layer_norm %x : tensor<2x3xi32>
  func.return %0 : tensor<2x3xi32>
}

// -----

// ===== graph.softmax, graph.log_softmax =====

func.func @softmax_axis_out_of_range(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'graph.softmax' axis -3 is out of range for rank 2}}
  %0 = graph.softmax %x {axis = -3 : i64} : tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

func.func @softmax_of_scalar(%x: tensor<f32>) -> tensor<f32> {
  // expected-error @+1 {{'graph.softmax' axis -1 is out of range for rank 0}}
  %0 = graph.softmax %x : tensor<f32>
  func.return %0 : tensor<f32>
}

// -----

func.func @log_softmax_of_integers(%x: tensor<2x3xi32>) -> tensor<2x3xi32> {
  // expected-error @+1 {{'graph.log_softmax' expects a float element type (bf16, f16, f32, f64) for input, got tensor<2x3xi32>}}
  %0 = graph.log_softmax %x : tensor<2x3xi32>
  func.return %0 : tensor<2x3xi32>
}

// -----

func.func @log_softmax_axis_out_of_range(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{'graph.log_softmax' axis 2 is out of range for rank 2}}
  %0 = graph.log_softmax %x {axis = 2 : i64} : tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}
