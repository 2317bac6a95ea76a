// A strided copy becomes LLVM blocks, which a single-block scf.for body
// cannot hold: convert-scf-to-cf must run first.
func.func @copy_in_loop(%a: memref<2x3xf32>, %b: memref<4x5xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  scf.for %i = %c0 to %c1 step %c1 {
    %s = memref.subview %b[1, 1] [2, 3] [1, 1] : memref<4x5xf32> to memref<2x3xf32, strided<[5, 1], offset: 6>>
    "memref.copy"(%a, %s) : (memref<2x3xf32>, memref<2x3xf32, strided<[5, 1], offset: 6>>) -> ()
  }
  func.return
}
