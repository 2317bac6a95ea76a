// A pass failure that names no op is matched by an @unknown annotation.
// expected-error @unknown {{Ops with non-single results not handled}}
func.func @store(%m: memref<2xf32>, %v: f32, %i: index) {
  memref.store %v, %m[%i] : memref<2xf32>
  func.return
}
