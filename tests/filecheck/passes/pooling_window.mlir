// RUN: mlc-opt %s -p 'conv-depthwise-kernel{vl=4 tile-h=1 tile-w=1},canonicalize,cse' | filecheck %s
// RUN: mlc-opt %s -p 'conv-depthwise-kernel{vl=4 tile-h=1 tile-w=1}' | %mlir-opt --verify-each > /dev/null

// Pooling windows (pooling_window.py) run as depthwise convolutions without
// weights: per channel, vectors along the output width start from the fill's
// value (the fill is dropped) and each tap is combined in, read at width
// stride 2 by two loads and a shuffle, the row's end by a masked load.

#x_win = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d4, d3 * 2 + d5)>
#taps = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>
#out6 = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>

// A 3x3 max pool at stride 2: nine `arith.maximumf` a vector, from -inf.
// CHECK-LABEL: func.func @max_pool(
// CHECK-SAME:      %[[X:.*]]: memref<1x2x7x9xf32>, %[[OUT:.*]]: memref<1x2x3x4xf32> {mlc.out})
// CHECK:         %[[NINF:.*]] = arith.constant 0xff800000 : f32
// CHECK-NOT:     linalg.fill
// CHECK:         scf.for %[[C:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NEXT:      %[[START:.*]] = vector.broadcast %[[NINF]] : f32 to vector<4xf32>
// CHECK:             %[[LO:.*]] = vector.load %[[X]][%{{.*}}, %[[C]], %{{.*}}, %{{.*}}] : memref<1x2x7x9xf32>, vector<4xf32>
// CHECK-NEXT:        %[[HI:.*]] = vector.load %[[X]]
// CHECK-NEXT:        %[[TAP:.*]] = vector.shuffle %[[LO]], %[[HI]] [0, 2, 4, 6] : vector<4xf32>, vector<4xf32>
// CHECK-NEXT:        %{{.*}} = arith.maximumf %[[START]], %[[TAP]] : vector<4xf32>
// CHECK:             vector.maskedload %[[X]]
// CHECK-COUNT-7:     arith.maximumf
// CHECK:             vector.store %{{.*}}, %[[OUT]][%{{.*}}, %[[C]], %{{.*}}, %{{.*}}] : memref<1x2x3x4xf32>, vector<4xf32>
// CHECK:         } {mlc.dwconv = {rows = 1 : i64, vectors = 1 : i64, vl = 4 : i64}, mlc.parallel}
// CHECK-NOT:     linalg.pooling_nchw_max
func.func @max_pool(%x: memref<1x2x7x9xf32>, %out: memref<1x2x3x4xf32> {mlc.out}) {
  %ninf = arith.constant 0xFF800000 : f32
  %w = memref.alloc() : memref<3x3xf32>
  linalg.fill ins(%ninf : f32) outs(%out : memref<1x2x3x4xf32>)
  linalg.pooling_nchw_max {strides = dense<2> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>} ins(%x, %w : memref<1x2x7x9xf32>, memref<3x3xf32>) outs(%out : memref<1x2x3x4xf32>)
  memref.dealloc %w : memref<3x3xf32>
  func.return
}

// An average pool's window sum (2x2, stride 2): four `arith.addf` a vector,
// from 0.
// CHECK-LABEL: func.func @window_sum(
// CHECK-SAME:      %[[X:.*]]: memref<1x2x6x8xf32>, %[[OUT:.*]]: memref<1x2x3x4xf32> {mlc.out})
// CHECK:         %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:         %[[START:.*]] = vector.broadcast %[[ZERO]] : f32 to vector<4xf32>
// CHECK:           %[[TAP:.*]] = vector.shuffle
// CHECK-NEXT:      %{{.*}} = arith.addf %[[START]], %[[TAP]] : vector<4xf32>
// CHECK-COUNT-3:   arith.addf %{{.*}} : vector<4xf32>
// CHECK:           vector.store %{{.*}}, %[[OUT]]
// CHECK-NOT:     linalg.generic
func.func @window_sum(%x: memref<1x2x6x8xf32>, %out: memref<1x2x3x4xf32> {mlc.out}) {
  %zero = arith.constant 0.0 : f32
  %w = memref.alloc() : memref<2x2xf32>
  linalg.fill ins(%zero : f32) outs(%out : memref<1x2x3x4xf32>)
  linalg.generic {indexing_maps = [#x_win, #taps, #out6], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%x, %w : memref<1x2x6x8xf32>, memref<2x2xf32>) outs(%out : memref<1x2x3x4xf32>) {
  ^bb0(%in: f32, %t: f32, %acc: f32):
    %s = arith.addf %acc, %in : f32
    linalg.yield %s : f32
  }
  memref.dealloc %w : memref<2x2xf32>
  func.return
}
