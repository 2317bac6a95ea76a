// RUN: mlc-opt %s -p 'pack-weights{nr=8 mr=2}' | filecheck %s
// RUN: env MLC_TARGET=avx512 mlc-opt %s -p pack-weights | filecheck %s --check-prefix=AVX512
// RUN: env MLC_TARGET=avx2 mlc-opt %s -p pack-weights | filecheck %s --check-prefix=AVX2
// RUN: mlc-opt %s -p 'pack-weights{enabled=false}' | filecheck %s --check-prefix=OFF
// RUN: mlc-opt %s -p 'pack-weights{nr=8 mr=2},linalg-contraction-kernel{mr=2 nr=8 vl=4 tile-m=4 tile-k=4 pack-a=true},canonicalize,cse' | filecheck %s --check-prefix=GEMM
// RUN: mlc-opt %s -p 'pack-weights{nr=8 mr=2},linalg-contraction-kernel{mr=2 nr=8 vl=4}' | filecheck %s --check-prefix=WHOLEK

// A weight known before the first call (a public function's argument, a
// constant) and read only as the B operand of contractions is stored packed,
// Wp[ceil(N/nr)][K][nr]; the contraction reads it through (n floordiv nr, k,
// n mod nr). The target's default nr is its micro-tile's: 32 (AVX-512), 16
// (AVX2).

#mk = affine_map<(d0, d1, d2) -> (d0, d2)>
#nk = affine_map<(d0, d1, d2) -> (d1, d2)>
#kn = affine_map<(d0, d1, d2) -> (d2, d1)>
#mn = affine_map<(d0, d1, d2) -> (d0, d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>
#bmk = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
#bkn = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
#bmn = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>

// A linear's weight W[n, k] (13 columns: one full panel of 8 and one of 5,
// zero-padded; depth 10) reached through a private function called twice:
// the public argument carries mlc.packed = {nr, n, type}, the private ones
// change type with it.
// CHECK-LABEL: func.func private @linear(
// CHECK-SAME:      %[[X:.*]]: memref<3x10xf32>, %[[W:.*]]: memref<2x10x8xf32>, %[[OUT:.*]]: memref<3x13xf32> {mlc.out})
// CHECK:         linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> ((d1 floordiv 8), d2, (d1 mod 8))>, affine_map<(d0, d1, d2) -> (d0, d1)>]
// CHECK-SAME:      ins(%[[X]], %[[W]] : memref<3x10xf32>, memref<2x10x8xf32>)
// OFF-LABEL:   func.func private @linear(
// OFF-SAME:        memref<13x10xf32>
// OFF:           affine_map<(d0, d1, d2) -> (d1, d2)>
// GEMM-LABEL:  func.func private @linear(
// GEMM-SAME:       %[[X:.*]]: memref<3x10xf32>, %[[W:.*]]: memref<2x10x8xf32>, %[[OUT:.*]]: memref<3x13xf32> {mlc.out})
// No B panel is allocated or packed: the kernel loads the weight's panels in
// place, at row pc + k of its K block.
// GEMM-NOT:      memref.alloc() {{.*}} : memref<{{[0-9]+}}x{{[0-9]+}}x8xf32>
// The weight streams from memory, so a full-row tile also fetches, per k, the
// line the next column panel's tile reads (panel jp + 1, the last one at the
// end); the one-row edge tile does not.
// GEMM:          scf.for %[[PC:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// GEMM-NOT:        vector.load %[[W]]
// GEMM:            memref.store %{{.*}}, %[[AP:.*]][%{{.*}}, %{{.*}}, %{{.*}}] : memref<2x4x2xf32>
// GEMM:            %[[JP:.*]] = arith.divsi
// GEMM-NEXT:       %[[JP1:.*]] = arith.addi %[[JP]], %[[ONE:.*]] : index
// GEMM-NEXT:       %[[NEXT:.*]] = arith.minsi %[[JP1]], %[[ONE]] : index
// GEMM:            scf.for %[[K:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(
// GEMM-NEXT:         %[[KB:.*]] = arith.addi %[[PC]], %[[K]] : index
// GEMM-NEXT:         vector.load %[[W]][%[[JP]], %[[KB]], %{{.*}}] : memref<2x10x8xf32>, vector<4xf32>
// GEMM-NEXT:         vector.load %[[W]][%[[JP]], %[[KB]], %{{.*}}] : memref<2x10x8xf32>, vector<4xf32>
// GEMM-NEXT:         memref.prefetch %[[W]][%[[NEXT]], %[[KB]], %{{.*}}], read, locality<3>, data : memref<2x10x8xf32>
// GEMM:            } {mlc.gemm = {mr = 2 : i64, nr = 8 : i64, vl = 4 : i64, mc = 4 : i64, nc = 1024 : i64, kc = 4 : i64}}
// GEMM-NOT:        memref.prefetch
// GEMM:            } {mlc.gemm = {mr = 2 : i64, nr = 8 : i64, vl = 4 : i64, mc = 4 : i64, nc = 1024 : i64, kc = 4 : i64}}
// GEMM-NOT:      memref.dealloc %[[W]]
func.func private @linear(%x: memref<3x10xf32>, %w: memref<13x10xf32>, %out: memref<3x13xf32> {mlc.out}) {
  linalg.generic {indexing_maps = [#mk, #nk, #mn], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : memref<3x10xf32>, memref<13x10xf32>) outs(%out : memref<3x13xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %0 = arith.mulf %a, %b : f32
    %1 = arith.addf %c, %0 : f32
    linalg.yield %1 : f32
  }
  func.return
}

// CHECK-LABEL: func.func @two_linears(
// CHECK-SAME:      %{{.*}}: memref<3x10xf32>, %[[W1:.*]]: memref<2x10x8xf32> {mlc.packed = {nr = 8 : i64, n = 0 : i64, type = memref<13x10xf32>}}, %[[W2:.*]]: memref<2x10x8xf32> {mlc.packed = {nr = 8 : i64, n = 0 : i64, type = memref<13x10xf32>}},
// CHECK:         func.call @linear(%{{.*}}, %[[W1]], %{{.*}}) : (memref<3x10xf32>, memref<2x10x8xf32>, memref<3x13xf32>) -> ()
// CHECK:         func.call @linear(%{{.*}}, %[[W2]], %{{.*}}) : (memref<3x10xf32>, memref<2x10x8xf32>, memref<3x13xf32>) -> ()
// AVX512-LABEL: func.func @two_linears(
// AVX512-SAME:      memref<1x10x32xf32> {mlc.packed = {nr = 32 : i64, n = 0 : i64, type = memref<13x10xf32>}}
// AVX2-LABEL:   func.func @two_linears(
// AVX2-SAME:        memref<1x10x16xf32> {mlc.packed = {nr = 16 : i64, n = 0 : i64, type = memref<13x10xf32>}}
// OFF-LABEL:    func.func @two_linears(
// OFF-NOT:        mlc.packed
func.func @two_linears(%x: memref<3x10xf32>, %w1: memref<13x10xf32>, %w2: memref<13x10xf32>, %o1: memref<3x13xf32> {mlc.out}, %o2: memref<3x13xf32> {mlc.out}) {
  func.call @linear(%x, %w1, %o1) : (memref<3x10xf32>, memref<13x10xf32>, memref<3x13xf32>) -> ()
  func.call @linear(%x, %w2, %o2) : (memref<3x10xf32>, memref<13x10xf32>, memref<3x13xf32>) -> ()
  func.return
}

// A matmul by a constant B[k, n] (2x3): a packed twin global, folded at
// compile time, replaces it (n is B's dimension 1: "t"); the matmul becomes
// the equivalent generic reading it packed, and the unpacked global is gone.
// CHECK-NOT:   sym_name = "b23"
// CHECK:       "memref.global"() <{sym_name = "b23_packed8t", type = memref<1x2x8xf32>, initial_value = dense<{{\[\[\[}}1.000000e+00, 2.000000e+00, 3.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00], [4.000000e+00, 5.000000e+00, 6.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00]]]> : tensor<1x2x8xf32>, sym_visibility = "private", constant}> : () -> ()
// CHECK-LABEL: func.func @matmul_by_constant(
// CHECK:         %[[B:.*]] = memref.get_global @b23_packed8t : memref<1x2x8xf32>
// CHECK:         linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> ((d1 floordiv 8), d2, (d1 mod 8))>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%{{.*}}, %[[B]] : memref<4x2xf32>, memref<1x2x8xf32>)
// CHECK-NOT:     linalg.matmul
"memref.global"() <{sym_name = "b23", type = memref<2x3xf32>, initial_value = dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>, sym_visibility = "private", constant}> : () -> ()
func.func @matmul_by_constant(%a: memref<4x2xf32>, %out: memref<4x3xf32> {mlc.out}) {
  %b = memref.get_global @b23 : memref<2x3xf32>
  linalg.matmul ins(%a, %b : memref<4x2xf32>, memref<2x3xf32>) outs(%out : memref<4x3xf32>)
  func.return
}

// Not packed: a weight also read by another op (its layout must stay), the
// left operand A of a contraction, a batched B, and a private function's
// argument a caller passes something else (an output).
// CHECK-LABEL: func.func @not_weights(
// CHECK-SAME:      %{{.*}}: memref<4x8xf32>, %{{.*}}: memref<8x8xf32>, %{{.*}}: memref<4x8xf32>, %{{.*}}: memref<2x8x8xf32>,
// CHECK-NOT:     mlc.packed
// CHECK-NOT:     floordiv
// CHECK:         func.return
func.func @not_weights(%a: memref<4x8xf32>, %w: memref<8x8xf32>, %lhs: memref<4x8xf32>, %bb: memref<2x8x8xf32>, %ba: memref<2x4x8xf32>, %out: memref<4x8xf32> {mlc.out}, %copy: memref<8x8xf32> {mlc.out}, %bout: memref<2x4x8xf32> {mlc.out}) {
  linalg.matmul ins(%a, %w : memref<4x8xf32>, memref<8x8xf32>) outs(%out : memref<4x8xf32>)
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%w : memref<8x8xf32>) outs(%copy : memref<8x8xf32>) {
  ^bb0(%in: f32, %o: f32):
    linalg.yield %in : f32
  }
  linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "reduction"]} ins(%lhs, %copy : memref<4x8xf32>, memref<8x8xf32>) outs(%out : memref<4x8xf32>) {
  ^bb0(%x: f32, %y: f32, %c: f32):
    %0 = arith.mulf %x, %y : f32
    %1 = arith.addf %c, %0 : f32
    linalg.yield %1 : f32
  }
  linalg.generic {indexing_maps = [#bmk, #bkn, #bmn], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%ba, %bb : memref<2x4x8xf32>, memref<2x8x8xf32>) outs(%bout : memref<2x4x8xf32>) {
  ^bb0(%x: f32, %y: f32, %c: f32):
    %0 = arith.mulf %x, %y : f32
    %1 = arith.addf %c, %0 : f32
    linalg.yield %1 : f32
  }
  func.call @right(%lhs, %copy, %out) : (memref<4x8xf32>, memref<8x8xf32>, memref<4x8xf32>) -> ()
  func.return
}

// CHECK-LABEL: func.func private @right(
// CHECK-SAME:      memref<8x8xf32>
// CHECK-NOT:     floordiv
func.func private @right(%a: memref<4x8xf32>, %b: memref<8x8xf32>, %out: memref<4x8xf32> {mlc.out}) {
  linalg.matmul ins(%a, %b : memref<4x8xf32>, memref<8x8xf32>) outs(%out : memref<4x8xf32>)
  func.return
}

// A convolution's filter W[f, c, kh, kw] is the GEMM's A: stored in panels
// of mr rows (5 filters, mr = 2: three panels, the last zero-padded) as
// memref<ceil(F/mr) x C x KH x KW x mr> (8 rows with AVX-512, 6 with AVX2), and the
// convolution becomes the seven-loop generic reading it through
// (f floordiv mr, c, kh, kw, f mod mr); the GEMM's micro-tile takes its mr
// from the panels and reads them in place: no A panel is packed per call.
// CHECK-LABEL: func.func @conv_filter(
// CHECK-SAME:      %[[X:.*]]: memref<1x3x6x6xf32>, %[[W:.*]]: memref<3x3x3x3x2xf32> {mlc.packed = {nr = 2 : i64, n = 0 : i64, type = memref<5x3x3x3xf32>}}, %{{.*}}: memref<1x5x2x2xf32> {mlc.out})
// CHECK:         linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d4, ((d2 * 2) + d5), ((d3 * 2) + d6))>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> ((d1 floordiv 2), d4, d5, d6, (d1 mod 2))>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]}
// AVX512-LABEL: func.func @conv_filter(
// AVX512-SAME:      %{{.*}}: memref<1x3x3x3x8xf32> {mlc.packed = {nr = 8 : i64
// AVX2-LABEL:   func.func @conv_filter(
// AVX2-SAME:        %{{.*}}: memref<1x3x3x3x6xf32> {mlc.packed = {nr = 6 : i64
// GEMM-LABEL:  func.func @conv_filter(
// GEMM-SAME:       %{{.*}}: memref<1x3x6x6xf32>, %[[W:.*]]: memref<3x3x3x3x2xf32>
// GEMM:          %[[AP:.*]] = memref.collapse_shape %[[W]] {{\[}}[0 : i64], [1 : i64, 2 : i64, 3 : i64], [4 : i64]] : memref<3x3x3x3x2xf32> into memref<3x27x2xf32>
// GEMM-NOT:      memref.store %{{.*}} : memref<{{[0-9]+}}x{{[0-9]+}}x2xf32>
// Per k, the full-row tile fetches the next row panel's line of the filter
// (panel ip + 1, at most the last) before it reads its own.
// GEMM:          memref.prefetch %[[AP]][%[[NEXT:.*]], %[[KA:.*]], %{{.*}}], read, locality<3>, data : memref<3x27x2xf32>
// GEMM-NEXT:     memref.load %[[AP]][%[[IP:.*]], %[[KA]], %{{.*}}] : memref<3x27x2xf32>
// GEMM:          vector.fma
// GEMM:          {mlc.gemm = {mr = 2 : i64, nr = 8 : i64, vl = 4 : i64, mc = 4 : i64, nc = 1024 : i64, kc = 4 : i64}}
func.func @conv_filter(%x: memref<1x3x6x6xf32>, %w: memref<5x3x3x3xf32>, %out: memref<1x5x2x2xf32> {mlc.out}) {
  linalg.conv_2d_nchw_fchw {strides = dense<2> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>} ins(%x, %w : memref<1x3x6x6xf32>, memref<5x3x3x3xf32>) outs(%out : memref<1x5x2x2xf32>)
  func.return
}

// A filter read once per column tile, by more than PREFETCH_MAX_READS (8) of
// them (100 pixels, 13 tiles of 8), comes from the cache after the first:
// its tiles fetch nothing ahead.
// GEMM-LABEL:  func.func @conv_filter_reused(
// GEMM-SAME:       %[[W:[a-z0-9]+]]: memref<3x3x3x3x2xf32>
// GEMM:          vector.fma
// GEMM-NOT:      memref.prefetch
// GEMM:          func.return
func.func @conv_filter_reused(%x: memref<1x3x12x12xf32>, %w: memref<5x3x3x3xf32>, %out: memref<1x5x10x10xf32> {mlc.out}) {
  linalg.conv_2d_nchw_fchw {strides = dense<1> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>} ins(%x, %w : memref<1x3x12x12xf32>, memref<5x3x3x3xf32>) outs(%out : memref<1x5x10x10xf32>)
  func.return
}

// With `tile-k` left to its default, a GEMM reading a stored packed B takes
// all of K in one block when a column panel (K x nr floats) fits 256 KB:
// 300 x 8 floats do; 9000 x 8 (288 KB) keep K blocks of 256.
// WHOLEK-LABEL: func.func private @linear_deep(
// WHOLEK:         {mlc.gemm = {mr = 2 : i64, nr = 8 : i64, vl = 4 : i64, mc = 24 : i64, nc = 1024 : i64, kc = 300 : i64}}
// WHOLEK-LABEL: func.func private @linear_deeper(
// WHOLEK:         {mlc.gemm = {mr = 2 : i64, nr = 8 : i64, vl = 4 : i64, mc = 24 : i64, nc = 1024 : i64, kc = 256 : i64}}
func.func private @linear_deep(%x: memref<4x300xf32>, %w: memref<8x300xf32>, %out: memref<4x8xf32> {mlc.out}) {
  linalg.generic {indexing_maps = [#mk, #nk, #mn], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : memref<4x300xf32>, memref<8x300xf32>) outs(%out : memref<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %0 = arith.mulf %a, %b : f32
    %1 = arith.addf %c, %0 : f32
    linalg.yield %1 : f32
  }
  func.return
}
func.func private @linear_deeper(%x: memref<4x9000xf32>, %w: memref<8x9000xf32>, %out: memref<4x8xf32> {mlc.out}) {
  linalg.generic {indexing_maps = [#mk, #nk, #mn], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : memref<4x9000xf32>, memref<8x9000xf32>) outs(%out : memref<4x8xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %0 = arith.mulf %a, %b : f32
    %1 = arith.addf %c, %0 : f32
    linalg.yield %1 : f32
  }
  func.return
}
func.func @deep(%x: memref<4x300xf32>, %w: memref<8x300xf32>, %x2: memref<4x9000xf32>, %w2: memref<8x9000xf32>, %out: memref<4x8xf32> {mlc.out}, %out2: memref<4x8xf32> {mlc.out}) {
  func.call @linear_deep(%x, %w, %out) : (memref<4x300xf32>, memref<8x300xf32>, memref<4x8xf32>) -> ()
  func.call @linear_deeper(%x2, %w2, %out2) : (memref<4x9000xf32>, memref<8x9000xf32>, memref<4x8xf32>) -> ()
  func.return
}
