// RUN: MLC_ROUNDTRIP
// RUN: MLC_GENERIC_ROUNDTRIP

// Every elementwise op in its custom form; the generic RUN line checks that the
// generic form parses back to the same custom text.

// CHECK-LABEL: func.func @unary_same_type(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xf32>, %[[I:.*]]: tensor<2x3xi32>)
// CHECK:         %[[RELU:.*]] = graph.relu %[[X]] : tensor<2x3xf32>
// CHECK-NEXT:    %{{.*}} = graph.sigmoid %[[RELU]] : tensor<2x3xf32>
// CHECK-NEXT:    %{{.*}} = graph.tanh %[[X]] : tensor<2x3xf32>
// CHECK-NEXT:    %{{.*}} = graph.exp %[[X]] : tensor<2x3xf32>
// CHECK-NEXT:    %{{.*}} = graph.log %[[X]] : tensor<2x3xf32>
// CHECK-NEXT:    %{{.*}} = graph.sqrt %[[X]] : tensor<2x3xf32>
// CHECK-NEXT:    %{{.*}} = graph.rsqrt %[[X]] : tensor<2x3xf32>
// CHECK-NEXT:    %{{.*}} = graph.neg %[[X]] : tensor<2x3xf32>
// CHECK-NEXT:    %{{.*}} = graph.abs %[[I]] : tensor<2x3xi32>
// CHECK-NEXT:    %{{.*}} = graph.erf %[[X]] : tensor<2x3xf32>
// CHECK-NEXT:    %{{.*}} = graph.relu %[[I]] : tensor<2x3xi32>
// CHECK-NEXT:    %{{.*}} = graph.neg %[[I]] : tensor<2x3xi32>
func.func @unary_same_type(%x: tensor<2x3xf32>, %i: tensor<2x3xi32>) -> tensor<2x3xf32> {
  %y = graph.relu %x : tensor<2x3xf32>
  %0 = graph.sigmoid %y : tensor<2x3xf32>
  %1 = graph.tanh %x : tensor<2x3xf32>
  %2 = graph.exp %x : tensor<2x3xf32>
  %3 = graph.log %x : tensor<2x3xf32>
  %4 = graph.sqrt %x : tensor<2x3xf32>
  %5 = graph.rsqrt %x : tensor<2x3xf32>
  %6 = graph.neg %x : tensor<2x3xf32>
  %7 = graph.abs %i : tensor<2x3xi32>
  %8 = graph.erf %x : tensor<2x3xf32>
  %9 = graph.relu %i : tensor<2x3xi32>
  %10 = graph.neg %i : tensor<2x3xi32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @gelu_forms(
// CHECK:         graph.gelu %{{.*}} : tensor<2x3xf32>
// CHECK-NEXT:    graph.gelu %{{.*}} {approximate = "tanh"} : tensor<2x3xf32>
// CHECK-NEXT:    graph.gelu %{{.*}} {approximate = "none"} : tensor<2x3xf16>
func.func @gelu_forms(%x: tensor<2x3xf32>, %h: tensor<2x3xf16>) -> tensor<2x3xf32> {
  %0 = graph.gelu %x : tensor<2x3xf32>
  %y = graph.gelu %x {approximate = "tanh"} : tensor<2x3xf32>
  %1 = graph.gelu %h {approximate = "none"} : tensor<2x3xf16>
  func.return %y : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @clip_bounds(
// CHECK:         graph.clip %{{.*}} {max = 6.000000e+00 : f32, min = 0.000000e+00 : f32} : tensor<2x3xf32>
// CHECK-NEXT:    graph.clip %{{.*}} {max = 6.000000e+00 : f32, min = 0.000000e+00 : f32} : tensor<2x3xf32>
// CHECK-NEXT:    graph.clip %{{.*}} {min = -1.000000e+00 : f64} : tensor<4xf64>
// CHECK-NEXT:    graph.clip %{{.*}} {max = 7 : i64} : tensor<4xi64>
// CHECK-NEXT:    graph.clip %{{.*}} : tensor<4xui8>
func.func @clip_bounds(%x: tensor<2x3xf32>, %d: tensor<4xf64>, %i: tensor<4xi64>, %u: tensor<4xui8>) -> tensor<2x3xf32> {
  %y = graph.clip %x {min = 0.0 : f32, max = 6.0 : f32} : tensor<2x3xf32>
  %s = graph.clip %x {max = 6.0 : f32, min = 0.0 : f32} : tensor<2x3xf32>
  %0 = graph.clip %d {min = -1.0 : f64} : tensor<4xf64>
  %1 = graph.clip %i {max = 7 : i64} : tensor<4xi64>
  %2 = graph.clip %u : tensor<4xui8>
  func.return %y : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @cast_element_types(
// CHECK:         graph.cast %{{.*}} : tensor<2x3xf32> to tensor<2x3xi64>
// CHECK-NEXT:    graph.cast %{{.*}} : tensor<2x3xf32> to tensor<2x3xi1>
// CHECK-NEXT:    graph.cast %{{.*}} : tensor<2x3xf32> to tensor<2x3xf16>
// CHECK-NEXT:    graph.cast %{{.*}} : tensor<2x3xf32> to tensor<2x3xui16>
func.func @cast_element_types(%x: tensor<2x3xf32>) -> tensor<2x3xi64> {
  %y = graph.cast %x : tensor<2x3xf32> to tensor<2x3xi64>
  %0 = graph.cast %x : tensor<2x3xf32> to tensor<2x3xi1>
  %1 = graph.cast %x : tensor<2x3xf32> to tensor<2x3xf16>
  %2 = graph.cast %x : tensor<2x3xf32> to tensor<2x3xui16>
  func.return %y : tensor<2x3xi64>
}

// CHECK-LABEL: func.func @binary_broadcasting(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xf32>, %[[Y:.*]]: tensor<3xf32>, %[[S:.*]]: tensor<f32>, %[[I:.*]]: tensor<2x3xi64>, %[[J:.*]]: tensor<1x3xi64>)
// CHECK:         %{{.*}} = graph.add %[[X]], %[[Y]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %{{.*}} = graph.sub %[[X]], %[[X]] : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %{{.*}} = graph.mul %[[I]], %[[J]] : (tensor<2x3xi64>, tensor<1x3xi64>) -> tensor<2x3xi64>
// CHECK-NEXT:    %{{.*}} = graph.div %[[X]], %[[S]] : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %{{.*}} = graph.max %[[X]], %[[X]] : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %{{.*}} = graph.min %[[X]], %[[X]] : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %{{.*}} = graph.pow %[[X]], %[[S]] : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
// CHECK:         %{{.*}} = graph.add %[[J]], %{{.*}} : (tensor<1x3xi64>, tensor<2x1xi64>) -> tensor<2x3xi64>
func.func @binary_broadcasting(%x: tensor<2x3xf32>, %y: tensor<3xf32>, %s: tensor<f32>, %i: tensor<2x3xi64>, %j: tensor<1x3xi64>) -> tensor<2x3xf32> {
  %z = graph.add %x, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %0 = graph.sub %x, %x : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = graph.mul %i, %j : (tensor<2x3xi64>, tensor<1x3xi64>) -> tensor<2x3xi64>
  %2 = graph.div %x, %s : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %3 = graph.max %x, %x : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %4 = graph.min %x, %x : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %5 = graph.pow %x, %s : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %k = arith.constant dense<1> : tensor<2x1xi64>
  %6 = graph.add %j, %k : (tensor<1x3xi64>, tensor<2x1xi64>) -> tensor<2x3xi64>
  func.return %z : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @where_broadcasts_all_three(
// CHECK:         graph.where %{{.*}}, %{{.*}}, %{{.*}} : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
// CHECK-NEXT:    graph.where %{{.*}}, %{{.*}}, %{{.*}} : (tensor<3xi1>, tensor<2x1xui8>, tensor<ui8>) -> tensor<2x3xui8>
func.func @where_broadcasts_all_three(%c: tensor<2x3xi1>, %x: tensor<2x3xf32>, %y: tensor<f32>, %d: tensor<3xi1>, %u: tensor<2x1xui8>, %v: tensor<ui8>) -> tensor<2x3xf32> {
  %z = graph.where %c, %x, %y : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %0 = graph.where %d, %u, %v : (tensor<3xi1>, tensor<2x1xui8>, tensor<ui8>) -> tensor<2x3xui8>
  func.return %z : tensor<2x3xf32>
}

// Docstring examples (tests/unit/dialects/graph/test_docstrings.py checks they parse).
// CHECK-LABEL: func.func @docstring_examples(
func.func @docstring_examples(%x: tensor<2x3xf32>, %c: tensor<2x3xi1>, %s: tensor<f32>) -> tensor<2x3xf32> {
  %y = graph.relu %x : tensor<2x3xf32>
  %z = graph.where %c, %x, %s : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  func.return %z : tensor<2x3xf32>
}
