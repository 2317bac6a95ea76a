// RUN: mlc-opt %s -p 'linalg-contraction-kernel{mr=2 nr=8 vl=4 tile-m=4 tile-n=8 tile-k=4 pack-a=true},canonicalize,cse' | filecheck %s
// RUN: env MLC_TARGET=avx512 mlc-opt %s -p linalg-contraction-kernel | filecheck %s --check-prefix=AVX512
// RUN: env MLC_TARGET=avx2 mlc-opt %s -p linalg-contraction-kernel | filecheck %s --check-prefix=AVX2
// RUN: mlc-opt %s -p 'linalg-contraction-kernel{fuse-epilogue=false}' | filecheck %s --check-prefix=NOFUSE
// RUN: mlc-opt %s -p 'linalg-contraction-kernel{mr=2 nr=8 vl=4 tile-k=4},canonicalize,cse' | filecheck %s --check-prefix=INPLACE
// RUN: mlc-opt %s -p 'linalg-contraction-kernel{mr=2 nr=8 vl=4},canonicalize,cse' | filecheck %s --check-prefix=EVEN

// Most cases use a tiny schedule (2x8 micro-tile of vector<4xf32>, blocks of
// 4 rows, 8 columns, depth 4) so every loop of the schedule is visible; the
// AVX512/AVX2 prefixes check the target's defaults. Convolutions:
// gemm_conv.mlir; edge tiles and blocking: gemm_codegen.mlir.

#mk = affine_map<(d0, d1, d2) -> (d0, d2)>
#nk = affine_map<(d0, d1, d2) -> (d1, d2)>
#mn = affine_map<(d0, d1, d2) -> (d0, d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>

// With the default tile-m (24 rows), A's 16 rows are one block, contiguous
// in k: the kernel broadcasts its elements in place, nothing is packed.
// INPLACE-LABEL: func.func @matmul_is_packed_gemm(
// INPLACE-SAME:      %[[A:.*]]: memref<16x8xf32>, %[[B:.*]]: memref<8x32xf32>, %[[OUT:.*]]: memref<16x32xf32> {mlc.out})
// INPLACE-NOT:     memref.alloc() {{.*}} : memref<{{[0-9]+}}x{{[0-9]+}}x2xf32>
// INPLACE:         scf.for %[[K:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(
// INPLACE:           vector.load %{{.*}}[%{{.*}}, %[[K]], %{{.*}}] : memref<4x4x8xf32>, vector<4xf32>
// INPLACE:           %[[AV:.*]] = memref.load %[[A]][%{{.*}}, %{{.*}}] : memref<16x8xf32>
// INPLACE-NEXT:      vector.broadcast %[[AV]] : f32 to vector<4xf32>
// INPLACE:         mlc.gemm = {mr = 2 : i64, nr = 8 : i64, vl = 4 : i64, mc = 24 : i64
// CHECK-LABEL: func.func @matmul_is_packed_gemm(
// CHECK-SAME:      %[[A:.*]]: memref<16x8xf32>, %[[B:.*]]: memref<8x32xf32>, %[[OUT:.*]]: memref<16x32xf32> {mlc.out})
// CHECK-DAG:     %[[BP:.*]] = memref.alloc() {alignment = 64 : i64} : memref<1x4x8xf32>
// CHECK-DAG:     %[[AP:.*]] = memref.alloc() {alignment = 64 : i64} : memref<8x4x2xf32>
// B's rows are packed with vector copies, A's panels element by element
// (pack-a=true: its 16 rows are four blocks of tile-m=4 anyway).
// CHECK:         scf.for %[[JC:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK:           scf.for %[[PC:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK:             %[[ROW:.*]] = vector.load %[[B]][%{{.*}}, %{{.*}}] : memref<8x32xf32>, vector<4xf32>
// CHECK:             vector.store %[[ROW]], %[[BP]][%{{.*}}, %{{.*}}, %{{.*}}] : memref<1x4x8xf32>, vector<4xf32>
// CHECK:             scf.for %[[IC:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK:               %[[AV:.*]] = memref.load %[[A]][%{{.*}}, %{{.*}}] : memref<16x8xf32>
// CHECK:               memref.store %[[AV]], %[[AP]][%{{.*}}, %{{.*}}, %{{.*}}] : memref<8x4x2xf32>
// The micro-kernel: 2x2 accumulators loaded from C, FMAs over k, stored back.
// CHECK:               %[[C0:.*]] = vector.load %[[OUT]][%{{.*}}, %{{.*}}] : memref<16x32xf32>, vector<4xf32>
// CHECK:               %[[ACC:[^,]*]], %{{.*}}, %{{.*}}, %{{.*}} = scf.for %[[K:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%[[X0:.*]] = %[[C0]], %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) -> (vector<4xf32>, vector<4xf32>, vector<4xf32>, vector<4xf32>) {
// CHECK-NEXT:            %[[B0:.*]] = vector.load %[[BP]][%{{.*}}, %[[K]], %{{.*}}] : memref<1x4x8xf32>, vector<4xf32>
// CHECK-NEXT:            %[[B1:.*]] = vector.load %[[BP]][%{{.*}}, %[[K]], %{{.*}}] : memref<1x4x8xf32>, vector<4xf32>
// CHECK-NEXT:            %[[A0:.*]] = memref.load %[[AP]][%{{.*}}, %[[K]], %{{.*}}] : memref<8x4x2xf32>
// CHECK-NEXT:            %[[SPLAT:.*]] = vector.broadcast %[[A0]] : f32 to vector<4xf32>
// CHECK-NEXT:            %{{.*}} = vector.fma %[[SPLAT]], %[[B0]], %[[X0]] : vector<4xf32>
// CHECK-NEXT:            %{{.*}} = vector.fma %[[SPLAT]], %[[B1]], %{{.*}} : vector<4xf32>
// CHECK:                 scf.yield
// CHECK-NEXT:          } {mlc.gemm = {mr = 2 : i64, nr = 8 : i64, vl = 4 : i64, mc = 4 : i64, nc = 8 : i64, kc = 4 : i64}}
// CHECK-NEXT:          vector.store %[[ACC]], %[[OUT]][%{{.*}}, %{{.*}}] : memref<16x32xf32>, vector<4xf32>
// CHECK:             } {mlc.parallel}
// CHECK:         memref.dealloc %[[BP]]
// CHECK:         memref.dealloc %[[AP]]
// CHECK-NOT:     linalg.matmul

// AVX512-LABEL: func.func @matmul_is_packed_gemm(
// AVX512:         vector.fma %{{.*}}, %{{.*}}, %{{.*}} : vector<16xf32>
// AVX512:         } {mlc.gemm = {mr = 8 : i64, nr = 32 : i64, vl = 16 : i64, mc = 96 : i64, nc = 4096 : i64, kc = 256 : i64}}

// AVX2-LABEL:   func.func @matmul_is_packed_gemm(
// AVX2:           vector.fma %{{.*}}, %{{.*}}, %{{.*}} : vector<8xf32>
// AVX2:           } {mlc.gemm = {mr = 6 : i64, nr = 16 : i64, vl = 8 : i64, mc = 72 : i64, nc = 2048 : i64, kc = 256 : i64}}
func.func @matmul_is_packed_gemm(%a: memref<16x8xf32>, %b: memref<8x32xf32>, %out: memref<16x32xf32> {mlc.out}) {
  linalg.matmul ins(%a, %b : memref<16x8xf32>, memref<8x32xf32>) outs(%out : memref<16x32xf32>)
  func.return
}

// A linear's weight W[n, k] is packed column by column (its transpose); 7
// columns are one full vector and a partial one, loaded and stored through
// the staging row of its output row.
// CHECK-LABEL: func.func @linear_weight_read_transposed(
// CHECK-SAME:      %[[X:.*]]: memref<3x5xf32>, %[[W:.*]]: memref<7x5xf32>, %[[OUT:.*]]: memref<3x7xf32> {mlc.out})
// CHECK-DAG:     %[[BP:.*]] = memref.alloc() {alignment = 64 : i64} : memref<1x4x8xf32>
// CHECK-DAG:     %[[STAGE:.*]] = memref.alloc() {alignment = 64 : i64} : memref<3x4xf32>
// CHECK:         %[[WV:.*]] = memref.load %[[W]][%{{.*}}, %{{.*}}] : memref<7x5xf32>
// CHECK-NEXT:    memref.store %[[WV]], %[[BP]][%{{.*}}, %{{.*}}, %{{.*}}] : memref<1x4x8xf32>
// CHECK:         vector.load %[[OUT]][%{{.*}}, %{{.*}}] : memref<3x7xf32>, vector<4xf32>
// CHECK:         %[[CV:.*]] = memref.load %[[OUT]][%{{.*}}, %{{.*}}] : memref<3x7xf32>
// CHECK-NEXT:    memref.store %[[CV]], %[[STAGE]][%{{.*}}, %{{.*}}] : memref<3x4xf32>
// CHECK:         vector.load %[[STAGE]][%{{.*}}, %{{.*}}] : memref<3x4xf32>, vector<4xf32>
// CHECK:         scf.for {{.*}} iter_args(
// CHECK:         vector.store %{{.*}}, %[[STAGE]][%{{.*}}, %{{.*}}] : memref<3x4xf32>, vector<4xf32>
// CHECK:         %[[SV:.*]] = memref.load %[[STAGE]][%{{.*}}, %{{.*}}] : memref<3x4xf32>
// CHECK:         memref.store %[[SV]], %[[OUT]][%{{.*}}, %{{.*}}] : memref<3x7xf32>
// CHECK-NOT:     linalg.generic
func.func @linear_weight_read_transposed(%x: memref<3x5xf32>, %w: memref<7x5xf32>, %out: memref<3x7xf32> {mlc.out}) {
  linalg.generic {indexing_maps = [#mk, #nk, #mn], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : memref<3x5xf32>, memref<7x5xf32>) outs(%out : memref<3x7xf32>) {
  ^bb0(%p: f32, %q: f32, %acc: f32):
    %m = arith.mulf %p, %q : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  }
  func.return
}

// The relu consumer runs on the accumulators after the last k block, and is
// stored straight into its output; earlier k blocks store the accumulators.
// CHECK-LABEL: func.func @relu_is_the_epilogue(
// CHECK-SAME:      %{{.*}}: memref<16x8xf32>, %{{.*}}: memref<8x32xf32>, %[[OUT:.*]]: memref<16x32xf32> {mlc.out})
// CHECK:         %[[T:.*]] = memref.view
// CHECK:         %[[ACC:[^,]*]], %{{.*}}, %{{.*}}, %{{.*}} = scf.for {{.*}} iter_args(
// CHECK:         scf.if %{{.*}} {
// CHECK:           %[[R:.*]] = arith.maximumf %[[ACC]], %{{.*}} : vector<4xf32>
// CHECK-NEXT:      vector.store %[[R]], %[[OUT]][%{{.*}}, %{{.*}}] : memref<16x32xf32>, vector<4xf32>
// CHECK:         } else {
// CHECK-NEXT:      vector.store %[[ACC]], %[[T]][%{{.*}}, %{{.*}}] : memref<16x32xf32>, vector<4xf32>
// CHECK-NOT:     linalg.generic

// NOFUSE-LABEL: func.func @relu_is_the_epilogue(
// NOFUSE:         vector.fma
// NOFUSE:         linalg.generic
func.func @relu_is_the_epilogue(%a: memref<16x8xf32>, %b: memref<8x32xf32>, %out: memref<16x32xf32> {mlc.out}) {
  %arena = memref.alloc() {alignment = 64 : i64} : memref<2048xi8>
  %c0 = arith.constant 0 : index
  %t = memref.view %arena[%c0][] : memref<2048xi8> to memref<16x32xf32>
  linalg.matmul ins(%a, %b : memref<16x8xf32>, memref<8x32xf32>) outs(%t : memref<16x32xf32>)
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%t : memref<16x32xf32>) outs(%out : memref<16x32xf32>) {
  ^bb0(%v: f32, %o: f32):
    %zero = arith.constant 0.0 : f32
    %r = arith.maximumf %v, %zero : f32
    linalg.yield %r : f32
  }
  memref.dealloc %arena : memref<2048xi8>
  func.return
}

// buffer-reuse gave the consumer's output the bytes of A (dead after the
// matmul when ops run one after another): fused, the epilogue's stores would
// overwrite A while later tiles still read it, so the consumer stays apart.
// A view at another offset of the same arena fuses.
// CHECK-LABEL: func.func @relu_not_fused_when_output_aliases_an_operand(
// CHECK:         vector.fma
// CHECK:         linalg.generic
// CHECK-LABEL: func.func @relu_fuses_when_views_are_disjoint(
// CHECK:         arith.maximumf %{{.*}}, %{{.*}} : vector<4xf32>
// CHECK-NOT:     linalg.generic
func.func @relu_not_fused_when_output_aliases_an_operand(%b: memref<8x32xf32>, %out: memref<16x32xf32> {mlc.out}) {
  %arena = memref.alloc() {alignment = 64 : i64} : memref<4096xi8>
  %c0 = arith.constant 0 : index
  %c2048 = arith.constant 2048 : index
  %a = memref.view %arena[%c0][] : memref<4096xi8> to memref<16x8xf32>
  %t = memref.view %arena[%c2048][] : memref<4096xi8> to memref<16x32xf32>
  linalg.matmul ins(%a, %b : memref<16x8xf32>, memref<8x32xf32>) outs(%t : memref<16x32xf32>)
  %d = memref.view %arena[%c0][] : memref<4096xi8> to memref<16x32xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%t : memref<16x32xf32>) outs(%d : memref<16x32xf32>) {
  ^bb0(%v: f32, %o: f32):
    %zero = arith.constant 0.0 : f32
    %r = arith.maximumf %v, %zero : f32
    linalg.yield %r : f32
  }
  "memref.copy"(%d, %out) : (memref<16x32xf32>, memref<16x32xf32>) -> ()
  memref.dealloc %arena : memref<4096xi8>
  func.return
}
func.func @relu_fuses_when_views_are_disjoint(%b: memref<8x32xf32>, %out: memref<16x32xf32> {mlc.out}) {
  %arena = memref.alloc() {alignment = 64 : i64} : memref<6144xi8>
  %c0 = arith.constant 0 : index
  %c2048 = arith.constant 2048 : index
  %c4096 = arith.constant 4096 : index
  %a = memref.view %arena[%c0][] : memref<6144xi8> to memref<16x8xf32>
  %t = memref.view %arena[%c2048][] : memref<6144xi8> to memref<16x32xf32>
  linalg.matmul ins(%a, %b : memref<16x8xf32>, memref<8x32xf32>) outs(%t : memref<16x32xf32>)
  %d = memref.view %arena[%c4096][] : memref<6144xi8> to memref<16x32xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%t : memref<16x32xf32>) outs(%d : memref<16x32xf32>) {
  ^bb0(%v: f32, %o: f32):
    %zero = arith.constant 0.0 : f32
    %r = arith.maximumf %v, %zero : f32
    linalg.yield %r : f32
  }
  "memref.copy"(%d, %out) : (memref<16x32xf32>, memref<16x32xf32>) -> ()
  memref.dealloc %arena : memref<6144xi8>
  func.return
}

// CHECK-LABEL: func.func @residual_add_is_the_epilogue(
// CHECK-SAME:      %{{.*}}: memref<16x8xf32>, %{{.*}}: memref<8x32xf32>, %[[RES:.*]]: memref<16x32xf32>, %[[OUT:.*]]: memref<16x32xf32> {mlc.out})
// CHECK:         %[[ACC:[^,]*]], %{{.*}}, %{{.*}}, %{{.*}} = scf.for {{.*}} iter_args(
// CHECK:         scf.if %{{.*}} {
// CHECK-NEXT:      %[[R:.*]] = vector.load %[[RES]][%{{.*}}, %{{.*}}] : memref<16x32xf32>, vector<4xf32>
// CHECK-NEXT:      %[[S:.*]] = arith.addf %[[ACC]], %[[R]] : vector<4xf32>
// CHECK-NEXT:      vector.store %[[S]], %[[OUT]][%{{.*}}, %{{.*}}] : memref<16x32xf32>, vector<4xf32>
// CHECK-NOT:     linalg.generic
func.func @residual_add_is_the_epilogue(%a: memref<16x8xf32>, %b: memref<8x32xf32>, %res: memref<16x32xf32>, %out: memref<16x32xf32> {mlc.out}) {
  %arena = memref.alloc() {alignment = 64 : i64} : memref<2048xi8>
  %c0 = arith.constant 0 : index
  %t = memref.view %arena[%c0][] : memref<2048xi8> to memref<16x32xf32>
  linalg.matmul ins(%a, %b : memref<16x8xf32>, memref<8x32xf32>) outs(%t : memref<16x32xf32>)
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%t, %res : memref<16x32xf32>, memref<16x32xf32>) outs(%out : memref<16x32xf32>) {
  ^bb0(%v: f32, %r: f32, %o: f32):
    %s = arith.addf %v, %r : f32
    linalg.yield %s : f32
  }
  memref.dealloc %arena : memref<2048xi8>
  func.return
}

// A batch of small GEMMs: the threads share the batch loop, each element's
// GEMM whole (no parallel loop inside), so each element packs into its own
// copy of Bp and Ap (a leading batch dimension, a strided view per element).
// CHECK-LABEL: func.func @batch_matmul_loops_over_the_batch(
// CHECK-SAME:      %[[A:.*]]: memref<2x4x8xf32>, %[[B:.*]]: memref<2x8x16xf32>, %[[OUT:.*]]: memref<2x4x16xf32> {mlc.out})
// CHECK:         %[[BP:.*]] = memref.alloc() {alignment = 64 : i64} : memref<2x1x4x8xf32>
// CHECK:         %[[AP:.*]] = memref.alloc() {alignment = 64 : i64} : memref<2x2x4x2xf32>
// CHECK:         scf.for %[[BATCH:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NEXT:      %{{.*}} = memref.subview %[[BP]][%[[BATCH]], 0, 0, 0] [1, 1, 4, 8] [1, 1, 1, 1] : memref<2x1x4x8xf32> to memref<1x4x8xf32, strided<[32, 8, 1], offset: ?>>
// CHECK-NEXT:      %{{.*}} = memref.subview %[[AP]][%[[BATCH]], 0, 0, 0] [1, 2, 4, 2] [1, 1, 1, 1] : memref<2x2x4x2xf32> to memref<2x4x2xf32, strided<[8, 2, 1], offset: ?>>
// CHECK-NOT:       mlc.parallel
// CHECK:           vector.load %[[B]][%[[BATCH]], %{{.*}}, %{{.*}}] : memref<2x8x16xf32>, vector<4xf32>
// CHECK-NOT:       mlc.parallel
// CHECK:           memref.load %[[A]][%[[BATCH]], %{{.*}}, %{{.*}}] : memref<2x4x8xf32>
// CHECK-NOT:       mlc.parallel
// CHECK:           vector.load %[[OUT]][%[[BATCH]], %{{.*}}, %{{.*}}] : memref<2x4x16xf32>, vector<4xf32>
// CHECK:           vector.fma
// CHECK:         } {mlc.parallel}
// CHECK-NEXT:    memref.dealloc %[[BP]] : memref<2x1x4x8xf32>
// CHECK-NOT:     linalg.batch_matmul
func.func @batch_matmul_loops_over_the_batch(%a: memref<2x4x8xf32>, %b: memref<2x8x16xf32>, %out: memref<2x4x16xf32> {mlc.out}) {
  linalg.batch_matmul ins(%a, %b : memref<2x4x8xf32>, memref<2x8x16xf32>) outs(%out : memref<2x4x16xf32>)
  func.return
}

// Up to two blocks of rows (48 with tile-m 24) are read in place too (a
// sequence of 128 tokens, two 96-row blocks with AVX-512); three are packed.
// INPLACE-LABEL: func.func @two_row_blocks_in_place(
// INPLACE-SAME:      %[[A:[a-z0-9]+]]: memref<40x8xf32>
// INPLACE-NOT:     memref.alloc() {{.*}} : memref<{{[0-9]+}}x{{[0-9]+}}x2xf32>
// INPLACE:         memref.load %[[A]][%{{.*}}, %{{.*}}] : memref<40x8xf32>
// INPLACE-LABEL: func.func @three_row_blocks_packed(
// INPLACE:         memref.alloc() {alignment = 64 : i64} : memref<25x4x2xf32>
func.func @two_row_blocks_in_place(%a: memref<40x8xf32>, %b: memref<8x8xf32>, %out: memref<40x8xf32> {mlc.out}) {
  linalg.matmul ins(%a, %b : memref<40x8xf32>, memref<8x8xf32>) outs(%out : memref<40x8xf32>)
  func.return
}

func.func @three_row_blocks_packed(%a: memref<50x8xf32>, %b: memref<8x8xf32>, %out: memref<50x8xf32> {mlc.out}) {
  linalg.matmul ins(%a, %b : memref<50x8xf32>, memref<8x8xf32>) outs(%out : memref<50x8xf32>)
  func.return
}

// A zero fill of C right before the contraction is not kept: the GEMM starts
// its accumulators at the fill's value instead of loading C (one K block:
// the splat alone; K in blocks: the first block's, an scf.if on pc == 0),
// so C is neither written by the fill nor read back.
// CHECK-LABEL: func.func @fill_is_the_accumulators_start(
// CHECK-SAME:      %{{.*}}: memref<2x4xf32>, %{{.*}}: memref<4x8xf32>, %[[OUT:.*]]: memref<2x8xf32> {mlc.out})
// CHECK:         %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NOT:     linalg.fill
// CHECK-NOT:     vector.load %[[OUT]]
// CHECK:         %[[START:.*]] = vector.broadcast %[[ZERO]] : f32 to vector<4xf32>
// CHECK:         scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %[[START]], %{{.*}} = %[[START]], %{{.*}} = %[[START]], %{{.*}} = %[[START]])
// CHECK:         vector.store %{{.*}}, %[[OUT]]
func.func @fill_is_the_accumulators_start(%a: memref<2x4xf32>, %b: memref<4x8xf32>, %out: memref<2x8xf32> {mlc.out}) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%out : memref<2x8xf32>)
  linalg.matmul ins(%a, %b : memref<2x4xf32>, memref<4x8xf32>) outs(%out : memref<2x8xf32>)
  func.return
}

// CHECK-LABEL: func.func @fill_starts_the_first_k_block(
// CHECK-SAME:      %{{.*}}: memref<2x8xf32>, %{{.*}}: memref<8x8xf32>, %[[OUT:.*]]: memref<2x8xf32> {mlc.out})
// CHECK:         %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NOT:     linalg.fill
// CHECK:         scf.for %[[PC:.*]] = %[[C0:.*]] to %{{.*}} step %{{.*}} {
// CHECK:           %[[FIRST:.*]] = arith.cmpi eq, %[[PC]], %[[C0]] : index
// CHECK-NEXT:      %[[I0:.*]], %{{.*}}, %{{.*}}, %{{.*}} = scf.if %[[FIRST]] -> (vector<4xf32>, vector<4xf32>, vector<4xf32>, vector<4xf32>) {
// CHECK-NEXT:        %[[S:.*]] = vector.broadcast %[[ZERO]] : f32 to vector<4xf32>
// CHECK-NEXT:        scf.yield %[[S]], %[[S]], %[[S]], %[[S]] : vector<4xf32>, vector<4xf32>, vector<4xf32>, vector<4xf32>
// CHECK-NEXT:      } else {
// CHECK-NEXT:        %{{.*}} = vector.load %[[OUT]][%{{.*}}, %{{.*}}] : memref<2x8xf32>, vector<4xf32>
// CHECK:           scf.for %{{.*}} iter_args(%{{.*}} = %[[I0]],
func.func @fill_starts_the_first_k_block(%a: memref<2x8xf32>, %b: memref<8x8xf32>, %out: memref<2x8xf32> {mlc.out}) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%out : memref<2x8xf32>)
  linalg.matmul ins(%a, %b : memref<2x8xf32>, memref<8x8xf32>) outs(%out : memref<2x8xf32>)
  func.return
}

// Not when anything between the fill and the contraction may read or write
// C (a copy of it here): the fill stays and the GEMM loads C.
// CHECK-LABEL: func.func @fill_kept_when_c_is_read_between(
// CHECK-SAME:      %{{.*}}: memref<2x4xf32>, %{{.*}}: memref<4x8xf32>, %[[OUT:[a-z0-9]+]]: memref<2x8xf32> {mlc.out}
// CHECK:         linalg.fill ins(%{{.*}} : f32) outs(%[[OUT]] : memref<2x8xf32>)
// CHECK:         vector.load %[[OUT]]
func.func @fill_kept_when_c_is_read_between(%a: memref<2x4xf32>, %b: memref<4x8xf32>, %out: memref<2x8xf32> {mlc.out}, %copy: memref<2x8xf32> {mlc.out}) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%out : memref<2x8xf32>)
  "memref.copy"(%out, %copy) : (memref<2x8xf32>, memref<2x8xf32>) -> ()
  linalg.matmul ins(%a, %b : memref<2x4xf32>, memref<4x8xf32>) outs(%out : memref<2x8xf32>)
  func.return
}

// A bias broadcast along C's rows right before the contraction (a linear's:
// out[m, n] = bias[n]) starts each column's accumulators instead: no loop
// writes C first, and no accumulator loads it. The 6 columns of a 4-lane
// vector pair: the bias's second vector is a masked load of 2 lanes.
// CHECK-LABEL: func.func @bias_is_the_columns_start(
// CHECK-SAME:      %{{.*}}: memref<2x4xf32>, %{{.*}}: memref<4x6xf32>, %[[BIAS:.*]]: memref<6xf32>, %[[OUT:.*]]: memref<2x6xf32> {mlc.out})
// CHECK-NOT:     linalg.generic
// CHECK-NOT:     vector.load %[[OUT]]
// CHECK:         %[[B0:.*]] = vector.load %[[BIAS]][%{{.*}}] : memref<6xf32>, vector<4xf32>
// CHECK:         %[[B1:.*]] = vector.maskedload %[[BIAS]][%{{.*}}], %{{.*}}, %{{.*}} : memref<6xf32>, vector<4xi1>, vector<4xf32> into vector<4xf32>
// CHECK:         scf.for %{{.*}} iter_args(%{{.*}} = %[[B0]], %{{.*}} = %[[B1]], %{{.*}} = %[[B0]], %{{.*}} = %[[B1]])
func.func @bias_is_the_columns_start(%a: memref<2x4xf32>, %b: memref<4x6xf32>, %bias: memref<6xf32>, %out: memref<2x6xf32> {mlc.out}) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%bias : memref<6xf32>) outs(%out : memref<2x6xf32>) {
  ^bb0(%in: f32, %o: f32):
    linalg.yield %in : f32
  }
  linalg.matmul ins(%a, %b : memref<2x4xf32>, memref<4x6xf32>) outs(%out : memref<2x6xf32>)
  func.return
}

// Threads sharing the A blocks get equal halves: 60 rows in the default
// blocks of 24 (12 mr: 24, 24, 12) split 24 : 36 between two threads; in 6
// blocks of 10, 30 : 30 (4 blocks of 16 would be 32 : 28). The block size
// is printed in mlc.gemm and steps the parallel loop.
// EVEN-LABEL: func.func @rows_in_even_blocks(
// EVEN-DAG:     %[[C10:.*]] = arith.constant 10 : index
// EVEN-DAG:     %[[C60:.*]] = arith.constant 60 : index
// EVEN:         scf.for %{{.*}} = %{{.*}} to %[[C60]] step %[[C10]] {
// EVEN:           } {mlc.gemm = {mr = 2 : i64, nr = 8 : i64, vl = 4 : i64, mc = 10 : i64, nc = 1024 : i64, kc = 256 : i64}}
// EVEN:         } {mlc.parallel}
func.func @rows_in_even_blocks(%a: memref<60x8xf32>, %b: memref<8x8xf32>, %out: memref<60x8xf32> {mlc.out}) {
  linalg.matmul ins(%a, %b : memref<60x8xf32>, memref<8x8xf32>) outs(%out : memref<60x8xf32>)
  func.return
}

// CHECK-LABEL: func.func @f64_matmul_is_left_alone(
// CHECK:         linalg.matmul
// CHECK-NOT:     vector.
func.func @f64_matmul_is_left_alone(%a: memref<2x3xf64>, %b: memref<3x4xf64>, %out: memref<2x4xf64> {mlc.out}) {
  linalg.matmul ins(%a, %b : memref<2x3xf64>, memref<3x4xf64>) outs(%out : memref<2x4xf64>)
  func.return
}
