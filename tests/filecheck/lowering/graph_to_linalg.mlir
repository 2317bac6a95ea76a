// RUN: mlc-opt %s -p convert-graph-to-linalg | filecheck %s
// RUN: not mlc-opt %S/Inputs/graph_to_linalg_dynamic.mlir -p convert-graph-to-linalg 2>&1 | filecheck %s --check-prefix=DYNAMIC

// DYNAMIC: graph_to_linalg_dynamic.mlir:4:8: error: convert-graph-to-linalg supports static shapes only: 'graph.relu' has tensor<?x3xf32>

// Every graph op lowers to linalg on tensors (CONVENTIONS §4). Operands are
// %a, %b, ... and captured as A, B, ...; unsigned element types become signless.

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

// CHECK-LABEL: func.func @linear(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<4x3xf32>
// CHECK-SAME:      %[[C:[a-z0-9]+]]: tensor<4xf32>
// CHECK:           %[[BIAS:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>]
// CHECK:           ins(%[[C]] : tensor<4xf32>)
// CHECK:           %[[R:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK:           ins(%[[A]], %[[B]] : tensor<2x3xf32>, tensor<4x3xf32>) outs(%[[BIAS]] : tensor<2x4xf32>)
// CHECK:           arith.mulf
// CHECK:           arith.addf
// CHECK:           func.return %[[R]]
// CHECK-NOT:       graph.
func.func @linear(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>, %c: tensor<4xf32>) -> tensor<2x4xf32> {
  %0 = graph.linear %a, %b, %c : (tensor<2x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  func.return %0 : tensor<2x4xf32>
}

// CHECK-LABEL: func.func @linear_no_bias_3d(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x2x3xf32>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<4x3xf32>
// CHECK:           %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK:           %[[INIT:.*]] = tensor.empty() : tensor<2x2x4xf32>
// CHECK:           %[[FILL:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[INIT]] : tensor<2x2x4xf32>)
// CHECK:           affine_map<(d0, d1, d2, d3) -> (d2, d3)>
// CHECK:           outs(%[[FILL]] : tensor<2x2x4xf32>)
// CHECK-NOT:       graph.
func.func @linear_no_bias_3d(%a: tensor<2x2x3xf32>, %b: tensor<4x3xf32>) -> tensor<2x2x4xf32> {
  %0 = graph.linear %a, %b : (tensor<2x2x3xf32>, tensor<4x3xf32>) -> tensor<2x2x4xf32>
  func.return %0 : tensor<2x2x4xf32>
}

// CHECK-LABEL: func.func @linear_f16(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf16>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<4x3xf16>
// CHECK:           arith.extf {{.*}} : f16 to f32
// CHECK:           arith.extf {{.*}} : f16 to f32
// CHECK:           arith.mulf {{.*}} : f32
// CHECK:           arith.truncf {{.*}} : f32 to f16
// CHECK-NOT:       graph.
func.func @linear_f16(%a: tensor<2x3xf16>, %b: tensor<4x3xf16>) -> tensor<2x4xf16> {
  %0 = graph.linear %a, %b : (tensor<2x3xf16>, tensor<4x3xf16>) -> tensor<2x4xf16>
  func.return %0 : tensor<2x4xf16>
}

// CHECK-LABEL: func.func @matmul(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<3x4xf32>
// CHECK:           %[[FILL:.*]] = linalg.fill
// CHECK:           %[[R:.*]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<2x3xf32>, tensor<3x4xf32>) outs(%[[FILL]] : tensor<2x4xf32>)
// CHECK:           func.return %[[R]]
// CHECK-NOT:       graph.
func.func @matmul(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  %0 = graph.matmul %a, %b : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  func.return %0 : tensor<2x4xf32>
}

// CHECK-LABEL: func.func @matmul_batch_broadcast(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x1x2x3xf32>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<3x3x2xf32>
// CHECK:           linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4) -> (d0, 0, d2, d4)>, affine_map<(d0, d1, d2, d3, d4) -> (d1, d4, d3)>, affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
// CHECK-NOT:       graph.
func.func @matmul_batch_broadcast(%a: tensor<2x1x2x3xf32>, %b: tensor<3x3x2xf32>) -> tensor<2x3x2x2xf32> {
  %0 = graph.matmul %a, %b : (tensor<2x1x2x3xf32>, tensor<3x3x2xf32>) -> tensor<2x3x2x2xf32>
  func.return %0 : tensor<2x3x2x2xf32>
}

// CHECK-LABEL: func.func @matmul_vector(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<3xf32>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<2x3x4xf32>
// CHECK:           affine_map<(d0, d1, d2) -> (d2)>, affine_map<(d0, d1, d2) -> (d0, d2, d1)>
// CHECK-NOT:       graph.
func.func @matmul_vector(%a: tensor<3xf32>, %b: tensor<2x3x4xf32>) -> tensor<2x4xf32> {
  %0 = graph.matmul %a, %b : (tensor<3xf32>, tensor<2x3x4xf32>) -> tensor<2x4xf32>
  func.return %0 : tensor<2x4xf32>
}

// CHECK-LABEL: func.func @matmul_matrix_vector(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<3xf32>
// CHECK:           linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]}
// CHECK-NOT:       graph.
func.func @matmul_matrix_vector(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2xf32> {
  %0 = graph.matmul %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// CHECK-LABEL: func.func @conv2d_pads_bias(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<1x2x4x4xf32>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<2x2x3x3xf32>
// CHECK-SAME:      %[[C:[a-z0-9]+]]: tensor<2xf32>
// CHECK:           %[[PAD:.*]] = tensor.pad %[[A]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK:           tensor.yield
// CHECK:           %[[BIAS:.*]] = linalg.generic
// CHECK:           ins(%[[C]] : tensor<2xf32>)
// CHECK:           %[[R:.*]] = linalg.conv_2d_nchw_fchw {strides = dense<1> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>} ins(%[[PAD]], %[[B]] : tensor<1x2x6x6xf32>, tensor<2x2x3x3xf32>) outs(%[[BIAS]] : tensor<1x2x4x4xf32>)
// CHECK:           func.return %[[R]]
// CHECK-NOT:       graph.
func.func @conv2d_pads_bias(%a: tensor<1x2x4x4xf32>, %b: tensor<2x2x3x3xf32>, %c: tensor<2xf32>) -> tensor<1x2x4x4xf32> {
  %0 = graph.conv2d %a, %b, %c {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x4x4xf32>, tensor<2x2x3x3xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  func.return %0 : tensor<1x2x4x4xf32>
}

// CHECK-LABEL: func.func @conv2d_strides_dilations(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<1x2x5x5xf32>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<3x2x2x2xf32>
// CHECK:           linalg.conv_2d_nchw_fchw {strides = dense<2> : tensor<2xi64>, dilations = dense<2> : tensor<2xi64>} ins(%[[A]], %[[B]] :
// CHECK-NOT:       graph.
func.func @conv2d_strides_dilations(%a: tensor<1x2x5x5xf32>, %b: tensor<3x2x2x2xf32>) -> tensor<1x3x2x2xf32> {
  %0 = graph.conv2d %a, %b {dilations = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x2x5x5xf32>, tensor<3x2x2x2xf32>) -> tensor<1x3x2x2xf32>
  func.return %0 : tensor<1x3x2x2xf32>
}

// CHECK-LABEL: func.func @conv2d_groups(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<1x4x3x3xf32>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<4x2x2x2xf32>
// CHECK:           affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, (((d1 floordiv 2) * 2) + d4), (d2 + d5), (d3 + d6))>
// CHECK:           iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]
// CHECK-NOT:       graph.
func.func @conv2d_groups(%a: tensor<1x4x3x3xf32>, %b: tensor<4x2x2x2xf32>) -> tensor<1x4x2x2xf32> {
  %0 = graph.conv2d %a, %b {groups = 2 : i64} : (tensor<1x4x3x3xf32>, tensor<4x2x2x2xf32>) -> tensor<1x4x2x2xf32>
  func.return %0 : tensor<1x4x2x2xf32>
}

// CHECK-LABEL: func.func @max_pool2d(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<1x2x4x4xf32>
// CHECK:           %[[NEGINF:.*]] = arith.constant 0xff800000 : f32
// CHECK:           %[[FILL:.*]] = linalg.fill ins(%[[NEGINF]] : f32)
// CHECK:           %[[WIN:.*]] = tensor.empty() : tensor<2x2xf32>
// CHECK:           linalg.pooling_nchw_max {strides = dense<2> : tensor<2xi64>, dilations = dense<1> : tensor<2xi64>} ins(%[[A]], %[[WIN]] : tensor<1x2x4x4xf32>, tensor<2x2xf32>) outs(%[[FILL]] : tensor<1x2x2x2xf32>)
// CHECK-NOT:       graph.
func.func @max_pool2d(%a: tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32> {
  %0 = graph.max_pool2d %a {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x2x2xf32>
  func.return %0 : tensor<1x2x2x2xf32>
}

// CHECK-LABEL: func.func @max_pool2d_pads_ceil(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<1x1x5x5xf32>
// CHECK:           %[[PAD:.*]] = tensor.pad %[[A]] low[0, 0, 1, 1] high[0, 0, 0, 0]
// CHECK:           arith.constant 0xff800000 : f32
// CHECK:           linalg.pooling_nchw_max {{.*}} ins(%[[PAD]], %{{.*}} : tensor<1x1x6x6xf32>, tensor<2x2xf32>)
// CHECK-NOT:       graph.
func.func @max_pool2d_pads_ceil(%a: tensor<1x1x5x5xf32>) -> tensor<1x1x3x3xf32> {
  %0 = graph.max_pool2d %a {ceil_mode = true, kernel = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x1x5x5xf32>) -> tensor<1x1x3x3xf32>
  func.return %0 : tensor<1x1x3x3xf32>
}

// CHECK-LABEL: func.func @avg_pool2d_exclude_pad(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<1x1x4x4xf32>
// CHECK:           %[[PAD:.*]] = tensor.pad %[[A]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK:           %[[SUM:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, (d2 + d4), (d3 + d5))>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d5)>
// CHECK:           %[[ONES:.*]] = linalg.fill {{.*}} -> tensor<1x1x4x4xf32>
// CHECK:           %[[MASK:.*]] = tensor.pad %[[ONES]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK:           %[[COUNT:.*]] = linalg.generic
// CHECK:           ins(%[[MASK]], %{{.*}} : tensor<1x1x6x6xf32>, tensor<3x3xf32>)
// CHECK:           linalg.generic
// CHECK:           ins(%[[SUM]], %[[COUNT]] :
// CHECK:           arith.divf
// CHECK-NOT:       graph.
func.func @avg_pool2d_exclude_pad(%a: tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32> {
  %0 = graph.avg_pool2d %a {kernel = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x1x4x4xf32>) -> tensor<1x1x4x4xf32>
  func.return %0 : tensor<1x1x4x4xf32>
}

// CHECK-LABEL: func.func @avg_pool2d_include_pad_ceil(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<1x2x5x5xf32>
// CHECK:           tensor.pad %[[A]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK:           %[[ONES:.*]] = linalg.fill {{.*}} -> tensor<1x1x6x6xf32>
// CHECK:           tensor.pad %[[ONES]] low[0, 0, 0, 0] high[0, 0, 1, 1]
// CHECK:           affine_map<(d0, d1, d2, d3) -> (d0, 0, d2, d3)>
// CHECK:           arith.divf
// CHECK-NOT:       graph.
func.func @avg_pool2d_include_pad_ceil(%a: tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32> {
  %0 = graph.avg_pool2d %a {ceil_mode = true, count_include_pad = true, kernel = array<i64: 3, 3>, pads = array<i64: 1, 1, 0, 0>, strides = array<i64: 2, 2>} : (tensor<1x2x5x5xf32>) -> tensor<1x2x3x3xf32>
  func.return %0 : tensor<1x2x3x3xf32>
}

// CHECK-LABEL: func.func @avg_pool2d_f16(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<1x1x4x4xf16>
// CHECK:           arith.extf
// CHECK:           arith.divf {{.*}} : f32
// CHECK:           arith.truncf {{.*}} : f32 to f16
// CHECK-NOT:       graph.
func.func @avg_pool2d_f16(%a: tensor<1x1x4x4xf16>) -> tensor<1x1x2x2xf16> {
  %0 = graph.avg_pool2d %a {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x1x4x4xf16>) -> tensor<1x1x2x2xf16>
  func.return %0 : tensor<1x1x2x2xf16>
}

// CHECK-LABEL: func.func @global_avg_pool2d(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x2x3x3xf32>
// CHECK:           linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, 0, 0)>], iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
// CHECK:           arith.constant 9.000000e+00 : f32
// CHECK:           arith.divf
// CHECK-NOT:       graph.
func.func @global_avg_pool2d(%a: tensor<2x2x3x3xf32>) -> tensor<2x2x1x1xf32> {
  %0 = graph.global_avg_pool2d %a : (tensor<2x2x3x3xf32>) -> tensor<2x2x1x1xf32>
  func.return %0 : tensor<2x2x1x1xf32>
}

// CHECK-LABEL: func.func @batch_norm(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<1x2x3x3xf32>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<2xf32>
// CHECK-SAME:      %[[C:[a-z0-9]+]]: tensor<2xf32>
// CHECK-SAME:      %[[D:[a-z0-9]+]]: tensor<2xf32>
// CHECK-SAME:      %[[E:[a-z0-9]+]]: tensor<2xf32>
// CHECK:           linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d1)>, affine_map<(d0, d1, d2, d3) -> (d1)>, affine_map<(d0, d1, d2, d3) -> (d1)>, affine_map<(d0, d1, d2, d3) -> (d1)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>]
// CHECK:           ins(%[[A]], %[[B]], %[[C]], %[[D]], %[[E]] :
// CHECK:           arith.constant 1.000000e-03 : f32
// CHECK:           math.sqrt
// CHECK:           arith.divf
// CHECK-NOT:       graph.
func.func @batch_norm(%a: tensor<1x2x3x3xf32>, %b: tensor<2xf32>, %c: tensor<2xf32>, %d: tensor<2xf32>, %e: tensor<2xf32>) -> tensor<1x2x3x3xf32> {
  %0 = graph.batch_norm %a, %b, %c, %d, %e {epsilon = 1.0e-03 : f64} : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  func.return %0 : tensor<1x2x3x3xf32>
}

// CHECK-LABEL: func.func @layer_norm(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<3xf32>
// CHECK-SAME:      %[[C:[a-z0-9]+]]: tensor<3xf32>
// CHECK:           iterator_types = ["parallel", "reduction"]
// CHECK:           arith.constant 3.000000e+00 : f32
// CHECK:           arith.subf
// CHECK:           iterator_types = ["parallel", "reduction"]
// CHECK:           math.sqrt
// CHECK:           ins(%{{.*}}, %[[B]] : tensor<2x3xf32>, tensor<3xf32>)
// CHECK:           arith.mulf
// CHECK:           ins(%{{.*}}, %[[C]] : tensor<2x3xf32>, tensor<3xf32>)
// CHECK:           arith.addf
// CHECK-NOT:       graph.
func.func @layer_norm(%a: tensor<2x3xf32>, %b: tensor<3xf32>, %c: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = graph.layer_norm %a scale(%b : tensor<3xf32>) bias(%c : tensor<3xf32>) : tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @layer_norm_axis1_noparams(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x2x3xf32>
// CHECK:           affine_map<(d0, d1, d2) -> (d0, 0, 0)>], iterator_types = ["parallel", "reduction", "reduction"]
// CHECK:           arith.constant 6.000000e+00 : f32
// CHECK-NOT:       graph.
func.func @layer_norm_axis1_noparams(%a: tensor<2x2x3xf32>) -> tensor<2x2x3xf32> {
  %0 = graph.layer_norm %a {axis = 1 : i64} : tensor<2x2x3xf32>
  func.return %0 : tensor<2x2x3xf32>
}

// CHECK-LABEL: func.func @softmax(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK:           arith.constant 0xff800000 : f32
// CHECK:           %[[MAX:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, 0)>], iterator_types = ["parallel", "reduction"]}
// CHECK:           arith.maximumf
// CHECK:           arith.subf
// CHECK:           math.exp
// CHECK:           %[[SUM:.*]] = linalg.generic
// CHECK:           arith.addf
// CHECK:           arith.divf
// CHECK-NOT:       graph.
func.func @softmax(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = graph.softmax %a : tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @softmax_axis0_f16(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf16>
// CHECK:           arith.extf
// CHECK:           affine_map<(d0, d1) -> (0, d1)>], iterator_types = ["reduction", "parallel"]
// CHECK:           arith.truncf
// CHECK-NOT:       graph.
func.func @softmax_axis0_f16(%a: tensor<2x3xf16>) -> tensor<2x3xf16> {
  %0 = graph.softmax %a {axis = 0 : i64} : tensor<2x3xf16>
  func.return %0 : tensor<2x3xf16>
}

// CHECK-LABEL: func.func @log_softmax(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK:           math.exp
// CHECK:           math.log
// CHECK:           arith.subf
// CHECK-NOT:       graph.
func.func @log_softmax(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = graph.log_softmax %a : tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @reduce_sum(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK:           %[[FILL:.*]] = linalg.fill {{.*}} -> tensor<2xf32>
// CHECK:           linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%[[A]] : tensor<2x3xf32>) outs(%[[FILL]] : tensor<2xf32>)
// CHECK:           arith.addf
// CHECK-NOT:       graph.
func.func @reduce_sum(%a: tensor<2x3xf32>) -> tensor<2xf32> {
  %0 = graph.reduce_sum %a {axes = array<i64: 1>, keepdims = false} : (tensor<2x3xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// CHECK-LABEL: func.func @reduce_sum_i32_all(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xi32>
// CHECK:           arith.constant 0 : i32
// CHECK:           affine_map<(d0, d1) -> (0, 0)>], iterator_types = ["reduction", "reduction"]
// CHECK:           arith.addi
// CHECK-NOT:       graph.
func.func @reduce_sum_i32_all(%a: tensor<2x3xi32>) -> tensor<1x1xi32> {
  %0 = graph.reduce_sum %a : (tensor<2x3xi32>) -> tensor<1x1xi32>
  func.return %0 : tensor<1x1xi32>
}

// CHECK-LABEL: func.func @reduce_mean(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3x2xf32>
// CHECK:           affine_map<(d0, d1, d2) -> (d0, 0, d2)>
// CHECK:           arith.constant 3.000000e+00 : f32
// CHECK:           arith.divf
// CHECK-NOT:       graph.
func.func @reduce_mean(%a: tensor<2x3x2xf32>) -> tensor<2x1x2xf32> {
  %0 = graph.reduce_mean %a {axes = array<i64: -2>} : (tensor<2x3x2xf32>) -> tensor<2x1x2xf32>
  func.return %0 : tensor<2x1x2xf32>
}

// CHECK-LABEL: func.func @reduce_max_i8(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xi8>
// CHECK:           arith.constant -128 : i8
// CHECK:           arith.maxsi
// CHECK-NOT:       graph.
func.func @reduce_max_i8(%a: tensor<2x3xi8>) -> tensor<2x1xi8> {
  %0 = graph.reduce_max %a {axes = array<i64: -1>} : (tensor<2x3xi8>) -> tensor<2x1xi8>
  func.return %0 : tensor<2x1xi8>
}

// CHECK-LABEL: func.func @reduce_max_ui8(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xi8>
// CHECK:           arith.constant 0 : i8
// CHECK:           arith.maxui
// CHECK-NOT:       graph.
func.func @reduce_max_ui8(%a: tensor<2x3xui8>) -> tensor<3xui8> {
  %0 = graph.reduce_max %a {axes = array<i64: 0>, keepdims = false} : (tensor<2x3xui8>) -> tensor<3xui8>
  func.return %0 : tensor<3xui8>
}

// CHECK-LABEL: func.func @reduce_sum_f16(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf16>
// CHECK:           arith.extf
// CHECK:           arith.addf {{.*}} : f32
// CHECK:           arith.truncf
// CHECK-NOT:       graph.
func.func @reduce_sum_f16(%a: tensor<2x3xf16>) -> tensor<1x1xf16> {
  %0 = graph.reduce_sum %a : (tensor<2x3xf16>) -> tensor<1x1xf16>
  func.return %0 : tensor<1x1xf16>
}

// CHECK-LABEL: func.func @reshape_general(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK:           %[[FLAT:.*]] = tensor.collapse_shape %[[A]] {{\[}}[0 : i64, 1 : i64]] : tensor<2x3xf32> into tensor<6xf32>
// CHECK:           %[[R:.*]] = tensor.expand_shape %[[FLAT]] {{\[}}[0 : i64, 1 : i64]] output_shape [3, 2] : tensor<6xf32> into tensor<3x2xf32>
// CHECK:           func.return %[[R]]
// CHECK-NOT:       graph.
func.func @reshape_general(%a: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %0 = graph.reshape %a {shape = array<i64: 3, 2>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  func.return %0 : tensor<3x2xf32>
}

// CHECK-LABEL: func.func @reshape_expand(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<6xf32>
// CHECK:           tensor.expand_shape %[[A]] {{\[}}[0 : i64, 1 : i64]] output_shape [2, 3]
// CHECK-NOT:       graph.
func.func @reshape_expand(%a: tensor<6xf32>) -> tensor<2x3xf32> {
  %0 = graph.reshape %a {shape = array<i64: 2, 3>} : (tensor<6xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @flatten(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3x2xf32>
// CHECK:           tensor.collapse_shape %[[A]] {{\[}}[0 : i64], [1 : i64, 2 : i64]] : tensor<2x3x2xf32> into tensor<2x6xf32>
// CHECK-NOT:       graph.
func.func @flatten(%a: tensor<2x3x2xf32>) -> tensor<2x6xf32> {
  %0 = graph.flatten %a : (tensor<2x3x2xf32>) -> tensor<2x6xf32>
  func.return %0 : tensor<2x6xf32>
}

// CHECK-LABEL: func.func @squeeze(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x1x3xf32>
// CHECK:           tensor.collapse_shape %[[A]] {{\[}}[0 : i64], [1 : i64, 2 : i64]] : tensor<2x1x3xf32> into tensor<2x3xf32>
// CHECK-NOT:       graph.
func.func @squeeze(%a: tensor<2x1x3xf32>) -> tensor<2x3xf32> {
  %0 = graph.squeeze %a : (tensor<2x1x3xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @unsqueeze(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xi64>
// CHECK:           tensor.expand_shape %[[A]] {{\[}}[0 : i64, 1 : i64], [2 : i64, 3 : i64]] output_shape [1, 2, 3, 1]
// CHECK-NOT:       graph.
func.func @unsqueeze(%a: tensor<2x3xi64>) -> tensor<1x2x3x1xi64> {
  %0 = graph.unsqueeze %a {axes = array<i64: 0, -1>} : (tensor<2x3xi64>) -> tensor<1x2x3x1xi64>
  func.return %0 : tensor<1x2x3x1xi64>
}

// CHECK-LABEL: func.func @squeeze_to_rank_0(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<1x1xi8>
// CHECK:           %[[R:.*]] = linalg.generic {indexing_maps = [affine_map<() -> (0, 0)>, affine_map<() -> ()>], iterator_types = []} ins(%[[A]] : tensor<1x1xi8>)
// CHECK:           func.return %[[R]] : tensor<i8>
// CHECK-NOT:       graph.
func.func @squeeze_to_rank_0(%a: tensor<1x1xi8>) -> tensor<i8> {
  %0 = graph.squeeze %a : (tensor<1x1xi8>) -> tensor<i8>
  func.return %0 : tensor<i8>
}

// CHECK-LABEL: func.func @unsqueeze_rank_0(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<f32>
// CHECK:           linalg.generic {indexing_maps = [affine_map<(d0, d1) -> ()>, affine_map<(d0, d1) -> (d0, d1)>]
// CHECK-NOT:       graph.
func.func @unsqueeze_rank_0(%a: tensor<f32>) -> tensor<1x1xf32> {
  %0 = graph.unsqueeze %a {axes = array<i64: 0, 1>} : (tensor<f32>) -> tensor<1x1xf32>
  func.return %0 : tensor<1x1xf32>
}

// CHECK-LABEL: func.func @transpose(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3x2xf32>
// CHECK:           %[[INIT:.*]] = tensor.empty() : tensor<2x2x3xf32>
// CHECK:           linalg.transpose ins(%[[A]]:tensor<2x3x2xf32>) outs(%[[INIT]]:tensor<2x2x3xf32>) permutation = [0, 2, 1]
// CHECK-NOT:       graph.
func.func @transpose(%a: tensor<2x3x2xf32>) -> tensor<2x2x3xf32> {
  %0 = graph.transpose %a {perm = array<i64: 0, 2, 1>} : (tensor<2x3x2xf32>) -> tensor<2x2x3xf32>
  func.return %0 : tensor<2x2x3xf32>
}

// CHECK-LABEL: func.func @slice(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<3x4xf32>
// CHECK:           %[[R:.*]] = tensor.extract_slice %[[A]][1, 0] [2, 2] [1, 2] : tensor<3x4xf32> to tensor<2x2xf32>
// CHECK:           func.return %[[R]]
// CHECK-NOT:       graph.
func.func @slice(%a: tensor<3x4xf32>) -> tensor<2x2xf32> {
  %0 = graph.slice %a {ends = array<i64: 9223372036854775807, 4>, starts = array<i64: 1, 0>, steps = array<i64: 1, 2>} : (tensor<3x4xf32>) -> tensor<2x2xf32>
  func.return %0 : tensor<2x2xf32>
}

// CHECK-LABEL: func.func @slice_negative_step(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<3x4xi32>
// CHECK:           %[[S:.*]] = tensor.extract_slice %[[A]][0, 1] [3, 2] [1, 2] : tensor<3x4xi32> to tensor<3x2xi32>
// CHECK:           linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, ((d1 * -1) + 1))>, affine_map<(d0, d1) -> (d0, d1)>], {{.*}} ins(%[[S]] : tensor<3x2xi32>)
// CHECK-NOT:       graph.
func.func @slice_negative_step(%a: tensor<3x4xi32>) -> tensor<3x2xi32> {
  %0 = graph.slice %a {axes = array<i64: 1>, ends = array<i64: -9223372036854775808>, starts = array<i64: -1>, steps = array<i64: -2>} : (tensor<3x4xi32>) -> tensor<3x2xi32>
  func.return %0 : tensor<3x2xi32>
}

// A unit step over part of an axis beside a negative step: the generic reverses
// the slice, so its unit-step axis is read whole (its loop range is the result's).
// CHECK-LABEL: func.func @slice_mixed_steps(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<1x3x7x7xf32>
// CHECK:           %[[S:.*]] = tensor.extract_slice %[[A]][0, 0, 0, 0] [1, 3, 3, 2] [1, 1, 1, 2] : tensor<1x3x7x7xf32> to tensor<1x3x3x2xf32>
// CHECK:           linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, ((d3 * -1) + 1))>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], {{.*}} ins(%[[S]] : tensor<1x3x3x2xf32>)
// CHECK-NOT:       graph.
func.func @slice_mixed_steps(%a: tensor<1x3x7x7xf32>) -> tensor<1x3x3x2xf32> {
  %0 = graph.slice %a {axes = array<i64: 2, 3>, ends = array<i64: 3, -4611686018427387904>, starts = array<i64: 0, 2>, steps = array<i64: 1, -2>} : (tensor<1x3x7x7xf32>) -> tensor<1x3x3x2xf32>
  func.return %0 : tensor<1x3x3x2xf32>
}

// A negative step taking one element needs no reversal.
// CHECK-LABEL: func.func @slice_negative_step_one_element(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<4x5xf32>
// CHECK:           %[[S:.*]] = tensor.extract_slice %[[A]][1, 4] [2, 1] [2, 3] : tensor<4x5xf32> to tensor<2x1xf32>
// CHECK-NEXT:      func.return %[[S]]
func.func @slice_negative_step_one_element(%a: tensor<4x5xf32>) -> tensor<2x1xf32> {
  %0 = graph.slice %a {ends = array<i64: 9223372036854775807, 2>, starts = array<i64: 1, 9223372036854775807>, steps = array<i64: 2, -3>} : (tensor<4x5xf32>) -> tensor<2x1xf32>
  func.return %0 : tensor<2x1xf32>
}

// CHECK-LABEL: func.func @broadcast_to(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<3x1xf32>
// CHECK:           linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d1, 0)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>]
// CHECK-NOT:       graph.
func.func @broadcast_to(%a: tensor<3x1xf32>) -> tensor<2x3x2xf32> {
  %0 = graph.broadcast_to %a {shape = array<i64: 2, 3, 2>} : (tensor<3x1xf32>) -> tensor<2x3x2xf32>
  func.return %0 : tensor<2x3x2xf32>
}

// CHECK-LABEL: func.func @pad(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xf32>
// CHECK:           %[[R:.*]] = tensor.pad %[[A]] low[1, 0] high[0, 2] {
// CHECK:           %[[V:.*]] = arith.constant -1.000000e+00 : f32
// CHECK:           tensor.yield %[[V]] : f32
// CHECK:           } : tensor<2x3xf32> to tensor<3x5xf32>
// CHECK:           func.return %[[R]]
// CHECK-NOT:       graph.
func.func @pad(%a: tensor<2x3xf32>) -> tensor<3x5xf32> {
  %0 = graph.pad %a {pads = array<i64: 1, 0, 0, 2>, value = -1.0 : f32} : (tensor<2x3xf32>) -> tensor<3x5xf32>
  func.return %0 : tensor<3x5xf32>
}

// CHECK-LABEL: func.func @concat(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x1xf32>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<2x2xf32>
// CHECK:           %[[R:.*]] = tensor.concat dim(1) %[[A]], %[[B]] : (tensor<2x1xf32>, tensor<2x2xf32>) -> tensor<2x3xf32>
// CHECK:           func.return %[[R]]
// CHECK-NOT:       graph.
func.func @concat(%a: tensor<2x1xf32>, %b: tensor<2x2xf32>) -> tensor<2x3xf32> {
  %0 = graph.concat %a, %b {axis = -1 : i64} : (tensor<2x1xf32>, tensor<2x2xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @gather(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<3x2xf32>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<2x2xi64>
// CHECK:           linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d1, d2)>]
// CHECK:           ins(%[[B]] : tensor<2x2xi64>)
// CHECK:           %[[I:.*]] = arith.index_cast %{{.*}} : i64 to index
// CHECK:           arith.cmpi slt
// CHECK:           %[[W:.*]] = arith.select
// CHECK:           linalg.index 0 : index
// CHECK:           linalg.index 1 : index
// CHECK:           %[[K:.*]] = linalg.index 2 : index
// CHECK:           tensor.extract %[[A]][%[[W]], %[[K]]] : tensor<3x2xf32>
// CHECK-NOT:       graph.
func.func @gather(%a: tensor<3x2xf32>, %b: tensor<2x2xi64>) -> tensor<2x2x2xf32> {
  %0 = graph.gather %a, %b : (tensor<3x2xf32>, tensor<2x2xi64>) -> tensor<2x2x2xf32>
  func.return %0 : tensor<2x2x2xf32>
}

// CHECK-LABEL: func.func @gather_axis1_i32(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: tensor<2x3xi8>
// CHECK-SAME:      %[[B:[a-z0-9]+]]: tensor<2xi32>
// CHECK:           affine_map<(d0, d1) -> (d1)>
// CHECK:           arith.index_cast %{{.*}} : i32 to index
// CHECK:           %[[I0:.*]] = linalg.index 0 : index
// CHECK:           tensor.extract %[[A]][%[[I0]], %{{.*}}] : tensor<2x3xi8>
// CHECK-NOT:       graph.
func.func @gather_axis1_i32(%a: tensor<2x3xi8>, %b: tensor<2xi32>) -> tensor<2x2xi8> {
  %0 = graph.gather %a, %b {axis = 1 : i64} : (tensor<2x3xi8>, tensor<2xi32>) -> tensor<2x2xi8>
  func.return %0 : tensor<2x2xi8>
}
