// RUN: MLC_ROUNDTRIP
// RUN: MLC_GENERIC_ROUNDTRIP

// Every bitwise op in its custom form; the generic RUN line checks that the
// generic form parses back to the same custom text.

// CHECK-LABEL: func.func @logic(
// CHECK-SAME:      %[[A:.*]]: tensor<2x3xui8>, %[[B:.*]]: tensor<3xui8>, %[[C:.*]]: tensor<2x3xi16>, %[[D:.*]]: tensor<2x3xi64>, %[[E:.*]]: tensor<i64>, %[[P:.*]]: tensor<2x3xi1>, %[[I:.*]]: tensor<2x3xi32>)
// CHECK:         %{{.*}} = graph.bitwise_and %[[A]], %[[B]] : (tensor<2x3xui8>, tensor<3xui8>) -> tensor<2x3xui8>
// CHECK-NEXT:    %{{.*}} = graph.bitwise_or %[[C]], %[[C]] : (tensor<2x3xi16>, tensor<2x3xi16>) -> tensor<2x3xi16>
// CHECK-NEXT:    %{{.*}} = graph.bitwise_xor %[[D]], %[[E]] : (tensor<2x3xi64>, tensor<i64>) -> tensor<2x3xi64>
// CHECK-NEXT:    %{{.*}} = graph.bitwise_not %[[I]] : tensor<2x3xi32>
// CHECK-NEXT:    %{{.*}} = graph.bitwise_not %[[P]] : tensor<2x3xi1>
// CHECK-NEXT:    %{{.*}} = graph.bitwise_and %[[P]], %[[P]] : (tensor<2x3xi1>, tensor<2x3xi1>) -> tensor<2x3xi1>
func.func @logic(%a: tensor<2x3xui8>, %b: tensor<3xui8>, %c: tensor<2x3xi16>, %d: tensor<2x3xi64>, %e: tensor<i64>, %p: tensor<2x3xi1>, %i: tensor<2x3xi32>) -> tensor<2x3xui8> {
  %z = graph.bitwise_and %a, %b : (tensor<2x3xui8>, tensor<3xui8>) -> tensor<2x3xui8>
  %0 = graph.bitwise_or %c, %c : (tensor<2x3xi16>, tensor<2x3xi16>) -> tensor<2x3xi16>
  %1 = graph.bitwise_xor %d, %e : (tensor<2x3xi64>, tensor<i64>) -> tensor<2x3xi64>
  %2 = graph.bitwise_not %i : tensor<2x3xi32>
  %3 = graph.bitwise_not %p : tensor<2x3xi1>
  %4 = graph.bitwise_and %p, %p : (tensor<2x3xi1>, tensor<2x3xi1>) -> tensor<2x3xi1>
  func.return %z : tensor<2x3xui8>
}

// CHECK-LABEL: func.func @shifts(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xui8>, %[[U:.*]]: tensor<2x3xui32>, %[[S:.*]]: tensor<ui32>, %[[I:.*]]: tensor<4xi32>)
// CHECK:         %{{.*}} = graph.shift_left %[[X]], %[[X]] : (tensor<2x3xui8>, tensor<2x3xui8>) -> tensor<2x3xui8>
// CHECK-NEXT:    %{{.*}} = graph.shift_right %[[U]], %[[S]] : (tensor<2x3xui32>, tensor<ui32>) -> tensor<2x3xui32>
// CHECK-NEXT:    %{{.*}} = graph.shift_right %[[I]], %[[I]] : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
func.func @shifts(%x: tensor<2x3xui8>, %u: tensor<2x3xui32>, %s: tensor<ui32>, %i: tensor<4xi32>) -> tensor<2x3xui8> {
  %z = graph.shift_left %x, %x : (tensor<2x3xui8>, tensor<2x3xui8>) -> tensor<2x3xui8>
  %0 = graph.shift_right %u, %s : (tensor<2x3xui32>, tensor<ui32>) -> tensor<2x3xui32>
  %1 = graph.shift_right %i, %i : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  func.return %z : tensor<2x3xui8>
}

// CHECK-LABEL: func.func @bitcasts(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xf32>, %[[H:.*]]: tensor<4xui16>, %[[P:.*]]: tensor<4xi1>)
// CHECK:         %{{.*}} = graph.bitcast %[[X]] : tensor<2x3xf32> to tensor<2x3xi32>
// CHECK-NEXT:    %{{.*}} = graph.bitcast %[[H]] : tensor<4xui16> to tensor<4xf16>
// CHECK-NEXT:    %{{.*}} = graph.bitcast %[[P]] : tensor<4xi1> to tensor<4xui8>
func.func @bitcasts(%x: tensor<2x3xf32>, %h: tensor<4xui16>, %p: tensor<4xi1>) -> tensor<2x3xi32> {
  %y = graph.bitcast %x : tensor<2x3xf32> to tensor<2x3xi32>
  %0 = graph.bitcast %h : tensor<4xui16> to tensor<4xf16>
  %1 = graph.bitcast %p : tensor<4xi1> to tensor<4xui8>
  func.return %y : tensor<2x3xi32>
}
