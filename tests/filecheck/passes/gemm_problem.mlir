// RUN: mlc-opt %s -p 'linalg-contraction-kernel{mr=3 nr=8 vl=4 tile-m=10 tile-n=20 tile-k=5}' | filecheck %s
// RUN: env MLC_TARGET=avx512 mlc-opt %s -p linalg-contraction-kernel | filecheck %s --check-prefix=AVX512
// RUN: env MLC_TARGET=avx2 mlc-opt %s -p linalg-contraction-kernel | filecheck %s --check-prefix=AVX2
// RUN: mlc-opt %s -p 'linalg-contraction-kernel{mr=2 nr=8 vl=4 tile-k=4 pack-a=true},canonicalize,cse' | filecheck %s --check-prefix=SPLIT

// A GEMM's `Schedule` (gemm_problem.py) is IR: every micro-kernel's k loop
// carries it as `mlc.gemm`. Options set it (the A block rounded up to whole
// micro-tile rows, 10 -> 12; the B block to whole panels, 20 -> 24); left
// unset, the target picks it: 8x32 tiles of vector<16xf32> with AVX-512, 6x16
// of vector<8xf32> with AVX2, A blocks of 12 tiles' rows, B blocks of 128
// panels, K blocks of 256.
// CHECK-LABEL: func.func @matmul(
// CHECK:         vector.fma {{.*}} : vector<4xf32>
// CHECK:         } {mlc.gemm = {mr = 3 : i64, nr = 8 : i64, vl = 4 : i64, mc = 12 : i64, nc = 24 : i64, kc = 5 : i64}}
// AVX512:        vector.fma {{.*}} : vector<16xf32>
// AVX512:        } {mlc.gemm = {mr = 8 : i64, nr = 32 : i64, vl = 16 : i64, mc = 96 : i64, nc = 4096 : i64, kc = 256 : i64}}
// AVX2:          vector.fma {{.*}} : vector<8xf32>
// AVX2:          } {mlc.gemm = {mr = 6 : i64, nr = 16 : i64, vl = 8 : i64, mc = 72 : i64, nc = 2048 : i64, kc = 256 : i64}}
func.func @matmul(%a: memref<16x40xf32>, %b: memref<40x64xf32>, %out: memref<16x64xf32> {mlc.out}) {
  linalg.matmul ins(%a, %b : memref<16x40xf32>, memref<40x64xf32>) outs(%out : memref<16x64xf32>)
  func.return
}

// The threads share the A blocks, not the column tiles, when the tiles
// split much less evenly: 52 columns are 6 full tiles and one of a single
// vector (3 : 3.5 between two threads), 48 rows two blocks of 24 (24 : 24).
// SPLIT-LABEL: func.func @uneven_columns_split_by_rows(
// SPLIT-DAG:     %[[C48:.*]] = arith.constant 48 : index
// SPLIT-DAG:     %[[C24:.*]] = arith.constant 24 : index
// SPLIT:         scf.for %{{.*}} = %{{.*}} to %[[C48]] step %[[C24]] {
// SPLIT-NOT:       mlc.parallel
// SPLIT:           scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} {
// SPLIT-NOT:       mlc.parallel
// SPLIT:           vector.fma
// SPLIT:         } {mlc.parallel}
// SPLIT-NEXT:    }
// SPLIT-NEXT:    memref.dealloc
func.func @uneven_columns_split_by_rows(%a: memref<48x8xf32>, %b: memref<8x52xf32>, %out: memref<48x52xf32> {mlc.out}) {
  linalg.matmul ins(%a, %b : memref<48x8xf32>, memref<8x52xf32>) outs(%out : memref<48x52xf32>)
  func.return
}
