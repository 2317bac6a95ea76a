// What linalg-fuse-elementwise emits is valid upstream MLIR: real mlir-opt
// 22.1.8 parses and verifies the fused generics of every case in
// passes/linalg_fuse_elementwise.mlir. Running upstream's own
// `linalg-fuse-elementwise-ops` on the result then finds nothing left to fuse,
// except in the four cases mlc leaves alone on purpose (a producer that reads
// its init, a producer using `linalg.index`, a producer a contraction would
// recompute, a producer read through a broadcast), which upstream does fuse.

// RUN: mlc-opt %S/../passes/linalg_fuse_elementwise.mlir -p linalg-fuse-elementwise | %mlir-opt --verify-each | filecheck %s
// RUN: mlc-opt %S/../passes/linalg_fuse_elementwise.mlir -p linalg-fuse-elementwise | %mlir-opt --linalg-fuse-elementwise-ops | filecheck %s --check-prefix=UPSTREAM

// CHECK-DAG:   #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG:   #[[ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG:   #[[SCALAR:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-DAG:   #[[T:.*]] = affine_map<(d0, d1) -> (d1, d0)>

// CHECK-LABEL: func.func @chain_of_three_fuses_into_one(
// CHECK:         linalg.generic {indexing_maps = [#[[ID]], #[[ID]], #[[ID]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK:           arith.addf
// CHECK-NEXT:      arith.mulf
// CHECK-NEXT:      arith.constant
// CHECK-NEXT:      arith.maximumf
// CHECK-NOT:     linalg.generic
// CHECK-LABEL: func.func @broadcast_maps_compose(
// CHECK:         linalg.generic {indexing_maps = [#[[ID]], #[[SCALAR]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-NOT:     linalg.generic
// CHECK-LABEL: func.func @scale_not_fused_when_read_through_a_broadcast(
// CHECK-COUNT-2: linalg.generic
// CHECK-LABEL: func.func @permuted_output_map_is_inverted(
// CHECK:         linalg.generic {indexing_maps = [#[[T]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-NOT:     linalg.generic
// CHECK-LABEL: func.func @duplicate_inputs_deduplicate(
// CHECK:         linalg.generic
// CHECK-NOT:     linalg.generic
// CHECK-LABEL: func.func @reduction_consumer_fuses(
// CHECK:         linalg.generic
// CHECK-SAME:      iterator_types = ["parallel", "reduction"]
// CHECK-NOT:     linalg.generic
// CHECK-LABEL: func.func @relu_not_fused_when_producer_has_two_uses(
// CHECK-COUNT-2: linalg.generic
// CHECK-LABEL: func.func @sum_not_fused_when_not_elementwise(
// CHECK-COUNT-2: linalg.generic
// CHECK-LABEL: func.func @splat_not_fused_when_a_loop_bound_would_be_lost(
// CHECK-COUNT-2: linalg.generic
// CHECK-LABEL: func.func @add_not_fused_when_producer_reads_its_init(
// CHECK-COUNT-2: linalg.generic
// CHECK-LABEL: func.func @iota_not_fused_when_producer_uses_index(
// CHECK-COUNT-2: linalg.generic
// CHECK-LABEL: func.func @relu_not_fused_when_a_reduction_would_recompute_it(
// CHECK-COUNT-2: linalg.generic

// UPSTREAM-LABEL: func.func @chain_of_three_fuses_into_one(
// UPSTREAM-COUNT-1: linalg.generic
// UPSTREAM-NOT:     linalg.generic
// UPSTREAM-LABEL: func.func @broadcast_maps_compose(
// UPSTREAM-COUNT-1: linalg.generic
// UPSTREAM-NOT:     linalg.generic
// UPSTREAM-LABEL: func.func @scale_not_fused_when_read_through_a_broadcast(
// UPSTREAM-COUNT-1: linalg.generic
// UPSTREAM-NOT:     linalg.generic
// UPSTREAM-LABEL: func.func @permuted_output_map_is_inverted(
// UPSTREAM-COUNT-1: linalg.generic
// UPSTREAM-NOT:     linalg.generic
// UPSTREAM-LABEL: func.func @duplicate_inputs_deduplicate(
// UPSTREAM-COUNT-1: linalg.generic
// UPSTREAM-NOT:     linalg.generic
// UPSTREAM-LABEL: func.func @reduction_consumer_fuses(
// UPSTREAM-COUNT-1: linalg.generic
// UPSTREAM-NOT:     linalg.generic
// UPSTREAM-LABEL: func.func @relu_not_fused_when_producer_has_two_uses(
// UPSTREAM-COUNT-2: linalg.generic
// UPSTREAM-LABEL: func.func @sum_not_fused_when_not_elementwise(
// UPSTREAM-COUNT-2: linalg.generic
// UPSTREAM-LABEL: func.func @splat_not_fused_when_a_loop_bound_would_be_lost(
// UPSTREAM-COUNT-2: linalg.generic
// UPSTREAM-LABEL: func.func @add_not_fused_when_producer_reads_its_init(
// UPSTREAM-COUNT-1: linalg.generic
// UPSTREAM-NOT:     linalg.generic
// UPSTREAM-LABEL: func.func @iota_not_fused_when_producer_uses_index(
// UPSTREAM-COUNT-1: linalg.generic
// UPSTREAM-NOT:     linalg.generic
// UPSTREAM-LABEL: func.func @relu_not_fused_when_a_reduction_would_recompute_it(
// UPSTREAM-COUNT-1: linalg.generic
// UPSTREAM-NOT:     linalg.generic
