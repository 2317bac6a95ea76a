func.func @erff(%x: f32) -> f64 {
  %0 = arith.extf %x : f32 to f64
  func.return %0 : f64
}
func.func @g(%x: f32) -> f32 {
  %0 = math.erf %x : f32
  func.return %0 : f32
}
