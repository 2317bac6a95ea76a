// RUN: MLC_ROUNDTRIP
// RUN: MLC_GENERIC_ROUNDTRIP
// RUN: mlc-opt %s -p canonicalize | filecheck %s --check-prefix=FOLD

// What base.py provides to every op: the numpy element types, constants as
// `arith.constant` (dense and dense_resource), and folding through the numpy
// reference when all operands are constants.

// CHECK-LABEL: func.func @every_element_type(
// CHECK-SAME:      tensor<2xf16>, %{{.*}}: tensor<2xf32>, %{{.*}}: tensor<2xf64>, %{{.*}}: tensor<2xi8>, %{{.*}}: tensor<2xi16>, %{{.*}}: tensor<2xi32>, %{{.*}}: tensor<2xi64>, %{{.*}}: tensor<2xui8>, %{{.*}}: tensor<2xui16>, %{{.*}}: tensor<2xui32>, %{{.*}}: tensor<2xui64>, %{{.*}}: tensor<2xi1>)
// CHECK-COUNT-11: graph.abs
// CHECK:         graph.cast %{{.*}} : tensor<2xi1> to tensor<2xf16>
func.func @every_element_type(%a: tensor<2xf16>, %b: tensor<2xf32>, %c: tensor<2xf64>, %d: tensor<2xi8>, %e: tensor<2xi16>, %f: tensor<2xi32>, %g: tensor<2xi64>, %h: tensor<2xui8>, %i: tensor<2xui16>, %j: tensor<2xui32>, %k: tensor<2xui64>, %l: tensor<2xi1>) -> tensor<2xf16> {
  %0 = graph.abs %a : tensor<2xf16>
  %1 = graph.abs %b : tensor<2xf32>
  %2 = graph.abs %c : tensor<2xf64>
  %3 = graph.abs %d : tensor<2xi8>
  %4 = graph.abs %e : tensor<2xi16>
  %5 = graph.abs %f : tensor<2xi32>
  %6 = graph.abs %g : tensor<2xi64>
  %7 = graph.abs %h : tensor<2xui8>
  %8 = graph.abs %i : tensor<2xui16>
  %9 = graph.abs %j : tensor<2xui32>
  %10 = graph.abs %k : tensor<2xui64>
  %11 = graph.cast %l : tensor<2xi1> to tensor<2xf16>
  func.return %11 : tensor<2xf16>
}

// CHECK-LABEL: func.func @dense_resource_constant(
// CHECK:         %[[W:.*]] = arith.constant dense_resource<weights> : tensor<2xf32>
// CHECK:         graph.add %{{.*}}, %[[W]]
func.func @dense_resource_constant(%x: tensor<2xf32>) -> tensor<2xf32> {
  %w = arith.constant dense_resource<weights> : tensor<2xf32>
  %0 = graph.add %x, %w : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// Discardable attributes are allowed when they carry a dialect prefix.
// CHECK-LABEL: func.func @prefixed_discardable_attribute(
// CHECK:         graph.relu %{{.*}} {mlc.note = "kept"} : tensor<2xf32>
func.func @prefixed_discardable_attribute(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = graph.relu %x {mlc.note = "kept"} : tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// FOLD-LABEL: func.func @fold_unary_chain(
// FOLD-NEXT:    %[[C:.*]] = arith.constant dense<[0.000000e+00, 2.000000e+00]> : tensor<2xf32>
// FOLD-NEXT:    func.return %[[C]] : tensor<2xf32>
func.func @fold_unary_chain() -> tensor<2xf32> {
  %c = arith.constant dense<[-4.0, 4.0]> : tensor<2xf32>
  %0 = graph.relu %c : tensor<2xf32>
  %1 = graph.sqrt %0 : tensor<2xf32>
  func.return %1 : tensor<2xf32>
}

// FOLD-LABEL: func.func @fold_broadcast_and_splat(
// FOLD-NEXT:    %[[C:.*]] = arith.constant dense<{{\[}}[11, 12], [21, 22]]> : tensor<2x2xi64>
// FOLD-NEXT:    func.return %[[C]]
func.func @fold_broadcast_and_splat() -> tensor<2x2xi64> {
  %a = arith.constant dense<[[10], [20]]> : tensor<2x1xi64>
  %b = arith.constant dense<[1, 2]> : tensor<2xi64>
  %0 = graph.add %a, %b : (tensor<2x1xi64>, tensor<2xi64>) -> tensor<2x2xi64>
  func.return %0 : tensor<2x2xi64>
}

// FOLD-LABEL: func.func @fold_integer_division_truncates(
// FOLD-NEXT:    arith.constant dense<[-3, 3, -3]> : tensor<3xi32>
func.func @fold_integer_division_truncates() -> tensor<3xi32> {
  %a = arith.constant dense<[-7, 7, 7]> : tensor<3xi32>
  %b = arith.constant dense<[2, 2, -2]> : tensor<3xi32>
  %0 = graph.div %a, %b : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi32>
  func.return %0 : tensor<3xi32>
}

// FOLD-LABEL: func.func @fold_cast_and_where(
// FOLD-NEXT:    arith.constant dense<[1, 0, 3]> : tensor<3xui8>
func.func @fold_cast_and_where() -> tensor<3xui8> {
  %f = arith.constant dense<[1.9, 0.0, 3.2]> : tensor<3xf32>
  %m = graph.cast %f : tensor<3xf32> to tensor<3xi1>
  %u = graph.cast %f : tensor<3xf32> to tensor<3xui8>
  %z = arith.constant dense<0> : tensor<ui8>
  %0 = graph.where %m, %u, %z : (tensor<3xi1>, tensor<3xui8>, tensor<ui8>) -> tensor<3xui8>
  func.return %0 : tensor<3xui8>
}

// FOLD-LABEL: func.func @no_fold_with_an_argument(
// FOLD:         graph.mul
func.func @no_fold_with_an_argument(%x: tensor<2xf32>) -> tensor<2xf32> {
  %c = arith.constant dense<2.0> : tensor<2xf32>
  %0 = graph.mul %x, %c : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// FOLD-LABEL: func.func @no_fold_of_dense_resource(
// FOLD:         graph.neg
func.func @no_fold_of_dense_resource() -> tensor<2xf32> {
  %w = arith.constant dense_resource<weights> : tensor<2xf32>
  %0 = graph.neg %w : tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      weights: "0x040000000000803F00000040"
    }
  }
#-}
