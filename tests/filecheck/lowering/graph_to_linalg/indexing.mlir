// RUN: mlc-opt %s -p convert-graph-to-linalg | filecheck %s

// `graph.scatter`: one generic whose init is the data, parallel over the
// data's dims and reducing innermost over the update line along `axis`; an
// update lands where its (wrapped) index equals `linalg.index axis`.

// CHECK-LABEL: func.func @scatter_add_axis1(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x5xf32>, %[[B:[a-z0-9]+]]: tensor<2x3xi64>, %[[C:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK:         %[[R:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[B]], %[[C]] : tensor<2x3xi64>, tensor<2x3xf32>) outs(%[[A]] : tensor<2x5xf32>) {
// CHECK-NEXT:    ^{{.*}}(%[[I:.*]]: i64, %[[U:.*]]: f32, %[[ACC:.*]]: f32):
// CHECK-NEXT:      %[[IDX:.*]] = arith.index_cast %[[I]] : i64 to index
// CHECK:           %[[NEG:.*]] = arith.cmpi slt, %[[IDX]], %{{.*}} : index
// CHECK-NEXT:      %[[N:.*]] = arith.constant 5 : index
// CHECK-NEXT:      %[[UP:.*]] = arith.addi %[[IDX]], %[[N]] : index
// CHECK-NEXT:      %[[W:.*]] = arith.select %[[NEG]], %[[UP]], %[[IDX]] : index
// CHECK-NEXT:      %[[P:.*]] = linalg.index 1 : index
// CHECK-NEXT:      %[[HIT:.*]] = arith.cmpi eq, %[[W]], %[[P]] : index
// CHECK-NEXT:      %[[SUM:.*]] = arith.addf %[[ACC]], %[[U]] : f32
// CHECK-NEXT:      %[[Y:.*]] = arith.select %[[HIT]], %[[SUM]], %[[ACC]] : f32
// CHECK-NEXT:      linalg.yield %[[Y]] : f32
// CHECK:         func.return %[[R]]
// CHECK-NOT:     graph.
func.func @scatter_add_axis1(%a: tensor<2x5xf32>, %b: tensor<2x3xi64>, %c: tensor<2x3xf32>) -> tensor<2x5xf32> {
  %0 = graph.scatter %a, %b, %c {axis = 1 : i64, reduction = "add"} : (tensor<2x5xf32>, tensor<2x3xi64>, tensor<2x3xf32>) -> tensor<2x5xf32>
  func.return %0 : tensor<2x5xf32>
}

// `none` selects the update itself; unsigned max is `maxui` on signless types.
// CHECK-LABEL: func.func @scatter_none(
// CHECK-SAME:      %{{.*}}: tensor<4xi8>
// CHECK:         ^{{.*}}(%{{.*}}: i32, %[[U:.*]]: i8, %[[ACC:.*]]: i8):
// CHECK:           %[[Y:.*]] = arith.select %{{.*}}, %[[U]], %[[ACC]] : i8
// CHECK-NEXT:      linalg.yield %[[Y]] : i8
func.func @scatter_none(%a: tensor<4xui8>, %b: tensor<2xi32>, %c: tensor<2xui8>) -> tensor<4xui8> {
  %0 = graph.scatter %a, %b, %c : (tensor<4xui8>, tensor<2xi32>, tensor<2xui8>) -> tensor<4xui8>
  func.return %0 : tensor<4xui8>
}

// CHECK-LABEL: func.func @scatter_max_unsigned(
// CHECK:           arith.maxui %{{.*}}, %{{.*}} : i8
func.func @scatter_max_unsigned(%a: tensor<4xui8>, %b: tensor<2xi32>, %c: tensor<2xui8>) -> tensor<4xui8> {
  %0 = graph.scatter %a, %b, %c {reduction = "max"} : (tensor<4xui8>, tensor<2xi32>, tensor<2xui8>) -> tensor<4xui8>
  func.return %0 : tensor<4xui8>
}
