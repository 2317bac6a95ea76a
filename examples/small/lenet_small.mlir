builtin.module {
  func.func @lenet_small(%x: tensor<1x1x12x12xf32>, %c1w: tensor<2x1x3x3xf32>, %c1b: tensor<2xf32>, %c2w: tensor<4x2x3x3xf32>, %c2b: tensor<4xf32>, %f1w: tensor<8x16xf32>, %f1b: tensor<8xf32>, %f2w: tensor<6x8xf32>, %f2b: tensor<6xf32>, %f3w: tensor<3x6xf32>, %f3b: tensor<3xf32>) -> tensor<1x3xf32> {
    %0 = graph.conv2d %x, %c1w, %c1b {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x1x12x12xf32>, tensor<2x1x3x3xf32>, tensor<2xf32>) -> tensor<1x2x12x12xf32>
    %1 = graph.relu %0 : tensor<1x2x12x12xf32>
    %2 = graph.max_pool2d %1 {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x2x12x12xf32>) -> tensor<1x2x6x6xf32>
    %3 = graph.conv2d %2, %c2w, %c2b : (tensor<1x2x6x6xf32>, tensor<4x2x3x3xf32>, tensor<4xf32>) -> tensor<1x4x4x4xf32>
    %4 = graph.relu %3 : tensor<1x4x4x4xf32>
    %5 = graph.max_pool2d %4 {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x4x4x4xf32>) -> tensor<1x4x2x2xf32>
    %6 = graph.flatten %5 {axis = 1 : i64} : (tensor<1x4x2x2xf32>) -> tensor<1x16xf32>
    %7 = graph.linear %6, %f1w, %f1b : (tensor<1x16xf32>, tensor<8x16xf32>, tensor<8xf32>) -> tensor<1x8xf32>
    %8 = graph.relu %7 : tensor<1x8xf32>
    %9 = graph.linear %8, %f2w, %f2b : (tensor<1x8xf32>, tensor<6x8xf32>, tensor<6xf32>) -> tensor<1x6xf32>
    %10 = graph.relu %9 : tensor<1x6xf32>
    %11 = graph.linear %10, %f3w, %f3b : (tensor<1x6xf32>, tensor<3x6xf32>, tensor<3xf32>) -> tensor<1x3xf32>
    func.return %11 : tensor<1x3xf32>
  }
}
