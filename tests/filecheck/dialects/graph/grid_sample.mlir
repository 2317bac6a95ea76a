// RUN: MLC_ROUNDTRIP
// RUN: MLC_GENERIC_ROUNDTRIP

// graph.grid_sample in its custom form; properties print sorted by name. The
// generic RUN line checks that the generic form parses back to the same text.

// CHECK-LABEL: func.func @grid_sample(
// CHECK-SAME:      %[[X:.*]]: tensor<1x2x4x4xf32>, %[[G:.*]]: tensor<1x3x3x2xf32>)
// CHECK-NEXT:    %[[Y:.*]] = graph.grid_sample %[[X]], %[[G]] {mode = "linear", padding_mode = "border"} : (tensor<1x2x4x4xf32>, tensor<1x3x3x2xf32>) -> tensor<1x2x3x3xf32>
// CHECK-NEXT:    func.return %[[Y]]
func.func @grid_sample(%x: tensor<1x2x4x4xf32>, %g: tensor<1x3x3x2xf32>) -> tensor<1x2x3x3xf32> {
  %y = graph.grid_sample %x, %g {mode = "linear", padding_mode = "border"} : (tensor<1x2x4x4xf32>, tensor<1x3x3x2xf32>) -> tensor<1x2x3x3xf32>
  func.return %y : tensor<1x2x3x3xf32>
}

// Volumetric; mode and padding_mode default to linear and zeros.
// CHECK-LABEL: func.func @grid_sample_3d(
// CHECK-NEXT:    graph.grid_sample %{{.*}}, %{{.*}} {align_corners = true} : (tensor<1x1x2x3x4xf64>, tensor<1x2x2x2x3xf64>) -> tensor<1x1x2x2x2xf64>
func.func @grid_sample_3d(%x: tensor<1x1x2x3x4xf64>, %g: tensor<1x2x2x2x3xf64>) -> tensor<1x1x2x2x2xf64> {
  %y = graph.grid_sample %x, %g {align_corners = true} : (tensor<1x1x2x3x4xf64>, tensor<1x2x2x2x3xf64>) -> tensor<1x1x2x2x2xf64>
  func.return %y : tensor<1x1x2x2x2xf64>
}
