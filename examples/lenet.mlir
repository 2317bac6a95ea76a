builtin.module {
  func.func @lenet(%x: tensor<1x1x28x28xf32>, %c1w: tensor<6x1x5x5xf32>, %c1b: tensor<6xf32>, %c2w: tensor<16x6x5x5xf32>, %c2b: tensor<16xf32>, %f1w: tensor<120x400xf32>, %f1b: tensor<120xf32>, %f2w: tensor<84x120xf32>, %f2b: tensor<84xf32>, %f3w: tensor<10x84xf32>, %f3b: tensor<10xf32>) -> tensor<1x10xf32> {
    %0 = graph.conv2d %x, %c1w, %c1b {pads = array<i64: 2, 2, 2, 2>} : (tensor<1x1x28x28xf32>, tensor<6x1x5x5xf32>, tensor<6xf32>) -> tensor<1x6x28x28xf32>
    %1 = graph.relu %0 : tensor<1x6x28x28xf32>
    %2 = graph.max_pool2d %1 {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x6x28x28xf32>) -> tensor<1x6x14x14xf32>
    %3 = graph.conv2d %2, %c2w, %c2b : (tensor<1x6x14x14xf32>, tensor<16x6x5x5xf32>, tensor<16xf32>) -> tensor<1x16x10x10xf32>
    %4 = graph.relu %3 : tensor<1x16x10x10xf32>
    %5 = graph.max_pool2d %4 {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x16x10x10xf32>) -> tensor<1x16x5x5xf32>
    %6 = graph.flatten %5 {axis = 1 : i64} : (tensor<1x16x5x5xf32>) -> tensor<1x400xf32>
    %7 = graph.linear %6, %f1w, %f1b : (tensor<1x400xf32>, tensor<120x400xf32>, tensor<120xf32>) -> tensor<1x120xf32>
    %8 = graph.relu %7 : tensor<1x120xf32>
    %9 = graph.linear %8, %f2w, %f2b : (tensor<1x120xf32>, tensor<84x120xf32>, tensor<84xf32>) -> tensor<1x84xf32>
    %10 = graph.relu %9 : tensor<1x84xf32>
    %11 = graph.linear %10, %f3w, %f3b : (tensor<1x84xf32>, tensor<10x84xf32>, tensor<10xf32>) -> tensor<1x10xf32>
    func.return %11 : tensor<1x10xf32>
  }
}
