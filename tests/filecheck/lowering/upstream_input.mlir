// RUN: mlc-opt %s | %mlir-opt --verify-each > /dev/null
// RUN: mlc-opt %s -p 'graph-to-llvm{to=loop}' | filecheck %s
// RUN: mlc-opt %s -p 'graph-to-llvm{to=loop}' | filecheck %s --check-prefix=NO-TENSOR
// RUN: mlc-opt %s -p 'graph-to-llvm{to=loop}' | %mlir-opt --verify-each > /dev/null
// RUN: mlc-opt %s -p 'graph-to-llvm{to=loop}' --check-numerics --check-numerics-entry=mlp -o /dev/null
// RUN: mlc-opt %s -p 'graph-to-llvm{to=loop}' --check-numerics --check-numerics-entry=cnn -o /dev/null
// RUN: mlc-opt %s -p 'graph-to-llvm{to=loop}' --check-numerics --check-numerics-entry=attention -o /dev/null

// Tensor-level input written the way upstream importers (torch-mlir, IREE)
// write it, taken by graph-to-llvm{to=loop} straight to loops: an MLP, a small
// CNN and an attention block. tests/unit/lowering/test_upstream_input.py checks
// each one's numerics against numpy at the tensor and the loop level;
// --check-numerics checks the loop level against the tensor level here.

// NO-TENSOR-NOT: tensor.
// NO-TENSOR-NOT: linalg.
// NO-TENSOR-NOT: bufferization.

#id2 = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d1)>
#id3 = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#red3 = affine_map<(d0, d1, d2) -> (d0, d1)>


// MLP: matmul on a zero fill, bias added by a broadcasting generic, relu.
// The matmul is a packed GEMM (W an argument stored packed, X's two rows
// read in place; FMAs on vectors); the bias and relu are its epilogue, on
// the accumulators.
// CHECK-LABEL: func.func @mlp(
// CHECK-SAME:    %[[X:.*]]: memref<2x3xf32>, %[[W:.*]]: memref<1x3x{{16|32}}xf32> {mlc.packed = {{.*}}}, %[[B:.*]]: memref<4xf32>, %[[OUT:.*]]: memref<2x4xf32> {mlc.out})
// CHECK:         scf.for
// CHECK:           vector.load %[[W]]
// CHECK:           memref.load %[[X]]
// CHECK:         vector.fma
// CHECK:           memref.load %[[B]]
// CHECK:         arith.addf %{{.*}}, %{{.*}} : vector<{{[0-9]+}}xf32>
// CHECK:         arith.maximumf %{{.*}}, %{{.*}} : vector<{{[0-9]+}}xf32>
// CHECK:         func.return
func.func @mlp(%x: tensor<2x3xf32>, %w: tensor<3x4xf32>, %b: tensor<4xf32>) -> tensor<2x4xf32> {
  %cst = arith.constant 0.000000e+00 : f32
  %0 = tensor.empty() : tensor<2x4xf32>
  %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<2x4xf32>) -> tensor<2x4xf32>
  %2 = linalg.matmul ins(%x, %w : tensor<2x3xf32>, tensor<3x4xf32>) outs(%1 : tensor<2x4xf32>) -> tensor<2x4xf32>
  %3 = linalg.generic {indexing_maps = [#id2, #row, #id2], iterator_types = ["parallel", "parallel"]} ins(%2, %b : tensor<2x4xf32>, tensor<4xf32>) outs(%0 : tensor<2x4xf32>) {
  ^bb0(%in: f32, %in_0: f32, %out: f32):
    %5 = arith.addf %in, %in_0 : f32
    linalg.yield %5 : f32
  } -> tensor<2x4xf32>
  %4 = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]} ins(%3 : tensor<2x4xf32>) outs(%0 : tensor<2x4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %5 = arith.maximumf %in, %cst : f32
    linalg.yield %5 : f32
  } -> tensor<2x4xf32>
  return %4 : tensor<2x4xf32>
}

// CNN: padded conv, max pooling on a -inf fill, flattened by collapse_shape.
// The filter, a parameter, is stored in the GEMM's packed A layout (panels of
// 8 filters); the pooling window's maximum runs on vectors from the fill's
// -inf.
// CHECK-LABEL: func.func @cnn(
// CHECK-SAME:    %[[X:.*]]: memref<1x1x4x4xf32>, %[[W:.*]]: memref<1x1x3x3x8xf32> {mlc.packed = {nr = 8 : i64, n = 0 : i64, type = memref<2x1x3x3xf32>}}, %[[OUT:.*]]: memref<1x8xf32> {mlc.out})
// CHECK:         %[[NINF:.*]] = arith.constant 0xff800000 : f32
// CHECK:         scf.for
// CHECK:         %[[W2:.*]] = memref.collapse_shape %[[W]] {{\[}}[0 : i64], [1 : i64, 2 : i64, 3 : i64], [4 : i64]] : memref<1x1x3x3x8xf32> into memref<1x9x8xf32>
// CHECK:         memref.load %[[W2]]
// CHECK:         vector.fma
// CHECK:         vector.broadcast %[[NINF]]
// CHECK:         arith.maximumf %{{.*}}, %{{.*}} : vector<{{[0-9]+}}xf32>
// CHECK:         func.return
func.func @cnn(%x: tensor<1x1x4x4xf32>, %w: tensor<2x1x3x3xf32>) -> tensor<1x8xf32> {
  %cst = arith.constant 0.000000e+00 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %padded = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %cst : f32
  } : tensor<1x1x4x4xf32> to tensor<1x1x6x6xf32>
  %0 = tensor.empty() : tensor<1x2x4x4xf32>
  %1 = linalg.fill ins(%cst : f32) outs(%0 : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : vector<2xi64>, strides = dense<1> : vector<2xi64>} ins(%padded, %w : tensor<1x1x6x6xf32>, tensor<2x1x3x3xf32>) outs(%1 : tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %3 = tensor.empty() : tensor<1x2x2x2xf32>
  %4 = linalg.fill ins(%ninf : f32) outs(%3 : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %5 = tensor.empty() : tensor<2x2xf32>
  %6 = linalg.pooling_nchw_max {dilations = dense<1> : vector<2xi64>, strides = dense<2> : vector<2xi64>} ins(%2, %5 : tensor<1x2x4x4xf32>, tensor<2x2xf32>) outs(%4 : tensor<1x2x2x2xf32>) -> tensor<1x2x2x2xf32>
  %7 = tensor.collapse_shape %6 [[0], [1, 2, 3]] : tensor<1x2x2x2xf32> into tensor<1x8xf32>
  return %7 : tensor<1x8xf32>
}

// Attention: Q and K from dense-constant weights, scores by batch_matmul with a
// transposed K, a softmax whose max and sum come from ONE two-result reduction
// generic computing in f64, a cf.assert in the normalizing generic, and a
// slice of the batch_matmul with V.
// CHECK-LABEL: func.func @attention(
// CHECK-SAME:    %[[X:.*]]: memref<3x2xf32>, %[[OUT:.*]]: memref<1x2x2xf32> {mlc.out})
// CHECK:         memref.get_global
// CHECK:         scf.for
// CHECK:         arith.extf %{{.*}} : f32 to f64
// CHECK:         math.exp %{{.*}} : f64
// CHECK:         arith.truncf %{{.*}} : f64 to f32
// CHECK:         cf.assert %{{.*}}, "softmax denominator must be positive"
// CHECK:         math.exp %{{.*}} : f32
// CHECK:         arith.divf
// CHECK:         memref.subview
// CHECK:         "memref.copy"(%{{.*}}, %[[OUT]])
// CHECK:         func.return
func.func @attention(%x: tensor<3x2xf32>) -> tensor<1x2x2xf32> {
  %cst = arith.constant 0.000000e+00 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %wq = arith.constant dense<[[1.0, -0.5], [0.25, 2.0]]> : tensor<2x2xf32>
  %wk = arith.constant dense<[[0.5, 1.0], [-1.0, 0.75]]> : tensor<2x2xf32>
  %e32 = tensor.empty() : tensor<3x2xf32>
  %z32 = linalg.fill ins(%cst : f32) outs(%e32 : tensor<3x2xf32>) -> tensor<3x2xf32>
  %q2 = linalg.matmul ins(%x, %wq : tensor<3x2xf32>, tensor<2x2xf32>) outs(%z32 : tensor<3x2xf32>) -> tensor<3x2xf32>
  %k2 = linalg.matmul ins(%x, %wk : tensor<3x2xf32>, tensor<2x2xf32>) outs(%z32 : tensor<3x2xf32>) -> tensor<3x2xf32>
  %q = tensor.expand_shape %q2 [[0, 1], [2]] output_shape [1, 3, 2] : tensor<3x2xf32> into tensor<1x3x2xf32>
  %k = tensor.expand_shape %k2 [[0, 1], [2]] output_shape [1, 3, 2] : tensor<3x2xf32> into tensor<1x3x2xf32>
  %v = tensor.expand_shape %x [[0, 1], [2]] output_shape [1, 3, 2] : tensor<3x2xf32> into tensor<1x3x2xf32>
  %et = tensor.empty() : tensor<1x2x3xf32>
  %kt = linalg.transpose ins(%k : tensor<1x3x2xf32>) outs(%et : tensor<1x2x3xf32>) permutation = [0, 2, 1]
  %e33 = tensor.empty() : tensor<1x3x3xf32>
  %z33 = linalg.fill ins(%cst : f32) outs(%e33 : tensor<1x3x3xf32>) -> tensor<1x3x3xf32>
  %s = linalg.batch_matmul ins(%q, %kt : tensor<1x3x2xf32>, tensor<1x2x3xf32>) outs(%z33 : tensor<1x3x3xf32>) -> tensor<1x3x3xf32>
  %e13 = tensor.empty() : tensor<1x3xf32>
  %m0 = linalg.fill ins(%ninf : f32) outs(%e13 : tensor<1x3xf32>) -> tensor<1x3xf32>
  %s0 = linalg.fill ins(%cst : f32) outs(%e13 : tensor<1x3xf32>) -> tensor<1x3xf32>
  %ms:2 = linalg.generic {indexing_maps = [#id3, #red3, #red3], iterator_types = ["parallel", "parallel", "reduction"]} ins(%s : tensor<1x3x3xf32>) outs(%m0, %s0 : tensor<1x3xf32>, tensor<1x3xf32>) {
  ^bb0(%in: f32, %m: f32, %sum: f32):
    %in64 = arith.extf %in : f32 to f64
    %m64 = arith.extf %m : f32 to f64
    %sum64 = arith.extf %sum : f32 to f64
    %mn = arith.maximumf %m64, %in64 : f64
    %d0 = arith.subf %m64, %mn : f64
    %x0 = math.exp %d0 : f64
    %sc = arith.mulf %sum64, %x0 : f64
    %d1 = arith.subf %in64, %mn : f64
    %x1 = math.exp %d1 : f64
    %ns = arith.addf %sc, %x1 : f64
    %mt = arith.truncf %mn : f64 to f32
    %st = arith.truncf %ns : f64 to f32
    linalg.yield %mt, %st : f32, f32
  } -> (tensor<1x3xf32>, tensor<1x3xf32>)
  %mb = linalg.broadcast ins(%ms#0 : tensor<1x3xf32>) outs(%e33 : tensor<1x3x3xf32>) dimensions = [2]
  %p = linalg.generic {indexing_maps = [#id3, #id3, #red3, #id3], iterator_types = ["parallel", "parallel", "parallel"]} ins(%s, %mb, %ms#1 : tensor<1x3x3xf32>, tensor<1x3x3xf32>, tensor<1x3xf32>) outs(%e33 : tensor<1x3x3xf32>) {
  ^bb0(%in: f32, %mx: f32, %sum: f32, %out: f32):
    %pos = arith.cmpf ogt, %sum, %cst : f32
    cf.assert %pos, "softmax denominator must be positive"
    %d = arith.subf %in, %mx : f32
    %ex = math.exp %d : f32
    %r = arith.divf %ex, %sum : f32
    linalg.yield %r : f32
  } -> tensor<1x3x3xf32>
  %e132 = tensor.empty() : tensor<1x3x2xf32>
  %z32e = linalg.fill ins(%cst : f32) outs(%e132 : tensor<1x3x2xf32>) -> tensor<1x3x2xf32>
  %o = linalg.batch_matmul ins(%p, %v : tensor<1x3x3xf32>, tensor<1x3x2xf32>) outs(%z32e : tensor<1x3x2xf32>) -> tensor<1x3x2xf32>
  %sl = tensor.extract_slice %o[0, 1, 0] [1, 2, 2] [1, 1, 1] : tensor<1x3x2xf32> to tensor<1x2x2xf32>
  return %sl : tensor<1x2x2xf32>
}
