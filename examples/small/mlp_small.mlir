builtin.module {
  func.func @mlp_small(%x: tensor<1x1x8x8xf32>, %w0: tensor<16x64xf32>, %b0: tensor<16xf32>, %w1: tensor<4x16xf32>, %b1: tensor<4xf32>) -> tensor<1x4xf32> {
    %0 = graph.flatten %x {axis = 1 : i64} : (tensor<1x1x8x8xf32>) -> tensor<1x64xf32>
    %1 = graph.linear %0, %w0, %b0 : (tensor<1x64xf32>, tensor<16x64xf32>, tensor<16xf32>) -> tensor<1x16xf32>
    %2 = graph.relu %1 : tensor<1x16xf32>
    %3 = graph.linear %2, %w1, %b1 : (tensor<1x16xf32>, tensor<4x16xf32>, tensor<4xf32>) -> tensor<1x4xf32>
    func.return %3 : tensor<1x4xf32>
  }
}
