// The tensor-level IR convert-graph-to-linalg prints is valid upstream MLIR: real
// mlir-opt 22.1.8 parses and verifies the lowering of every case of the lowering
// test, and mlc-opt reads mlir-opt's output back.

// RUN: mlc-opt %S/../lowering/graph_to_linalg.mlir -p convert-graph-to-linalg | %mlir-opt --verify-each | filecheck %s
// RUN: mlc-opt %S/../lowering/graph_to_linalg.mlir -p convert-graph-to-linalg | %mlir-opt --verify-each | mlc-opt | %mlir-opt --verify-each | filecheck %s
// RUN: mlc-opt %S/../lowering/utils.mlir -p convert-graph-to-linalg | %mlir-opt --verify-each | filecheck %s --check-prefix=UTILS

// UTILS-LABEL: func.func @reassociation_unit_dims_join_the_last_group(
// UTILS:         tensor.collapse_shape %arg0 {{\[}}[0], [1, 2, 3]]
// UTILS-LABEL: func.func @rank_0_reshape_is_a_copy_generic(
// UTILS-LABEL: func.func @to_rank_0_reads_index_0(
// UTILS-NOT:     graph.

// mlir-opt prints the maps as aliases at the top: broadcast (constant) and
// window (compound) map results survive.
// CHECK-DAG: = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-DAG: = affine_map<(d0, d1) -> (0, d1)>
// CHECK-DAG: = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, (d1 floordiv 2) * 2 + d4, d2 + d5, d3 + d6)>
// CHECK-DAG: = affine_map<(d0, d1) -> (d0, -d1 + 1)>

// CHECK-LABEL: func.func @relu(
// CHECK-LABEL: func.func @sigmoid(
// CHECK-LABEL: func.func @tanh(
// CHECK-LABEL: func.func @exp(
// CHECK-LABEL: func.func @log(
// CHECK-LABEL: func.func @sqrt(
// CHECK-LABEL: func.func @rsqrt(
// CHECK-LABEL: func.func @neg(
// CHECK-LABEL: func.func @abs(
// CHECK-LABEL: func.func @erf(
// CHECK-LABEL: func.func @gelu(
// CHECK-LABEL: func.func @gelu_tanh(
// CHECK-LABEL: func.func @relu_i32(
// CHECK-LABEL: func.func @relu_f16(
// CHECK-LABEL: func.func @tanh_f16(
// CHECK-LABEL: func.func @abs_i8(
// CHECK-LABEL: func.func @neg_i64(
// CHECK-LABEL: func.func @clip(
// CHECK-LABEL: func.func @clip_ui8(
// CHECK-LABEL: func.func @add(
// CHECK-LABEL: func.func @sub(
// CHECK-LABEL: func.func @mul(
// CHECK-LABEL: func.func @div(
// CHECK-LABEL: func.func @max(
// CHECK-LABEL: func.func @min(
// CHECK-LABEL: func.func @pow(
// CHECK-LABEL: func.func @add_broadcast_both(
// CHECK-LABEL: func.func @mul_scalar_i32(
// CHECK-LABEL: func.func @div_i32(
// CHECK-LABEL: func.func @div_ui8(
// CHECK:         arith.divui {{.*}} : i8
// CHECK-LABEL: func.func @max_ui16(
// CHECK-LABEL: func.func @min_i8(
// CHECK-LABEL: func.func @pow_i32(
// CHECK-LABEL: func.func @add_f16(
// CHECK-LABEL: func.func @where(
// CHECK-LABEL: func.func @cast_f32_i32(
// CHECK-LABEL: func.func @cast_f32_ui8(
// CHECK-LABEL: func.func @cast_f32_f16(
// CHECK:         arith.truncf {{.*}} : f32 to f16
// CHECK-LABEL: func.func @cast_f16_f64(
// CHECK-LABEL: func.func @cast_i32_f32(
// CHECK-LABEL: func.func @cast_ui8_f32(
// CHECK-LABEL: func.func @cast_i8_i64(
// CHECK-LABEL: func.func @cast_ui8_i32(
// CHECK-LABEL: func.func @cast_i64_i16(
// CHECK-LABEL: func.func @cast_f32_i1(
// CHECK-LABEL: func.func @cast_i32_i1(
// CHECK-LABEL: func.func @cast_i1_f32(
// CHECK-LABEL: func.func @cast_i1_i32(
// CHECK-LABEL: func.func @cast_i8_ui8(
// CHECK-LABEL: func.func @linear(
// CHECK-LABEL: func.func @linear_no_bias_3d(
// CHECK-LABEL: func.func @linear_f16(
// CHECK-LABEL: func.func @matmul(
// CHECK:         linalg.matmul ins(%arg0, %arg1 : tensor<2x3xf32>, tensor<3x4xf32>)
// CHECK-LABEL: func.func @matmul_batch_broadcast(
// CHECK-LABEL: func.func @matmul_vector(
// CHECK-LABEL: func.func @matmul_matrix_vector(
// CHECK-LABEL: func.func @conv2d_pads_bias(
// CHECK:         %[[PAD:.*]] = tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK:         linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[PAD]], %arg1 : tensor<1x2x6x6xf32>, tensor<2x2x3x3xf32>)
// CHECK-LABEL: func.func @conv2d_strides_dilations(
// CHECK-LABEL: func.func @conv2d_groups(
// CHECK-LABEL: func.func @max_pool2d(
// CHECK:         linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%arg0, %{{.*}} : tensor<1x2x4x4xf32>, tensor<2x2xf32>)
// CHECK-LABEL: func.func @max_pool2d_pads_ceil(
// CHECK-LABEL: func.func @avg_pool2d_exclude_pad(
// CHECK-LABEL: func.func @avg_pool2d_include_pad_ceil(
// CHECK-LABEL: func.func @avg_pool2d_f16(
// CHECK-LABEL: func.func @global_avg_pool2d(
// CHECK-LABEL: func.func @batch_norm(
// CHECK-LABEL: func.func @layer_norm(
// CHECK-LABEL: func.func @layer_norm_axis1_noparams(
// CHECK-LABEL: func.func @softmax(
// CHECK-LABEL: func.func @softmax_axis0_f16(
// CHECK-LABEL: func.func @log_softmax(
// CHECK-LABEL: func.func @reduce_sum(
// CHECK-LABEL: func.func @reduce_sum_i32_all(
// CHECK-LABEL: func.func @reduce_mean(
// CHECK-LABEL: func.func @reduce_max_i8(
// CHECK-LABEL: func.func @reduce_max_ui8(
// CHECK-LABEL: func.func @reduce_sum_f16(
// CHECK-LABEL: func.func @reshape_general(
// CHECK:         tensor.collapse_shape %arg0 {{\[}}[0, 1]] : tensor<2x3xf32> into tensor<6xf32>
// CHECK:         tensor.expand_shape %{{.*}} {{\[}}[0, 1]] output_shape [3, 2] : tensor<6xf32> into tensor<3x2xf32>
// CHECK-LABEL: func.func @reshape_expand(
// CHECK-LABEL: func.func @flatten(
// CHECK-LABEL: func.func @squeeze(
// CHECK-LABEL: func.func @unsqueeze(
// CHECK-LABEL: func.func @squeeze_to_rank_0(
// CHECK-LABEL: func.func @unsqueeze_rank_0(
// CHECK-LABEL: func.func @transpose(
// CHECK:         linalg.transpose ins(%arg0 : tensor<2x3x2xf32>) outs(%{{.*}} : tensor<2x2x3xf32>) permutation = [0, 2, 1]
// CHECK-LABEL: func.func @slice(
// CHECK:         tensor.extract_slice %arg0[1, 0] [2, 2] [1, 2] : tensor<3x4xf32> to tensor<2x2xf32>
// CHECK-LABEL: func.func @slice_negative_step(
// CHECK-LABEL: func.func @slice_mixed_steps(
// CHECK:         tensor.extract_slice %arg0[0, 0, 0, 0] [1, 3, 3, 2] [1, 1, 1, 2]
// CHECK:         linalg.generic
// CHECK-LABEL: func.func @slice_negative_step_one_element(
// CHECK-LABEL: func.func @broadcast_to(
// CHECK-LABEL: func.func @pad(
// CHECK:         tensor.pad %arg0 low[1, 0] high[0, 2]
// CHECK-LABEL: func.func @concat(
// CHECK:         tensor.concat dim(1) %arg0, %arg1 : (tensor<2x1xf32>, tensor<2x2xf32>) -> tensor<2x3xf32>
// CHECK-LABEL: func.func @gather(
// CHECK:         linalg.index 2 : index
// CHECK:         tensor.extract %arg0[{{.*}}] : tensor<3x2xf32>
// CHECK-LABEL: func.func @gather_axis1_i32(
// CHECK-NOT:     graph.
