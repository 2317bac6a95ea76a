func.func @model(%x: tensor<2x3x8x8xf32>, %cw: tensor<4x3x3x3xf32>, %cb: tensor<4xf32>, %w: tensor<10x256xf32>, %b: tensor<10xf32>) -> tensor<2x10xf32> {
  %0 = graph.conv2d %x, %cw, %cb {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>} : (tensor<2x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<2x4x8x8xf32>
  %1 = graph.relu %0 : tensor<2x4x8x8xf32>
  %2 = graph.flatten %1 {axis = 1 : i64} : (tensor<2x4x8x8xf32>) -> tensor<2x256xf32>
  %3 = graph.linear %2, %w, %b : (tensor<2x256xf32>, tensor<10x256xf32>, tensor<10xf32>) -> tensor<2x10xf32>
  %4 = graph.relu %3 : tensor<2x10xf32>
  func.return %4 : tensor<2x10xf32>
}
