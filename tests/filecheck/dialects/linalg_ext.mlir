// RUN: MLC_ROUNDTRIP
// RUN: MLC_GENERIC_ROUNDTRIP
// RUN: mlc-opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC

// linalg.batch_matmul, which xDSL 0.74's linalg lacks, round-trips in mlc-opt
// (registered by dialects/linalg_ext.py); upstream/linalg_ext.mlir checks that
// real mlir-opt accepts what mlc prints.

// CHECK-LABEL: func.func @batch_matmul_on_tensors(
// CHECK-SAME:    %[[A:.*]]: tensor<2x3x4xf32>, %[[B:.*]]: tensor<2x4x5xf32>, %[[C:.*]]: tensor<2x3x5xf32>)
// CHECK:         %[[R:.*]] = linalg.batch_matmul ins(%[[A]], %[[B]] : tensor<2x3x4xf32>, tensor<2x4x5xf32>) outs(%[[C]] : tensor<2x3x5xf32>) -> tensor<2x3x5xf32>
// CHECK:         func.return %[[R]]
// GENERIC-LABEL: "func.func"() <{sym_name = "batch_matmul_on_tensors"
// GENERIC:         "linalg.batch_matmul"
// GENERIC-SAME:    affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// GENERIC:         "arith.mulf"
// GENERIC:         "arith.addf"
// GENERIC:         "linalg.yield"
func.func @batch_matmul_on_tensors(%a: tensor<2x3x4xf32>, %b: tensor<2x4x5xf32>, %c: tensor<2x3x5xf32>) -> tensor<2x3x5xf32> {
  %r = linalg.batch_matmul ins(%a, %b : tensor<2x3x4xf32>, tensor<2x4x5xf32>) outs(%c : tensor<2x3x5xf32>) -> tensor<2x3x5xf32>
  return %r : tensor<2x3x5xf32>
}

// CHECK-LABEL: func.func @batch_matmul_on_integer_memrefs(
// CHECK:         linalg.batch_matmul ins(%{{.*}}, %{{.*}} : memref<1x2x2xi32>, memref<1x2x2xi32>) outs(%{{.*}} : memref<1x2x2xi32>)
// CHECK-NOT:     ->
// GENERIC-LABEL: "func.func"() <{sym_name = "batch_matmul_on_integer_memrefs"
// GENERIC:         "arith.muli"
// GENERIC:         "arith.addi"
func.func @batch_matmul_on_integer_memrefs(%a: memref<1x2x2xi32>, %b: memref<1x2x2xi32>, %c: memref<1x2x2xi32>) {
  linalg.batch_matmul ins(%a, %b : memref<1x2x2xi32>, memref<1x2x2xi32>) outs(%c : memref<1x2x2xi32>)
  return
}

// A generic with two results, printed `-> (t0, t1)` as upstream does, parses
// back (xDSL 0.74's own generic parser reads only `-> t0, t1`).
// CHECK-LABEL: func.func @generic_with_two_results(
// CHECK:         %[[R0:.*]], %[[R1:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%{{.*}} : tensor<2x3xf32>) outs(%{{.*}}, %{{.*}} : tensor<2xf32>, tensor<2xf32>) {
// CHECK:           linalg.yield %{{.*}}, %{{.*}} : f32, f32
// CHECK-NEXT:    } -> (tensor<2xf32>, tensor<2xf32>)
// CHECK:         func.return %[[R0]], %[[R1]]
// GENERIC-LABEL: "func.func"() <{sym_name = "generic_with_two_results"
// GENERIC:         "linalg.generic"
// GENERIC:         : (tensor<2x3xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>)
func.func @generic_with_two_results(%x: tensor<2x3xf32>, %m: tensor<2xf32>, %s: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
  %r:2 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<2x3xf32>) outs(%m, %s : tensor<2xf32>, tensor<2xf32>) {
  ^bb0(%in: f32, %mx: f32, %sum: f32):
    %0 = arith.maximumf %in, %mx : f32
    %1 = arith.addf %in, %sum : f32
    linalg.yield %0, %1 : f32, f32
  } -> (tensor<2xf32>, tensor<2xf32>)
  return %r#0, %r#1 : tensor<2xf32>, tensor<2xf32>
}

// A single-result generic keeps parsing as before.
// CHECK-LABEL: func.func @generic_with_one_result(
// CHECK:         } -> tensor<2xf32>
func.func @generic_with_one_result(%x: tensor<2xf32>) -> tensor<2xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%x : tensor<2xf32>) outs(%x : tensor<2xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<2xf32>
  return %r : tensor<2xf32>
}
