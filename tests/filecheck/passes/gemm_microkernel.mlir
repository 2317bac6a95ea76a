// RUN: mlc-opt %s -p 'linalg-contraction-kernel{mr=2 nr=8 vl=4 pack-a=true},canonicalize,cse' | filecheck %s
// RUN: mlc-opt %s -p 'linalg-contraction-kernel{mr=2 nr=8 vl=4 pack-a=true}' | %mlir-opt --verify-each > /dev/null
// RUN: env MLC_TARGET=avx512 mlc-opt %S/Inputs/thin_columns.mlir --check-numerics -p 'graph-to-llvm{to=loop}' -o %t 2>&1 | filecheck %s --check-prefix=NUMERICS
// RUN: filecheck %s --check-prefix=AVX512 < %t

// A tile's k loop (gemm_microkernel.py), with a 2x8 micro-tile of
// vector<4xf32>. The full tile (columns 0-7): per k two vectors of Bp, one
// broadcast of A per row, four FMAs. The last column (8 of 9) is a vector
// of one valid lane, at most mr/2: it is computed transposed, one
// vector<2xf32> of the tile's two rows (A's panel at k, one load) times B's
// element broadcast, one FMA per k instead of two; its start is built from
// lane 0 of the rows' accumulators, and after the loop each row's lane 0 is
// set from it.
// CHECK-LABEL: func.func @thin_column_transposed(
// CHECK:         %[[BP:.*]] = memref.alloc() {alignment = 64 : i64} : memref<2x6x8xf32>
// CHECK:         %[[AP:.*]] = memref.alloc() {alignment = 64 : i64} : memref<2x6x2xf32>
// CHECK:         scf.for {{.*}} iter_args({{.*}}) -> (vector<4xf32>, vector<4xf32>, vector<4xf32>, vector<4xf32>) {
// CHECK-COUNT-4:   vector.fma {{.*}} : vector<4xf32>
// CHECK:         } {mlc.gemm = {mr = 2 : i64, nr = 8 : i64, vl = 4 : i64
// CHECK:         %[[ROW0:.*]] = vector.load %{{.*}} : memref<4x4xf32>, vector<4xf32>
// CHECK:         %[[ROW1:.*]] = vector.load %{{.*}} : memref<4x4xf32>, vector<4xf32>
// CHECK-NEXT:    %[[L0:.*]] = vector.extract %[[ROW0]][0] : f32 from vector<4xf32>
// CHECK-NEXT:    %[[L1:.*]] = vector.extract %[[ROW1]][0] : f32 from vector<4xf32>
// CHECK-NEXT:    %[[S:.*]] = vector.broadcast %[[L0]] : f32 to vector<2xf32>
// CHECK-NEXT:    %[[START:.*]] = vector.insert %[[L1]], %[[S]] [1] : f32 into vector<2xf32>
// CHECK-NEXT:    %[[COL:.*]] = scf.for %[[K:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[ACC:.*]] = %[[START]]) -> (vector<2xf32>) {
// CHECK-NEXT:      %[[A:.*]] = vector.load %[[AP]][%{{.*}}, %[[K]], %{{.*}}] : memref<2x6x2xf32>, vector<2xf32>
// CHECK-NEXT:      %[[B:.*]] = memref.load %[[BP]][%{{.*}}, %[[K]], %{{.*}}] : memref<2x6x8xf32>
// CHECK-NEXT:      %[[BB:.*]] = vector.broadcast %[[B]] : f32 to vector<2xf32>
// CHECK-NEXT:      %[[F:.*]] = vector.fma %[[A]], %[[BB]], %[[ACC]] : vector<2xf32>
// CHECK-NEXT:      scf.yield %[[F]] : vector<2xf32>
// CHECK-NEXT:    } {mlc.gemm = {mr = 2 : i64, nr = 8 : i64, vl = 4 : i64
// CHECK-NEXT:    %[[R0:.*]] = vector.extract %[[COL]][0] : f32 from vector<2xf32>
// CHECK-NEXT:    %[[OUT0:.*]] = vector.insert %[[R0]], %[[ROW0]] [0] : f32 into vector<4xf32>
// CHECK-NEXT:    %[[R1:.*]] = vector.extract %[[COL]][1] : f32 from vector<2xf32>
// CHECK-NEXT:    %[[OUT1:.*]] = vector.insert %[[R1]], %[[ROW1]] [0] : f32 into vector<4xf32>
// CHECK-NEXT:    vector.store %[[OUT0]]
func.func @thin_column_transposed(%a: memref<4x6xf32>, %b: memref<6x9xf32>, %out: memref<4x9xf32> {mlc.out}) {
  linalg.matmul ins(%a, %b : memref<4x6xf32>, memref<6x9xf32>) outs(%out : memref<4x9xf32>)
  func.return
}

// Through the pipeline with AVX-512's 8x32 tiles: 49 pixels end in a vector
// of one column (vector<8xf32> of the 8 filters of a panel), 196 in one of 4
// columns (four such accumulators), the bias, relu and residual add fused
// after; the loop level computes what the graph does.
// NUMERICS:      {{^}}numerics: after graph-to-llvm: ok (max abs error {{.*}}){{$}}
// NUMERICS-NEXT: {{^}}numerics: all 2 levels agree{{$}}
// AVX512:        scf.for {{.*}} -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<8xf32>) {
// AVX512:          vector.fma {{.*}} : vector<8xf32>
// AVX512:        scf.for {{.*}} -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>) {
// AVX512-COUNT-4:  vector.fma {{.*}} : vector<8xf32>
