// RUN: mlc-opt %s --split-input-file --verify-diagnostics

func.func @mask_of_the_wrong_shape(%m: vector<8xi1>, %a: vector<16xf32>) -> vector<16xf32> {
  // expected-error @+1 {{'arith.select' expects vector<16xi1> for vector<16xf32>, got vector<8xi1>}}
  %s = arith.select %m, %a, %a : vector<8xi1>, vector<16xf32>
  func.return %s : vector<16xf32>
}
