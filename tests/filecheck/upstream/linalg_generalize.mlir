// mlc's linalg-generalize is upstream's linalg-generalize-named-ops: on every
// case of passes/linalg_generalize.mlir, mlc's output, printed by real mlir-opt
// 22.1.8, is the text upstream's own generalization prints, up to the operand
// order of the commutative accumulate (xDSL's matmul and conv bodies write
// `addf %mul, %out`, upstream `addf %out, %mul`; the sed swaps it back).

// RUN: mlc-opt %S/../passes/linalg_generalize.mlir -p linalg-generalize | %mlir-opt --verify-each | sed -E 's/(arith\.add[fi]) (%[0-9]+), %out/\1 %out, \2/' > %t.mlc
// RUN: %mlir-opt --linalg-generalize-named-ops %S/../passes/linalg_generalize.mlir > %t.upstream
// RUN: diff %t.upstream %t.mlc
// RUN: filecheck %s < %t.mlc

// The comparison is not vacuous: every named op became a linalg.generic.
// CHECK-LABEL: func.func @fill_is_generic(
// CHECK:         linalg.generic
// CHECK-LABEL: func.func @matmul_is_generic(
// CHECK:         linalg.generic
// CHECK-LABEL: func.func @matmul_on_tensors_is_generic_with_a_result(
// CHECK:         linalg.generic
// CHECK-LABEL: func.func @transpose_reads_through_the_inverse_permutation(
// CHECK:         linalg.generic
// CHECK-LABEL: func.func @broadcast_reads_the_kept_dimensions(
// CHECK:         linalg.generic
// CHECK-LABEL: func.func @reduce_has_reduction_iterators(
// CHECK:         linalg.generic
// CHECK-LABEL: func.func @conv_2d_nchw_fchw_is_generic(
// CHECK:         linalg.generic
// CHECK-LABEL: func.func @pooling_nchw_max_maximises_output_and_input(
// CHECK:         linalg.generic
// CHECK-NEXT:    ^bb0(%in: f32, %in_0: f32, %out: f32):
// CHECK-NEXT:      %[[MAX:.*]] = arith.maximumf %out, %in : f32
// CHECK-LABEL: func.func @pooling_nchw_max_on_integers_uses_maxsi(
// CHECK:         linalg.generic
// CHECK-LABEL: func.func @elementwise_named_op_is_generic(
// CHECK:         linalg.generic
// CHECK-LABEL: func.func @generic_not_changed(
// CHECK:         linalg.generic
// CHECK-NOT:     linalg.{{fill|matmul|transpose|broadcast|reduce|conv|pooling|add}}
