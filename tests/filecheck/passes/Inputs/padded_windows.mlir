// Padded windows at the graph level: a depthwise convolution at stride 1
// (with a bias, as ONNX gives it) and 2, a max pool and an average pool, each
// reading a padded image.
func.func @model(%x: tensor<1x3x9x13xf32>, %w: tensor<3x1x3x3xf32>, %w5: tensor<3x1x5x5xf32>, %b: tensor<3xf32>) -> (tensor<1x3x9x13xf32>, tensor<1x3x5x7xf32>, tensor<1x3x5x7xf32>, tensor<1x3x9x13xf32>) {
  %0 = graph.conv2d %x, %w, %b {dilations = array<i64: 1, 1>, groups = 3 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x3x9x13xf32>, tensor<3x1x3x3xf32>, tensor<3xf32>) -> tensor<1x3x9x13xf32>
  %1 = graph.conv2d %x, %w5 {dilations = array<i64: 1, 1>, groups = 3 : i64, pads = array<i64: 2, 2, 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x3x9x13xf32>, tensor<3x1x5x5xf32>) -> tensor<1x3x5x7xf32>
  %2 = graph.max_pool2d %x {ceil_mode = false, dilations = array<i64: 1, 1>, kernel = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x3x9x13xf32>) -> tensor<1x3x5x7xf32>
  %3 = graph.avg_pool2d %x {ceil_mode = false, count_include_pad = true, kernel = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x3x9x13xf32>) -> tensor<1x3x9x13xf32>
  func.return %0, %1, %2, %3 : tensor<1x3x9x13xf32>, tensor<1x3x5x7xf32>, tensor<1x3x5x7xf32>, tensor<1x3x9x13xf32>
}
