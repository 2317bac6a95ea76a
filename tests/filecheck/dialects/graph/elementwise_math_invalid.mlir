// RUN: mlc-opt %s --split-input-file --verify-diagnostics

func.func @sin_of_integer(%x: tensor<2xi32>) -> tensor<2xi32> {
  // expected-error @+1 {{'graph.sin' expects a float element type (bf16, f16, f32, f64) for input, got tensor<2xi32>}}
  %0 = graph.sin %x : tensor<2xi32>
  func.return %0 : tensor<2xi32>
}

// -----

func.func @round_changes_type(%x: tensor<2xf32>) -> tensor<2xf16> {
  // expected-error @+1 {{result 'result' at position 0 does not verify: attribute tensor<2xf32> expected from variable 'T', but got tensor<2xf16>}}
  %0 = "graph.round"(%x) : (tensor<2xf32>) -> tensor<2xf16>
  func.return %0 : tensor<2xf16>
}

// -----

func.func @mod_of_integers(%x: tensor<2xi32>) -> tensor<2xi32> {
  // expected-error @+1 {{'graph.mod' expects a float element type (bf16, f16, f32, f64) for lhs, got tensor<2xi32>}}
  %0 = graph.mod %x, %x : (tensor<2xi32>, tensor<2xi32>) -> tensor<2xi32>
  func.return %0 : tensor<2xi32>
}

// -----

func.func @mod_of_mixed_types(%x: tensor<2xf32>, %y: tensor<2xf64>) -> tensor<2xf32> {
  // expected-error @+1 {{'graph.mod' expects the same element type}}
  %0 = graph.mod %x, %y : (tensor<2xf32>, tensor<2xf64>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// -----

func.func @mod_fmod_not_bool(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{Expected attribute i1 but got i64}}
  %0 = graph.mod %x, %x {fmod = 1 : i64} : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// -----

func.func @mod_broadcast_mismatch(%x: tensor<2xf32>, %y: tensor<3xf32>) -> tensor<2xf32> {
  // expected-error @+1 {{'graph.mod' cannot broadcast}}
  %0 = graph.mod %x, %y : (tensor<2xf32>, tensor<3xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}
