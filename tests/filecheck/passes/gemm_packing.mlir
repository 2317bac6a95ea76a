// RUN: mlc-opt %s -p 'linalg-contraction-kernel{mr=2 nr=8 vl=4 pack-a=true},canonicalize,cse' | filecheck %s

// The packing loops of gemm_packing.py, with a 2x8 micro-tile of
// vector<4xf32>: B into panels Bp[p][k][j] of nr = 8 columns, A into row
// panels Ap[p][k][i] of mr = 2 rows.

#mk = affine_map<(d0, d1, d2) -> (d0, d2)>
#nk = affine_map<(d0, d1, d2) -> (d1, d2)>
#mn = affine_map<(d0, d1, d2) -> (d0, d1)>

// B contiguous in n: per panel, a full one (columns p*8 .. p*8+7 exist) is
// copied row by row with two vectors; the last, partial panel (4 of 12
// columns) element by element, only the columns that exist. The panels are
// independent (each writes its own Bp[p]): the loop is parallel. A's rows are
// copied one by one, each into its panel's lane.
// CHECK-LABEL: func.func @b_by_vectors(
// CHECK-SAME:      %[[A:.*]]: memref<2x4xf32>, %[[B:.*]]: memref<4x12xf32>, %{{.*}}: memref<2x12xf32> {mlc.out})
// CHECK:         %[[BP:.*]] = memref.alloc() {alignment = 64 : i64} : memref<2x4x8xf32>
// CHECK:         %[[AP:.*]] = memref.alloc() {alignment = 64 : i64} : memref<1x4x2xf32>
// CHECK:         scf.for %[[P:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK:           %[[J0:.*]] = arith.muli %[[P]], %{{.*}} : index
// CHECK:           scf.if %{{.*}} {
// CHECK-NEXT:        scf.for %[[K:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NEXT:          %[[V0:.*]] = vector.load %[[B]][%[[K]], %[[J0]]] : memref<4x12xf32>, vector<4xf32>
// CHECK-NEXT:          vector.store %[[V0]], %[[BP]][%[[P]], %[[K]], %{{.*}}] : memref<2x4x8xf32>, vector<4xf32>
// CHECK:               %[[V1:.*]] = vector.load %[[B]][%[[K]], %{{.*}}] : memref<4x12xf32>, vector<4xf32>
// CHECK-NEXT:          vector.store %[[V1]], %[[BP]][%[[P]], %[[K]], %{{.*}}] : memref<2x4x8xf32>, vector<4xf32>
// CHECK:           } else {
// CHECK-NEXT:        scf.for %[[K2:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NEXT:          scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK:                 %[[X:.*]] = memref.load %[[B]][%[[K2]], %{{.*}}] : memref<4x12xf32>
// CHECK-NEXT:            memref.store %[[X]], %[[BP]][%[[P]], %[[K2]], %[[J]]] : memref<2x4x8xf32>
// CHECK:         } {mlc.parallel}
// CHECK-NEXT:    scf.for %[[M:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK:           scf.for %[[KA:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NEXT:        %[[Y:.*]] = memref.load %[[A]][%[[M]], %[[KA]]] : memref<2x4xf32>
// CHECK-NEXT:        memref.store %[[Y]], %[[AP]][%{{.*}}, %[[KA]], %{{.*}}] : memref<1x4x2xf32>
// CHECK:         vector.fma
func.func @b_by_vectors(%a: memref<2x4xf32>, %b: memref<4x12xf32>, %out: memref<2x12xf32> {mlc.out}) {
  linalg.matmul ins(%a, %b : memref<2x4xf32>, memref<4x12xf32>) outs(%out : memref<2x12xf32>)
  func.return
}

// A transposed B (W[n, k], contiguous in k) is packed element by element with
// k innermost, B's own stride-1 dimension; one panel: no parallel loop.
// CHECK-LABEL: func.func @transposed_b_by_elements(
// CHECK-SAME:      %{{.*}}: memref<2x4xf32>, %[[B:.*]]: memref<8x4xf32>
// CHECK:         %[[BP:.*]] = memref.alloc() {alignment = 64 : i64} : memref<1x4x8xf32>
// CHECK:         scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NEXT:      scf.for %[[K:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NEXT:        %[[X:.*]] = memref.load %[[B]][%[[J]], %[[K]]] : memref<8x4xf32>
// CHECK-NEXT:        memref.store %[[X]], %[[BP]][%{{.*}}, %[[K]], %[[J]]] : memref<1x4x8xf32>
// CHECK-NEXT:      }
// CHECK-NEXT:    }
// CHECK-NOT:     mlc.parallel
// CHECK:         vector.fma
func.func @transposed_b_by_elements(%a: memref<2x4xf32>, %b: memref<8x4xf32>, %out: memref<2x8xf32> {mlc.out}) {
  linalg.generic {indexing_maps = [#mk, #nk, #mn], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %b : memref<2x4xf32>, memref<8x4xf32>) outs(%out : memref<2x8xf32>) {
  ^bb0(%x: f32, %y: f32, %c: f32):
    %0 = arith.mulf %x, %y : f32
    %1 = arith.addf %c, %0 : f32
    linalg.yield %1 : f32
  }
  func.return
}
