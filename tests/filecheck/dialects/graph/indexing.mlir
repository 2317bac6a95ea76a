// RUN: MLC_ROUNDTRIP
// RUN: MLC_GENERIC_ROUNDTRIP

// `graph.scatter` in its custom form, with and without `axis` and
// `reduction`; the generic RUN line checks that the generic form parses back
// to the same custom text.

// CHECK-LABEL: func.func @scatter_add_axis1(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: tensor<2x5xf32>, %[[I:[a-z0-9]+]]: tensor<2x3xi64>, %[[U:[a-z0-9]+]]: tensor<2x3xf32>)
// CHECK-NEXT:    %[[Y:.*]] = graph.scatter %[[X]], %[[I]], %[[U]] {axis = 1 : i64, reduction = "add"} : (tensor<2x5xf32>, tensor<2x3xi64>, tensor<2x3xf32>) -> tensor<2x5xf32>
// CHECK-NEXT:    func.return %[[Y]] : tensor<2x5xf32>
func.func @scatter_add_axis1(%x: tensor<2x5xf32>, %i: tensor<2x3xi64>, %u: tensor<2x3xf32>) -> tensor<2x5xf32> {
  %y = graph.scatter %x, %i, %u {axis = 1 : i64, reduction = "add"} : (tensor<2x5xf32>, tensor<2x3xi64>, tensor<2x3xf32>) -> tensor<2x5xf32>
  func.return %y : tensor<2x5xf32>
}

// The defaults (axis 0, reduction none) are not printed; any element type.
// CHECK-LABEL: func.func @scatter_defaults(
// CHECK:         graph.scatter %{{.*}}, %{{.*}}, %{{.*}} : (tensor<4x2xi1>, tensor<1x2xi32>, tensor<1x2xi1>) -> tensor<4x2xi1>
func.func @scatter_defaults(%x: tensor<4x2xi1>, %i: tensor<1x2xi32>, %u: tensor<1x2xi1>) -> tensor<4x2xi1> {
  %y = graph.scatter %x, %i, %u : (tensor<4x2xi1>, tensor<1x2xi32>, tensor<1x2xi1>) -> tensor<4x2xi1>
  func.return %y : tensor<4x2xi1>
}

// CHECK-LABEL: func.func @scatter_min_negative_axis(
// CHECK:         graph.scatter %{{.*}}, %{{.*}}, %{{.*}} {axis = -1 : i64, reduction = "min"} : (tensor<3xui8>, tensor<5xi64>, tensor<5xui8>) -> tensor<3xui8>
func.func @scatter_min_negative_axis(%x: tensor<3xui8>, %i: tensor<5xi64>, %u: tensor<5xui8>) -> tensor<3xui8> {
  %y = graph.scatter %x, %i, %u {reduction = "min", axis = -1 : i64} : (tensor<3xui8>, tensor<5xi64>, tensor<5xui8>) -> tensor<3xui8>
  func.return %y : tensor<3xui8>
}
