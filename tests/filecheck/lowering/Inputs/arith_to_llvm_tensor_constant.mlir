func.func @tensor_constant() -> tensor<2xf32> {
  %0 = arith.constant dense<1.0> : tensor<2xf32>
  func.return %0 : tensor<2xf32>
}
