// Real mlir-opt 22.1.8 accepts the linalg.batch_matmul mlc prints (both cases
// of dialects/linalg_ext.mlir), and generalizes it to the generic mlc's
// linalg-generalize makes, up to the operand order of the accumulate.

// RUN: mlc-opt %S/../dialects/linalg_ext.mlir | %mlir-opt --verify-each | filecheck %s
// RUN: mlc-opt %S/../dialects/linalg_ext.mlir -p linalg-generalize | %mlir-opt --verify-each | sed -E 's/(arith\.add[fi]) (%[0-9]+), %out/\1 %out, \2/' > %t.mlc
// RUN: %mlir-opt --linalg-generalize-named-ops %S/../dialects/linalg_ext.mlir > %t.upstream
// RUN: diff %t.upstream %t.mlc

// CHECK-LABEL: func.func @batch_matmul_on_tensors(
// CHECK:         linalg.batch_matmul ins(%{{.*}}, %{{.*}} : tensor<2x3x4xf32>, tensor<2x4x5xf32>) outs(%{{.*}} : tensor<2x3x5xf32>) -> tensor<2x3x5xf32>
// CHECK-LABEL: func.func @batch_matmul_on_integer_memrefs(
// CHECK:         linalg.batch_matmul ins(%{{.*}}, %{{.*}} : memref<1x2x2xi32>, memref<1x2x2xi32>) outs(%{{.*}} : memref<1x2x2xi32>)
// CHECK-LABEL: func.func @generic_with_two_results(
// CHECK:         } -> (tensor<2xf32>, tensor<2xf32>)
