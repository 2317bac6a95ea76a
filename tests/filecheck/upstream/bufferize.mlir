// What `bufferize` (and `buffer-reuse` after it) prints is accepted by real
// mlir-opt 22.1.8: out-params with a discardable arg attribute, memref.global
// and get_global, alloc/dealloc, copies, subviews with strided layouts,
// collapse/expand views, linalg on memrefs, calls with out-params, and
// `buffer-reuse`'s arena (`memref.alloc` of i8 with `memref.view`s into it),
// linalg.reduce/broadcast on memrefs, and a dense_resource weight as a global.

// RUN: mlc-opt %s -p bufferize | %mlir-opt --verify-each | filecheck %s
// RUN: mlc-opt %s -p bufferize,buffer-reuse | %mlir-opt --verify-each | filecheck %s --check-prefix=REUSE

#id = affine_map<(d0, d1) -> (d0, d1)>

// The dense_resource weight's global (created last, so printed first).
// CHECK: memref.global "private" constant @__constant_2x2xf32 : memref<2x2xf32> = dense<{{\[}}[1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]>
// CHECK: memref.global "private" constant @__constant_2x3xf32 : memref<2x3xf32> = dense<{{\[}}[1.000000e+00, 2.000000e+00, 3.000000e+00], [4.000000e+00, 5.000000e+00, 6.000000e+00]]>

// CHECK-LABEL: func.func private @square(
// CHECK-SAME:      %{{.*}}: memref<2x3xf32>, %[[OUT:.*]]: memref<2x3xf32> {mlc.out})
// CHECK:         linalg.generic
// CHECK-SAME:      outs(%[[OUT]] : memref<2x3xf32>)
func.func private @square(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %e = tensor.empty() : tensor<2x3xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<2x3xf32>) outs(%e : tensor<2x3xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.mulf %x, %x : f32
    linalg.yield %s : f32
  } -> tensor<2x3xf32>
  func.return %r : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @everything(
// CHECK-SAME:      %[[A:.*]]: memref<2x3xf32>, %[[B:.*]]: memref<3x2xf32>, %[[OUT0:.*]]: memref<3xf32> {mlc.out}, %[[OUT1:.*]]: memref<2x2xf32> {mlc.out})
// CHECK-DAG:     memref.get_global @__constant_2x3xf32 : memref<2x3xf32>
// CHECK-DAG:     memref.alloc() : memref<2x3xf32>
// CHECK:         call @square
// CHECK:         memref.collapse_shape
// CHECK:         memref.expand_shape
// CHECK:         linalg.fill
// CHECK:         linalg.matmul
// CHECK:         memref.subview %{{.*}}[1, 0] [1, 3] [1, 1] : memref<2x3xf32> to memref<3xf32, strided<[1], offset: 3>>
// CHECK:         memref.copy
// CHECK:         memref.dealloc
// Three 24-byte temporaries, at most two live at once: a 64-aligned arena.
// REUSE: module attributes {mlc.temp_bytes = {after = 88 : i64, before = 72 : i64}}
// REUSE-LABEL: func.func @everything(
// REUSE:         %[[ARENA:.*]] = memref.alloc() {alignment = 64 : i64} : memref<88xi8>
// REUSE:         %[[V0:.*]] = memref.view %[[ARENA]][%{{.*}}][] : memref<88xi8> to memref<2x3xf32>
// REUSE:         %[[V1:.*]] = memref.view %[[ARENA]][%c64][] : memref<88xi8> to memref<2x3xf32>
// REUSE:         call @square(%[[V0]], %[[V1]])
// REUSE:         memref.collapse_shape %[[V1]]
// REUSE:         memref.expand_shape
// REUSE:         memref.view %[[ARENA]][%{{.*}}][] : memref<88xi8> to memref<3x2xf32>
// REUSE:         memref.dealloc %[[ARENA]] : memref<88xi8>
// REUSE-NEXT:    return
func.func @everything(%a: tensor<2x3xf32>, %b: tensor<3x2xf32>) -> (tensor<3xf32>, tensor<2x2xf32>) {
  %k = arith.constant dense<[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]> : tensor<2x3xf32>
  %e = tensor.empty() : tensor<2x3xf32>
  %sum = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%a, %k : tensor<2x3xf32>, tensor<2x3xf32>) outs(%e : tensor<2x3xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<2x3xf32>
  %sq = func.call @square(%sum) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %flat = tensor.collapse_shape %sq [[0, 1]] : tensor<2x3xf32> into tensor<6xf32>
  %back = tensor.expand_shape %flat [[0, 1]] output_shape [2, 3] : tensor<6xf32> into tensor<2x3xf32>
  %zero = arith.constant 0.0 : f32
  %e2 = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e2 : tensor<2x2xf32>) -> tensor<2x2xf32>
  %mm = linalg.matmul ins(%back, %b : tensor<2x3xf32>, tensor<3x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  %e3 = tensor.empty() : tensor<3x2xf32>
  %t = linalg.transpose ins(%a : tensor<2x3xf32>) outs(%e3 : tensor<3x2xf32>) permutation = [1, 0]
  %row = tensor.extract_slice %back[1, 0] [1, 3] [1, 1] : tensor<2x3xf32> to tensor<3xf32>
  func.return %row, %mm : tensor<3xf32>, tensor<2x2xf32>
}

// CHECK-LABEL: func.func @pad_and_concat(
// CHECK:         linalg.fill
// CHECK:         memref.subview %{{.*}}[1, 2] [2, 3] [1, 1] : memref<4x5xf32> to memref<2x3xf32, strided<[5, 1], offset: 7>>
// CHECK:         memref.copy
// CHECK:         memref.subview %{{.*}}[2, 0] [1, 3] [1, 1] : memref<3x3xf32> to memref<1x3xf32, strided<[3, 1], offset: 6>>
func.func @pad_and_concat(%a: tensor<2x3xf32>, %b: tensor<1x3xf32>) -> (tensor<4x5xf32>, tensor<3x3xf32>) {
  %z = arith.constant 7.0 : f32
  %p = tensor.pad %a low[1, 2] high[1, 0] {
  ^bb0(%i: index, %j: index):
    tensor.yield %z : f32
  } : tensor<2x3xf32> to tensor<4x5xf32>
  %c = tensor.concat dim(0) %a, %b : (tensor<2x3xf32>, tensor<1x3xf32>) -> tensor<3x3xf32>
  func.return %p, %c : tensor<4x5xf32>, tensor<3x3xf32>
}

// CHECK-LABEL: func.func @reduce_broadcast_and_dense_resource(
// CHECK-SAME:      %[[A:.*]]: memref<2x2xf32>, %[[V:.*]]: memref<2xf32>, %[[OUT0:.*]]: memref<2xf32> {mlc.out}, %[[OUT1:.*]]: memref<2x2xf32> {mlc.out})
// CHECK:         %[[W:.*]] = memref.get_global @__constant_2x2xf32 : memref<2x2xf32>
// CHECK:         linalg.reduce ins(%[[W]] : memref<2x2xf32>) outs(%[[OUT0]] : memref<2xf32>) dimensions = [1]
// CHECK:         linalg.broadcast ins(%[[V]] : memref<2xf32>) outs(%[[OUT1]] : memref<2x2xf32>) dimensions = [0]
func.func @reduce_broadcast_and_dense_resource(%a: tensor<2x2xf32>, %v: tensor<2xf32>) -> (tensor<2xf32>, tensor<2x2xf32>) {
  %w = arith.constant dense_resource<upstream_weights> : tensor<2x2xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2xf32>) -> tensor<2xf32>
  %r = linalg.reduce ins(%w : tensor<2x2xf32>) outs(%f : tensor<2xf32>) dimensions = [1]
    (%x: f32, %acc: f32) {
      %s = arith.addf %x, %acc : f32
      linalg.yield %s : f32
    }
  %e2 = tensor.empty() : tensor<2x2xf32>
  %b = linalg.broadcast ins(%v : tensor<2xf32>) outs(%e2 : tensor<2x2xf32>) dimensions = [0]
  func.return %r, %b : tensor<2xf32>, tensor<2x2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      upstream_weights: "0x040000000000803F000000400000404000008040"
    }
  }
#-}
