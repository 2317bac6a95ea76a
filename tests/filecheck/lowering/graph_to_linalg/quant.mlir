// RUN: mlc-opt %s -p convert-graph-to-linalg | filecheck %s

// Quantized inference: quantize is one broadcasting elementwise generic that
// divides in the input's type, rounds half to even in f64 with the 2^52 trick,
// adds the zero point and saturates; the integer contractions centre their
// 8-bit operands on the zero points as i32 tensors, then multiply-accumulate
// in i32 with the reduction dims before the innermost output dims (a matmul's
// column, a conv's output row), so the inner loop is contiguous. Unsigned
// element types become signless with unsigned conversions.

// CHECK-LABEL: func.func @quantize(
// CHECK-SAME:      %[[X:[a-z0-9]+]]: tensor<2x3xf32>, %[[S:[a-z0-9]+]]: tensor<3xf32>, %[[Z:[a-z0-9]+]]: tensor<i8>) -> tensor<2x3xi8>
// CHECK:         linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> ()>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%[[X]], %[[S]], %[[Z]] : tensor<2x3xf32>, tensor<3xf32>, tensor<i8>)
// CHECK:           %[[T:.*]] = arith.divf %{{.*}}, %{{.*}} : f32
// CHECK-NEXT:      %[[T64:.*]] = arith.extf %[[T]] : f32 to f64
// CHECK-NEXT:      %[[LO:.*]] = arith.constant 0xC270000000000000 : f64
// CHECK-NEXT:      %[[HI:.*]] = arith.constant 0x4270000000000000 : f64
// CHECK-NEXT:      %[[BELOW:.*]] = arith.cmpf ult, %[[T64]], %[[LO]] : f64
// CHECK-NEXT:      %[[C1:.*]] = arith.select %[[BELOW]], %[[LO]], %[[T64]] : f64
// CHECK-NEXT:      %[[C2:.*]] = arith.minimumf %[[C1]], %[[HI]] : f64
// CHECK:           %[[NEG:.*]] = arith.cmpf olt, %[[C2]]
// CHECK:           %[[M:.*]] = arith.select %[[NEG]], %{{.*}}, %{{.*}} : f64
// CHECK-NEXT:      %[[SUM:.*]] = arith.addf %[[C2]], %[[M]] : f64
// CHECK-NEXT:      %[[R:.*]] = arith.subf %[[SUM]], %[[M]] : f64
// CHECK-NEXT:      %[[ZF:.*]] = arith.sitofp %{{.*}} : i8 to f64
// CHECK-NEXT:      %[[V:.*]] = arith.addf %[[R]], %[[ZF]] : f64
// CHECK-NEXT:      arith.constant -1.280000e+02 : f64
// CHECK-NEXT:      arith.maximumf
// CHECK-NEXT:      arith.constant 1.270000e+02 : f64
// CHECK-NEXT:      %[[SAT:.*]] = arith.minimumf
// CHECK-NEXT:      %[[Q:.*]] = arith.fptosi %[[SAT]] : f64 to i8
// CHECK-NEXT:      linalg.yield %[[Q]] : i8
// CHECK-NOT:     graph.
func.func @quantize(%x: tensor<2x3xf32>, %s: tensor<3xf32>, %z: tensor<i8>) -> tensor<2x3xi8> {
  %q = graph.quantize %x, %s, %z : (tensor<2x3xf32>, tensor<3xf32>, tensor<i8>) -> tensor<2x3xi8>
  func.return %q : tensor<2x3xi8>
}

// CHECK-LABEL: func.func @quantize_unsigned_f64(
// CHECK:           arith.divf %{{.*}}, %{{.*}} : f64
// CHECK-NOT:       arith.extf
// CHECK:           arith.uitofp %{{.*}} : i16 to f64
// CHECK:           arith.constant 6.553500e+04 : f64
// CHECK:           arith.fptoui %{{.*}} : f64 to i16
func.func @quantize_unsigned_f64(%x: tensor<4xf64>, %s: tensor<f64>, %z: tensor<ui16>) -> tensor<4xui16> {
  %q = graph.quantize %x, %s, %z : (tensor<4xf64>, tensor<f64>, tensor<ui16>) -> tensor<4xui16>
  func.return %q : tensor<4xui16>
}

// CHECK-LABEL: func.func @matmul_integer(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<4x3xi8>, %[[B:[a-z0-9]+]]: tensor<3x2xi8>, %[[AZ:[a-z0-9]+]]: tensor<4x1xi8>, %[[BZ:[a-z0-9]+]]: tensor<2xi8>)
// CHECK:         %[[AC:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, 0)>, affine_map<(d0, d1) -> (d0, d1)>], {{.*}} ins(%[[A]], %[[AZ]] : tensor<4x3xi8>, tensor<4x1xi8>) outs(%{{.*}} : tensor<4x3xi32>)
// CHECK:           arith.extui %{{.*}} : i8 to i32
// CHECK-NEXT:      arith.extui %{{.*}} : i8 to i32
// CHECK-NEXT:      arith.subi
// CHECK:         %[[BC:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], {{.*}} ins(%[[B]], %[[BZ]] : tensor<3x2xi8>, tensor<2xi8>) outs(%{{.*}} : tensor<3x2xi32>)
// CHECK:           arith.extsi %{{.*}} : i8 to i32
// CHECK:         %[[INIT:.*]] = linalg.fill ins(%{{.*}} : i32) outs(%{{.*}} : tensor<4x2xi32>)
// CHECK:         linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d2)>], iterator_types = ["parallel", "reduction", "parallel"]} ins(%[[AC]], %[[BC]] : tensor<4x3xi32>, tensor<3x2xi32>) outs(%[[INIT]] : tensor<4x2xi32>)
// CHECK:           arith.muli
// CHECK-NEXT:      arith.addi
// CHECK-NOT:     graph.
func.func @matmul_integer(%a: tensor<4x3xui8>, %b: tensor<3x2xi8>, %az: tensor<4x1xui8>, %bz: tensor<2xi8>) -> tensor<4x2xi32> {
  %0 = graph.matmul_integer %a, %b lhs_zero_point(%az : tensor<4x1xui8>) rhs_zero_point(%bz : tensor<2xi8>) : (tensor<4x3xui8>, tensor<3x2xi8>) -> tensor<4x2xi32>
  func.return %0 : tensor<4x2xi32>
}

// A broadcast batch: the 2-D rhs is read without the batch dim.
// CHECK-LABEL: func.func @matmul_integer_batch(
// CHECK:         linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>, affine_map<(d0, d1, d2, d3) -> (d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>], iterator_types = ["parallel", "parallel", "reduction", "parallel"]}
func.func @matmul_integer_batch(%a: tensor<2x2x4xi8>, %b: tensor<4x3xi8>) -> tensor<2x2x3xi32> {
  %0 = graph.matmul_integer %a, %b : (tensor<2x2x4xi8>, tensor<4x3xi8>) -> tensor<2x2x3xi32>
  func.return %0 : tensor<2x2x3xi32>
}

// A per-output-channel weight zero point reads d0; the centred input is padded
// with zeros; dims (n, o, c, kh, kw, oh, ow); the grouped channel is
// (o floordiv O/groups) * C/groups + c.
// CHECK-LABEL: func.func @conv_integer(
// CHECK:         linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> ()>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>]
// CHECK:         linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>]
// CHECK:         tensor.pad %{{.*}} low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK:           arith.constant 0 : i32
// CHECK:         linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, (((d1 floordiv 2) * 2) + d2), ((d5 * 2) + d3), ((d6 * 2) + d4))>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1, d2, d3, d4)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d5, d6)>], iterator_types = ["parallel", "parallel", "reduction", "reduction", "reduction", "parallel", "parallel"]}
// CHECK-SAME:      outs(%{{.*}} : tensor<1x4x2x2xi32>)
// CHECK-NOT:     graph.
func.func @conv_integer(%x: tensor<1x4x4x4xui8>, %w: tensor<4x2x3x3xui8>, %xz: tensor<ui8>, %wz: tensor<4xui8>) -> tensor<1x4x2x2xi32> {
  %0 = graph.conv_integer %x, %w input_zero_point(%xz : tensor<ui8>) weight_zero_point(%wz : tensor<4xui8>) {groups = 2 : i64, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x4x4x4xui8>, tensor<4x2x3x3xui8>) -> tensor<1x4x2x2xi32>
  func.return %0 : tensor<1x4x2x2xi32>
}
