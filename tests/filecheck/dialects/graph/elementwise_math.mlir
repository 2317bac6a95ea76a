// RUN: MLC_ROUNDTRIP
// RUN: MLC_GENERIC_ROUNDTRIP

// Every elementwise math op in its custom form; the generic RUN line checks
// that the generic form parses back to the same custom text.

// CHECK-LABEL: func.func @unary_float(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xf32>, %[[D:.*]]: tensor<2x3xf64>, %[[H:.*]]: tensor<2x3xf16>)
// CHECK:         %{{.*}} = graph.sin %[[X]] : tensor<2x3xf32>
// CHECK-NEXT:    %{{.*}} = graph.cos %[[X]] : tensor<2x3xf32>
// CHECK-NEXT:    %{{.*}} = graph.tan %[[D]] : tensor<2x3xf64>
// CHECK-NEXT:    %{{.*}} = graph.asin %[[X]] : tensor<2x3xf32>
// CHECK-NEXT:    %{{.*}} = graph.acos %[[X]] : tensor<2x3xf32>
// CHECK-NEXT:    %{{.*}} = graph.atan %[[X]] : tensor<2x3xf32>
// CHECK-NEXT:    %{{.*}} = graph.sinh %[[X]] : tensor<2x3xf32>
// CHECK-NEXT:    %{{.*}} = graph.cosh %[[X]] : tensor<2x3xf32>
// CHECK-NEXT:    %{{.*}} = graph.asinh %[[X]] : tensor<2x3xf32>
// CHECK-NEXT:    %{{.*}} = graph.acosh %[[X]] : tensor<2x3xf32>
// CHECK-NEXT:    %{{.*}} = graph.atanh %[[H]] : tensor<2x3xf16>
// CHECK-NEXT:    %{{.*}} = graph.floor %[[X]] : tensor<2x3xf32>
// CHECK-NEXT:    %{{.*}} = graph.ceil %[[X]] : tensor<2x3xf32>
// CHECK-NEXT:    %{{.*}} = graph.round %[[X]] : tensor<2x3xf32>
// CHECK-NEXT:    %{{.*}} = graph.trunc %[[X]] : tensor<2x3xf32>
func.func @unary_float(%x: tensor<2x3xf32>, %d: tensor<2x3xf64>, %h: tensor<2x3xf16>) -> tensor<2x3xf32> {
  %y = graph.sin %x : tensor<2x3xf32>
  %0 = graph.cos %x : tensor<2x3xf32>
  %1 = graph.tan %d : tensor<2x3xf64>
  %2 = graph.asin %x : tensor<2x3xf32>
  %3 = graph.acos %x : tensor<2x3xf32>
  %4 = graph.atan %x : tensor<2x3xf32>
  %5 = graph.sinh %x : tensor<2x3xf32>
  %6 = graph.cosh %x : tensor<2x3xf32>
  %7 = graph.asinh %x : tensor<2x3xf32>
  %8 = graph.acosh %x : tensor<2x3xf32>
  %9 = graph.atanh %h : tensor<2x3xf16>
  %10 = graph.floor %x : tensor<2x3xf32>
  %11 = graph.ceil %x : tensor<2x3xf32>
  %12 = graph.round %x : tensor<2x3xf32>
  %13 = graph.trunc %x : tensor<2x3xf32>
  func.return %y : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @mod(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xf32>, %[[Y:.*]]: tensor<3xf32>)
// CHECK:         %{{.*}} = graph.mod %[[X]], %[[Y]] {fmod = true} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %{{.*}} = graph.mod %[[X]], %[[Y]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %{{.*}} = graph.mod %[[Y]], %[[X]] {fmod = false} : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
func.func @mod(%x: tensor<2x3xf32>, %y: tensor<3xf32>) -> tensor<2x3xf32> {
  %z = graph.mod %x, %y {fmod = true} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %0 = graph.mod %x, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %1 = graph.mod %y, %x {fmod = false} : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %z : tensor<2x3xf32>
}
