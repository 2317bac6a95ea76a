// RUN: mlc-opt %s -p convert-graph-to-linalg | filecheck %s
// RUN: not mlc-opt %S/Inputs/graph_to_linalg_dynamic.mlir -p convert-graph-to-linalg 2>&1 | filecheck %s --check-prefix=DYNAMIC

// The pass as a whole (lowering/graph_to_linalg/__init__.py); each op family's
// patterns are tested beside their module, in graph_to_linalg/.

// DYNAMIC: graph_to_linalg_dynamic.mlir:4:8: error: convert-graph-to-linalg supports static shapes only: 'graph.relu' has tensor<?x3xf32>

// Consumers lower first, so each still reads its operands' unsigned types; then
// signatures, block arguments and constants become signless (the same bytes).
// CHECK-LABEL: func.func @unsigned_chain(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xi8>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<2x3xi8>) -> (tensor<2x3xf32>, tensor<2x3xi8>)
// CHECK:           %[[K:.*]] = arith.constant dense<[[-1, 1, 2], [3, 4, 5]]> : tensor<2x3xi8>
// CHECK:           %[[Q:.*]] = linalg.generic
// CHECK-SAME:      ins(%[[A]], %[[K]] : tensor<2x3xi8>, tensor<2x3xi8>)
// CHECK:           arith.divui
// CHECK:           %[[F:.*]] = linalg.generic
// CHECK-SAME:      ins(%[[Q]] : tensor<2x3xi8>)
// CHECK:           arith.uitofp
// CHECK:           %[[M:.*]] = linalg.generic
// CHECK-SAME:      ins(%[[Q]], %[[B]] : tensor<2x3xi8>, tensor<2x3xi8>)
// CHECK:           arith.maxui
// CHECK:           func.return %[[F]], %[[M]] : tensor<2x3xf32>, tensor<2x3xi8>
// CHECK-NOT:       ui8
// CHECK-NOT:       graph.
func.func @unsigned_chain(%a: tensor<2x3xui8>, %b: tensor<2x3xui8>) -> (tensor<2x3xf32>, tensor<2x3xui8>) {
  %k = arith.constant dense<[[255, 1, 2], [3, 4, 5]]> : tensor<2x3xui8>
  %0 = graph.div %a, %k : (tensor<2x3xui8>, tensor<2x3xui8>) -> tensor<2x3xui8>
  %1 = graph.cast %0 : tensor<2x3xui8> to tensor<2x3xf32>
  %2 = graph.max %0, %b : (tensor<2x3xui8>, tensor<2x3xui8>) -> tensor<2x3xui8>
  func.return %1, %2 : tensor<2x3xf32>, tensor<2x3xui8>
}

// Calls keep their callee; their unsigned results become signless too.
// CHECK-LABEL: func.func @calls(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xi8>) -> tensor<2x3xi8>
// CHECK:           %{{.*}}, %[[C:.*]] = func.call @unsigned_chain(%[[A]], %[[A]]) : (tensor<2x3xi8>, tensor<2x3xi8>) -> (tensor<2x3xf32>, tensor<2x3xi8>)
// CHECK:           %[[R:.*]] = linalg.generic {{.*}} ins(%[[C]] : tensor<2x3xi8>)
// CHECK:           arith.maxui
// CHECK:           func.return %[[R]] : tensor<2x3xi8>
func.func @calls(%a: tensor<2x3xui8>) -> tensor<2x3xui8> {
  %0, %1 = func.call @unsigned_chain(%a, %a) : (tensor<2x3xui8>, tensor<2x3xui8>) -> (tensor<2x3xf32>, tensor<2x3xui8>)
  %2 = graph.relu %1 : tensor<2x3xui8>
  func.return %2 : tensor<2x3xui8>
}
