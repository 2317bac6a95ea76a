// RUN: MLC_ROUNDTRIP
// RUN: MLC_GENERIC_ROUNDTRIP

// Every neural-network op in its custom form, with and without each optional
// operand and property; the generic RUN line checks that the generic form
// parses back to the same custom text (no operandSegmentSizes leak into it).

// ===== graph.linear =====

// CHECK-LABEL: func.func @linear_with_bias(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xf32>, %[[W:.*]]: tensor<4x3xf32>, %[[B:.*]]: tensor<4xf32>)
// CHECK-NEXT:    %[[Y:.*]] = graph.linear %[[X]], %[[W]], %[[B]] : (tensor<2x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<2x4xf32>
// CHECK-NEXT:    func.return %[[Y]] : tensor<2x4xf32>
func.func @linear_with_bias(%x: tensor<2x3xf32>, %w: tensor<4x3xf32>, %b: tensor<4xf32>) -> tensor<2x4xf32> {
  %y = graph.linear %x, %w, %b : (tensor<2x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  func.return %y : tensor<2x4xf32>
}

// CHECK-LABEL: func.func @linear_without_bias(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xf16>, %[[W:.*]]: tensor<4x3xf16>)
// CHECK-NEXT:    %[[Y:.*]] = graph.linear %[[X]], %[[W]] : (tensor<2x3xf16>, tensor<4x3xf16>) -> tensor<2x4xf16>
// CHECK-NEXT:    func.return %[[Y]]
func.func @linear_without_bias(%x: tensor<2x3xf16>, %w: tensor<4x3xf16>) -> tensor<2x4xf16> {
  %0 = graph.linear %x, %w : (tensor<2x3xf16>, tensor<4x3xf16>) -> tensor<2x4xf16>
  func.return %0 : tensor<2x4xf16>
}

// CHECK-LABEL: func.func @linear_batched_and_vector_inputs(
// CHECK-SAME:      %[[X:.*]]: tensor<5x2x3xf64>, %[[V:.*]]: tensor<3xf64>, %[[W:.*]]: tensor<4x3xf64>)
// CHECK-NEXT:    %{{.*}} = graph.linear %[[X]], %[[W]] : (tensor<5x2x3xf64>, tensor<4x3xf64>) -> tensor<5x2x4xf64>
// CHECK-NEXT:    %{{.*}} = graph.linear %[[V]], %[[W]] : (tensor<3xf64>, tensor<4x3xf64>) -> tensor<4xf64>
func.func @linear_batched_and_vector_inputs(%x: tensor<5x2x3xf64>, %v: tensor<3xf64>, %w: tensor<4x3xf64>) -> tensor<4xf64> {
  %0 = graph.linear %x, %w : (tensor<5x2x3xf64>, tensor<4x3xf64>) -> tensor<5x2x4xf64>
  %1 = graph.linear %v, %w : (tensor<3xf64>, tensor<4x3xf64>) -> tensor<4xf64>
  func.return %1 : tensor<4xf64>
}

// CHECK-LABEL: func.func @linear_dynamic_batch(
// CHECK:         graph.linear %{{.*}}, %{{.*}}, %{{.*}} : (tensor<?x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<?x4xf32>
func.func @linear_dynamic_batch(%x: tensor<?x3xf32>, %w: tensor<4x3xf32>, %b: tensor<4xf32>) -> tensor<?x4xf32> {
  %0 = graph.linear %x, %w, %b : (tensor<?x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  func.return %0 : tensor<?x4xf32>
}

// ===== graph.matmul =====

// CHECK-LABEL: func.func @matmul_2d(
// CHECK-SAME:      %[[A:.*]]: tensor<2x3xf32>, %[[B:.*]]: tensor<3x4xf32>)
// CHECK-NEXT:    %[[Z:.*]] = graph.matmul %[[A]], %[[B]] : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
// CHECK-NEXT:    func.return %[[Z]]
func.func @matmul_2d(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  %z = graph.matmul %a, %b : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  func.return %z : tensor<2x4xf32>
}

// CHECK-LABEL: func.func @matmul_vector_operands(
// CHECK-SAME:      %[[V:.*]]: tensor<3xf32>, %[[M:.*]]: tensor<3x4xf32>, %[[N:.*]]: tensor<2x3xf32>)
// CHECK-NEXT:    %{{.*}} = graph.matmul %[[V]], %[[M]] : (tensor<3xf32>, tensor<3x4xf32>) -> tensor<4xf32>
// CHECK-NEXT:    %{{.*}} = graph.matmul %[[N]], %[[V]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2xf32>
// CHECK-NEXT:    %{{.*}} = graph.matmul %[[V]], %[[V]] : (tensor<3xf32>, tensor<3xf32>) -> tensor<f32>
func.func @matmul_vector_operands(%v: tensor<3xf32>, %m: tensor<3x4xf32>, %n: tensor<2x3xf32>) -> tensor<f32> {
  %0 = graph.matmul %v, %m : (tensor<3xf32>, tensor<3x4xf32>) -> tensor<4xf32>
  %1 = graph.matmul %n, %v : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2xf32>
  %2 = graph.matmul %v, %v : (tensor<3xf32>, tensor<3xf32>) -> tensor<f32>
  func.return %2 : tensor<f32>
}

// CHECK-LABEL: func.func @matmul_broadcasts_batch_dims(
// CHECK-SAME:      %[[A:.*]]: tensor<5x1x2x3xf32>, %[[B:.*]]: tensor<4x3x2xf32>)
// CHECK-NEXT:    %{{.*}} = graph.matmul %[[A]], %[[B]] : (tensor<5x1x2x3xf32>, tensor<4x3x2xf32>) -> tensor<5x4x2x2xf32>
func.func @matmul_broadcasts_batch_dims(%a: tensor<5x1x2x3xf32>, %b: tensor<4x3x2xf32>) -> tensor<5x4x2x2xf32> {
  %0 = graph.matmul %a, %b : (tensor<5x1x2x3xf32>, tensor<4x3x2xf32>) -> tensor<5x4x2x2xf32>
  func.return %0 : tensor<5x4x2x2xf32>
}

// ===== graph.conv2d =====

// CHECK-LABEL: func.func @conv2d_defaults(
// CHECK-SAME:      %[[X:.*]]: tensor<1x3x4x4xf32>, %[[W:.*]]: tensor<2x3x3x3xf32>)
// CHECK-NEXT:    %[[Y:.*]] = graph.conv2d %[[X]], %[[W]] : (tensor<1x3x4x4xf32>, tensor<2x3x3x3xf32>) -> tensor<1x2x2x2xf32>
// CHECK-NEXT:    func.return %[[Y]]
func.func @conv2d_defaults(%x: tensor<1x3x4x4xf32>, %w: tensor<2x3x3x3xf32>) -> tensor<1x2x2x2xf32> {
  %0 = graph.conv2d %x, %w : (tensor<1x3x4x4xf32>, tensor<2x3x3x3xf32>) -> tensor<1x2x2x2xf32>
  func.return %0 : tensor<1x2x2x2xf32>
}

// CHECK-LABEL: func.func @conv2d_with_bias_and_pads(
// CHECK-SAME:      %[[X:.*]]: tensor<1x3x4x4xf32>, %[[W:.*]]: tensor<2x3x3x3xf32>, %[[B:.*]]: tensor<2xf32>)
// CHECK-NEXT:    %[[Y:.*]] = graph.conv2d %[[X]], %[[W]], %[[B]] {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x3x4x4xf32>, tensor<2x3x3x3xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
// CHECK-NEXT:    func.return %[[Y]]
func.func @conv2d_with_bias_and_pads(%x: tensor<1x3x4x4xf32>, %w: tensor<2x3x3x3xf32>, %b: tensor<2xf32>) -> tensor<1x2x4x4xf32> {
  %y = graph.conv2d %x, %w, %b {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x3x4x4xf32>, tensor<2x3x3x3xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  func.return %y : tensor<1x2x4x4xf32>
}

// Properties print in name order, whatever order they were written in.
// CHECK-LABEL: func.func @conv2d_every_property(
// CHECK-SAME:      %[[X:.*]]: tensor<2x4x7x7xf32>, %[[W:.*]]: tensor<6x2x3x3xf32>)
// CHECK-NEXT:    %{{.*}} = graph.conv2d %[[X]], %[[W]] {dilations = array<i64: 2, 1>, groups = 2 : i64, pads = array<i64: 1, 0, 1, 2>, strides = array<i64: 2, 3>} : (tensor<2x4x7x7xf32>, tensor<6x2x3x3xf32>) -> tensor<2x6x3x3xf32>
func.func @conv2d_every_property(%x: tensor<2x4x7x7xf32>, %w: tensor<6x2x3x3xf32>) -> tensor<2x6x3x3xf32> {
  %0 = graph.conv2d %x, %w {strides = array<i64: 2, 3>, pads = array<i64: 1, 0, 1, 2>, dilations = array<i64: 2, 1>, groups = 2 : i64} : (tensor<2x4x7x7xf32>, tensor<6x2x3x3xf32>) -> tensor<2x6x3x3xf32>
  func.return %0 : tensor<2x6x3x3xf32>
}

// Properties spelled out at their default values stay spelled out.
// CHECK-LABEL: func.func @conv2d_explicit_defaults(
// CHECK:         graph.conv2d %{{.*}}, %{{.*}} {dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x3x3xf64>, tensor<1x1x3x3xf64>) -> tensor<1x1x1x1xf64>
func.func @conv2d_explicit_defaults(%x: tensor<1x1x3x3xf64>, %w: tensor<1x1x3x3xf64>) -> tensor<1x1x1x1xf64> {
  %0 = graph.conv2d %x, %w {dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x1x3x3xf64>, tensor<1x1x3x3xf64>) -> tensor<1x1x1x1xf64>
  func.return %0 : tensor<1x1x1x1xf64>
}

// CHECK-LABEL: func.func @conv2d_dynamic_batch(
// CHECK:         graph.conv2d %{{.*}}, %{{.*}}, %{{.*}} {strides = array<i64: 2, 2>} : (tensor<?x1x5x5xf32>, tensor<3x1x3x3xf32>, tensor<3xf32>) -> tensor<?x3x2x2xf32>
func.func @conv2d_dynamic_batch(%x: tensor<?x1x5x5xf32>, %w: tensor<3x1x3x3xf32>, %b: tensor<3xf32>) -> tensor<?x3x2x2xf32> {
  %0 = graph.conv2d %x, %w, %b {strides = array<i64: 2, 2>} : (tensor<?x1x5x5xf32>, tensor<3x1x3x3xf32>, tensor<3xf32>) -> tensor<?x3x2x2xf32>
  func.return %0 : tensor<?x3x2x2xf32>
}

// ===== graph.max_pool2d =====

// CHECK-LABEL: func.func @max_pool2d_kernel_only(
// CHECK-SAME:      %[[X:.*]]: tensor<1x1x4x4xf32>)
// CHECK-NEXT:    %[[Y:.*]] = graph.max_pool2d %[[X]] {kernel = array<i64: 2, 2>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x3x3xf32>
// CHECK-NEXT:    func.return %[[Y]]
func.func @max_pool2d_kernel_only(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x3x3xf32> {
  %0 = graph.max_pool2d %x {kernel = array<i64: 2, 2>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x3x3xf32>
  func.return %0 : tensor<1x1x3x3xf32>
}

// CHECK-LABEL: func.func @max_pool2d_strides(
// CHECK-SAME:      %[[X:.*]]: tensor<1x1x4x4xf32>)
// CHECK-NEXT:    %[[Y:.*]] = graph.max_pool2d %[[X]] {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32>
func.func @max_pool2d_strides(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32> {
  %y = graph.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32>
  func.return %y : tensor<1x1x2x2xf32>
}

// CHECK-LABEL: func.func @max_pool2d_every_property(
// CHECK:         graph.max_pool2d %{{.*}} {ceil_mode = true, dilations = array<i64: 2, 2>, kernel = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x6x6xf16>) -> tensor<1x2x3x3xf16>
func.func @max_pool2d_every_property(%x: tensor<1x2x6x6xf16>) -> tensor<1x2x3x3xf16> {
  %0 = graph.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>, dilations = array<i64: 2, 2>, ceil_mode = true} : (tensor<1x2x6x6xf16>) -> tensor<1x2x3x3xf16>
  func.return %0 : tensor<1x2x3x3xf16>
}

// CHECK-LABEL: func.func @max_pool2d_ceil_mode_false(
// CHECK:         graph.max_pool2d %{{.*}} {ceil_mode = false, kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x1x1xf32>
func.func @max_pool2d_ceil_mode_false(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x1x1xf32> {
  %0 = graph.max_pool2d %x {ceil_mode = false, kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x1x1xf32>
  func.return %0 : tensor<1x1x1x1xf32>
}

// ===== graph.avg_pool2d =====

// CHECK-LABEL: func.func @avg_pool2d_kernel_only(
// CHECK-SAME:      %[[X:.*]]: tensor<1x1x4x4xf32>)
// CHECK-NEXT:    %[[Y:.*]] = graph.avg_pool2d %[[X]] {kernel = array<i64: 2, 2>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x3x3xf32>
// CHECK-NEXT:    func.return %[[Y]]
func.func @avg_pool2d_kernel_only(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x3x3xf32> {
  %0 = graph.avg_pool2d %x {kernel = array<i64: 2, 2>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x3x3xf32>
  func.return %0 : tensor<1x1x3x3xf32>
}

// CHECK-LABEL: func.func @avg_pool2d_count_include_pad(
// CHECK-SAME:      %[[X:.*]]: tensor<1x1x4x4xf32>)
// CHECK-NEXT:    %[[Y:.*]] = graph.avg_pool2d %[[X]] {count_include_pad = true, kernel = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32>
func.func @avg_pool2d_count_include_pad(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32> {
  %y = graph.avg_pool2d %x {count_include_pad = true, kernel = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32>
  func.return %y : tensor<1x1x4x4xf32>
}

// CHECK-LABEL: func.func @avg_pool2d_every_property(
// CHECK:         graph.avg_pool2d %{{.*}} {ceil_mode = true, count_include_pad = false, kernel = array<i64: 3, 3>, pads = array<i64: 0, 1, 0, 1>, strides = array<i64: 2, 2>} : (tensor<1x1x4x4xf64>) -> tensor<1x1x2x3xf64>
func.func @avg_pool2d_every_property(%x: tensor<1x1x4x4xf64>) -> tensor<1x1x2x3xf64> {
  %0 = graph.avg_pool2d %x {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 0, 1, 0, 1>, ceil_mode = true, count_include_pad = false} : (tensor<1x1x4x4xf64>) -> tensor<1x1x2x3xf64>
  func.return %0 : tensor<1x1x2x3xf64>
}

// ===== graph.global_avg_pool2d =====

// CHECK-LABEL: func.func @global_avg_pool2d(
// CHECK-SAME:      %[[X:.*]]: tensor<1x2x3x3xf32>)
// CHECK-NEXT:    %[[Y:.*]] = graph.global_avg_pool2d %[[X]] : (tensor<1x2x3x3xf32>) -> tensor<1x2x1x1xf32>
// CHECK-NEXT:    func.return %[[Y]]
func.func @global_avg_pool2d(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x1x1xf32> {
  %y = graph.global_avg_pool2d %x : (tensor<1x2x3x3xf32>) -> tensor<1x2x1x1xf32>
  func.return %y : tensor<1x2x1x1xf32>
}

// ===== graph.batch_norm =====

// CHECK-LABEL: func.func @batch_norm_default_epsilon(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xf32>, %[[S:.*]]: tensor<3xf32>, %[[B:.*]]: tensor<3xf32>, %[[M:.*]]: tensor<3xf32>, %[[V:.*]]: tensor<3xf32>)
// CHECK-NEXT:    %[[Y:.*]] = graph.batch_norm %[[X]], %[[S]], %[[B]], %[[M]], %[[V]] : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    func.return %[[Y]]
func.func @batch_norm_default_epsilon(%x: tensor<2x3xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>, %m: tensor<3xf32>, %v: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = graph.batch_norm %x, %s, %b, %m, %v : (tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @batch_norm_epsilon(
// CHECK-SAME:      %[[X:.*]]: tensor<1x2x3x3xf32>, %[[S:.*]]: tensor<2xf32>, %[[B:.*]]: tensor<2xf32>, %[[M:.*]]: tensor<2xf32>, %[[V:.*]]: tensor<2xf32>)
// CHECK-NEXT:    %[[Y:.*]] = graph.batch_norm %[[X]], %[[S]], %[[B]], %[[M]], %[[V]] {epsilon = 1.000000e-03 : f64} : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
func.func @batch_norm_epsilon(%x: tensor<1x2x3x3xf32>, %scale: tensor<2xf32>, %bias: tensor<2xf32>, %mean: tensor<2xf32>, %var: tensor<2xf32>) -> tensor<1x2x3x3xf32> {
  %y = graph.batch_norm %x, %scale, %bias, %mean, %var {epsilon = 1.000000e-03 : f64} : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  func.return %y : tensor<1x2x3x3xf32>
}

// ===== graph.layer_norm =====

// CHECK-LABEL: func.func @layer_norm_scale_and_bias(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xf32>, %[[S:.*]]: tensor<3xf32>, %[[B:.*]]: tensor<3xf32>)
// CHECK-NEXT:    %[[Y:.*]] = graph.layer_norm %[[X]] scale(%[[S]] : tensor<3xf32>) bias(%[[B]] : tensor<3xf32>) : tensor<2x3xf32>
// CHECK-NEXT:    func.return %[[Y]]
func.func @layer_norm_scale_and_bias(%x: tensor<2x3xf32>, %s: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  %y = graph.layer_norm %x scale(%s : tensor<3xf32>) bias(%b : tensor<3xf32>) : tensor<2x3xf32>
  func.return %y : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @layer_norm_without_affine(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT:    %[[Y:.*]] = graph.layer_norm %[[X]] : tensor<2x3xf32>
// CHECK-NEXT:    func.return %[[Y]]
func.func @layer_norm_without_affine(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = graph.layer_norm %x : tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @layer_norm_scale_only(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xf32>, %[[S:.*]]: tensor<3xf32>)
// CHECK-NEXT:    %{{.*}} = graph.layer_norm %[[X]] scale(%[[S]] : tensor<3xf32>) : tensor<2x3xf32>
func.func @layer_norm_scale_only(%x: tensor<2x3xf32>, %s: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = graph.layer_norm %x scale(%s : tensor<3xf32>) : tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @layer_norm_bias_only(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xf32>, %[[B:.*]]: tensor<3xf32>)
// CHECK-NEXT:    %{{.*}} = graph.layer_norm %[[X]] bias(%[[B]] : tensor<3xf32>) : tensor<2x3xf32>
func.func @layer_norm_bias_only(%x: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = graph.layer_norm %x bias(%b : tensor<3xf32>) : tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// scale and bias broadcast to the normalized shape (3, 4).
// CHECK-LABEL: func.func @layer_norm_axis_and_epsilon(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3x4xf64>, %[[S:.*]]: tensor<3x4xf64>, %[[B:.*]]: tensor<4xf64>)
// CHECK-NEXT:    %{{.*}} = graph.layer_norm %[[X]] scale(%[[S]] : tensor<3x4xf64>) bias(%[[B]] : tensor<4xf64>) {axis = 1 : i64, epsilon = 1.000000e-06 : f64} : tensor<2x3x4xf64>
// CHECK-NEXT:    %{{.*}} = graph.layer_norm %[[X]] {axis = -2 : i64} : tensor<2x3x4xf64>
func.func @layer_norm_axis_and_epsilon(%x: tensor<2x3x4xf64>, %s: tensor<3x4xf64>, %b: tensor<4xf64>) -> tensor<2x3x4xf64> {
  %0 = graph.layer_norm %x scale(%s : tensor<3x4xf64>) bias(%b : tensor<4xf64>) {epsilon = 1.0e-6 : f64, axis = 1 : i64} : tensor<2x3x4xf64>
  %1 = graph.layer_norm %x {axis = -2 : i64} : tensor<2x3x4xf64>
  func.return %0 : tensor<2x3x4xf64>
}

// ===== graph.softmax, graph.log_softmax =====

// CHECK-LABEL: func.func @softmax_default_axis(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT:    %[[Y:.*]] = graph.softmax %[[X]] : tensor<2x3xf32>
// CHECK-NEXT:    func.return %[[Y]]
func.func @softmax_default_axis(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = graph.softmax %x : tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @softmax_axis(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT:    %[[Y:.*]] = graph.softmax %[[X]] {axis = 1 : i64} : tensor<2x3xf32>
func.func @softmax_axis(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %y = graph.softmax %x {axis = 1 : i64} : tensor<2x3xf32>
  func.return %y : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @log_softmax_default_axis(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT:    %[[Y:.*]] = graph.log_softmax %[[X]] : tensor<2x3xf32>
// CHECK-NEXT:    func.return %[[Y]]
func.func @log_softmax_default_axis(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %y = graph.log_softmax %x : tensor<2x3xf32>
  func.return %y : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @log_softmax_axis(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3x4xf16>)
// CHECK-NEXT:    %{{.*}} = graph.log_softmax %[[X]] {axis = 0 : i64} : tensor<2x3x4xf16>
func.func @log_softmax_axis(%x: tensor<2x3x4xf16>) -> tensor<2x3x4xf16> {
  %0 = graph.log_softmax %x {axis = 0 : i64} : tensor<2x3x4xf16>
  func.return %0 : tensor<2x3x4xf16>
}
