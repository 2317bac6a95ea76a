// RUN: MLC_ROUNDTRIP
// RUN: MLC_GENERIC_ROUNDTRIP

// Every reduction op in its custom form, with and without `axes` and
// `keepdims`; the generic RUN line checks that the generic form parses back to
// the same custom text.

// CHECK-LABEL: func.func @reduce_sum_axes_without_keepdims(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT:    %[[Y:.*]] = graph.reduce_sum %[[X]] {axes = array<i64: 1>, keepdims = false} : (tensor<2x3xf32>) -> tensor<2xf32>
// CHECK-NEXT:    func.return %[[Y]] : tensor<2xf32>
func.func @reduce_sum_axes_without_keepdims(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  %y = graph.reduce_sum %x {axes = array<i64: 1>, keepdims = false} : (tensor<2x3xf32>) -> tensor<2xf32>
  func.return %y : tensor<2xf32>
}

// No `axes` reduces every dim; `keepdims` defaults to true.
// CHECK-LABEL: func.func @reduce_sum_all_axes(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xi32>)
// CHECK-NEXT:    %[[Y:.*]] = graph.reduce_sum %[[X]] : (tensor<2x3xi32>) -> tensor<1x1xi32>
// CHECK-NEXT:    func.return %[[Y]]
func.func @reduce_sum_all_axes(%x: tensor<2x3xi32>) -> tensor<1x1xi32> {
  %0 = graph.reduce_sum %x : (tensor<2x3xi32>) -> tensor<1x1xi32>
  func.return %0 : tensor<1x1xi32>
}

// An empty `axes` also reduces every dim, and stays spelled out.
// CHECK-LABEL: func.func @reduce_sum_empty_axes(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xui8>)
// CHECK-NEXT:    %{{.*}} = graph.reduce_sum %[[X]] {axes = array<i64>, keepdims = false} : (tensor<2x3xui8>) -> tensor<ui8>
func.func @reduce_sum_empty_axes(%x: tensor<2x3xui8>) -> tensor<ui8> {
  %0 = graph.reduce_sum %x {keepdims = false, axes = array<i64>} : (tensor<2x3xui8>) -> tensor<ui8>
  func.return %0 : tensor<ui8>
}

// CHECK-LABEL: func.func @reduce_sum_keepdims_true(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3x4xf64>)
// CHECK-NEXT:    %{{.*}} = graph.reduce_sum %[[X]] {axes = array<i64: 0, 2>, keepdims = true} : (tensor<2x3x4xf64>) -> tensor<1x3x1xf64>
func.func @reduce_sum_keepdims_true(%x: tensor<2x3x4xf64>) -> tensor<1x3x1xf64> {
  %0 = graph.reduce_sum %x {axes = array<i64: 0, 2>, keepdims = true} : (tensor<2x3x4xf64>) -> tensor<1x3x1xf64>
  func.return %0 : tensor<1x3x1xf64>
}

// CHECK-LABEL: func.func @reduce_mean_all_axes(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT:    %[[Y:.*]] = graph.reduce_mean %[[X]] : (tensor<2x3xf32>) -> tensor<1x1xf32>
// CHECK-NEXT:    func.return %[[Y]]
func.func @reduce_mean_all_axes(%x: tensor<2x3xf32>) -> tensor<1x1xf32> {
  %y = graph.reduce_mean %x : (tensor<2x3xf32>) -> tensor<1x1xf32>
  func.return %y : tensor<1x1xf32>
}

// CHECK-LABEL: func.func @reduce_mean_keepdims_only(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xf16>)
// CHECK-NEXT:    %{{.*}} = graph.reduce_mean %[[X]] {keepdims = false} : (tensor<2x3xf16>) -> tensor<f16>
func.func @reduce_mean_keepdims_only(%x: tensor<2x3xf16>) -> tensor<f16> {
  %0 = graph.reduce_mean %x {keepdims = false} : (tensor<2x3xf16>) -> tensor<f16>
  func.return %0 : tensor<f16>
}

// Negative axes count from the end.
// CHECK-LABEL: func.func @reduce_max_negative_axis(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xi32>)
// CHECK-NEXT:    %[[Y:.*]] = graph.reduce_max %[[X]] {axes = array<i64: -1>} : (tensor<2x3xi32>) -> tensor<2x1xi32>
// CHECK-NEXT:    func.return %[[Y]]
func.func @reduce_max_negative_axis(%x: tensor<2x3xi32>) -> tensor<2x1xi32> {
  %y = graph.reduce_max %x {axes = array<i64: -1>} : (tensor<2x3xi32>) -> tensor<2x1xi32>
  func.return %y : tensor<2x1xi32>
}

// CHECK-LABEL: func.func @reduce_max_dynamic_dim(
// CHECK-SAME:      %[[X:.*]]: tensor<?x3xf32>)
// CHECK-NEXT:    %{{.*}} = graph.reduce_max %[[X]] {axes = array<i64: 1>, keepdims = false} : (tensor<?x3xf32>) -> tensor<?xf32>
// CHECK-NEXT:    %{{.*}} = graph.reduce_max %[[X]] {axes = array<i64: 0>} : (tensor<?x3xf32>) -> tensor<1x3xf32>
func.func @reduce_max_dynamic_dim(%x: tensor<?x3xf32>) -> tensor<?xf32> {
  %0 = graph.reduce_max %x {axes = array<i64: 1>, keepdims = false} : (tensor<?x3xf32>) -> tensor<?xf32>
  %1 = graph.reduce_max %x {axes = array<i64: 0>} : (tensor<?x3xf32>) -> tensor<1x3xf32>
  func.return %0 : tensor<?xf32>
}

// CHECK-LABEL: func.func @reduce_prod(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xf32>, %[[I:.*]]: tensor<2x3xi64>)
// CHECK-NEXT:    %[[Y:.*]] = graph.reduce_prod %[[X]] {axes = array<i64: 0>, keepdims = false} : (tensor<2x3xf32>) -> tensor<3xf32>
// CHECK-NEXT:    %{{.*}} = graph.reduce_prod %[[I]] : (tensor<2x3xi64>) -> tensor<1x1xi64>
func.func @reduce_prod(%x: tensor<2x3xf32>, %i: tensor<2x3xi64>) -> tensor<3xf32> {
  %y = graph.reduce_prod %x {axes = array<i64: 0>, keepdims = false} : (tensor<2x3xf32>) -> tensor<3xf32>
  %0 = graph.reduce_prod %i : (tensor<2x3xi64>) -> tensor<1x1xi64>
  func.return %y : tensor<3xf32>
}
