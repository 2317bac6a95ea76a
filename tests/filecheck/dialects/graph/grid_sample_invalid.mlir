// RUN: mlc-opt %s --split-input-file --verify-diagnostics

func.func @grid_sample_grid_of_another_rank(%x: tensor<1x2x4x4xf32>, %g: tensor<1x3x2xf32>) -> tensor<1x2x3xf32> {
  // expected-error @+1 {{'graph.grid_sample' expects an input (N, C, D1..Dk) and a grid (N, O1..Ok, k), got (1, 2, 4, 4) and (1, 3, 2)}}
  %0 = graph.grid_sample %x, %g : (tensor<1x2x4x4xf32>, tensor<1x3x2xf32>) -> tensor<1x2x3xf32>
  func.return %0 : tensor<1x2x3xf32>
}

// -----

func.func @grid_sample_batch_mismatch(%x: tensor<2x2x4x4xf32>, %g: tensor<1x3x3x2xf32>) -> tensor<2x2x3x3xf32> {
  // expected-error @+1 {{'graph.grid_sample' expects the same batch for input and grid, got (2, 2, 4, 4) and (1, 3, 3, 2)}}
  %0 = graph.grid_sample %x, %g : (tensor<2x2x4x4xf32>, tensor<1x3x3x2xf32>) -> tensor<2x2x3x3xf32>
  func.return %0 : tensor<2x2x3x3xf32>
}

// -----

func.func @grid_sample_mixed_types(%x: tensor<1x2x4x4xf32>, %g: tensor<1x3x3x2xf64>) -> tensor<1x2x3x3xf32> {
  // expected-error @+1 {{'graph.grid_sample' expects the same element type for input and grid, got tensor<1x2x4x4xf32> and tensor<1x3x3x2xf64>}}
  %0 = graph.grid_sample %x, %g : (tensor<1x2x4x4xf32>, tensor<1x3x3x2xf64>) -> tensor<1x2x3x3xf32>
  func.return %0 : tensor<1x2x3x3xf32>
}

// -----

func.func @grid_sample_unknown_padding(%x: tensor<1x2x4x4xf32>, %g: tensor<1x3x3x2xf32>) -> tensor<1x2x3x3xf32> {
  // expected-error @+1 {{'graph.grid_sample' padding_mode 'wrap' is not one of zeros, border, reflection}}
  %0 = graph.grid_sample %x, %g {padding_mode = "wrap"} : (tensor<1x2x4x4xf32>, tensor<1x3x3x2xf32>) -> tensor<1x2x3x3xf32>
  func.return %0 : tensor<1x2x3x3xf32>
}
