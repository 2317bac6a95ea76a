func.func @f(%x: tensor<2xf32>) -> tensor<3xf32> {
  %0 = graph.relu %x : tensor<2xf32>
  func.return %0 : tensor<2xf32>
}
