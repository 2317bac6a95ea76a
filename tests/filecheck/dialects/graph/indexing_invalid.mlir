// RUN: mlc-opt %s --split-input-file --verify-diagnostics

func.func @scatter_unknown_reduction(%x: tensor<4xf32>, %i: tensor<2xi64>, %u: tensor<2xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'graph.scatter' reduction must be one of none, add, mul, max, min, got 'sum'}}
  %0 = graph.scatter %x, %i, %u {reduction = "sum"} : (tensor<4xf32>, tensor<2xi64>, tensor<2xf32>) -> tensor<4xf32>
  func.return %0 : tensor<4xf32>
}

// -----

func.func @scatter_add_of_bool(%x: tensor<4xi1>, %i: tensor<2xi64>, %u: tensor<2xi1>) -> tensor<4xi1> {
  // expected-error @+1 {{'graph.scatter' expects a numeric element type for data, got tensor<4xi1>}}
  %0 = graph.scatter %x, %i, %u {reduction = "add"} : (tensor<4xi1>, tensor<2xi64>, tensor<2xi1>) -> tensor<4xi1>
  func.return %0 : tensor<4xi1>
}

// -----

func.func @scatter_float_indices(%x: tensor<4xf32>, %i: tensor<2xf32>, %u: tensor<2xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'graph.scatter' expects i32 or i64 indices, got tensor<2xf32>}}
  %0 = graph.scatter %x, %i, %u : (tensor<4xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<4xf32>
  func.return %0 : tensor<4xf32>
}

// -----

func.func @scatter_element_types_differ(%x: tensor<4xf32>, %i: tensor<2xi64>, %u: tensor<2xf16>) -> tensor<4xf32> {
  // expected-error @+1 {{'graph.scatter' expects the same element type for data and updates, got tensor<4xf32> and tensor<2xf16>}}
  %0 = graph.scatter %x, %i, %u : (tensor<4xf32>, tensor<2xi64>, tensor<2xf16>) -> tensor<4xf32>
  func.return %0 : tensor<4xf32>
}

// -----

func.func @scatter_indices_not_shaped_as_updates(%x: tensor<4xf32>, %i: tensor<3xi64>, %u: tensor<2xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'graph.scatter' expects indices shaped as updates (2,), got (3,)}}
  %0 = graph.scatter %x, %i, %u : (tensor<4xf32>, tensor<3xi64>, tensor<2xf32>) -> tensor<4xf32>
  func.return %0 : tensor<4xf32>
}

// -----

func.func @scatter_updates_narrower_off_axis(%x: tensor<4x3xf32>, %i: tensor<2x2xi64>, %u: tensor<2x2xf32>) -> tensor<4x3xf32> {
  // expected-error @+1 {{'graph.scatter' expects updates (2, 2) to match data (4, 3) on every dim but axis 0}}
  %0 = graph.scatter %x, %i, %u : (tensor<4x3xf32>, tensor<2x2xi64>, tensor<2x2xf32>) -> tensor<4x3xf32>
  func.return %0 : tensor<4x3xf32>
}

// -----

func.func @scatter_axis_out_of_range(%x: tensor<4xf32>, %i: tensor<2xi64>, %u: tensor<2xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'graph.scatter' axis 1 is out of range for rank 1}}
  %0 = graph.scatter %x, %i, %u {axis = 1 : i64} : (tensor<4xf32>, tensor<2xi64>, tensor<2xf32>) -> tensor<4xf32>
  func.return %0 : tensor<4xf32>
}

// -----

func.func @scatter_wrong_result(%x: tensor<4xf32>, %i: tensor<2xi64>, %u: tensor<2xf32>) -> tensor<5xf32> {
  // expected-error @+1 {{'graph.scatter' result type tensor<5xf32> does not match the inferred tensor<4xf32>}}
  %0 = graph.scatter %x, %i, %u : (tensor<4xf32>, tensor<2xi64>, tensor<2xf32>) -> tensor<5xf32>
  func.return %0 : tensor<5xf32>
}
