// RUN: mlc-opt %s -p canonicalize | filecheck %s

// Composite ops rebuilt from their decomposed forms (dialects/graph/composites.py),
// as run by xDSL's `canonicalize`: linear, gelu, layer_norm.

// ----- linear --------------------------------------------------------------- //

// CHECK-LABEL: func.func @matmul_by_transposed_weight_is_linear(
// CHECK-SAME:      %[[X:.*]]: tensor<5x3xf32>, %[[W:.*]]: tensor<4x3xf32>)
// CHECK-NEXT:    %[[Y:.*]] = graph.linear %[[X]], %[[W]] : (tensor<5x3xf32>, tensor<4x3xf32>) -> tensor<5x4xf32>
// CHECK-NEXT:    func.return %[[Y]]
func.func @matmul_by_transposed_weight_is_linear(%x: tensor<5x3xf32>, %w: tensor<4x3xf32>) -> tensor<5x4xf32> {
  %t = graph.transpose %w {perm = array<i64: 1, 0>} : (tensor<4x3xf32>) -> tensor<3x4xf32>
  %y = graph.matmul %x, %t : (tensor<5x3xf32>, tensor<3x4xf32>) -> tensor<5x4xf32>
  func.return %y : tensor<5x4xf32>
}

// The constant's transpose is folded: [[1, 2], [3, 4], [5, 6]] (K x N) becomes N x K.
// CHECK-LABEL: func.func @matmul_by_constant_is_linear(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT:    %[[W:.*]] = arith.constant dense<{{\[}}[1.000000e+00, 3.000000e+00, 5.000000e+00], [2.000000e+00, 4.000000e+00, 6.000000e+00]]> : tensor<2x3xf32>
// CHECK-NEXT:    %[[Y:.*]] = graph.linear %[[X]], %[[W]] : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x2xf32>
// CHECK-NEXT:    func.return %[[Y]]
func.func @matmul_by_constant_is_linear(%x: tensor<2x3xf32>) -> tensor<2x2xf32> {
  %w = arith.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %y = graph.matmul %x, %w : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
  func.return %y : tensor<2x2xf32>
}

// A batched input by a parameter (ONNX MatMul + Add for nn.Linear): the
// parameter is transposed, the bias folds into the linear.
// CHECK-LABEL: func.func @matmul_by_parameter_and_add_is_linear(
// CHECK-SAME:      %[[X:.*]]: tensor<2x5x3xf32>, %[[W:.*]]: tensor<3x4xf32>, %[[B:.*]]: tensor<4xf32>)
// CHECK-NEXT:    %[[T:.*]] = graph.transpose %[[W]] {perm = array<i64: 1, 0>} : (tensor<3x4xf32>) -> tensor<4x3xf32>
// CHECK-NEXT:    %[[Y:.*]] = graph.linear %[[X]], %[[T]], %[[B]] : (tensor<2x5x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<2x5x4xf32>
// CHECK-NEXT:    func.return %[[Y]]
func.func @matmul_by_parameter_and_add_is_linear(%x: tensor<2x5x3xf32>, %w: tensor<3x4xf32>, %b: tensor<4xf32>) -> tensor<2x5x4xf32> {
  %p = graph.matmul %x, %w : (tensor<2x5x3xf32>, tensor<3x4xf32>) -> tensor<2x5x4xf32>
  %y = graph.add %b, %p : (tensor<4xf32>, tensor<2x5x4xf32>) -> tensor<2x5x4xf32>
  func.return %y : tensor<2x5x4xf32>
}

// CHECK-LABEL: func.func @linear_bias_add_folds(
// CHECK-NEXT:    %[[Y:.*]] = graph.linear %{{.*}}, %{{.*}}, %{{.*}} : (tensor<5x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<5x4xf32>
// CHECK-NEXT:    func.return %[[Y]]
func.func @linear_bias_add_folds(%x: tensor<5x3xf32>, %w: tensor<4x3xf32>, %b: tensor<4xf32>) -> tensor<5x4xf32> {
  %p = graph.linear %x, %w : (tensor<5x3xf32>, tensor<4x3xf32>) -> tensor<5x4xf32>
  %y = graph.add %p, %b : (tensor<5x4xf32>, tensor<4xf32>) -> tensor<5x4xf32>
  func.return %y : tensor<5x4xf32>
}

// A 2-D product by a parameter stays the named linalg.matmul.
// CHECK-LABEL: func.func @matmul_not_fused_when_lhs_is_2d(
// CHECK-NEXT:    graph.matmul
// CHECK-NEXT:    func.return
func.func @matmul_not_fused_when_lhs_is_2d(%x: tensor<5x3xf32>, %w: tensor<3x4xf32>) -> tensor<5x4xf32> {
  %y = graph.matmul %x, %w : (tensor<5x3xf32>, tensor<3x4xf32>) -> tensor<5x4xf32>
  func.return %y : tensor<5x4xf32>
}

// CHECK-LABEL: func.func @matmul_not_fused_when_rhs_is_an_activation(
// CHECK:         graph.matmul
// CHECK-NOT:     graph.linear
func.func @matmul_not_fused_when_rhs_is_an_activation(%x: tensor<2x5x3xf32>, %w: tensor<3x4xf32>) -> tensor<2x5x4xf32> {
  %r = graph.relu %w : tensor<3x4xf32>
  %y = graph.matmul %x, %r : (tensor<2x5x3xf32>, tensor<3x4xf32>) -> tensor<2x5x4xf32>
  func.return %y : tensor<2x5x4xf32>
}

// CHECK-LABEL: func.func @bias_not_fused_when_the_product_has_another_use(
// CHECK:         %[[P:.*]] = graph.linear %{{[^,]*}}, %{{[^,]*}} : (tensor<5x3xf32>, tensor<4x3xf32>) -> tensor<5x4xf32>
// CHECK-NEXT:    graph.add %[[P]]
func.func @bias_not_fused_when_the_product_has_another_use(%x: tensor<5x3xf32>, %w: tensor<4x3xf32>, %b: tensor<4xf32>) -> (tensor<5x4xf32>, tensor<5x4xf32>) {
  %p = graph.linear %x, %w : (tensor<5x3xf32>, tensor<4x3xf32>) -> tensor<5x4xf32>
  %y = graph.add %p, %b : (tensor<5x4xf32>, tensor<4xf32>) -> tensor<5x4xf32>
  func.return %y, %p : tensor<5x4xf32>, tensor<5x4xf32>
}

// CHECK-LABEL: func.func @bias_not_fused_when_not_a_vector(
// CHECK:         %[[P:.*]] = graph.linear %{{[^,]*}}, %{{[^,]*}} : (tensor<5x3xf32>, tensor<4x3xf32>) -> tensor<5x4xf32>
// CHECK-NEXT:    graph.add %[[P]]
func.func @bias_not_fused_when_not_a_vector(%x: tensor<5x3xf32>, %w: tensor<4x3xf32>, %b: tensor<5x4xf32>) -> tensor<5x4xf32> {
  %p = graph.linear %x, %w : (tensor<5x3xf32>, tensor<4x3xf32>) -> tensor<5x4xf32>
  %y = graph.add %p, %b : (tensor<5x4xf32>, tensor<5x4xf32>) -> tensor<5x4xf32>
  func.return %y : tensor<5x4xf32>
}

// ----- gelu ----------------------------------------------------------------- //

// As torch.onnx.export writes nn.GELU: x * (erf(x / sqrt 2) + 1) * 0.5.
// CHECK-LABEL: func.func @erf_gelu_is_gelu(
// CHECK-SAME:      %[[X:.*]]: tensor<2x8xf32>)
// CHECK-NEXT:    %[[Y:.*]] = graph.gelu %[[X]] : tensor<2x8xf32>
// CHECK-NEXT:    func.return %[[Y]]
func.func @erf_gelu_is_gelu(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %c = arith.constant dense<1.41421354> : tensor<f32>
  %0 = graph.div %x, %c : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %1 = graph.erf %0 : tensor<2x8xf32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %2 = graph.add %1, %one : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %3 = graph.mul %x, %2 : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %half = arith.constant dense<0.5> : tensor<f32>
  %4 = graph.mul %3, %half : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  func.return %4 : tensor<2x8xf32>
}

// As HuggingFace writes it: x * 0.5 * (1.0 + erf(x * 0.7071...)).
// CHECK-LABEL: func.func @erf_gelu_other_association_is_gelu(
// CHECK-SAME:      %[[X:.*]]: tensor<2x8xf32>)
// CHECK-NEXT:    %[[Y:.*]] = graph.gelu %[[X]] : tensor<2x8xf32>
// CHECK-NEXT:    func.return %[[Y]]
func.func @erf_gelu_other_association_is_gelu(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %half = arith.constant dense<0.5> : tensor<f32>
  %0 = graph.mul %x, %half : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %c = arith.constant dense<0.707106769> : tensor<f32>
  %1 = graph.mul %x, %c : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %2 = graph.erf %1 : tensor<2x8xf32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %3 = graph.add %one, %2 : (tensor<f32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %4 = graph.mul %0, %3 : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  func.return %4 : tensor<2x8xf32>
}

// 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * pow(x, 3)))).
// CHECK-LABEL: func.func @tanh_gelu_is_gelu_tanh(
// CHECK-SAME:      %[[X:.*]]: tensor<8xf32>)
// CHECK-NEXT:    %[[Y:.*]] = graph.gelu %[[X]] {approximate = "tanh"} : tensor<8xf32>
// CHECK-NEXT:    func.return %[[Y]]
func.func @tanh_gelu_is_gelu_tanh(%x: tensor<8xf32>) -> tensor<8xf32> {
  %three = arith.constant dense<3.0> : tensor<f32>
  %0 = graph.pow %x, %three : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %k = arith.constant dense<0.044715> : tensor<f32>
  %1 = graph.mul %k, %0 : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  %2 = graph.add %x, %1 : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %s = arith.constant dense<0.797884583> : tensor<f32>
  %3 = graph.mul %2, %s : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %4 = graph.tanh %3 : tensor<8xf32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %5 = graph.add %4, %one : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %half = arith.constant dense<0.5> : tensor<f32>
  %6 = graph.mul %half, %x : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  %7 = graph.mul %6, %5 : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  func.return %7 : tensor<8xf32>
}

// The cube as x * x * x.
// CHECK-LABEL: func.func @tanh_gelu_with_a_product_cube_is_gelu_tanh(
// CHECK-NEXT:    graph.gelu %{{.*}} {approximate = "tanh"}
// CHECK-NEXT:    func.return
func.func @tanh_gelu_with_a_product_cube_is_gelu_tanh(%x: tensor<8xf32>) -> tensor<8xf32> {
  %sq = graph.mul %x, %x : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %0 = graph.mul %sq, %x : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %k = arith.constant dense<0.044715> : tensor<f32>
  %1 = graph.mul %0, %k : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %2 = graph.add %1, %x : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %s = arith.constant dense<0.797884583> : tensor<f32>
  %3 = graph.mul %s, %2 : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  %4 = graph.tanh %3 : tensor<8xf32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %5 = graph.add %one, %4 : (tensor<f32>, tensor<8xf32>) -> tensor<8xf32>
  %6 = graph.mul %x, %5 : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %half = arith.constant dense<0.5> : tensor<f32>
  %7 = graph.mul %6, %half : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  func.return %7 : tensor<8xf32>
}

// CHECK-LABEL: func.func @gelu_not_fused_when_the_scale_is_not_a_half(
// CHECK-NOT:     graph.gelu
// CHECK:         graph.erf
func.func @gelu_not_fused_when_the_scale_is_not_a_half(%x: tensor<8xf32>) -> tensor<8xf32> {
  %c = arith.constant dense<1.41421354> : tensor<f32>
  %0 = graph.div %x, %c : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %1 = graph.erf %0 : tensor<8xf32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %2 = graph.add %1, %one : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %3 = graph.mul %x, %2 : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %q = arith.constant dense<0.25> : tensor<f32>
  %4 = graph.mul %3, %q : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  func.return %4 : tensor<8xf32>
}

// CHECK-LABEL: func.func @gelu_not_fused_when_erf_reads_another_value(
// CHECK-NOT:     graph.gelu
// CHECK:         graph.erf
func.func @gelu_not_fused_when_erf_reads_another_value(%x: tensor<8xf32>, %z: tensor<8xf32>) -> tensor<8xf32> {
  %c = arith.constant dense<1.41421354> : tensor<f32>
  %0 = graph.div %z, %c : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %1 = graph.erf %0 : tensor<8xf32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %2 = graph.add %1, %one : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %3 = graph.mul %x, %2 : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %half = arith.constant dense<0.5> : tensor<f32>
  %4 = graph.mul %3, %half : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  func.return %4 : tensor<8xf32>
}

// The erf's value is also returned: rebuilding gelu would compute it twice.
// CHECK-LABEL: func.func @gelu_not_fused_when_an_intermediate_has_another_use(
// CHECK-NOT:     graph.gelu
// CHECK:         graph.erf
func.func @gelu_not_fused_when_an_intermediate_has_another_use(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %c = arith.constant dense<1.41421354> : tensor<f32>
  %0 = graph.div %x, %c : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %1 = graph.erf %0 : tensor<8xf32>
  %one = arith.constant dense<1.0> : tensor<f32>
  %2 = graph.add %1, %one : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  %3 = graph.mul %x, %2 : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %half = arith.constant dense<0.5> : tensor<f32>
  %4 = graph.mul %3, %half : (tensor<8xf32>, tensor<f32>) -> tensor<8xf32>
  func.return %4, %1 : tensor<8xf32>, tensor<8xf32>
}

// ----- layer_norm ----------------------------------------------------------- //

// As torch.onnx.export writes nn.LayerNorm before opset 17, with its affine.
// CHECK-LABEL: func.func @decomposed_layer_norm_is_layer_norm(
// CHECK-SAME:      %[[X:.*]]: tensor<2x4x8xf32>, %[[G:.*]]: tensor<8xf32>, %[[B:.*]]: tensor<8xf32>)
// CHECK-NEXT:    %[[Y:.*]] = graph.layer_norm %[[X]] scale(%[[G]] : tensor<8xf32>) bias(%[[B]] : tensor<8xf32>) {axis = -1 : i64, epsilon = 1.000000e-05 : f64} : tensor<2x4x8xf32>
// CHECK-NEXT:    func.return %[[Y]]
func.func @decomposed_layer_norm_is_layer_norm(%x: tensor<2x4x8xf32>, %g: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<2x4x8xf32> {
  %m = graph.reduce_mean %x {axes = array<i64: -1>} : (tensor<2x4x8xf32>) -> tensor<2x4x1xf32>
  %d = graph.sub %x, %m : (tensor<2x4x8xf32>, tensor<2x4x1xf32>) -> tensor<2x4x8xf32>
  %two = arith.constant dense<2.0> : tensor<f32>
  %sq = graph.pow %d, %two : (tensor<2x4x8xf32>, tensor<f32>) -> tensor<2x4x8xf32>
  %v = graph.reduce_mean %sq {axes = array<i64: -1>} : (tensor<2x4x8xf32>) -> tensor<2x4x1xf32>
  %eps = arith.constant dense<9.99999974E-6> : tensor<f32>
  %ve = graph.add %v, %eps : (tensor<2x4x1xf32>, tensor<f32>) -> tensor<2x4x1xf32>
  %s = graph.sqrt %ve : tensor<2x4x1xf32>
  %n = graph.div %d, %s : (tensor<2x4x8xf32>, tensor<2x4x1xf32>) -> tensor<2x4x8xf32>
  %scaled = graph.mul %n, %g : (tensor<2x4x8xf32>, tensor<8xf32>) -> tensor<2x4x8xf32>
  %y = graph.add %scaled, %b : (tensor<2x4x8xf32>, tensor<8xf32>) -> tensor<2x4x8xf32>
  func.return %y : tensor<2x4x8xf32>
}

// d * d for the square, rsqrt for the root, over the last two dims.
// CHECK-LABEL: func.func @rsqrt_layer_norm_over_two_dims_is_layer_norm(
// CHECK-SAME:      %[[X:.*]]: tensor<2x4x8xf32>)
// CHECK-NEXT:    %[[Y:.*]] = graph.layer_norm %[[X]] {axis = -2 : i64, epsilon = 1.000000e-03 : f64} : tensor<2x4x8xf32>
// CHECK-NEXT:    func.return %[[Y]]
func.func @rsqrt_layer_norm_over_two_dims_is_layer_norm(%x: tensor<2x4x8xf32>) -> tensor<2x4x8xf32> {
  %m = graph.reduce_mean %x {axes = array<i64: 1, 2>} : (tensor<2x4x8xf32>) -> tensor<2x1x1xf32>
  %d = graph.sub %x, %m : (tensor<2x4x8xf32>, tensor<2x1x1xf32>) -> tensor<2x4x8xf32>
  %sq = graph.mul %d, %d : (tensor<2x4x8xf32>, tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  %v = graph.reduce_mean %sq {axes = array<i64: 1, 2>} : (tensor<2x4x8xf32>) -> tensor<2x1x1xf32>
  %eps = arith.constant dense<1.0E-3> : tensor<f32>
  %ve = graph.add %eps, %v : (tensor<f32>, tensor<2x1x1xf32>) -> tensor<2x1x1xf32>
  %r = graph.rsqrt %ve : tensor<2x1x1xf32>
  %n = graph.mul %r, %d : (tensor<2x1x1xf32>, tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  func.return %n : tensor<2x4x8xf32>
}

// CHECK-LABEL: func.func @layer_norm_not_fused_when_the_axes_are_not_trailing(
// CHECK-NOT:     graph.layer_norm
// CHECK:         graph.reduce_mean
func.func @layer_norm_not_fused_when_the_axes_are_not_trailing(%x: tensor<2x4x8xf32>) -> tensor<2x4x8xf32> {
  %m = graph.reduce_mean %x {axes = array<i64: 1>} : (tensor<2x4x8xf32>) -> tensor<2x1x8xf32>
  %d = graph.sub %x, %m : (tensor<2x4x8xf32>, tensor<2x1x8xf32>) -> tensor<2x4x8xf32>
  %sq = graph.mul %d, %d : (tensor<2x4x8xf32>, tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  %v = graph.reduce_mean %sq {axes = array<i64: 1>} : (tensor<2x4x8xf32>) -> tensor<2x1x8xf32>
  %eps = arith.constant dense<1.0E-5> : tensor<f32>
  %ve = graph.add %v, %eps : (tensor<2x1x8xf32>, tensor<f32>) -> tensor<2x1x8xf32>
  %s = graph.sqrt %ve : tensor<2x1x8xf32>
  %n = graph.div %d, %s : (tensor<2x4x8xf32>, tensor<2x1x8xf32>) -> tensor<2x4x8xf32>
  func.return %n : tensor<2x4x8xf32>
}

// CHECK-LABEL: func.func @layer_norm_not_fused_when_the_variance_has_other_axes(
// CHECK-NOT:     graph.layer_norm
// CHECK:         graph.reduce_mean
func.func @layer_norm_not_fused_when_the_variance_has_other_axes(%x: tensor<2x4x8xf32>) -> tensor<2x4x8xf32> {
  %m = graph.reduce_mean %x {axes = array<i64: 2>} : (tensor<2x4x8xf32>) -> tensor<2x4x1xf32>
  %d = graph.sub %x, %m : (tensor<2x4x8xf32>, tensor<2x4x1xf32>) -> tensor<2x4x8xf32>
  %sq = graph.mul %d, %d : (tensor<2x4x8xf32>, tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  %v = graph.reduce_mean %sq {axes = array<i64: 1, 2>} : (tensor<2x4x8xf32>) -> tensor<2x1x1xf32>
  %eps = arith.constant dense<1.0E-5> : tensor<f32>
  %ve = graph.add %v, %eps : (tensor<2x1x1xf32>, tensor<f32>) -> tensor<2x1x1xf32>
  %s = graph.sqrt %ve : tensor<2x1x1xf32>
  %n = graph.div %d, %s : (tensor<2x4x8xf32>, tensor<2x1x1xf32>) -> tensor<2x4x8xf32>
  func.return %n : tensor<2x4x8xf32>
}

// The centered value is also returned.
// CHECK-LABEL: func.func @layer_norm_not_fused_when_the_centered_value_has_another_use(
// CHECK-NOT:     graph.layer_norm
// CHECK:         graph.reduce_mean
func.func @layer_norm_not_fused_when_the_centered_value_has_another_use(%x: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %m = graph.reduce_mean %x {axes = array<i64: 1>} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %d = graph.sub %x, %m : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  %sq = graph.mul %d, %d : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %v = graph.reduce_mean %sq {axes = array<i64: 1>} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %eps = arith.constant dense<1.0E-5> : tensor<f32>
  %ve = graph.add %v, %eps : (tensor<4x1xf32>, tensor<f32>) -> tensor<4x1xf32>
  %s = graph.sqrt %ve : tensor<4x1xf32>
  %n = graph.div %d, %s : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  func.return %n, %d : tensor<4x8xf32>, tensor<4x8xf32>
}

// CHECK-LABEL: func.func @layer_norm_not_fused_when_epsilon_is_not_a_constant(
// CHECK-NOT:     graph.layer_norm
// CHECK:         graph.reduce_mean
func.func @layer_norm_not_fused_when_epsilon_is_not_a_constant(%x: tensor<4x8xf32>, %eps: tensor<f32>) -> tensor<4x8xf32> {
  %m = graph.reduce_mean %x {axes = array<i64: 1>} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %d = graph.sub %x, %m : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  %sq = graph.mul %d, %d : (tensor<4x8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  %v = graph.reduce_mean %sq {axes = array<i64: 1>} : (tensor<4x8xf32>) -> tensor<4x1xf32>
  %ve = graph.add %v, %eps : (tensor<4x1xf32>, tensor<f32>) -> tensor<4x1xf32>
  %s = graph.sqrt %ve : tensor<4x1xf32>
  %n = graph.div %d, %s : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  func.return %n : tensor<4x8xf32>
}

// A scale that does not broadcast to the normalized dims stays a mul.
// CHECK-LABEL: func.func @layer_norm_scale_not_fused_when_it_is_per_row(
// CHECK:         %[[N:.*]] = graph.layer_norm %{{.*}} : tensor<4x8xf32>
// CHECK-NEXT:    graph.mul %[[N]]
func.func @layer_norm_scale_not_fused_when_it_is_per_row(%x: tensor<4x8xf32>, %g: tensor<4x1xf32>) -> tensor<4x8xf32> {
  %n = graph.layer_norm %x : tensor<4x8xf32>
  %y = graph.mul %n, %g : (tensor<4x8xf32>, tensor<4x1xf32>) -> tensor<4x8xf32>
  func.return %y : tensor<4x8xf32>
}

// ONNX LayerNormalization with the default scale (ones) and bias (zeros).
// CHECK-LABEL: func.func @neutral_layer_norm_affine_is_erased(
// CHECK-SAME:      %[[X:.*]]: tensor<4x8xf32>)
// CHECK-NEXT:    %[[Y:.*]] = graph.layer_norm %[[X]] {axis = 1 : i64} : tensor<4x8xf32>
// CHECK-NEXT:    func.return %[[Y]]
func.func @neutral_layer_norm_affine_is_erased(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %one = arith.constant dense<1.0> : tensor<8xf32>
  %zero = arith.constant dense<0.0> : tensor<8xf32>
  %y = graph.layer_norm %x scale(%one : tensor<8xf32>) bias(%zero : tensor<8xf32>) {axis = 1 : i64} : tensor<4x8xf32>
  func.return %y : tensor<4x8xf32>
}
