// Inputs for verify_diagnostics.mlir's failure modes.
func.func @missing(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{never produced}}
  %0 = graph.relu %x : tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// -----

func.func @unexpected(%a: tensor<2x3xf32>, %b: tensor<4xf32>) -> tensor<2x3xf32> {
  %0 = graph.add %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

func.func @wrong_line(%a: tensor<2x3xf32>, %b: tensor<4xf32>) -> tensor<2x3xf32> {
  // expected-error @+2 {{cannot broadcast}}
  %0 = graph.add %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

func.func @wrong_severity(%a: tensor<2x3xf32>, %b: tensor<4xf32>) -> tensor<2x3xf32> {
  // expected-warning @+1 {{cannot broadcast}}
  %0 = graph.add %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

// expected-note @below {{a note}}
// expected-remark {{a remark}}
func.func @never_emitted() {
  func.return
}
