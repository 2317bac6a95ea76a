// RUN: MLC_ROUNDTRIP
// RUN: MLC_GENERIC_ROUNDTRIP

// `memref.prefetch` (dialects/memref_ext.py; xDSL 0.74's memref has none)
// round-trips in upstream MLIR's syntax: read or write, a locality hint 0-3,
// the data or the instruction cache; upstream/memref_ext.mlir checks that real
// mlir-opt reads what mlc prints.

// CHECK-LABEL: func.func @prefetch(
// CHECK-SAME:      %[[M:.*]]: memref<4x8xf32>, %[[I:.*]]: index)
// CHECK-NEXT:    memref.prefetch %[[M]][%[[I]], %[[I]]], read, locality<3>, data : memref<4x8xf32>
// CHECK-NEXT:    memref.prefetch %[[M]][%[[I]], %[[I]]], write, locality<0>, instr : memref<4x8xf32>
func.func @prefetch(%m: memref<4x8xf32>, %i: index) {
  memref.prefetch %m[%i, %i], read, locality<3>, data : memref<4x8xf32>
  memref.prefetch %m[%i, %i], write, locality<0>, instr : memref<4x8xf32>
  func.return
}
