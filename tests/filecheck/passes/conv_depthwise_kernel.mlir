// RUN: mlc-opt %s -p 'conv-depthwise-kernel{tile-h=2 tile-w=1 vl=4},canonicalize,cse' | filecheck %s
// RUN: env MLC_TARGET=avx512 mlc-opt %s -p conv-depthwise-kernel | filecheck %s --check-prefix=AVX512
// RUN: env MLC_TARGET=avx2 mlc-opt %s -p conv-depthwise-kernel | filecheck %s --check-prefix=AVX2
// RUN: mlc-opt %s -p 'conv-depthwise-kernel{fuse-epilogue=false}' | filecheck %s --check-prefix=NOFUSE

// A tiny tile (2 rows x 1 vector<4xf32>) so the edges show; AVX512/AVX2
// check the target's default tiles.

#x_s2 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, ((d1 floordiv 1) + d4), ((d2 * 2) + d5), ((d3 * 2) + d6))>
#x_s1_dil2 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, ((d1 floordiv 1) + d4), (d2 + (d5 * 2)), (d3 + (d6 * 2)))>
#x_grouped = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, (((d1 floordiv 3) * 2) + d4), (d2 + d5), (d3 + d6))>
#w = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1, d4, d5, d6)>
#o = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#ch = affine_map<(d0, d1, d2, d3) -> (d1)>

// Stride 2, a 5x5 output: per channel the nine taps are broadcast once and
// the batch norm's per-channel part (sqrt of the variance) computed once;
// the fill before the conv becomes the accumulators' start; two loads and a
// shuffle gather each strided vector; the last column is one masked lane
// (its last tap's input masked too: the row ends).
// CHECK-LABEL: func.func @depthwise_s2_bn_clip(
// CHECK-SAME:      %[[X:.*]]: memref<1x4x12x12xf32>, %[[W:.*]]: memref<4x1x3x3xf32>, %{{.*}}: memref<4xf32>, %{{.*}}: memref<4xf32>, %{{.*}}: memref<4xf32>, %[[V:.*]]: memref<4xf32>, %[[OUT:.*]]: memref<1x4x5x5xf32> {mlc.out})
// CHECK-NOT:     linalg.fill
// CHECK:         scf.for %[[C:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK:           %[[T0:.*]] = memref.load %[[W]][%[[C]], %{{.*}}, %{{.*}}, %{{.*}}] : memref<4x1x3x3xf32>
// CHECK-NEXT:      %[[TAP0:.*]] = vector.broadcast %[[T0]] : f32 to vector<4xf32>
// CHECK:           %[[VAR:.*]] = memref.load %[[V]][%[[C]]] : memref<4xf32>
// CHECK:           math.sqrt %{{.*}} : vector<4xf32>
// CHECK:           scf.for %[[R:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NOT:         math.sqrt
// CHECK:             %[[A:.*]] = vector.load %[[X]][%{{.*}}, %[[C]], %{{.*}}, %{{.*}}] : memref<1x4x12x12xf32>, vector<4xf32>
// CHECK-NEXT:        %[[B:.*]] = vector.load %[[X]][%{{.*}}, %[[C]], %{{.*}}, %{{.*}}] : memref<1x4x12x12xf32>, vector<4xf32>
// CHECK-NEXT:        %[[EVEN:.*]] = vector.shuffle %[[A]], %[[B]] [0, 2, 4, 6] : vector<4xf32>, vector<4xf32>
// CHECK-NEXT:        vector.fma %[[EVEN]], %[[TAP0]], %{{.*}} : vector<4xf32>
// CHECK:             arith.divf %{{.*}}, %{{.*}} : vector<4xf32>
// CHECK:             arith.minimumf %{{.*}}, %{{.*}} : vector<4xf32>
// CHECK:             vector.store %{{.*}}, %[[OUT]][%{{.*}}, %[[C]], %[[R]], %{{.*}}] : memref<1x4x5x5xf32>, vector<4xf32>
// CHECK:             vector.maskedload %[[X]]
// CHECK:             vector.maskedstore %[[OUT]][%{{.*}}, %[[C]], %[[R]], %{{.*}}], %{{.*}}, %{{.*}} : memref<1x4x5x5xf32>, vector<4xi1>, vector<4xf32>
// CHECK:           }
// The fifth row: a tile of one row.
// CHECK:           vector.maskedstore %[[OUT]]
// CHECK:         } {mlc.dwconv = {rows = 2 : i64, vectors = 1 : i64, vl = 4 : i64}, mlc.parallel}
// CHECK-NOT:     linalg.generic

// AVX512-LABEL: func.func @depthwise_s2_bn_clip(
// AVX512:         vector.fma %{{.*}}, %{{.*}}, %{{.*}} : vector<16xf32>
// AVX512:         } {mlc.dwconv = {rows = 5 : i64, vectors = 1 : i64, vl = 16 : i64}, mlc.parallel}

// AVX2-LABEL:   func.func @depthwise_s2_bn_clip(
// AVX2:           vector.fma %{{.*}}, %{{.*}}, %{{.*}} : vector<8xf32>
// AVX2:           } {mlc.dwconv = {rows = 5 : i64, vectors = 1 : i64, vl = 8 : i64}, mlc.parallel}

// NOFUSE-LABEL: func.func @depthwise_s2_bn_clip(
// NOFUSE:         } {mlc.dwconv = {{.*}}, mlc.parallel}
// NOFUSE-NEXT:    linalg.generic
func.func @depthwise_s2_bn_clip(%x: memref<1x4x12x12xf32>, %w: memref<4x1x3x3xf32>, %s: memref<4xf32>, %b: memref<4xf32>, %m: memref<4xf32>, %v: memref<4xf32>, %out: memref<1x4x5x5xf32> {mlc.out}) {
  %arena = memref.alloc() {alignment = 64 : i64} : memref<400xi8>
  %zero = arith.constant 0.000000e+00 : f32
  %c0 = arith.constant 0 : index
  %conv = memref.view %arena[%c0][] : memref<400xi8> to memref<1x4x5x5xf32>
  linalg.fill ins(%zero : f32) outs(%conv : memref<1x4x5x5xf32>)
  linalg.generic {indexing_maps = [#x_s2, #w, #o], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%x, %w : memref<1x4x12x12xf32>, memref<4x1x3x3xf32>) outs(%conv : memref<1x4x5x5xf32>) {
  ^bb0(%a: f32, %k: f32, %acc: f32):
    %p = arith.mulf %a, %k : f32
    %q = arith.addf %acc, %p : f32
    linalg.yield %q : f32
  }
  linalg.generic {indexing_maps = [#id, #ch, #ch, #ch, #ch, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%conv, %s, %b, %m, %v : memref<1x4x5x5xf32>, memref<4xf32>, memref<4xf32>, memref<4xf32>, memref<4xf32>) outs(%out : memref<1x4x5x5xf32>) {
  ^bb0(%y: f32, %sc: f32, %bi: f32, %me: f32, %va: f32, %o: f32):
    %eps = arith.constant 1.000000e-05 : f32
    %0 = arith.addf %va, %eps : f32
    %1 = math.sqrt %0 : f32
    %2 = arith.subf %y, %me : f32
    %3 = arith.divf %2, %1 : f32
    %4 = arith.mulf %3, %sc : f32
    %5 = arith.addf %4, %bi : f32
    %6 = arith.maximumf %5, %zero : f32
    %six = arith.constant 6.000000e+00 : f32
    %7 = arith.minimumf %6, %six : f32
    linalg.yield %7 : f32
  }
  memref.dealloc %arena : memref<400xi8>
  func.return
}

// Stride 1, dilation 2, the output a function buffer accumulated into (no
// fill): the accumulators start from it; a residual is read like the output.
// Each tap is one shifted vector.load.
// CHECK-LABEL: func.func @depthwise_dilated_residual(
// CHECK-SAME:      %[[X:.*]]: memref<2x3x12x12xf32>, %{{.*}}: memref<3x1x3x3xf32>, %[[RES:.*]]: memref<2x3x8x8xf32>, %[[CONV:.*]]: memref<2x3x8x8xf32> {mlc.out}, %[[OUT:.*]]: memref<2x3x8x8xf32> {mlc.out})
// CHECK:         scf.for %[[N:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK:           scf.for %[[C:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK:             scf.for %[[R:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK:               scf.for %[[COL:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK:                 %[[ACC:.*]] = vector.load %[[CONV]][%[[N]], %[[C]], %[[R]], %[[COL]]] : memref<2x3x8x8xf32>, vector<4xf32>
// CHECK:                 %[[IN:.*]] = vector.load %[[X]][%[[N]], %[[C]], %{{.*}}, %[[COL]]] : memref<2x3x12x12xf32>, vector<4xf32>
// CHECK-NEXT:            vector.fma %[[IN]], %{{.*}}, %[[ACC]] : vector<4xf32>
// The conv's output is a function's buffer: stored, then the residual add.
// CHECK:                 vector.store %{{.*}}, %[[CONV]][%[[N]], %[[C]], %[[R]], %[[COL]]]
// CHECK:                 %[[RV:.*]] = vector.load %[[RES]][%[[N]], %[[C]], %[[R]], %[[COL]]]
// CHECK-NEXT:            %[[SUM:.*]] = arith.addf %{{.*}}, %[[RV]] : vector<4xf32>
// CHECK:                 vector.store %[[SUM]], %[[OUT]][%[[N]], %[[C]], %[[R]], %[[COL]]]
// CHECK:           } {mlc.dwconv = {rows = 2 : i64, vectors = 1 : i64, vl = 4 : i64}, mlc.parallel}
func.func @depthwise_dilated_residual(%x: memref<2x3x12x12xf32>, %w: memref<3x1x3x3xf32>, %res: memref<2x3x8x8xf32>, %conv: memref<2x3x8x8xf32> {mlc.out}, %out: memref<2x3x8x8xf32> {mlc.out}) {
  linalg.generic {indexing_maps = [#x_s1_dil2, #w, #o], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%x, %w : memref<2x3x12x12xf32>, memref<3x1x3x3xf32>) outs(%conv : memref<2x3x8x8xf32>) {
  ^bb0(%a: f32, %k: f32, %acc: f32):
    %p = arith.mulf %a, %k : f32
    %q = arith.addf %acc, %p : f32
    linalg.yield %q : f32
  }
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%conv, %res : memref<2x3x8x8xf32>, memref<2x3x8x8xf32>) outs(%out : memref<2x3x8x8xf32>) {
  ^bb0(%y: f32, %r: f32, %o: f32):
    %0 = arith.addf %y, %r : f32
    linalg.yield %0 : f32
  }
  func.return
}

// Two input channels per group: not depthwise, left for the next passes.
// CHECK-LABEL: func.func @grouped_is_left(
// CHECK-NOT:     mlc.dwconv
// CHECK:         linalg.generic
func.func @grouped_is_left(%x: memref<1x4x6x6xf32>, %w: memref<6x2x3x3xf32>, %out: memref<1x6x4x4xf32> {mlc.out}) {
  linalg.generic {indexing_maps = [#x_grouped, #w, #o], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%x, %w : memref<1x4x6x6xf32>, memref<6x2x3x3xf32>) outs(%out : memref<1x6x4x4xf32>) {
  ^bb0(%a: f32, %k: f32, %acc: f32):
    %p = arith.mulf %a, %k : f32
    %q = arith.addf %acc, %p : f32
    linalg.yield %q : f32
  }
  func.return
}
