builtin.module attributes {mlc.weights = "no_such.weights"} {
  func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
    %0 = graph.relu %x : tensor<2xf32>
    func.return %0 : tensor<2xf32>
  }
}
