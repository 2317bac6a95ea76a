// Graph-level IR in generic form is ordinary MLIR: real mlir-opt 22.1.8 parses
// and verifies every round-trip test file of the graph dialect (as unregistered
// ops), and mlc-opt reads mlir-opt's output back to the same custom form.

// RUN: mlc-opt %S/../dialects/graph/base.mlir --print-op-generic | %mlir-opt --allow-unregistered-dialect --verify-each | mlc-opt | filecheck %S/../dialects/graph/base.mlir
// RUN: mlc-opt %S/../dialects/graph/elementwise.mlir --print-op-generic | %mlir-opt --allow-unregistered-dialect --verify-each | mlc-opt | filecheck %S/../dialects/graph/elementwise.mlir
// RUN: mlc-opt %S/../dialects/graph/nn.mlir --print-op-generic | %mlir-opt --allow-unregistered-dialect --verify-each | mlc-opt | filecheck %S/../dialects/graph/nn.mlir
// RUN: mlc-opt %S/../dialects/graph/reduction.mlir --print-op-generic | %mlir-opt --allow-unregistered-dialect --verify-each | mlc-opt | filecheck %S/../dialects/graph/reduction.mlir
// RUN: mlc-opt %S/../dialects/graph/quant.mlir --print-op-generic | %mlir-opt --allow-unregistered-dialect --verify-each | mlc-opt | filecheck %S/../dialects/graph/quant.mlir
// RUN: mlc-opt %S/../dialects/graph/shape.mlir --print-op-generic | %mlir-opt --allow-unregistered-dialect --verify-each | mlc-opt | filecheck %S/../dialects/graph/shape.mlir
// RUN: mlc-opt %S/../dialects/graph/canonicalization.mlir -p canonicalize --print-op-generic | %mlir-opt --allow-unregistered-dialect --verify-each | mlc-opt | filecheck %S/../dialects/graph/canonicalization.mlir
// RUN: mlc-opt %S/../../../examples/mlp.mlir --print-op-generic | %mlir-opt --allow-unregistered-dialect --verify-each | filecheck %s

// CHECK:      func.func @mlp(%[[X:.*]]: tensor<1x1x28x28xf32>, %[[W0:.*]]: tensor<128x784xf32>, %[[B0:.*]]: tensor<128xf32>, %[[W1:.*]]: tensor<10x128xf32>, %[[B1:.*]]: tensor<10xf32>) -> tensor<1x10xf32>
// CHECK-NEXT:   %[[F:.*]] = "graph.flatten"(%[[X]]) <{axis = 1 : i64}> : (tensor<1x1x28x28xf32>) -> tensor<1x784xf32>
// CHECK-NEXT:   %[[L0:.*]] = "graph.linear"(%[[F]], %[[W0]], %[[B0]])
// CHECK-NEXT:   %[[R:.*]] = "graph.relu"(%[[L0]])
// CHECK-NEXT:   %[[L1:.*]] = "graph.linear"(%[[R]], %[[W1]], %[[B1]])
// CHECK-NEXT:   return %[[L1]] : tensor<1x10xf32>
