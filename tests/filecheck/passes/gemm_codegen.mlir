// RUN: mlc-opt %s -p 'linalg-contraction-kernel{mr=2 nr=8 vl=4 tile-k=4 pack-a=true},canonicalize,cse' | filecheck %s

// The loops gemm_codegen.py emits for the edges of a GEMM and for K in
// blocks, with a 2x8 micro-tile of vector<4xf32>.

// Rows that do not fill the micro-tile get a kernel of their own (one row,
// two accumulators), after the full two-row tiles.
// CHECK-LABEL: func.func @rows_below_the_micro_tile(
// CHECK-SAME:      %{{.*}}: memref<3x4xf32>, %{{.*}}: memref<4x8xf32>, %[[OUT:.*]]: memref<3x8xf32> {mlc.out})
// CHECK:         scf.for {{.*}} iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) -> (vector<4xf32>, vector<4xf32>, vector<4xf32>, vector<4xf32>)
// CHECK:         vector.load %[[OUT]][%[[LAST:.*]], %{{.*}}] : memref<3x8xf32>, vector<4xf32>
// CHECK:         %[[ROW:[^,]*]], %{{.*}} = scf.for {{.*}} iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) -> (vector<4xf32>, vector<4xf32>)
// CHECK:         vector.store %[[ROW]], %[[OUT]][%[[LAST]], %{{.*}}] : memref<3x8xf32>, vector<4xf32>
func.func @rows_below_the_micro_tile(%a: memref<3x4xf32>, %b: memref<4x8xf32>, %out: memref<3x8xf32> {mlc.out}) {
  linalg.matmul ins(%a, %b : memref<3x4xf32>, memref<4x8xf32>) outs(%out : memref<3x8xf32>)
  func.return
}

// K = 10 in blocks of 4: the last block is shorter; every block reloads and
// stores the accumulators.
// CHECK-LABEL: func.func @k_in_blocks(
// CHECK:         scf.for %[[PC:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NEXT:      %[[REST:.*]] = arith.subi %{{.*}}, %[[PC]] : index
// CHECK-NEXT:      %[[KC:.*]] = arith.minsi %[[REST]], %{{.*}} : index
// CHECK:           scf.for %{{.*}} = %{{.*}} to %[[KC]] step %{{.*}} iter_args(
// CHECK:           vector.store
func.func @k_in_blocks(%a: memref<4x10xf32>, %b: memref<10x8xf32>, %out: memref<4x8xf32> {mlc.out}) {
  linalg.matmul ins(%a, %b : memref<4x10xf32>, memref<10x8xf32>) outs(%out : memref<4x8xf32>)
  func.return
}

// N = 11: a full 8-column tile and a 3-column one; the latter is one partial
// vector, loaded and stored through the row's staging row. B's last panel is
// packed element by element (its columns do not fill the panel).
// CHECK-LABEL: func.func @edge_rows_and_columns(
// CHECK-SAME:      %{{.*}}: memref<5x4xf32>, %[[B:.*]]: memref<4x11xf32>, %[[OUT:.*]]: memref<5x11xf32> {mlc.out})
// CHECK-DAG:     %[[BP:.*]] = memref.alloc() {alignment = 64 : i64} : memref<2x4x8xf32>
// CHECK-DAG:     %[[AP:.*]] = memref.alloc() {alignment = 64 : i64} : memref<3x4x2xf32>
// CHECK-DAG:     %[[STAGE:.*]] = memref.alloc() {alignment = 64 : i64} : memref<5x4xf32>
// CHECK:         scf.if %{{.*}} {
// CHECK:           vector.load %[[B]]
// CHECK:         } else {
// CHECK:           memref.load %[[B]]
// CHECK:         scf.if %{{.*}} {
// CHECK:           scf.for {{.*}} iter_args({{.*}}) -> (vector<4xf32>, vector<4xf32>, vector<4xf32>, vector<4xf32>)
// CHECK:         } else {
// CHECK:           memref.load %[[OUT]]
// CHECK:           memref.store %{{.*}}, %[[STAGE]]
// CHECK:           vector.load %[[STAGE]]
// CHECK:           scf.for {{.*}} iter_args({{.*}}) -> (vector<4xf32>, vector<4xf32>)
// CHECK:           vector.store %{{.*}}, %[[STAGE]]
// CHECK:           memref.store %{{.*}}, %[[OUT]]
// CHECK:         memref.dealloc %[[BP]]
// CHECK:         memref.dealloc %[[AP]]
// CHECK:         memref.dealloc %[[STAGE]]
func.func @edge_rows_and_columns(%a: memref<5x4xf32>, %b: memref<4x11xf32>, %out: memref<5x11xf32> {mlc.out}) {
  linalg.matmul ins(%a, %b : memref<5x4xf32>, memref<4x11xf32>) outs(%out : memref<5x11xf32>)
  func.return
}
