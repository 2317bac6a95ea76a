// RUN: mlc-opt %s -p convert-graph-to-linalg | filecheck %s

// The bitwise ops lower to one linalg.generic each; unsigned types become
// signless, shifts guard their amount (LLVM's shifts by the width or more are
// poison) and pick unsigned or arithmetic right shifts by the graph type.

// CHECK-LABEL: func.func @logic(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xi8>, %[[B:[a-z0-9]+]]: tensor<3xi8>
// CHECK:           linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>]
// CHECK:             arith.andi %{{.*}}, %{{.*}} : i8
// CHECK:             arith.ori %{{.*}}, %{{.*}} : i8
// CHECK:             arith.xori %{{.*}}, %{{.*}} : i8
// CHECK:             %[[ONES:.*]] = arith.constant -1 : i8
// CHECK-NEXT:        arith.xori %{{.*}}, %[[ONES]] : i8
// CHECK-NOT:       graph.
func.func @logic(%a: tensor<2x3xui8>, %b: tensor<3xui8>) -> tensor<2x3xui8> {
  %0 = graph.bitwise_and %a, %b : (tensor<2x3xui8>, tensor<3xui8>) -> tensor<2x3xui8>
  %1 = graph.bitwise_or %0, %b : (tensor<2x3xui8>, tensor<3xui8>) -> tensor<2x3xui8>
  %2 = graph.bitwise_xor %1, %b : (tensor<2x3xui8>, tensor<3xui8>) -> tensor<2x3xui8>
  %3 = graph.bitwise_not %2 : tensor<2x3xui8>
  func.return %3 : tensor<2x3xui8>
}

// CHECK-LABEL: func.func @shift_left(
// CHECK:           ^{{.*}}(%[[X:.*]]: i16, %[[Y:.*]]: i16, %{{.*}}: i16):
// CHECK-NEXT:        %[[W:.*]] = arith.constant 16 : i16
// CHECK-NEXT:        %[[OUT:.*]] = arith.cmpi uge, %[[Y]], %[[W]] : i16
// CHECK-NEXT:        %[[ZERO:.*]] = arith.constant 0 : i16
// CHECK-NEXT:        %[[AMOUNT:.*]] = arith.select %[[OUT]], %[[ZERO]], %[[Y]] : i16
// CHECK-NEXT:        %[[SHIFTED:.*]] = arith.shli %[[X]], %[[AMOUNT]] : i16
// CHECK-NEXT:        %[[ZERO2:.*]] = arith.constant 0 : i16
// CHECK-NEXT:        %[[R:.*]] = arith.select %[[OUT]], %[[ZERO2]], %[[SHIFTED]] : i16
// CHECK-NEXT:        linalg.yield %[[R]] : i16
func.func @shift_left(%a: tensor<4xui16>, %b: tensor<4xui16>) -> tensor<4xui16> {
  %0 = graph.shift_left %a, %b : (tensor<4xui16>, tensor<4xui16>) -> tensor<4xui16>
  func.return %0 : tensor<4xui16>
}

// CHECK-LABEL: func.func @shift_right(
// CHECK:           arith.shrui %{{.*}}, %{{.*}} : i32
// CHECK:           %[[LAST:.*]] = arith.constant 63 : i64
// CHECK-NEXT:      %[[AMOUNT:.*]] = arith.select %{{.*}}, %[[LAST]], %{{.*}} : i64
// CHECK-NEXT:      %[[R:.*]] = arith.shrsi %{{.*}}, %[[AMOUNT]] : i64
// CHECK-NEXT:      linalg.yield %[[R]] : i64
func.func @shift_right(%a: tensor<4xui32>, %b: tensor<4xi64>) -> (tensor<4xui32>, tensor<4xi64>) {
  %0 = graph.shift_right %a, %a : (tensor<4xui32>, tensor<4xui32>) -> tensor<4xui32>
  %1 = graph.shift_right %b, %b : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  func.return %0, %1 : tensor<4xui32>, tensor<4xi64>
}

// CHECK-LABEL: func.func @bitcasts(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<4xf32>, %[[U:[a-z0-9]+]]: tensor<4xi32>, %[[P:[a-z0-9]+]]: tensor<4xi1>
// CHECK:           arith.bitcast %{{.*}} : f32 to i32
// CHECK:           arith.extui %{{.*}} : i1 to i8
// CHECK:           %[[ZERO:.*]] = arith.constant 0 : i8
// CHECK-NEXT:      arith.cmpi ne, %{{.*}}, %[[ZERO]] : i8
// CHECK:           func.return %{{.*}}, %{{.*}}, %[[U]] : tensor<4xi32>, tensor<4xi1>, tensor<4xi32>
func.func @bitcasts(%a: tensor<4xf32>, %u: tensor<4xui32>, %p: tensor<4xi1>) -> (tensor<4xi32>, tensor<4xi1>, tensor<4xi32>) {
  %0 = graph.bitcast %a : tensor<4xf32> to tensor<4xi32>
  %1 = graph.bitcast %p : tensor<4xi1> to tensor<4xi8>
  %2 = graph.bitcast %1 : tensor<4xi8> to tensor<4xi1>
  %3 = graph.bitcast %u : tensor<4xui32> to tensor<4xi32>
  func.return %0, %2, %3 : tensor<4xi32>, tensor<4xi1>, tensor<4xi32>
}
