// RUN: mlc-opt %s -p convert-graph-to-linalg | filecheck %s

// Resampling: a resize is one gathering generic per resized axis, its index
// and weight tables constants (a nearest axis is a plain gather, the others
// unroll their taps); grid_sample computes each point's tap tables first.

// CHECK-LABEL: func.func @resize_nearest(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<1x2x2xf32>
// CHECK:           %[[IDX:.*]] = arith.constant dense<[0, 0, 1, 1]> : tensor<4xi64>
// CHECK:           linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[IDX]] : tensor<4xi64>)
// CHECK:             %[[I:.*]] = arith.index_cast
// CHECK:             %[[D0:.*]] = linalg.index 0 : index
// CHECK:             %[[D1:.*]] = linalg.index 1 : index
// CHECK:             tensor.extract %[[A]][%[[D0]], %[[D1]], %[[I]]] : tensor<1x2x2xf32>
// CHECK-NOT:       graph.
func.func @resize_nearest(%a: tensor<1x2x2xf32>) -> tensor<1x2x4xf32> {
  %0 = graph.resize %a {coordinate_mode = "asymmetric", mode = "nearest", nearest_mode = "floor", scales = array<f64: 1.0, 1.0, 2.0>, sizes = array<i64: 1, 2, 4>} : (tensor<1x2x2xf32>) -> tensor<1x2x4xf32>
  func.return %0 : tensor<1x2x4xf32>
}

// Half-pixel linear: two taps per output, clamped at the edges, each an
// index and a weight table; the taps are unrolled in a parallel body.
// CHECK-LABEL: func.func @resize_linear(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK:           %[[I0:.*]] = arith.constant dense<[0, 0, 0, 1, 1, 2]> : tensor<6xi64>
// CHECK:           %[[I1:.*]] = arith.constant dense<[0, 1, 1, 2, 2, 2]> : tensor<6xi64>
// CHECK:           %[[W0:.*]] = arith.constant dense<[2.500000e-01, 7.500000e-01, 2.500000e-01, 7.500000e-01, 2.500000e-01, 7.500000e-01]> : tensor<6xf32>
// CHECK:           %[[W1:.*]] = arith.constant dense<[7.500000e-01, 2.500000e-01, 7.500000e-01, 2.500000e-01, 7.500000e-01, 2.500000e-01]> : tensor<6xf32>
// CHECK:           linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%[[I0]], %[[I1]], %[[W0]], %[[W1]] : tensor<6xi64>, tensor<6xi64>, tensor<6xf32>, tensor<6xf32>)
// CHECK:             %[[X0:.*]] = tensor.extract %[[A]]
// CHECK:             %[[T0:.*]] = arith.mulf %{{.*}}, %[[X0]]
// CHECK:             %[[X1:.*]] = tensor.extract %[[A]]
// CHECK:             %[[T1:.*]] = arith.mulf %{{.*}}, %[[X1]]
// CHECK:             %[[SUM:.*]] = arith.addf %[[T0]], %[[T1]]
// CHECK:             linalg.yield %[[SUM]]
// CHECK-NOT:       graph.
func.func @resize_linear(%a: tensor<2x3xf32>) -> tensor<2x6xf32> {
  %0 = graph.resize %a {mode = "linear", scales = array<f64: 1.0, 2.0>, sizes = array<i64: 2, 6>} : (tensor<2x3xf32>) -> tensor<2x6xf32>
  func.return %0 : tensor<2x6xf32>
}

// A point outside the crop reads no tap (weight 0) and gets the
// extrapolation value from the bias table.
// CHECK-LABEL: func.func @resize_crop(
// CHECK:           %[[IDX:.*]] = arith.constant dense<[1, 0]> : tensor<2xi64>
// CHECK:           %[[W:.*]] = arith.constant dense<[1.000000e+00, 0.000000e+00]> : tensor<2xf32>
// CHECK:           %[[BIAS:.*]] = arith.constant dense<[0.000000e+00, 7.000000e+00]> : tensor<2xf32>
// CHECK:           linalg.generic {{.*}} ins(%[[IDX]], %[[W]], %[[BIAS]] : tensor<2xi64>, tensor<2xf32>, tensor<2xf32>)
// CHECK:           ^bb0(%{{.*}}: i64, %[[WK:.*]]: f32, %[[B:.*]]: f32, %{{.*}}: f32):
// CHECK:             %[[T:.*]] = arith.mulf %[[WK]]
// CHECK:             arith.addf %[[B]], %[[T]]
func.func @resize_crop(%a: tensor<3xf32>) -> tensor<2xf32> {
  %0 = graph.resize %a {coordinate_mode = "tf_crop_and_resize", extrapolation_value = 7.0 : f64, mode = "linear", roi = array<f64: 0.5, 1.5>, scales = array<f64: 0.6667>, sizes = array<i64: 2>} : (tensor<3xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// An identity resize is no code.
// CHECK-LABEL: func.func @resize_identity(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK-NEXT:      func.return %[[A]]
func.func @resize_identity(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = graph.resize %a {mode = "cubic", scales = array<f64: 1.0, 1.0>, sizes = array<i64: 2, 3>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// Nearest with zeros padding: per tap, a generic over the sample points
// computes its index (the grid value unnormalized, rounded half to even,
// clamped) and one its weight (zero outside); the last gathers and weighs.
// CHECK-LABEL: func.func @grid_sample_nearest(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<1x1x4xf32>, %[[B:[a-z0-9]+]]: tensor<1x2x1xf32>
// CHECK:           %[[IDX:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} outs(%{{.*}} : tensor<1x2xi64>)
// CHECK:             tensor.extract %[[B]]
// CHECK:             math.roundeven
// CHECK:             arith.fptosi
// CHECK:             arith.maxsi
// CHECK:             %[[I:.*]] = arith.minsi
// CHECK:             linalg.yield %[[I]] : i64
// CHECK:           %[[W:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<1x2xf32>)
// CHECK:             %[[LOW:.*]] = arith.cmpi sge
// CHECK:             %[[HIGH:.*]] = arith.cmpi slt
// CHECK:             %[[IN:.*]] = arith.andi %[[LOW]], %[[HIGH]] : i1
// CHECK:             %[[WEIGHT:.*]] = arith.select %[[IN]]
// CHECK:             linalg.yield %[[WEIGHT]] : f32
// CHECK:           linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%[[IDX]], %[[W]] : tensor<1x2xi64>, tensor<1x2xf32>)
// CHECK:             %[[N:.*]] = linalg.index 0 : index
// CHECK:             %[[C:.*]] = linalg.index 1 : index
// CHECK:             %[[AT:.*]] = arith.index_cast
// CHECK:             tensor.extract %[[A]][%[[N]], %[[C]], %[[AT]]] : tensor<1x1x4xf32>
// CHECK-NOT:       graph.
func.func @grid_sample_nearest(%a: tensor<1x1x4xf32>, %b: tensor<1x2x1xf32>) -> tensor<1x1x2xf32> {
  %0 = graph.grid_sample %a, %b {mode = "nearest"} : (tensor<1x1x4xf32>, tensor<1x2x1xf32>) -> tensor<1x1x2xf32>
  func.return %0 : tensor<1x1x2xf32>
}

// Bilinear with reflection in 2-D: two taps per axis, an index and a weight
// table each (the coordinate reflected, then floored), and four reads.
// CHECK-LABEL: func.func @grid_sample_reflection(
// CHECK-COUNT-8:   linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel"]} outs(
// CHECK:           linalg.generic {{.*}} ins(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : tensor<1x2x2xi64>, tensor<1x2x2xf32>, tensor<1x2x2xi64>, tensor<1x2x2xf32>, tensor<1x2x2xi64>, tensor<1x2x2xf32>, tensor<1x2x2xi64>, tensor<1x2x2xf32>)
// CHECK-COUNT-4:     tensor.extract %arg0
// CHECK:           linalg.yield
func.func @grid_sample_reflection(%arg0: tensor<1x1x3x3xf32>, %b: tensor<1x2x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %0 = graph.grid_sample %arg0, %b {padding_mode = "reflection"} : (tensor<1x1x3x3xf32>, tensor<1x2x2x2xf32>) -> tensor<1x1x2x2xf32>
  func.return %0 : tensor<1x1x2x2xf32>
}
