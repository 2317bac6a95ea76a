// RUN: mlc-opt %s -p convert-graph-to-linalg | filecheck %s

// Elementwise graph ops lower to one linalg.generic each, with the op's scalar
// body; numpy broadcasting is in the indexing maps (size-1 dims read at 0).
// Operands are %a, %b, ... and captured as A, B, ...; unsigned element types
// become signless.

// CHECK-LABEL: func.func @relu(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK:           %[[INIT:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK:           %[[R:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
// CHECK:           ins(%[[A]] : tensor<2x3xf32>) outs(%[[INIT]] : tensor<2x3xf32>)
// CHECK:           arith.maximumf
// CHECK:           func.return %[[R]]
// CHECK-NOT:       graph.
func.func @relu(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = graph.relu %a  : tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @sigmoid(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK:           arith.negf
// CHECK:           math.exp
// CHECK:           arith.addf
// CHECK:           arith.divf
// CHECK-NOT:       graph.
func.func @sigmoid(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = graph.sigmoid %a  : tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @tanh(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK:           math.tanh
// CHECK-NOT:       graph.
func.func @tanh(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = graph.tanh %a  : tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @exp(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK:           math.exp
// CHECK-NOT:       graph.
func.func @exp(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = graph.exp %a  : tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @log(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK:           math.log
// CHECK-NOT:       graph.
func.func @log(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = graph.log %a  : tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @sqrt(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK:           math.sqrt
// CHECK-NOT:       graph.
func.func @sqrt(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = graph.sqrt %a  : tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @rsqrt(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK:           math.rsqrt
// CHECK-NOT:       graph.
func.func @rsqrt(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = graph.rsqrt %a  : tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @neg(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK:           arith.negf
// CHECK-NOT:       graph.
func.func @neg(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = graph.neg %a  : tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @abs(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK:           math.absf
// CHECK-NOT:       graph.
func.func @abs(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = graph.abs %a  : tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @erf(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK:           math.erf
// CHECK-NOT:       graph.
func.func @erf(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = graph.erf %a  : tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @gelu(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK:           math.erf
// CHECK-NOT:       graph.
func.func @gelu(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = graph.gelu %a  : tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @gelu_tanh(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK:           math.tanh
// CHECK-NOT:       graph.
func.func @gelu_tanh(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = graph.gelu %a {approximate = "tanh"} : tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @relu_i32(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xi32>
// CHECK:           arith.constant 0 : i32
// CHECK:           arith.maxsi
// CHECK-NOT:       graph.
func.func @relu_i32(%a: tensor<2x3xi32>) -> tensor<2x3xi32> {
  %0 = graph.relu %a  : tensor<2x3xi32>
  func.return %0 : tensor<2x3xi32>
}

// CHECK-LABEL: func.func @relu_f16(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf16>
// CHECK:           arith.maximumf {{.*}} : f16
// CHECK-NOT:       graph.
func.func @relu_f16(%a: tensor<2x3xf16>) -> tensor<2x3xf16> {
  %0 = graph.relu %a  : tensor<2x3xf16>
  func.return %0 : tensor<2x3xf16>
}

// CHECK-LABEL: func.func @tanh_f16(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf16>
// CHECK:           math.tanh {{.*}} : f16
// CHECK-NOT:       graph.
func.func @tanh_f16(%a: tensor<2x3xf16>) -> tensor<2x3xf16> {
  %0 = graph.tanh %a  : tensor<2x3xf16>
  func.return %0 : tensor<2x3xf16>
}

// CHECK-LABEL: func.func @abs_i8(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xi8>
// CHECK:           math.absi {{.*}} : i8
// CHECK-NOT:       graph.
func.func @abs_i8(%a: tensor<2x3xi8>) -> tensor<2x3xi8> {
  %0 = graph.abs %a  : tensor<2x3xi8>
  func.return %0 : tensor<2x3xi8>
}

// CHECK-LABEL: func.func @neg_i64(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xi64>
// CHECK:           arith.constant 0 : i64
// CHECK:           arith.subi
// CHECK-NOT:       graph.
func.func @neg_i64(%a: tensor<2x3xi64>) -> tensor<2x3xi64> {
  %0 = graph.neg %a  : tensor<2x3xi64>
  func.return %0 : tensor<2x3xi64>
}

// CHECK-LABEL: func.func @clip(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK:           arith.maximumf
// CHECK:           arith.minimumf
// CHECK-NOT:       graph.
func.func @clip(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = graph.clip %a {max = 0.5 : f32, min = -0.5 : f32} : tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @clip_ui8(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xi8>
// CHECK:           tensor.empty() : tensor<2x3xi8>
// CHECK:           arith.constant 2 : i8
// CHECK:           arith.minui
// CHECK-NOT:       graph.
func.func @clip_ui8(%a: tensor<2x3xui8>) -> tensor<2x3xui8> {
  %0 = graph.clip %a {max = 2 : ui8} : tensor<2x3xui8>
  func.return %0 : tensor<2x3xui8>
}

// CHECK-LABEL: func.func @add(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<3xf32>
// CHECK:           linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>]
// CHECK:           ins(%[[A]], %[[B]] : tensor<2x3xf32>, tensor<3xf32>)
// CHECK:           arith.addf
// CHECK-NOT:       graph.
func.func @add(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = graph.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @sub(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<3xf32>
// CHECK:           arith.subf
// CHECK-NOT:       graph.
func.func @sub(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = graph.sub %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @mul(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<3xf32>
// CHECK:           arith.mulf
// CHECK-NOT:       graph.
func.func @mul(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = graph.mul %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @div(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<3xf32>
// CHECK:           arith.divf
// CHECK-NOT:       graph.
func.func @div(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = graph.div %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @max(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<3xf32>
// CHECK:           arith.maximumf
// CHECK-NOT:       graph.
func.func @max(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = graph.max %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @min(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<3xf32>
// CHECK:           arith.minimumf
// CHECK-NOT:       graph.
func.func @min(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = graph.min %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @pow(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<3xf32>
// CHECK:           math.powf
// CHECK-NOT:       graph.
func.func @pow(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = graph.pow %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @add_broadcast_both(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x1xf32>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<1x3xf32>
// CHECK:           linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, 0)>, affine_map<(d0, d1) -> (0, d1)>, affine_map<(d0, d1) -> (d0, d1)>]
// CHECK-NOT:       graph.
func.func @add_broadcast_both(%a: tensor<2x1xf32>, %b: tensor<1x3xf32>) -> tensor<2x3xf32> {
  %0 = graph.add %a, %b : (tensor<2x1xf32>, tensor<1x3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @mul_scalar_i32(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xi32>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<i32>
// CHECK:           linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> ()>, affine_map<(d0, d1) -> (d0, d1)>]
// CHECK:           arith.muli
// CHECK-NOT:       graph.
func.func @mul_scalar_i32(%a: tensor<2x3xi32>, %b: tensor<i32>) -> tensor<2x3xi32> {
  %0 = graph.mul %a, %b : (tensor<2x3xi32>, tensor<i32>) -> tensor<2x3xi32>
  func.return %0 : tensor<2x3xi32>
}

// CHECK-LABEL: func.func @div_i32(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xi32>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<2x3xi32>
// CHECK:           %[[ZERO:.*]] = arith.constant 0 : i32
// CHECK:           %[[ONE:.*]] = arith.constant 1 : i32
// CHECK:           %[[IS0:.*]] = arith.cmpi eq, %[[Y:.*]], %[[ZERO]] : i32
// CHECK:           %[[SAFE:.*]] = arith.select %[[IS0]], %[[ONE]], %[[Y]] : i32
// CHECK:           arith.divsi %{{.*}}, %[[SAFE]] : i32
// CHECK-NOT:       graph.
func.func @div_i32(%a: tensor<2x3xi32>, %b: tensor<2x3xi32>) -> tensor<2x3xi32> {
  %0 = graph.div %a, %b : (tensor<2x3xi32>, tensor<2x3xi32>) -> tensor<2x3xi32>
  func.return %0 : tensor<2x3xi32>
}

// CHECK-LABEL: func.func @div_ui8(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xi8>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<2x3xi8>
// CHECK:           arith.divui {{.*}} : i8
// CHECK-NOT:       graph.
func.func @div_ui8(%a: tensor<2x3xui8>, %b: tensor<2x3xui8>) -> tensor<2x3xui8> {
  %0 = graph.div %a, %b : (tensor<2x3xui8>, tensor<2x3xui8>) -> tensor<2x3xui8>
  func.return %0 : tensor<2x3xui8>
}

// CHECK-LABEL: func.func @max_ui16(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xi16>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<3xi16>
// CHECK:           arith.maxui {{.*}} : i16
// CHECK-NOT:       graph.
func.func @max_ui16(%a: tensor<2x3xui16>, %b: tensor<3xui16>) -> tensor<2x3xui16> {
  %0 = graph.max %a, %b : (tensor<2x3xui16>, tensor<3xui16>) -> tensor<2x3xui16>
  func.return %0 : tensor<2x3xui16>
}

// CHECK-LABEL: func.func @min_i8(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xi8>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<2x3xi8>
// CHECK:           arith.minsi
// CHECK-NOT:       graph.
func.func @min_i8(%a: tensor<2x3xi8>, %b: tensor<2x3xi8>) -> tensor<2x3xi8> {
  %0 = graph.min %a, %b : (tensor<2x3xi8>, tensor<2x3xi8>) -> tensor<2x3xi8>
  func.return %0 : tensor<2x3xi8>
}

// CHECK-LABEL: func.func @pow_i32(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xi32>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<2x3xi32>
// CHECK:           arith.sitofp {{.*}} : i32 to f64
// CHECK:           math.powf {{.*}} : f64
// CHECK:           arith.fptosi {{.*}} : f64 to i32
// CHECK-NOT:       graph.
func.func @pow_i32(%a: tensor<2x3xi32>, %b: tensor<2x3xi32>) -> tensor<2x3xi32> {
  %0 = graph.pow %a, %b : (tensor<2x3xi32>, tensor<2x3xi32>) -> tensor<2x3xi32>
  func.return %0 : tensor<2x3xi32>
}

// CHECK-LABEL: func.func @add_f16(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf16>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<2x3xf16>
// CHECK:           arith.addf {{.*}} : f16
// CHECK-NOT:       graph.
func.func @add_f16(%a: tensor<2x3xf16>, %b: tensor<2x3xf16>) -> tensor<2x3xf16> {
  %0 = graph.add %a, %b : (tensor<2x3xf16>, tensor<2x3xf16>) -> tensor<2x3xf16>
  func.return %0 : tensor<2x3xf16>
}

// CHECK-LABEL: func.func @where(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xi1>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK-SAME:      %[[C:[a-z0-9]+]]: tensor<f32>
// CHECK:           linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> ()>, affine_map<(d0, d1) -> (d0, d1)>]
// CHECK:           arith.select
// CHECK-NOT:       graph.
func.func @where(%a: tensor<2x3xi1>, %b: tensor<2x3xf32>, %c: tensor<f32>) -> tensor<2x3xf32> {
  %0 = graph.where %a, %b, %c  : (tensor<2x3xi1>, tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @cast_f32_i32(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK:           arith.fptosi {{.*}} : f32 to i32
// CHECK-NOT:       graph.
func.func @cast_f32_i32(%a: tensor<2x3xf32>) -> tensor<2x3xi32> {
  %0 = graph.cast %a : tensor<2x3xf32> to tensor<2x3xi32>
  func.return %0 : tensor<2x3xi32>
}

// CHECK-LABEL: func.func @cast_f32_ui8(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK:           arith.fptoui {{.*}} : f32 to i8
// CHECK-NOT:       graph.
func.func @cast_f32_ui8(%a: tensor<2x3xf32>) -> tensor<2x3xui8> {
  %0 = graph.cast %a : tensor<2x3xf32> to tensor<2x3xui8>
  func.return %0 : tensor<2x3xui8>
}

// CHECK-LABEL: func.func @cast_f32_f16(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK:           arith.truncf {{.*}} : f32 to f16
// CHECK-NOT:       graph.
func.func @cast_f32_f16(%a: tensor<2x3xf32>) -> tensor<2x3xf16> {
  %0 = graph.cast %a : tensor<2x3xf32> to tensor<2x3xf16>
  func.return %0 : tensor<2x3xf16>
}

// CHECK-LABEL: func.func @cast_f16_f64(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf16>
// CHECK:           arith.extf {{.*}} : f16 to f64
// CHECK-NOT:       graph.
func.func @cast_f16_f64(%a: tensor<2x3xf16>) -> tensor<2x3xf64> {
  %0 = graph.cast %a : tensor<2x3xf16> to tensor<2x3xf64>
  func.return %0 : tensor<2x3xf64>
}

// CHECK-LABEL: func.func @cast_i32_f32(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xi32>
// CHECK:           arith.sitofp {{.*}} : i32 to f32
// CHECK-NOT:       graph.
func.func @cast_i32_f32(%a: tensor<2x3xi32>) -> tensor<2x3xf32> {
  %0 = graph.cast %a : tensor<2x3xi32> to tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @cast_ui8_f32(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xi8>
// CHECK:           arith.uitofp {{.*}} : i8 to f32
// CHECK-NOT:       graph.
func.func @cast_ui8_f32(%a: tensor<2x3xui8>) -> tensor<2x3xf32> {
  %0 = graph.cast %a : tensor<2x3xui8> to tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @cast_i8_i64(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xi8>
// CHECK:           arith.extsi {{.*}} : i8 to i64
// CHECK-NOT:       graph.
func.func @cast_i8_i64(%a: tensor<2x3xi8>) -> tensor<2x3xi64> {
  %0 = graph.cast %a : tensor<2x3xi8> to tensor<2x3xi64>
  func.return %0 : tensor<2x3xi64>
}

// CHECK-LABEL: func.func @cast_ui8_i32(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xi8>
// CHECK:           arith.extui {{.*}} : i8 to i32
// CHECK-NOT:       graph.
func.func @cast_ui8_i32(%a: tensor<2x3xui8>) -> tensor<2x3xi32> {
  %0 = graph.cast %a : tensor<2x3xui8> to tensor<2x3xi32>
  func.return %0 : tensor<2x3xi32>
}

// CHECK-LABEL: func.func @cast_i64_i16(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xi64>
// CHECK:           arith.trunci {{.*}} : i64 to i16
// CHECK-NOT:       graph.
func.func @cast_i64_i16(%a: tensor<2x3xi64>) -> tensor<2x3xi16> {
  %0 = graph.cast %a : tensor<2x3xi64> to tensor<2x3xi16>
  func.return %0 : tensor<2x3xi16>
}

// CHECK-LABEL: func.func @cast_f32_i1(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK:           arith.cmpf une
// CHECK-NOT:       graph.
func.func @cast_f32_i1(%a: tensor<2x3xf32>) -> tensor<2x3xi1> {
  %0 = graph.cast %a : tensor<2x3xf32> to tensor<2x3xi1>
  func.return %0 : tensor<2x3xi1>
}

// CHECK-LABEL: func.func @cast_i32_i1(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xi32>
// CHECK:           arith.cmpi ne
// CHECK-NOT:       graph.
func.func @cast_i32_i1(%a: tensor<2x3xi32>) -> tensor<2x3xi1> {
  %0 = graph.cast %a : tensor<2x3xi32> to tensor<2x3xi1>
  func.return %0 : tensor<2x3xi1>
}

// CHECK-LABEL: func.func @cast_i1_f32(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xi1>
// CHECK:           arith.uitofp {{.*}} : i1 to f32
// CHECK-NOT:       graph.
func.func @cast_i1_f32(%a: tensor<2x3xi1>) -> tensor<2x3xf32> {
  %0 = graph.cast %a : tensor<2x3xi1> to tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @cast_i1_i32(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xi1>
// CHECK:           arith.extui {{.*}} : i1 to i32
// CHECK-NOT:       graph.
func.func @cast_i1_i32(%a: tensor<2x3xi1>) -> tensor<2x3xi32> {
  %0 = graph.cast %a : tensor<2x3xi1> to tensor<2x3xi32>
  func.return %0 : tensor<2x3xi32>
}

// CHECK-LABEL: func.func @cast_i8_ui8(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xi8>
// CHECK:           func.return %[[A]] : tensor<2x3xi8>
// CHECK-NOT:       graph.
func.func @cast_i8_ui8(%a: tensor<2x3xi8>) -> tensor<2x3xui8> {
  %0 = graph.cast %a : tensor<2x3xi8> to tensor<2x3xui8>
  func.return %0 : tensor<2x3xui8>
}
