// A memref result has no place in the ABI (results are mlc.out arguments).
func.func @returns_memref(%a: memref<4xf32>) -> memref<4xf32> {
  func.return %a : memref<4xf32>
}
