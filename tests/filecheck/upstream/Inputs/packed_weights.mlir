func.func @model(%x: tensor<2x300xf32>, %w: tensor<40x300xf32>, %b: tensor<40xf32>) -> tensor<2x5xf32> {
  %c = arith.constant dense<[[1.0, 2.0, 3.0, 4.0, 5.0], [0.5, 0.25, 0.125, 1.0, 2.0]]> : tensor<2x5xf32>
  %0 = graph.linear %x, %w, %b : (tensor<2x300xf32>, tensor<40x300xf32>, tensor<40xf32>) -> tensor<2x40xf32>
  %1 = graph.relu %0 : tensor<2x40xf32>
  %2 = graph.reshape %1 {shape = array<i64: 40, 2>} : (tensor<2x40xf32>) -> tensor<40x2xf32>
  %3 = graph.matmul %2, %c : (tensor<40x2xf32>, tensor<2x5xf32>) -> tensor<40x5xf32>
  %4 = graph.reshape %3 {shape = array<i64: 2, 100>} : (tensor<40x5xf32>) -> tensor<2x100xf32>
  %5 = graph.slice %4 {starts = array<i64: 0, 0>, ends = array<i64: 2, 5>} : (tensor<2x100xf32>) -> tensor<2x5xf32>
  func.return %5 : tensor<2x5xf32>
}
