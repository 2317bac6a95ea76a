// RUN: mlc-opt %s -p convert-graph-to-linalg | filecheck %s

// The elementwise math ops lower to one linalg.generic each whose body is one
// math op; `mod` is `arith.remf`, with the floored remainder's correction
// unless `fmod` (broadcast through the indexing maps).

// CHECK-LABEL: func.func @unary(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK:           %[[INIT:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK:           linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME:      ins(%[[A]] : tensor<2x3xf32>) outs(%[[INIT]] : tensor<2x3xf32>)
// CHECK:           math.sin %{{.*}} : f32
// CHECK:           math.cos
// CHECK:           math.tan
// CHECK:           math.asin
// CHECK:           math.acos
// CHECK:           math.atan
// CHECK:           math.sinh
// CHECK:           math.cosh
// CHECK:           math.asinh
// CHECK:           math.acosh
// CHECK:           math.atanh
// CHECK:           math.floor
// CHECK:           math.ceil
// CHECK:           math.roundeven
// CHECK:           math.trunc
// CHECK-NOT:       graph.
func.func @unary(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = graph.sin %a : tensor<2x3xf32>
  %1 = graph.cos %0 : tensor<2x3xf32>
  %2 = graph.tan %1 : tensor<2x3xf32>
  %3 = graph.asin %2 : tensor<2x3xf32>
  %4 = graph.acos %3 : tensor<2x3xf32>
  %5 = graph.atan %4 : tensor<2x3xf32>
  %6 = graph.sinh %5 : tensor<2x3xf32>
  %7 = graph.cosh %6 : tensor<2x3xf32>
  %8 = graph.asinh %7 : tensor<2x3xf32>
  %9 = graph.acosh %8 : tensor<2x3xf32>
  %10 = graph.atanh %9 : tensor<2x3xf32>
  %11 = graph.floor %10 : tensor<2x3xf32>
  %12 = graph.ceil %11 : tensor<2x3xf32>
  %13 = graph.round %12 : tensor<2x3xf32>
  %14 = graph.trunc %13 : tensor<2x3xf32>
  func.return %14 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @fmod(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf64>, %[[B:[a-z0-9]+]]: tensor<3xf64>
// CHECK:           linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>]
// CHECK-NEXT:      ^{{.*}}(%[[X:.*]]: f64, %[[Y:.*]]: f64, %{{.*}}: f64):
// CHECK-NEXT:        %[[R:.*]] = arith.remf %[[X]], %[[Y]] : f64
// CHECK-NEXT:        linalg.yield %[[R]] : f64
func.func @fmod(%a: tensor<2x3xf64>, %b: tensor<3xf64>) -> tensor<2x3xf64> {
  %0 = graph.mod %a, %b {fmod = true} : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xf64>
  func.return %0 : tensor<2x3xf64>
}

// CHECK-LABEL: func.func @floored_mod(
// CHECK:           ^{{.*}}(%[[X:.*]]: f32, %[[Y:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:        %[[R:.*]] = arith.remf %[[X]], %[[Y]] : f32
// CHECK-NEXT:        %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT:        %[[NONZERO:.*]] = arith.cmpf one, %[[R]], %[[ZERO]] : f32
// CHECK-NEXT:        %[[RNEG:.*]] = arith.cmpf olt, %[[R]], %[[ZERO]] : f32
// CHECK-NEXT:        %[[YNEG:.*]] = arith.cmpf olt, %[[Y]], %[[ZERO]] : f32
// CHECK-NEXT:        %[[DIFFER:.*]] = arith.xori %[[RNEG]], %[[YNEG]] : i1
// CHECK-NEXT:        %[[ADJUST:.*]] = arith.andi %[[NONZERO]], %[[DIFFER]] : i1
// CHECK-NEXT:        %[[SUM:.*]] = arith.addf %[[R]], %[[Y]] : f32
// CHECK-NEXT:        %[[SHIFTED:.*]] = arith.select %[[ADJUST]], %[[SUM]], %[[R]] : f32
// CHECK-NEXT:        %[[SZERO:.*]] = math.copysign %[[R]], %[[Y]] : f32
// CHECK-NEXT:        %[[OUT:.*]] = arith.select %[[NONZERO]], %[[SHIFTED]], %[[SZERO]] : f32
// CHECK-NEXT:        linalg.yield %[[OUT]] : f32
func.func @floored_mod(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %0 = graph.mod %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  func.return %0 : tensor<4xf32>
}
