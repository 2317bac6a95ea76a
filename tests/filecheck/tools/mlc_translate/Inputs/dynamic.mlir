func.func @f(%x: tensor<?xf32>) -> tensor<?xf32> {
  %0 = graph.relu %x : tensor<?xf32>
  func.return %0 : tensor<?xf32>
}
