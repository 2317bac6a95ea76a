// RUN: mlc-opt %s -p convert-graph-to-linalg | filecheck %s

// Resampling: a resize is one gathering generic per resized axis, its index
// and weight tables constants (a nearest axis is a plain gather, the others
// reduce over their taps); grid_sample computes each point's taps in the body.

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

// Half-pixel linear: two taps per output, clamped at the edges.
// CHECK-LABEL: func.func @resize_linear(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK:           %[[IDX:.*]] = arith.constant dense<{{\[}}[0, 0], [0, 1], [0, 1], [1, 2], [1, 2], [2, 2]]> : tensor<6x2xi64>
// CHECK:           %[[W:.*]] = arith.constant dense<{{\[}}[2.500000e-01, 7.500000e-01], [7.500000e-01, 2.500000e-01]{{.*}}> : tensor<6x2xf32>
// CHECK:           %[[INIT:.*]] = linalg.fill
// CHECK:           linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[IDX]], %[[W]] : tensor<6x2xi64>, tensor<6x2xf32>) outs(%[[INIT]] : tensor<2x6xf32>)
// CHECK:             tensor.extract %[[A]]
// CHECK:             arith.mulf
// CHECK:             arith.addf
// CHECK-NOT:       graph.
func.func @resize_linear(%a: tensor<2x3xf32>) -> tensor<2x6xf32> {
  %0 = graph.resize %a {mode = "linear", scales = array<f64: 1.0, 2.0>, sizes = array<i64: 2, 6>} : (tensor<2x3xf32>) -> tensor<2x6xf32>
  func.return %0 : tensor<2x6xf32>
}

// A point outside the crop reads no tap and starts from the extrapolation
// value (the bias table).
// CHECK-LABEL: func.func @resize_crop(
// CHECK:           %[[IDX:.*]] = arith.constant dense<{{\[}}[1], [0]]> : tensor<2x1xi64>
// CHECK:           %[[W:.*]] = arith.constant dense<{{\[}}[1.000000e+00], [0.000000e+00]]> : tensor<2x1xf32>
// CHECK:           %[[BIAS:.*]] = arith.constant dense<[0.000000e+00, 7.000000e+00]> : tensor<2xf32>
// CHECK:           %[[INIT:.*]] = linalg.generic {{.*}} ins(%[[BIAS]] : tensor<2xf32>)
// CHECK:           linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]} ins(%[[IDX]], %[[W]] : tensor<2x1xi64>, tensor<2x1xf32>) outs(%[[INIT]] : tensor<2xf32>)
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

// Nearest with zeros padding: the grid value unnormalized, rounded half to
// even, bounds-checked, clamped for the read and masked.
// CHECK-LABEL: func.func @grid_sample_nearest(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<1x1x4xf32>, %[[B:[a-z0-9]+]]: tensor<1x2x1xf32>
// CHECK:           linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1, d2)>], iterator_types = ["parallel", "parallel", "parallel"]} outs(
// CHECK:             %[[N:.*]] = linalg.index 0 : index
// CHECK:             %[[C:.*]] = linalg.index 1 : index
// CHECK:             %[[O:.*]] = linalg.index 2 : index
// CHECK:             %[[G:.*]] = tensor.extract %[[B]][%[[N]], %[[O]], %{{.*}}] : tensor<1x2x1xf32>
// CHECK:             math.roundeven
// CHECK:             arith.fptosi
// CHECK:             %[[LOW:.*]] = arith.cmpi sge
// CHECK:             %[[HIGH:.*]] = arith.cmpi slt
// CHECK:             %[[IN:.*]] = arith.andi %[[LOW]], %[[HIGH]] : i1
// CHECK:             arith.maxsi
// CHECK:             arith.minsi
// CHECK:             tensor.extract %[[A]][%[[N]], %[[C]], %{{.*}}] : tensor<1x1x4xf32>
// CHECK:             arith.select %[[IN]]
// CHECK-NOT:       graph.
func.func @grid_sample_nearest(%a: tensor<1x1x4xf32>, %b: tensor<1x2x1xf32>) -> tensor<1x1x2xf32> {
  %0 = graph.grid_sample %a, %b {mode = "nearest"} : (tensor<1x1x4xf32>, tensor<1x2x1xf32>) -> tensor<1x1x2xf32>
  func.return %0 : tensor<1x1x2xf32>
}

// Bilinear with reflection: four reads, no mask.
// CHECK-LABEL: func.func @grid_sample_reflection(
// CHECK:           math.floor
// CHECK-COUNT-4:     tensor.extract %arg0
// CHECK-NOT:         arith.andi
// CHECK:           linalg.yield
func.func @grid_sample_reflection(%arg0: tensor<1x1x3x3xf32>, %b: tensor<1x2x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %0 = graph.grid_sample %arg0, %b {padding_mode = "reflection"} : (tensor<1x1x3x3xf32>, tensor<1x2x2x2xf32>) -> tensor<1x1x2x2xf32>
  func.return %0 : tensor<1x1x2x2xf32>
}
