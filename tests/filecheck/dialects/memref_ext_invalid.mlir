// RUN: mlc-opt %s --split-input-file --verify-diagnostics

func.func @locality_out_of_range(%m: memref<8xf32>, %i: index) {
  // expected-error @+1 {{'memref.prefetch' locality hint must be in [0, 3], got 4}}
  memref.prefetch %m[%i], read, locality<4>, data : memref<8xf32>
  func.return
}

// -----

func.func @indices_of_another_rank(%m: memref<4x8xf32>, %i: index) {
  // expected-error @+1 {{'memref.prefetch' expects 2 indices, got 1}}
  memref.prefetch %m[%i], read, locality<3>, data : memref<4x8xf32>
  func.return
}

// -----

func.func @neither_read_nor_write(%m: memref<8xf32>, %i: index) {
  // expected-error @+1 {{expected 'read' or 'write', got 'load'}}
  memref.prefetch %m[%i], load, locality<3>, data : memref<8xf32>
  func.return
}
