// Convolutions whose last column tile has a vector of few valid columns:
// a 7x7 image (49 pixels: with 16 lanes, three full vectors and one of a
// single column) with a bias and relu, and a 14x14 one (196 pixels: the
// last vector has 4 columns) with a residual add.
func.func @model(%x: tensor<1x24x7x7xf32>, %w: tensor<16x24x3x3xf32>, %b: tensor<16xf32>, %y: tensor<1x8x14x14xf32>, %v: tensor<24x8x1x1xf32>, %r: tensor<1x24x14x14xf32>) -> (tensor<1x16x7x7xf32>, tensor<1x24x14x14xf32>) {
  %0 = graph.conv2d %x, %w, %b {dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x24x7x7xf32>, tensor<16x24x3x3xf32>, tensor<16xf32>) -> tensor<1x16x7x7xf32>
  %1 = graph.relu %0 : tensor<1x16x7x7xf32>
  %2 = graph.conv2d %y, %v {dilations = array<i64: 1, 1>, groups = 1 : i64, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x8x14x14xf32>, tensor<24x8x1x1xf32>) -> tensor<1x24x14x14xf32>
  %3 = graph.add %2, %r : (tensor<1x24x14x14xf32>, tensor<1x24x14x14xf32>) -> tensor<1x24x14x14xf32>
  func.return %1, %3 : tensor<1x16x7x7xf32>, tensor<1x24x14x14xf32>
}
