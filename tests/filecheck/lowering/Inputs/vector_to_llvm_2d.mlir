func.func @two_dims(%x: f32) -> vector<2x4xf32> {
  %0 = vector.broadcast %x : f32 to vector<2x4xf32>
  func.return %0 : vector<2x4xf32>
}
