// A dynamic dimension fails convert-graph-to-linalg with one located line
// (../graph_to_linalg.mlir runs this input).
func.func @f(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %0 = graph.relu %x : tensor<?x3xf32>
  func.return %0 : tensor<?x3xf32>
}
