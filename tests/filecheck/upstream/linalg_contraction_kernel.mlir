// The packed GEMMs `linalg-contraction-kernel` writes (packing loops, the
// vector micro-kernel with its iter_args, the fused epilogue, the staged edge
// tile, im2col for a conv, the schedule and mlc.parallel attributes) parse
// and verify under real mlir-opt 22.1.8, alone and through the whole loop
// stage of the pipeline, from graph IR, for the AVX-512 and AVX2 schedules.

// RUN: %mlir-opt --verify-each %s > /dev/null
// RUN: env MLC_TARGET=avx512 mlc-opt %s -p linalg-contraction-kernel | %mlir-opt --verify-each | filecheck %s
// RUN: env MLC_TARGET=avx2 mlc-opt %s -p 'linalg-contraction-kernel{tile-m=12 tile-k=8}' | %mlir-opt --verify-each | filecheck %s --check-prefix=AVX2
// RUN: env MLC_TARGET=avx512 mlc-opt %S/Inputs/linear_relu_conv.mlir -p 'graph-to-llvm{to=loop}' | %mlir-opt --verify-each | filecheck %s --check-prefix=LOOP

#mk = affine_map<(d0, d1, d2) -> (d0, d2)>
#nk = affine_map<(d0, d1, d2) -> (d1, d2)>
#mn = affine_map<(d0, d1, d2) -> (d0, d1)>
#id = affine_map<(d0, d1) -> (d0, d1)>

// CHECK-LABEL: func.func @linear_relu(
// CHECK:         scf.for {{.*}} iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>
// CHECK:         } {mlc.gemm = {kc = 256 : i64, mc = 96 : i64, mr = 8 : i64, nc = 4096 : i64, nr = 32 : i64, vl = 16 : i64}}
// CHECK:         arith.maximumf %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK-NOT:     linalg.generic

// AVX2-LABEL:   func.func @linear_relu(
// AVX2:           scf.for {{.*}} iter_args({{.*}}) -> (vector<8xf32>, vector<8xf32>
// AVX2:           } {mlc.parallel}
func.func @linear_relu(%x: memref<20x30xf32>, %w: memref<37x30xf32>, %out: memref<20x37xf32> {mlc.out}) {
  %arena = memref.alloc() {alignment = 64 : i64} : memref<2960xi8>
  %c0 = arith.constant 0 : index
  %t = memref.view %arena[%c0][] : memref<2960xi8> to memref<20x37xf32>
  linalg.generic {indexing_maps = [#mk, #nk, #mn], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : memref<20x30xf32>, memref<37x30xf32>) outs(%t : memref<20x37xf32>) {
  ^bb0(%p: f32, %q: f32, %acc: f32):
    %m = arith.mulf %p, %q : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%t : memref<20x37xf32>) outs(%out : memref<20x37xf32>) {
  ^bb0(%v: f32, %o: f32):
    %zero = arith.constant 0.0 : f32
    %r = arith.maximumf %v, %zero : f32
    linalg.yield %r : f32
  }
  memref.dealloc %arena : memref<2960xi8>
  func.return
}

// CHECK-LABEL: func.func @conv(
// CHECK:         memref.collapse_shape
// CHECK:         vector.fma
func.func @conv(%x: memref<2x3x9x9xf32>, %w: memref<5x3x3x3xf32>, %out: memref<2x5x4x4xf32> {mlc.out}) {
  linalg.conv_2d_nchw_fchw {strides = dense<2> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>} ins(%x, %w : memref<2x3x9x9xf32>, memref<5x3x3x3xf32>) outs(%out : memref<2x5x4x4xf32>)
  func.return
}

// LOOP-LABEL: func.func private @conv2d_relu(
// LOOP:         vector.fma
// LOOP:         arith.maximumf %{{.*}}, %{{.*}} : vector<16xf32>
// LOOP-LABEL: func.func private @linear_relu(
// LOOP:         vector.fma
// LOOP:         arith.maximumf %{{.*}}, %{{.*}} : vector<16xf32>
