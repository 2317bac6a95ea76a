func.func @ipowi(%x: i32, %n: i32) -> i32 {
  %0 = math.ipowi %x, %n : i32
  func.return %0 : i32
}
