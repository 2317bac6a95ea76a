// RUN: mlc-opt %s --split-input-file --verify-diagnostics

// A misspelt property is an error, not a silently ignored attribute.
func.func @misspelt_property(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'graph.gelu' has no property 'approx' (properties: approximate)}}
  %0 = graph.gelu %x {approx = "tanh"} : tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// -----

func.func @property_of_another_op(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32> {
  // expected-error @+1 {{'graph.avg_pool2d' has no property 'dilations'}}
  %0 = graph.avg_pool2d %x {dilations = array<i64: 1, 1>, kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32>
  func.return %0 : tensor<1x1x2x2xf32>
}
