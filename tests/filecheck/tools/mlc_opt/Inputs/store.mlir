// An op without results, which eqsat-create-eclasses refuses (a pass failure).
func.func @store(%m: memref<2xf32>, %v: f32, %i: index) {
  memref.store %v, %m[%i] : memref<2xf32>
  func.return
}
