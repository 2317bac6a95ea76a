// RUN: mlc-opt %s -p 'linalg-contraction-kernel{mr=2 nr=8 vl=4 pack-a=true}' | filecheck %s

// `Emit` (loop_emit.py), the builder of the loop-level kernels, folds as it
// builds: a GEMM of exactly one 2x8 micro-tile has no block, panel, row or
// column loops left (each is known to run once, so it is its body, inline),
// its index arithmetic on known values is constants, one per value, and only
// the loops that do run more than once remain: the packing loops over k and
// the micro-kernel's k loop.
// CHECK-LABEL: func.func @one_tile(
// CHECK-SAME:      %[[A:.*]]: memref<2x4xf32>, %[[B:.*]]: memref<4x8xf32>, %[[OUT:.*]]: memref<2x8xf32> {mlc.out})
// CHECK:         %[[BP:.*]] = memref.alloc() {alignment = 64 : i64} : memref<1x4x8xf32>
// CHECK:         %[[AP:.*]] = memref.alloc() {alignment = 64 : i64} : memref<1x4x2xf32>
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK:         scf.for %[[K:.*]] = %[[C0]] to %[[C4]] step %[[C1]] {
// CHECK-NEXT:      %[[ROW:.*]] = vector.load %[[B]][%[[K]], %[[C0]]] : memref<4x8xf32>, vector<4xf32>
// CHECK-NEXT:      vector.store %[[ROW]], %[[BP]][%[[C0]], %[[K]], %[[C0]]] : memref<1x4x8xf32>, vector<4xf32>
// CHECK-NOT:     mlc.parallel
// CHECK:         %[[ACC:.*]] = vector.load %[[OUT]][%[[C0]], %[[C0]]] : memref<2x8xf32>, vector<4xf32>
// CHECK:         %[[R0:.*]], %[[R1:.*]], %{{.*}}, %{{.*}} = scf.for %{{.*}} = %[[C0]] to %[[C4]] step %[[C1]] iter_args(%{{.*}} = %[[ACC]], {{.*}}) -> (vector<4xf32>, vector<4xf32>, vector<4xf32>, vector<4xf32>) {
// CHECK:         } {mlc.gemm = {mr = 2 : i64, nr = 8 : i64, vl = 4 : i64, mc = 24 : i64, nc = 1024 : i64, kc = 256 : i64}}
// CHECK-NEXT:    vector.store %[[R0]], %[[OUT]][%[[C0]], %[[C0]]] : memref<2x8xf32>, vector<4xf32>
// CHECK-NEXT:    vector.store %[[R1]], %[[OUT]][%[[C0]], %[[C4]]] : memref<2x8xf32>, vector<4xf32>
func.func @one_tile(%a: memref<2x4xf32>, %b: memref<4x8xf32>, %out: memref<2x8xf32> {mlc.out}) {
  linalg.matmul ins(%a, %b : memref<2x4xf32>, memref<4x8xf32>) outs(%out : memref<2x8xf32>)
  func.return
}
