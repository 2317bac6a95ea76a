// The depthwise loops `conv-depthwise-kernel` writes (broadcast taps, strided
// input gathered by vector.shuffle, masked loads and stores at the row's
// end, the fused batch norm and clip, the mlc.dwconv and mlc.parallel
// attributes) parse and verify under real mlir-opt 22.1.8, alone and through
// the loop stage of the pipeline from graph IR, for the AVX-512 and AVX2
// tiles; and so does the LLVM dialect made of them.

// RUN: %mlir-opt --verify-each %s > /dev/null
// RUN: env MLC_TARGET=avx512 mlc-opt %s -p conv-depthwise-kernel | %mlir-opt --verify-each | filecheck %s
// RUN: env MLC_TARGET=avx2 mlc-opt %s -p 'conv-depthwise-kernel{tile-h=2}' | %mlir-opt --verify-each | filecheck %s --check-prefix=AVX2
// RUN: env MLC_TARGET=avx512 mlc-opt %S/Inputs/depthwise_bn_clip.mlir -p 'graph-to-llvm{to=loop}' | %mlir-opt --verify-each | filecheck %s --check-prefix=LOOP
// RUN: env MLC_TARGET=avx2 mlc-opt %S/Inputs/depthwise_bn_clip.mlir -p 'graph-to-llvm{to=llvm}' | %mlir-opt --verify-each | filecheck %s --check-prefix=LLVM

#x = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 + d4, d2 * 2 + d5, d3 * 2 + d6)>
#w = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1, d4, d5, d6)>
#o = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d2, d3)>
#id = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
#ch = affine_map<(d0, d1, d2, d3) -> (d1)>

// CHECK-LABEL: func.func @depthwise_relu(
// CHECK:         vector.shuffle %{{.*}}, %{{.*}} [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30] : vector<16xf32>, vector<16xf32>
// CHECK:         vector.fma %{{.*}}, %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK:         arith.maximumf %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK:         vector.maskedstore
// CHECK:         } {mlc.dwconv = {rows = 8 : i64, vectors = 1 : i64, vl = 16 : i64}, mlc.parallel}

// AVX2-LABEL:   func.func @depthwise_relu(
// AVX2:           vector.shuffle %{{.*}}, %{{.*}} [0, 2, 4, 6, 8, 10, 12, 14] : vector<8xf32>, vector<8xf32>
// AVX2:           } {mlc.dwconv = {rows = 2 : i64, vectors = 2 : i64, vl = 8 : i64}, mlc.parallel}
func.func @depthwise_relu(%x: memref<1x3x18x27xf32>, %w: memref<3x1x3x3xf32>, %bias: memref<3xf32>, %out: memref<1x3x8x13xf32> {mlc.out}) {
  %zero = arith.constant 0.000000e+00 : f32
  %conv = memref.alloc() {alignment = 64 : i64} : memref<1x3x8x13xf32>
  linalg.generic {indexing_maps = [#x, #w, #o], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%x, %w : memref<1x3x18x27xf32>, memref<3x1x3x3xf32>) outs(%conv : memref<1x3x8x13xf32>) {
  ^bb0(%a: f32, %k: f32, %acc: f32):
    %p = arith.mulf %a, %k : f32
    %q = arith.addf %acc, %p : f32
    linalg.yield %q : f32
  }
  linalg.generic {indexing_maps = [#id, #ch, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%conv, %bias : memref<1x3x8x13xf32>, memref<3xf32>) outs(%out : memref<1x3x8x13xf32>) {
  ^bb0(%y: f32, %b: f32, %o: f32):
    %0 = arith.addf %y, %b : f32
    %1 = arith.maximumf %0, %zero : f32
    linalg.yield %1 : f32
  }
  memref.dealloc %conv : memref<1x3x8x13xf32>
  func.return
}

// LOOP-LABEL:  func.func private @conv2d_batch_norm_clip(
// LOOP:          math.sqrt %{{.*}} : vector<16xf32>
// LOOP:          vector.fma %{{.*}}, %{{.*}}, %{{.*}} : vector<16xf32>
// LOOP:          } {mlc.dwconv = {rows = 8 : i64, vectors = 1 : i64, vl = 16 : i64}, mlc.parallel}
// LOOP-NOT:      linalg.generic

// LLVM-LABEL:  llvm.func internal @conv2d_batch_norm_clip(
// LLVM:          llvm.intr.fma
// LLVM:          llvm.intr.masked.load
