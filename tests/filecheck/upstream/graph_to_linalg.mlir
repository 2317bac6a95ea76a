// The tensor-level IR convert-graph-to-linalg prints is valid upstream MLIR: real
// mlir-opt 22.1.8 parses and verifies the lowering of every case of the lowering
// tests (one file per op family, as the package), and mlc-opt reads mlir-opt's
// output back.

// RUN: mlc-opt %S/../lowering/graph_to_linalg/elementwise.mlir -p convert-graph-to-linalg | %mlir-opt --verify-each | filecheck %s --check-prefix=ELEM
// RUN: mlc-opt %S/../lowering/graph_to_linalg/elementwise.mlir -p convert-graph-to-linalg | %mlir-opt --verify-each | mlc-opt | %mlir-opt --verify-each | filecheck %s --check-prefix=ELEM
// RUN: mlc-opt %S/../lowering/graph_to_linalg/contractions.mlir -p convert-graph-to-linalg | %mlir-opt --verify-each | filecheck %s --check-prefix=CONTR
// RUN: mlc-opt %S/../lowering/graph_to_linalg/contractions.mlir -p convert-graph-to-linalg | %mlir-opt --verify-each | mlc-opt | %mlir-opt --verify-each | filecheck %s --check-prefix=CONTR
// RUN: mlc-opt %S/../lowering/graph_to_linalg/normalization.mlir -p convert-graph-to-linalg | %mlir-opt --verify-each | filecheck %s --check-prefix=NORM
// RUN: mlc-opt %S/../lowering/graph_to_linalg/normalization.mlir -p convert-graph-to-linalg | %mlir-opt --verify-each | mlc-opt | %mlir-opt --verify-each | filecheck %s --check-prefix=NORM
// RUN: mlc-opt %S/../lowering/graph_to_linalg/data_movement.mlir -p convert-graph-to-linalg | %mlir-opt --verify-each | filecheck %s --check-prefix=DATA
// RUN: mlc-opt %S/../lowering/graph_to_linalg/data_movement.mlir -p convert-graph-to-linalg | %mlir-opt --verify-each | mlc-opt | %mlir-opt --verify-each | filecheck %s --check-prefix=DATA
// RUN: mlc-opt %S/../lowering/graph_to_linalg/quant.mlir -p convert-graph-to-linalg | %mlir-opt --verify-each | filecheck %s --check-prefix=QUANT
// RUN: mlc-opt %S/../lowering/graph_to_linalg/quant.mlir -p convert-graph-to-linalg | %mlir-opt --verify-each | mlc-opt | %mlir-opt --verify-each | filecheck %s --check-prefix=QUANT
// RUN: mlc-opt %S/../lowering/graph_to_linalg/emitter.mlir -p convert-graph-to-linalg | %mlir-opt --verify-each | filecheck %s --check-prefix=EMIT
// RUN: mlc-opt %S/../lowering/graph_to_linalg/emitter.mlir -p convert-graph-to-linalg | %mlir-opt --verify-each | mlc-opt | %mlir-opt --verify-each | filecheck %s --check-prefix=EMIT
// RUN: mlc-opt %S/../lowering/graph_to_linalg/elementwise_math.mlir -p convert-graph-to-linalg | %mlir-opt --verify-each | filecheck %s --check-prefix=MATH
// RUN: mlc-opt %S/../lowering/graph_to_linalg/elementwise_math.mlir -p convert-graph-to-linalg | %mlir-opt --verify-each | mlc-opt | %mlir-opt --verify-each | filecheck %s --check-prefix=MATH
// RUN: mlc-opt %S/../lowering/graph_to_linalg/bitwise.mlir -p convert-graph-to-linalg | %mlir-opt --verify-each | filecheck %s --check-prefix=BITS
// RUN: mlc-opt %S/../lowering/graph_to_linalg/bitwise.mlir -p convert-graph-to-linalg | %mlir-opt --verify-each | mlc-opt | %mlir-opt --verify-each | filecheck %s --check-prefix=BITS
// RUN: mlc-opt %S/../lowering/graph_to_linalg.mlir -p convert-graph-to-linalg | %mlir-opt --verify-each | filecheck %s --check-prefix=PASS
// RUN: mlc-opt %S/../lowering/graph_to_linalg.mlir -p convert-graph-to-linalg | %mlir-opt --verify-each | mlc-opt | %mlir-opt --verify-each | filecheck %s --check-prefix=PASS

// QUANT-LABEL: func.func @quantize(
// QUANT:         arith.cmpf ult
// QUANT:         arith.fptosi %{{.*}} : f64 to i8
// QUANT-LABEL: func.func @quantize_unsigned_f64(
// QUANT-LABEL: func.func @matmul_integer(
// QUANT:         arith.extui %{{.*}} : i8 to i32
// QUANT-LABEL: func.func @matmul_integer_batch(
// QUANT-LABEL: func.func @conv_integer(
// QUANT:         tensor.pad
// QUANT-NOT:     graph.

// EMIT-LABEL: func.func @reassociation_unit_dims_join_the_last_group(
// EMIT:         tensor.collapse_shape %arg0 {{\[}}[0], [1, 2, 3]]
// EMIT-LABEL: func.func @rank_0_reshape_is_a_copy_generic(
// EMIT-LABEL: func.func @to_rank_0_reads_index_0(
// EMIT-NOT:     graph.

// mlir-opt prints the maps as aliases at the top: broadcast (constant) and
// window (compound) map results survive, and a reversed slice axis reads n - 1 - d.
// ELEM-DAG: = affine_map<(d0, d1) -> (d0, 0)>
// ELEM-DAG: = affine_map<(d0, d1) -> (0, d1)>
// CONTR-DAG: = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, (d1 floordiv 2) * 2 + d4, d2 + d5, d3 + d6)>
// DATA-DAG: = affine_map<(d0, d1) -> (d0, -d1 + 1)>

// ELEM-LABEL: func.func @relu(
// ELEM-LABEL: func.func @sigmoid(
// ELEM-LABEL: func.func @tanh(
// ELEM-LABEL: func.func @exp(
// ELEM-LABEL: func.func @log(
// ELEM-LABEL: func.func @sqrt(
// ELEM-LABEL: func.func @rsqrt(
// ELEM-LABEL: func.func @neg(
// ELEM-LABEL: func.func @abs(
// ELEM-LABEL: func.func @erf(
// ELEM-LABEL: func.func @gelu(
// ELEM-LABEL: func.func @gelu_tanh(
// ELEM-LABEL: func.func @relu_i32(
// ELEM-LABEL: func.func @relu_f16(
// ELEM-LABEL: func.func @tanh_f16(
// ELEM-LABEL: func.func @abs_i8(
// ELEM-LABEL: func.func @neg_i64(
// ELEM-LABEL: func.func @clip(
// ELEM-LABEL: func.func @clip_ui8(
// ELEM-LABEL: func.func @add(
// ELEM-LABEL: func.func @sub(
// ELEM-LABEL: func.func @mul(
// ELEM-LABEL: func.func @div(
// ELEM-LABEL: func.func @max(
// ELEM-LABEL: func.func @min(
// ELEM-LABEL: func.func @pow(
// ELEM-LABEL: func.func @add_broadcast_both(
// ELEM-LABEL: func.func @mul_scalar_i32(
// ELEM-LABEL: func.func @div_i32(
// ELEM-LABEL: func.func @div_ui8(
// ELEM:         arith.divui {{.*}} : i8
// ELEM-LABEL: func.func @max_ui16(
// ELEM-LABEL: func.func @min_i8(
// ELEM-LABEL: func.func @pow_i32(
// ELEM-LABEL: func.func @add_f16(
// ELEM-LABEL: func.func @where(
// ELEM-LABEL: func.func @cast_f32_i32(
// ELEM-LABEL: func.func @cast_f32_ui8(
// ELEM-LABEL: func.func @cast_f32_f16(
// ELEM:         arith.truncf {{.*}} : f32 to f16
// ELEM-LABEL: func.func @cast_f16_f64(
// ELEM-LABEL: func.func @cast_i32_f32(
// ELEM-LABEL: func.func @cast_ui8_f32(
// ELEM-LABEL: func.func @cast_i8_i64(
// ELEM-LABEL: func.func @cast_ui8_i32(
// ELEM-LABEL: func.func @cast_i64_i16(
// ELEM-LABEL: func.func @cast_f32_i1(
// ELEM-LABEL: func.func @cast_i32_i1(
// ELEM-LABEL: func.func @cast_i1_f32(
// ELEM-LABEL: func.func @cast_i1_i32(
// ELEM-LABEL: func.func @cast_i8_ui8(
// ELEM-NOT:     graph.

// CONTR-LABEL: func.func @linear(
// CONTR-LABEL: func.func @linear_no_bias_3d(
// CONTR-LABEL: func.func @linear_f16(
// CONTR-LABEL: func.func @matmul(
// CONTR:         linalg.matmul ins(%arg0, %arg1 : tensor<2x3xf32>, tensor<3x4xf32>)
// CONTR-LABEL: func.func @matmul_batch_broadcast(
// CONTR-LABEL: func.func @matmul_vector(
// CONTR-LABEL: func.func @matmul_matrix_vector(
// CONTR-LABEL: func.func @conv2d_pads_bias(
// CONTR:         %[[PAD:.*]] = tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 1, 1]
// CONTR:         linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[PAD]], %arg1 : tensor<1x2x6x6xf32>, tensor<2x2x3x3xf32>)
// CONTR-LABEL: func.func @conv2d_strides_dilations(
// CONTR-LABEL: func.func @conv2d_groups(
// CONTR-LABEL: func.func @max_pool2d(
// CONTR:         linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%arg0, %{{.*}} : tensor<1x2x4x4xf32>, tensor<2x2xf32>)
// CONTR-LABEL: func.func @max_pool2d_pads_ceil(
// CONTR-LABEL: func.func @avg_pool2d_exclude_pad(
// CONTR-LABEL: func.func @avg_pool2d_include_pad_ceil(
// CONTR-LABEL: func.func @avg_pool2d_f16(
// CONTR-LABEL: func.func @global_avg_pool2d(
// CONTR-NOT:     graph.

// NORM-LABEL: func.func @batch_norm(
// NORM-LABEL: func.func @layer_norm(
// NORM-LABEL: func.func @layer_norm_axis1_noparams(
// NORM-LABEL: func.func @softmax(
// NORM-LABEL: func.func @softmax_axis0_f16(
// NORM-LABEL: func.func @log_softmax(
// NORM-LABEL: func.func @reduce_sum(
// NORM-LABEL: func.func @reduce_sum_i32_all(
// NORM-LABEL: func.func @reduce_mean(
// NORM-LABEL: func.func @reduce_max_i8(
// NORM-LABEL: func.func @reduce_max_ui8(
// NORM-LABEL: func.func @reduce_sum_f16(
// NORM-NOT:     graph.

// DATA-LABEL: func.func @reshape_general(
// DATA:         tensor.collapse_shape %arg0 {{\[}}[0, 1]] : tensor<2x3xf32> into tensor<6xf32>
// DATA:         tensor.expand_shape %{{.*}} {{\[}}[0, 1]] output_shape [3, 2] : tensor<6xf32> into tensor<3x2xf32>
// DATA-LABEL: func.func @reshape_expand(
// DATA-LABEL: func.func @flatten(
// DATA-LABEL: func.func @squeeze(
// DATA-LABEL: func.func @unsqueeze(
// DATA-LABEL: func.func @squeeze_to_rank_0(
// DATA-LABEL: func.func @unsqueeze_rank_0(
// DATA-LABEL: func.func @transpose(
// DATA:         linalg.transpose ins(%arg0 : tensor<2x3x2xf32>) outs(%{{.*}} : tensor<2x2x3xf32>) permutation = [0, 2, 1]
// DATA-LABEL: func.func @slice(
// DATA:         tensor.extract_slice %arg0[1, 0] [2, 2] [1, 2] : tensor<3x4xf32> to tensor<2x2xf32>
// DATA-LABEL: func.func @slice_negative_step(
// DATA-LABEL: func.func @slice_mixed_steps(
// DATA:         tensor.extract_slice %arg0[0, 0, 0, 0] [1, 3, 3, 2] [1, 1, 1, 2]
// DATA:         linalg.generic
// DATA-LABEL: func.func @slice_negative_step_one_element(
// DATA-LABEL: func.func @broadcast_to(
// DATA-LABEL: func.func @pad(
// DATA:         tensor.pad %arg0 low[1, 0] high[0, 2]
// DATA-LABEL: func.func @concat(
// DATA:         tensor.concat dim(1) %arg0, %arg1 : (tensor<2x1xf32>, tensor<2x2xf32>) -> tensor<2x3xf32>
// DATA-LABEL: func.func @gather(
// DATA:         linalg.index 2 : index
// DATA:         tensor.extract %arg0[{{.*}}] : tensor<3x2xf32>
// DATA-LABEL: func.func @gather_axis1_i32(
// DATA-NOT:     graph.

// PASS-LABEL: func.func @unsigned_chain(
// PASS:         arith.divui {{.*}} : i8
// PASS-LABEL: func.func @calls(
// PASS-NOT:     graph.

// MATH-LABEL: func.func @unary(
// MATH:         math.roundeven
// MATH-LABEL: func.func @fmod(
// MATH:         arith.remf
// MATH-LABEL: func.func @floored_mod(
// MATH:         math.copysign
// BITS-LABEL: func.func @logic(
// BITS-LABEL: func.func @shift_left(
// BITS:         arith.shli
// BITS-LABEL: func.func @shift_right(
// BITS:         arith.shrui
// BITS:         arith.shrsi
// BITS-LABEL: func.func @bitcasts(
// BITS:         arith.bitcast
