// A MobileNet block's depthwise half: 3x3 depthwise conv, stride 2, batch
// norm, clip to [0, 6]; 13 columns end in a partial vector.
func.func @dw(%x: tensor<2x4x25x25xf32>, %w: tensor<4x1x3x3xf32>, %s: tensor<4xf32>, %b: tensor<4xf32>, %m: tensor<4xf32>, %v: tensor<4xf32>) -> tensor<2x4x13x13xf32> {
  %0 = graph.conv2d %x, %w {groups = 4 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<2x4x25x25xf32>, tensor<4x1x3x3xf32>) -> tensor<2x4x13x13xf32>
  %1 = graph.batch_norm %0, %s, %b, %m, %v : (tensor<2x4x13x13xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4x13x13xf32>
  %2 = graph.clip %1 {max = 6.000000e+00 : f32, min = 0.000000e+00 : f32} : tensor<2x4x13x13xf32>
  func.return %2 : tensor<2x4x13x13xf32>
}
