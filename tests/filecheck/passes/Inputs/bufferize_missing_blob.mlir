// A dense_resource constant whose blob is not in the file: `bufferize` fails.
func.func @dense_resource_without_blob() -> tensor<2xf32> {
  %w = arith.constant dense_resource<no_such_blob> : tensor<2xf32>
  func.return %w : tensor<2xf32>
}
