builtin.module {
  func.func @mlp(%x: tensor<1x1x28x28xf32>, %w0: tensor<128x784xf32>, %b0: tensor<128xf32>, %w1: tensor<10x128xf32>, %b1: tensor<10xf32>) -> tensor<1x10xf32> {
    %0 = graph.flatten %x {axis = 1 : i64} : (tensor<1x1x28x28xf32>) -> tensor<1x784xf32>
    %1 = graph.linear %0, %w0, %b0 : (tensor<1x784xf32>, tensor<128x784xf32>, tensor<128xf32>) -> tensor<1x128xf32>
    %2 = graph.relu %1 : tensor<1x128xf32>
    %3 = graph.linear %2, %w1, %b1 : (tensor<1x128xf32>, tensor<10x128xf32>, tensor<10xf32>) -> tensor<1x10xf32>
    func.return %3 : tensor<1x10xf32>
  }
}
