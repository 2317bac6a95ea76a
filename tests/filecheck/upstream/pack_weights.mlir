// What `pack-weights` writes (packed twin globals, retyped arguments with
// mlc.packed, contractions reading a weight through (n floordiv nr, k,
// n mod nr)) and the GEMMs reading the packed weights in place parse and
// verify under real mlir-opt 22.1.8, from graph IR through the loop stage, for
// the AVX-512 and AVX2 schedules.

// RUN: mlc-opt %S/../passes/pack_weights.mlir -p 'pack-weights{nr=8}' | %mlir-opt --verify-each > /dev/null
// RUN: env MLC_TARGET=avx512 mlc-opt %S/Inputs/packed_weights.mlir -p 'graph-to-llvm{to=loop}' | %mlir-opt --verify-each | filecheck %s --check-prefix=AVX512
// RUN: env MLC_TARGET=avx2 mlc-opt %S/Inputs/packed_weights.mlir -p 'graph-to-llvm{to=loop}' | %mlir-opt --verify-each | filecheck %s --check-prefix=AVX2

// The matmul by a constant B[2x5] reads a packed twin of it; the linear's
// weight W[40x300] (N = 40: one full panel and a partial one; K = 300: two
// K blocks of 256 and 44) is an argument stored packed.
// AVX512:      memref.global "private" constant @__constant_5x2xf32_packed32 : memref<1x2x32xf32>
// AVX512-LABEL: func.func private @linear_relu(
// AVX512-SAME:     %{{.*}}: memref<2x300xf32>, %[[W:.*]]: memref<2x300x32xf32>,
// AVX512:          vector.load %[[W]][%{{.*}}, %{{.*}}, %{{.*}}] : memref<2x300x32xf32>, vector<16xf32>
// AVX512:          mlc.gemm = {kc = 256 : i64, mc = 96 : i64, mr = 8 : i64, nc = 4096 : i64, nr = 32 : i64, vl = 16 : i64}
// AVX512-LABEL: func.func @model(
// AVX512-SAME:     memref<2x300x32xf32> {mlc.packed = {n = 0 : i64, nr = 32 : i64, type = memref<40x300xf32>}}

// AVX2:        memref.global "private" constant @__constant_5x2xf32_packed16 : memref<1x2x16xf32>
// AVX2-LABEL:  func.func private @linear_relu(
// AVX2-SAME:       %{{.*}}: memref<2x300xf32>, %[[W:.*]]: memref<3x300x16xf32>,
// AVX2:            vector.load %[[W]][%{{.*}}, %{{.*}}, %{{.*}}] : memref<3x300x16xf32>, vector<8xf32>
// AVX2:            mlc.gemm = {kc = 256 : i64, mc = 72 : i64, mr = 6 : i64, nc = 2048 : i64, nr = 16 : i64, vl = 8 : i64}
// AVX2-LABEL:  func.func @model(
// AVX2-SAME:       memref<3x300x16xf32> {mlc.packed = {n = 0 : i64, nr = 16 : i64, type = memref<40x300xf32>}}
