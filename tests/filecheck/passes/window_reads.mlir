// RUN: mlc-opt %s -p 'conv-depthwise-kernel{vl=4 tile-h=2 tile-w=1},canonicalize,cse' | filecheck %s
// RUN: mlc-opt %s -p 'conv-depthwise-kernel{vl=4 tile-h=2 tile-w=1}' | %mlir-opt --verify-each > /dev/null
// RUN: env MLC_TARGET=avx512 mlc-opt %S/Inputs/padded_windows.mlir --check-numerics -p 'graph-to-llvm{to=loop}' -o %t 2>&1 | filecheck %s --check-prefix=NUMERICS
// RUN: filecheck %s --check-prefix=ELIDED < %t
// RUN: env MLC_TARGET=avx2 mlc-opt %S/Inputs/padded_windows.mlir --check-numerics -p 'graph-to-llvm{to=loop}' -o /dev/null 2>&1 | filecheck %s --check-prefix=NUMERICS

// A window reading a padded copy of its image (bufferize's tensor.pad: a
// fill, the image copied into the interior) whose padding value is the
// identity of its taps' sum or max reads the image itself: the taps in the
// padding are left out, the fill and the copy erased.

#x_s1 = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, ((d1 floordiv 1) + d4), (d2 + d5), (d3 + d6))>
#w = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1, d4, d5, d6)>
#o = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>

// 3x3, stride 1, padding 1 on a 6x14 image (tiles of 2 rows x 4 columns).
// Row 0 is placed on its own, without the taps of padded row -1; its first
// column tile reads column -1 as the padding's zero (a masked load of three
// columns shifted one lane right), its interior tiles (columns 4 and 8) load
// the image at column c - 1, its last tile (columns 12, 13) masks column 14.
// CHECK-LABEL: func.func @depthwise_padded(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: memref<1x2x6x14xf32>, %[[W:[a-z0-9]+]]: memref<2x1x3x3xf32>, %[[OUT:[a-z0-9]+]]: memref<1x2x6x14xf32> {mlc.out})
// CHECK-NOT:     memref.copy
// CHECK-NOT:     linalg.fill
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[C2:.*]] = arith.constant 2 : index
// CHECK-DAG:     %[[C5:.*]] = arith.constant 5 : index
// CHECK:         scf.for %[[C:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK:           %[[ZERO:.*]] = vector.broadcast %zero : f32 to vector<4xf32>
// CHECK:           %[[THREE:.*]] = vector.maskedload %[[X]][%{{.*}}, %[[C]], %{{.*}}, %{{.*}}], %{{.*}}, %[[ZERO]]
// CHECK-NEXT:      %[[LEFT:.*]] = vector.shuffle %[[THREE]], %[[ZERO]] [4, 0, 1, 2] : vector<4xf32>, vector<4xf32>
// CHECK-NEXT:      vector.fma %[[LEFT]], %{{.*}}, %[[ZERO]] : vector<4xf32>
// CHECK-COUNT-5:   vector.fma
// CHECK-NEXT:      vector.store %{{.*}}, %[[OUT]][%{{.*}}, %[[C]], %{{.*}}, %{{.*}}] : memref<1x2x6x14xf32>, vector<4xf32>
// CHECK-NEXT:      scf.for %[[COL:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NEXT:        %[[BEFORE:.*]] = arith.addi %[[COL]], %{{.*}} : index
// CHECK-NEXT:        vector.load %[[X]][%{{.*}}, %[[C]], %{{.*}}, %[[BEFORE]]] : memref<1x2x6x14xf32>, vector<4xf32>
// CHECK-COUNT-6:     vector.fma
// CHECK:             vector.store
// CHECK-NEXT:      }
// CHECK:           %[[TWO:.*]] = vector.maskedload %[[X]]
// CHECK-NEXT:      vector.shuffle %[[TWO]], %[[ZERO]] [0, 1, 4, 4] : vector<4xf32>, vector<4xf32>
// CHECK:           vector.maskedstore %[[OUT]]
// Rows 1 to 4 (all their taps in the image) in a loop of two-row tiles;
// row 5 on its own again, without padded row 6.
// CHECK:           scf.for %{{.*}} = %[[C1]] to %[[C5]] step %[[C2]] {
// CHECK-COUNT-18:    vector.fma
// CHECK:             vector.maskedstore
// CHECK:             vector.maskedstore
// CHECK-NEXT:      }
// CHECK-COUNT-6:   vector.fma
// CHECK-NEXT:      vector.store %{{.*}}, %[[OUT]][%{{.*}}, %[[C]], %[[C5]], %{{.*}}]
// CHECK:         } {mlc.dwconv = {rows = 2 : i64, vectors = 1 : i64, vl = 4 : i64}, mlc.parallel}
// CHECK-NEXT:    func.return
func.func @depthwise_padded(%x: memref<1x2x6x14xf32>, %w: memref<2x1x3x3xf32>, %out: memref<1x2x6x14xf32> {mlc.out}) {
  %zero = arith.constant 0.000000e+00 : f32
  %padded = memref.alloc() {alignment = 64 : i64} : memref<1x2x8x16xf32>
  linalg.fill ins(%zero : f32) outs(%padded : memref<1x2x8x16xf32>)
  %interior = memref.subview %padded[0, 0, 1, 1] [1, 2, 6, 14] [1, 1, 1, 1] : memref<1x2x8x16xf32> to memref<1x2x6x14xf32, strided<[256, 128, 16, 1], offset: 17>>
  "memref.copy"(%x, %interior) : (memref<1x2x6x14xf32>, memref<1x2x6x14xf32, strided<[256, 128, 16, 1], offset: 17>>) -> ()
  linalg.fill ins(%zero : f32) outs(%out : memref<1x2x6x14xf32>)
  linalg.generic {indexing_maps = [#x_s1, #w, #o], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%padded, %w : memref<1x2x8x16xf32>, memref<2x1x3x3xf32>) outs(%out : memref<1x2x6x14xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %0 = arith.mulf %a, %b : f32
    %1 = arith.addf %c, %0 : f32
    linalg.yield %1 : f32
  }
  memref.dealloc %padded : memref<1x2x8x16xf32>
  func.return
}

// A max pool pads with -inf, the identity of its max: at stride 2 the first
// column tile's first tap reads columns -1, 1, 3, 5: a load of columns 1 to
// 4 and a masked one of column 5, their lanes gathered, lane 0 the -inf.
// CHECK-LABEL: func.func @max_pool_padded(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: memref<1x1x6x8xf32>
// CHECK-NOT:     memref.copy
// CHECK:         %[[NINF:.*]] = vector.broadcast %ninf : f32 to vector<4xf32>
// CHECK:         %[[LOW:.*]] = vector.load %[[X]]
// CHECK:         %[[HIGH:.*]] = vector.maskedload %[[X]][{{.*}}], %{{.*}}, %[[NINF]]
// CHECK-NEXT:    %[[ODD:.*]] = vector.shuffle %[[LOW]], %[[HIGH]] [0, 0, 2, 4] : vector<4xf32>, vector<4xf32>
// CHECK-NEXT:    %[[TAP:.*]] = vector.shuffle %[[ODD]], %[[NINF]] [4, 1, 2, 3] : vector<4xf32>, vector<4xf32>
// CHECK-NEXT:    arith.maximumf %{{.*}}, %[[TAP]] : vector<4xf32>
func.func @max_pool_padded(%x: memref<1x1x6x8xf32>, %out: memref<1x1x3x4xf32> {mlc.out}) {
  %ninf = arith.constant 0xFF800000 : f32
  %padded = memref.alloc() {alignment = 64 : i64} : memref<1x1x8x10xf32>
  linalg.fill ins(%ninf : f32) outs(%padded : memref<1x1x8x10xf32>)
  %interior = memref.subview %padded[0, 0, 1, 1] [1, 1, 6, 8] [1, 1, 1, 1] : memref<1x1x8x10xf32> to memref<1x1x6x8xf32, strided<[80, 80, 10, 1], offset: 11>>
  "memref.copy"(%x, %interior) : (memref<1x1x6x8xf32>, memref<1x1x6x8xf32, strided<[80, 80, 10, 1], offset: 11>>) -> ()
  linalg.fill ins(%ninf : f32) outs(%out : memref<1x1x3x4xf32>)
  %window = memref.alloc() : memref<3x3xf32>
  linalg.pooling_nchw_max {strides = dense<2> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>} ins(%padded, %window : memref<1x1x8x10xf32>, memref<3x3xf32>) outs(%out : memref<1x1x3x4xf32>)
  func.return
}

// Padding with another value than the identity (1.0 before a sum of
// products) is read as it is: the copy stays.
// CHECK-LABEL: func.func @padded_with_one(
// CHECK:         linalg.fill
// CHECK:         memref.copy
// CHECK:         vector.fma
func.func @padded_with_one(%x: memref<1x2x6x14xf32>, %w: memref<2x1x3x3xf32>, %out: memref<1x2x6x14xf32> {mlc.out}) {
  %one = arith.constant 1.000000e+00 : f32
  %padded = memref.alloc() {alignment = 64 : i64} : memref<1x2x8x16xf32>
  linalg.fill ins(%one : f32) outs(%padded : memref<1x2x8x16xf32>)
  %interior = memref.subview %padded[0, 0, 1, 1] [1, 2, 6, 14] [1, 1, 1, 1] : memref<1x2x8x16xf32> to memref<1x2x6x14xf32, strided<[256, 128, 16, 1], offset: 17>>
  "memref.copy"(%x, %interior) : (memref<1x2x6x14xf32>, memref<1x2x6x14xf32, strided<[256, 128, 16, 1], offset: 17>>) -> ()
  linalg.generic {indexing_maps = [#x_s1, #w, #o], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%padded, %w : memref<1x2x8x16xf32>, memref<2x1x3x3xf32>) outs(%out : memref<1x2x6x14xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %0 = arith.mulf %a, %b : f32
    %1 = arith.addf %c, %0 : f32
    linalg.yield %1 : f32
  }
  memref.dealloc %padded : memref<1x2x8x16xf32>
  func.return
}

// NUMERICS:      {{^}}numerics: after graph-to-llvm: ok (max abs error {{.*}}){{$}}
// NUMERICS-NEXT: {{^}}numerics: all 2 levels agree{{$}}
// ELIDED-LABEL:  func.func private
// ELIDED-NOT:    memref.copy

// ONNX's convolution bias: the output is first the bias broadcast per
// channel, then accumulated into. The broadcast (between the copy and the
// window) writes no image, so the padding is still elided, and each
// channel's sums start from its bias instead of loading the output.
// CHECK-LABEL: func.func @depthwise_bias_padded(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: memref<1x2x6x14xf32>, %[[W:[a-z0-9]+]]: memref<2x1x3x3xf32>, %[[B:[a-z0-9]+]]: memref<2xf32>
// CHECK-NOT:     memref.copy
// CHECK-NOT:     linalg.generic
// CHECK:         scf.for %[[C:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK:           %[[BIAS:.*]] = memref.load %[[B]][%[[C]]] : memref<2xf32>
// CHECK-NEXT:      %[[START:.*]] = vector.broadcast %[[BIAS]] : f32 to vector<4xf32>
// CHECK:           vector.fma %{{.*}}, %{{.*}}, %[[START]] : vector<4xf32>
func.func @depthwise_bias_padded(%x: memref<1x2x6x14xf32>, %w: memref<2x1x3x3xf32>, %b: memref<2xf32>, %out: memref<1x2x6x14xf32> {mlc.out}) {
  %zero = arith.constant 0.000000e+00 : f32
  %padded = memref.alloc() {alignment = 64 : i64} : memref<1x2x8x16xf32>
  linalg.fill ins(%zero : f32) outs(%padded : memref<1x2x8x16xf32>)
  %interior = memref.subview %padded[0, 0, 1, 1] [1, 2, 6, 14] [1, 1, 1, 1] : memref<1x2x8x16xf32> to memref<1x2x6x14xf32, strided<[256, 128, 16, 1], offset: 17>>
  "memref.copy"(%x, %interior) : (memref<1x2x6x14xf32>, memref<1x2x6x14xf32, strided<[256, 128, 16, 1], offset: 17>>) -> ()
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d1)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%b : memref<2xf32>) outs(%out : memref<1x2x6x14xf32>) {
  ^bb0(%in: f32, %o: f32):
    linalg.yield %in : f32
  }
  linalg.generic {indexing_maps = [#x_s1, #w, #o], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%padded, %w : memref<1x2x8x16xf32>, memref<2x1x3x3xf32>) outs(%out : memref<1x2x6x14xf32>) {
  ^bb0(%a: f32, %c: f32, %acc: f32):
    %0 = arith.mulf %a, %c : f32
    %1 = arith.addf %acc, %0 : f32
    linalg.yield %1 : f32
  }
  memref.dealloc %padded : memref<1x2x8x16xf32>
  func.return
}

// A copy padded in its channels too (a third channel of zeros) stays: the
// window reads channels the image does not have.
// CHECK-LABEL: func.func @channels_padded(
// CHECK:         memref.copy
// CHECK:         vector.fma
func.func @channels_padded(%x: memref<1x2x6x14xf32>, %w: memref<3x1x3x3xf32>, %out: memref<1x3x6x14xf32> {mlc.out}) {
  %zero = arith.constant 0.000000e+00 : f32
  %padded = memref.alloc() {alignment = 64 : i64} : memref<1x3x8x16xf32>
  linalg.fill ins(%zero : f32) outs(%padded : memref<1x3x8x16xf32>)
  %interior = memref.subview %padded[0, 0, 1, 1] [1, 2, 6, 14] [1, 1, 1, 1] : memref<1x3x8x16xf32> to memref<1x2x6x14xf32, strided<[384, 128, 16, 1], offset: 17>>
  "memref.copy"(%x, %interior) : (memref<1x2x6x14xf32>, memref<1x2x6x14xf32, strided<[384, 128, 16, 1], offset: 17>>) -> ()
  linalg.generic {indexing_maps = [#x_s1, #w, #o], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%padded, %w : memref<1x3x8x16xf32>, memref<3x1x3x3xf32>) outs(%out : memref<1x3x6x14xf32>) {
  ^bb0(%a: f32, %c: f32, %acc: f32):
    %0 = arith.mulf %a, %c : f32
    %1 = arith.addf %acc, %0 : f32
    linalg.yield %1 : f32
  }
  memref.dealloc %padded : memref<1x3x8x16xf32>
  func.return
}
