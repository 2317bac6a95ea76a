// RUN: mlc-opt %s -p convert-graph-to-linalg | filecheck %s

// Contractions and window ops: named linalg ops where they exist, generics
// otherwise, windows padded with tensor.pad first; f16 computes in f32.
// Operands are %a, %b, ... and captured as A, B, ...; unsigned element types
// become signless.

// CHECK-LABEL: func.func @linear(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<4x3xf32>
// CHECK-SAME:      %[[C:[a-z0-9]+]]: tensor<4xf32>
// CHECK:           %[[BIAS:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>]
// CHECK:           ins(%[[C]] : tensor<4xf32>)
// CHECK:           %[[R:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK:           ins(%[[A]], %[[B]] : tensor<2x3xf32>, tensor<4x3xf32>) outs(%[[BIAS]] : tensor<2x4xf32>)
// CHECK:           arith.mulf
// CHECK:           arith.addf
// CHECK:           func.return %[[R]]
// CHECK-NOT:       graph.
func.func @linear(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>, %c: tensor<4xf32>) -> tensor<2x4xf32> {
  %0 = graph.linear %a, %b, %c : (tensor<2x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  func.return %0 : tensor<2x4xf32>
}

// CHECK-LABEL: func.func @linear_no_bias_3d(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x2x3xf32>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<4x3xf32>
// CHECK:           %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:           %[[INIT:.*]] = tensor.empty() : tensor<2x2x4xf32>
// CHECK:           %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[INIT]] : tensor<2x2x4xf32>)
// CHECK:           affine_map<(d0, d1, d2, d3) -> (d2, d3)>
// CHECK:           outs(%[[FILL]] : tensor<2x2x4xf32>)
// CHECK-NOT:       graph.
func.func @linear_no_bias_3d(%a: tensor<2x2x3xf32>, %b: tensor<4x3xf32>) -> tensor<2x2x4xf32> {
  %0 = graph.linear %a, %b : (tensor<2x2x3xf32>, tensor<4x3xf32>) -> tensor<2x2x4xf32>
  func.return %0 : tensor<2x2x4xf32>
}

// CHECK-LABEL: func.func @linear_f16(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf16>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<4x3xf16>
// CHECK:           arith.extf {{.*}} : f16 to f32
// CHECK:           arith.extf {{.*}} : f16 to f32
// CHECK:           arith.mulf {{.*}} : f32
// CHECK:           arith.truncf {{.*}} : f32 to f16
// CHECK-NOT:       graph.
func.func @linear_f16(%a: tensor<2x3xf16>, %b: tensor<4x3xf16>) -> tensor<2x4xf16> {
  %0 = graph.linear %a, %b : (tensor<2x3xf16>, tensor<4x3xf16>) -> tensor<2x4xf16>
  func.return %0 : tensor<2x4xf16>
}

// CHECK-LABEL: func.func @matmul(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<3x4xf32>
// CHECK:           %[[FILL:.*]] = linalg.fill
// CHECK:           %[[R:.*]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<2x3xf32>, tensor<3x4xf32>) outs(%[[FILL]] : tensor<2x4xf32>)
// CHECK:           func.return %[[R]]
// CHECK-NOT:       graph.
func.func @matmul(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  %0 = graph.matmul %a, %b : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  func.return %0 : tensor<2x4xf32>
}

// CHECK-LABEL: func.func @matmul_batch_broadcast(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x1x2x3xf32>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<3x3x2xf32>
// CHECK:           linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4) -> (d0, 0, d2, d4)>, affine_map<(d0, d1, d2, d3, d4) -> (d1, d4, d3)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
// CHECK-NOT:       graph.
func.func @matmul_batch_broadcast(%a: tensor<2x1x2x3xf32>, %b: tensor<3x3x2xf32>) -> tensor<2x3x2x2xf32> {
  %0 = graph.matmul %a, %b : (tensor<2x1x2x3xf32>, tensor<3x3x2xf32>) -> tensor<2x3x2x2xf32>
  func.return %0 : tensor<2x3x2x2xf32>
}

// CHECK-LABEL: func.func @matmul_vector(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<3xf32>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<2x3x4xf32>
// CHECK:           affine_map<(d0, d1, d2) -> (d2)>, affine_map<(d0, d1, d2) -> (d0, d2, d1)>
// CHECK-NOT:       graph.
func.func @matmul_vector(%a: tensor<3xf32>, %b: tensor<2x3x4xf32>) -> tensor<2x4xf32> {
  %0 = graph.matmul %a, %b : (tensor<3xf32>, tensor<2x3x4xf32>) -> tensor<2x4xf32>
  func.return %0 : tensor<2x4xf32>
}

// CHECK-LABEL: func.func @matmul_matrix_vector(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<3xf32>
// CHECK:           linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]}
// CHECK-NOT:       graph.
func.func @matmul_matrix_vector(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2xf32> {
  %0 = graph.matmul %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// CHECK-LABEL: func.func @conv2d_pads_bias(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<1x2x4x4xf32>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<2x2x3x3xf32>
// CHECK-SAME:      %[[C:[a-z0-9]+]]: tensor<2xf32>
// CHECK:           %[[PAD:.*]] = tensor.pad %[[A]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK:           tensor.yield
// CHECK:           %[[BIAS:.*]] = linalg.generic
// CHECK:           ins(%[[C]] : tensor<2xf32>)
// CHECK:           %[[R:.*]] = linalg.conv_2d_nchw_fchw {strides = dense<1> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>} ins(%[[PAD]], %[[B]] : tensor<1x2x6x6xf32>, tensor<2x2x3x3xf32>) outs(%[[BIAS]] : tensor<1x2x4x4xf32>)
// CHECK:           func.return %[[R]]
// CHECK-NOT:       graph.
func.func @conv2d_pads_bias(%a: tensor<1x2x4x4xf32>, %b: tensor<2x2x3x3xf32>, %c: tensor<2xf32>) -> tensor<1x2x4x4xf32> {
  %0 = graph.conv2d %a, %b, %c {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x4xf32>, tensor<2x2x3x3xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  func.return %0 : tensor<1x2x4x4xf32>
}

// CHECK-LABEL: func.func @conv2d_strides_dilations(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<1x2x5x5xf32>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<3x2x2x2xf32>
// CHECK:           linalg.conv_2d_nchw_fchw {strides = dense<2> : tensor<2xi64>, dilations = dense<2> : tensor<2xi64>} ins(%[[A]], %[[B]] :
// CHECK-NOT:       graph.
func.func @conv2d_strides_dilations(%a: tensor<1x2x5x5xf32>, %b: tensor<3x2x2x2xf32>) -> tensor<1x3x2x2xf32> {
  %0 = graph.conv2d %a, %b {dilations = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x2x5x5xf32>, tensor<3x2x2x2xf32>) -> tensor<1x3x2x2xf32>
  func.return %0 : tensor<1x3x2x2xf32>
}

// CHECK-LABEL: func.func @conv2d_groups(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<1x4x3x3xf32>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<4x2x2x2xf32>
// CHECK:           affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, (((d1 floordiv 2) * 2) + d4), (d2 + d5), (d3 + d6))>
// CHECK:           iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]
// CHECK-NOT:       graph.
func.func @conv2d_groups(%a: tensor<1x4x3x3xf32>, %b: tensor<4x2x2x2xf32>) -> tensor<1x4x2x2xf32> {
  %0 = graph.conv2d %a, %b {groups = 2 : i64} : (tensor<1x4x3x3xf32>, tensor<4x2x2x2xf32>) -> tensor<1x4x2x2xf32>
  func.return %0 : tensor<1x4x2x2xf32>
}

// CHECK-LABEL: func.func @max_pool2d(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<1x2x4x4xf32>
// CHECK:           %[[NEGINF:.*]] = arith.constant 0xff800000 : f32
// CHECK:           %[[FILL:.*]] = linalg.fill ins(%[[NEGINF]] : f32)
// CHECK:           %[[WIN:.*]] = tensor.empty() : tensor<2x2xf32>
// CHECK:           linalg.pooling_nchw_max {strides = dense<2> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>} ins(%[[A]], %[[WIN]] : tensor<1x2x4x4xf32>, tensor<2x2xf32>) outs(%[[FILL]] : tensor<1x2x2x2xf32>)
// CHECK-NOT:       graph.
func.func @max_pool2d(%a: tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32> {
  %0 = graph.max_pool2d %a {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32>
  func.return %0 : tensor<1x2x2x2xf32>
}

// CHECK-LABEL: func.func @max_pool2d_pads_ceil(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<1x1x5x5xf32>
// CHECK:           %[[PAD:.*]] = tensor.pad %[[A]] low[0, 0, 1, 1] high[0, 0, 0, 0]
// CHECK:           arith.constant 0xff800000 : f32
// CHECK:           linalg.pooling_nchw_max {{.*}} ins(%[[PAD]], %{{.*}} : tensor<1x1x6x6xf32>, tensor<2x2xf32>)
// CHECK-NOT:       graph.
func.func @max_pool2d_pads_ceil(%a: tensor<1x1x5x5xf32>) -> tensor<1x1x3x3xf32> {
  %0 = graph.max_pool2d %a {ceil_mode = true, kernel = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x1x5x5xf32>) -> tensor<1x1x3x3xf32>
  func.return %0 : tensor<1x1x3x3xf32>
}

// CHECK-LABEL: func.func @avg_pool2d_exclude_pad(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<1x1x4x4xf32>
// CHECK:           %[[PAD:.*]] = tensor.pad %[[A]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK:           %[[SUM:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, (d2 + d4), (d3 + d5))>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>
// CHECK:           %[[ONES:.*]] = linalg.fill {{.*}} -> tensor<1x1x4x4xf32>
// CHECK:           %[[MASK:.*]] = tensor.pad %[[ONES]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK:           %[[COUNT:.*]] = linalg.generic
// CHECK:           ins(%[[MASK]], %{{.*}} : tensor<1x1x6x6xf32>, tensor<3x3xf32>)
// CHECK:           linalg.generic
// CHECK:           ins(%[[SUM]], %[[COUNT]] :
// CHECK:           arith.divf
// CHECK-NOT:       graph.
func.func @avg_pool2d_exclude_pad(%a: tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32> {
  %0 = graph.avg_pool2d %a {kernel = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32>
  func.return %0 : tensor<1x1x4x4xf32>
}

// CHECK-LABEL: func.func @avg_pool2d_include_pad_ceil(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<1x2x5x5xf32>
// CHECK:           tensor.pad %[[A]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK:           %[[ONES:.*]] = linalg.fill {{.*}} -> tensor<1x1x6x6xf32>
// CHECK:           tensor.pad %[[ONES]] low[0, 0, 0, 0] high[0, 0, 1, 1]
// CHECK:           affine_map<(d0, d1, d2, d3) -> (d0, 0, d2, d3)>
// CHECK:           arith.divf
// CHECK-NOT:       graph.
func.func @avg_pool2d_include_pad_ceil(%a: tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32> {
  %0 = graph.avg_pool2d %a {ceil_mode = true, count_include_pad = true, kernel = array<i64: 3, 3>, pads = array<i64: 1, 1, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32>
  func.return %0 : tensor<1x2x3x3xf32>
}

// CHECK-LABEL: func.func @avg_pool2d_f16(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<1x1x4x4xf16>
// CHECK:           arith.extf
// CHECK:           arith.divf {{.*}} : f32
// CHECK:           arith.truncf {{.*}} : f32 to f16
// CHECK-NOT:       graph.
func.func @avg_pool2d_f16(%a: tensor<1x1x4x4xf16>) -> tensor<1x1x2x2xf16> {
  %0 = graph.avg_pool2d %a {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x1x4x4xf16>) -> tensor<1x1x2x2xf16>
  func.return %0 : tensor<1x1x2x2xf16>
}

// CHECK-LABEL: func.func @global_avg_pool2d(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x2x3x3xf32>
// CHECK:           linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, 0, 0)>], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
// CHECK:           arith.constant 9.000000e+00 : f32
// CHECK:           arith.divf
// CHECK-NOT:       graph.
func.func @global_avg_pool2d(%a: tensor<2x2x3x3xf32>) -> tensor<2x2x1x1xf32> {
  %0 = graph.global_avg_pool2d %a : (tensor<2x2x3x3xf32>) -> tensor<2x2x1x1xf32>
  func.return %0 : tensor<2x2x1x1xf32>
}

// A linear whose weight is a single-use 2-D transpose reads the transpose's
// input through its map (k, n): no copy.
// CHECK-LABEL: func.func @linear_of_transposed_weight(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: tensor<2x5x3xf32>, %[[W:[a-z0-9]+]]: tensor<3x4xf32>
// CHECK-NOT:       linalg.transpose
// CHECK:           linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>, affine_map<(d0, d1, d2, d3) -> (d3, d2)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%[[X]], %[[W]] : tensor<2x5x3xf32>, tensor<3x4xf32>)
// CHECK-NOT:       linalg.transpose
func.func @linear_of_transposed_weight(%x: tensor<2x5x3xf32>, %w: tensor<3x4xf32>) -> tensor<2x5x4xf32> {
  %t = graph.transpose %w {perm = array<i64: 1, 0>} : (tensor<3x4xf32>) -> tensor<4x3xf32>
  %y = graph.linear %x, %t : (tensor<2x5x3xf32>, tensor<4x3xf32>) -> tensor<2x5x4xf32>
  func.return %y : tensor<2x5x4xf32>
}
