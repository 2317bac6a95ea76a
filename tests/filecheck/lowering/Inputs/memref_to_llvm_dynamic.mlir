// A dynamic shape is not supported yet: one located error line.
func.func @dynamic(%a: memref<?x4xf32>, %i: index) -> f32 {
  %c0 = arith.constant 0 : index
  %v = memref.load %a[%i, %c0] : memref<?x4xf32>
  func.return %v : f32
}
