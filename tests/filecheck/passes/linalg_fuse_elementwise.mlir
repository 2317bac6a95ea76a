// RUN: mlc-opt %s -p linalg-fuse-elementwise | filecheck %s

// A chain add -> mul -> max becomes one generic over all three operands.

// CHECK-LABEL: func.func @chain_of_three_fuses_into_one(
// CHECK-SAME:      %[[A:.*]]: tensor<2x3xf32>, %[[B:.*]]: tensor<2x3xf32>, %[[C:.*]]: tensor<2x3xf32>)
// CHECK:         %[[INIT:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK-NEXT:    %[[R:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME:      ins(%[[A]], %[[B]], %[[C]] : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) outs(%[[INIT]] : tensor<2x3xf32>)
// CHECK-NEXT:    ^bb0(%[[VA:.*]]: f32, %[[VB:.*]]: f32, %[[VC:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:      %[[SUM:.*]] = arith.addf %[[VA]], %[[VB]] : f32
// CHECK-NEXT:      %[[PROD:.*]] = arith.mulf %[[SUM]], %[[VC]] : f32
// CHECK-NEXT:      %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NEXT:      %[[MAX:.*]] = arith.maximumf %[[PROD]], %[[ZERO]] : f32
// CHECK-NEXT:      linalg.yield %[[MAX]] : f32
// CHECK-NEXT:    } -> tensor<2x3xf32>
// CHECK-NEXT:    func.return %[[R]] : tensor<2x3xf32>
func.func @chain_of_three_fuses_into_one(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>, %c: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %init = tensor.empty() : tensor<2x3xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a, %b : tensor<2x3xf32>, tensor<2x3xf32>) outs(%init : tensor<2x3xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<2x3xf32>
  %prod = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%sum, %c : tensor<2x3xf32>, tensor<2x3xf32>) outs(%init : tensor<2x3xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %p = arith.mulf %x, %y : f32
    linalg.yield %p : f32
  } -> tensor<2x3xf32>
  %relu = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%prod : tensor<2x3xf32>) outs(%init : tensor<2x3xf32>) {
  ^bb0(%x: f32, %o: f32):
    %zero = arith.constant 0.000000e+00 : f32
    %m = arith.maximumf %x, %zero : f32
    linalg.yield %m : f32
  } -> tensor<2x3xf32>
  func.return %relu : tensor<2x3xf32>
}

// The producer broadcasts a scalar and the consumer a row vector: both maps
// compose into the fused op's loop space.

// CHECK-LABEL: func.func @broadcast_maps_compose(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xf32>, %[[B:.*]]: tensor<3xf32>, %[[S:.*]]: tensor<f32>)
// CHECK:         %[[R:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> ()>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME:      ins(%[[X]], %[[S]], %[[B]] : tensor<2x3xf32>, tensor<f32>, tensor<3xf32>)
// CHECK:           %[[SCALED:.*]] = arith.mulf
// CHECK-NEXT:      %[[OUT:.*]] = arith.addf %[[SCALED]], %{{.*}} : f32
// CHECK-NEXT:      linalg.yield %[[OUT]] : f32
// CHECK-NOT:     linalg.generic
func.func @broadcast_maps_compose(%x: tensor<2x3xf32>, %b: tensor<3xf32>, %s: tensor<f32>) -> tensor<2x3xf32> {
  %init1 = tensor.empty() : tensor<2x3xf32>
  %scaled = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> ()>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x, %s : tensor<2x3xf32>, tensor<f32>) outs(%init1 : tensor<2x3xf32>) {
  ^bb0(%v: f32, %w: f32, %o: f32):
    %m = arith.mulf %v, %w : f32
    linalg.yield %m : f32
  } -> tensor<2x3xf32>
  %init2 = tensor.empty() : tensor<2x3xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%scaled, %b : tensor<2x3xf32>, tensor<3xf32>) outs(%init2 : tensor<2x3xf32>) {
  ^bb0(%v: f32, %w: f32, %o: f32):
    %a = arith.addf %v, %w : f32
    linalg.yield %a : f32
  } -> tensor<2x3xf32>
  func.return %sum : tensor<2x3xf32>
}

// A producer the consumer reads through a broadcast (its 1-D result along
// rows, as a batch norm's per-channel scale is read over an image) is kept:
// fused, its body would run once per row instead of once.

// CHECK-LABEL: func.func @scale_not_fused_when_read_through_a_broadcast(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xf32>, %[[B:.*]]: tensor<3xf32>, %[[S:.*]]: tensor<f32>)
// CHECK:         %[[SCALED:.*]] = linalg.generic {{.*}} iterator_types = ["parallel"]} ins(%[[B]], %[[S]] : tensor<3xf32>, tensor<f32>)
// CHECK:           arith.mulf
// CHECK:         linalg.generic {{.*}} ins(%[[X]], %[[SCALED]] : tensor<2x3xf32>, tensor<3xf32>)
// CHECK:           arith.addf
func.func @scale_not_fused_when_read_through_a_broadcast(%x: tensor<2x3xf32>, %b: tensor<3xf32>, %s: tensor<f32>) -> tensor<2x3xf32> {
  %init1 = tensor.empty() : tensor<3xf32>
  %scaled = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> ()>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%b, %s : tensor<3xf32>, tensor<f32>) outs(%init1 : tensor<3xf32>) {
  ^bb0(%v: f32, %w: f32, %o: f32):
    %m = arith.mulf %v, %w : f32
    linalg.yield %m : f32
  } -> tensor<3xf32>
  %init2 = tensor.empty() : tensor<2x3xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x, %scaled : tensor<2x3xf32>, tensor<3xf32>) outs(%init2 : tensor<2x3xf32>) {
  ^bb0(%v: f32, %w: f32, %o: f32):
    %a = arith.addf %v, %w : f32
    linalg.yield %a : f32
  } -> tensor<2x3xf32>
  func.return %sum : tensor<2x3xf32>
}

// The producer writes its result transposed (output map a permutation): the
// fused op reads the producer's input through the inverse permutation.

// CHECK-LABEL: func.func @permuted_output_map_is_inverted(
// CHECK-SAME:      %[[X:.*]]: tensor<3x2xf32>)
// CHECK:         %[[R:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME:      ins(%[[X]] : tensor<3x2xf32>)
// CHECK:           math.exp
// CHECK-NEXT:      arith.negf
// CHECK-NOT:     linalg.generic
func.func @permuted_output_map_is_inverted(%x: tensor<3x2xf32>) -> tensor<2x3xf32> {
  %init = tensor.empty() : tensor<2x3xf32>
  %t = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1, d0)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<3x2xf32>) outs(%init : tensor<2x3xf32>) {
  ^bb0(%v: f32, %o: f32):
    %e = math.exp %v : f32
    linalg.yield %e : f32
  } -> tensor<2x3xf32>
  %n = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%t : tensor<2x3xf32>) outs(%init : tensor<2x3xf32>) {
  ^bb0(%v: f32, %o: f32):
    %m = arith.negf %v : f32
    linalg.yield %m : f32
  } -> tensor<2x3xf32>
  func.return %n : tensor<2x3xf32>
}

// A consumer that reads the producer twice through the same map reads it once,
// and then fuses it.

// CHECK-LABEL: func.func @duplicate_inputs_deduplicate(
// CHECK-SAME:      %[[X:.*]]: tensor<4xf32>)
// CHECK:         %[[R:.*]] = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]}
// CHECK-SAME:      ins(%[[X]] : tensor<4xf32>)
// CHECK-NEXT:    ^bb0(%[[V:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT:      %[[E:.*]] = math.exp %[[V]] : f32
// CHECK-NEXT:      %[[SQ:.*]] = arith.mulf %[[E]], %[[E]] : f32
// CHECK-NEXT:      linalg.yield %[[SQ]] : f32
func.func @duplicate_inputs_deduplicate(%x: tensor<4xf32>) -> tensor<4xf32> {
  %init = tensor.empty() : tensor<4xf32>
  %e = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%x : tensor<4xf32>) outs(%init : tensor<4xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = math.exp %v : f32
    linalg.yield %r : f32
  } -> tensor<4xf32>
  %sq = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%e, %e : tensor<4xf32>, tensor<4xf32>) outs(%init : tensor<4xf32>) {
  ^bb0(%v: f32, %w: f32, %o: f32):
    %r = arith.mulf %v, %w : f32
    linalg.yield %r : f32
  } -> tensor<4xf32>
  func.return %sq : tensor<4xf32>
}

// An elementwise producer fuses into a reduction (a row sum of exp): every loop
// is still a dimension of the fused op's input.

// CHECK-LABEL: func.func @reduction_consumer_fuses(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xf32>, %[[ACC:.*]]: tensor<2xf32>)
// CHECK:         %[[R:.*]] = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]}
// CHECK-SAME:      ins(%[[X]] : tensor<2x3xf32>) outs(%[[ACC]] : tensor<2xf32>)
// CHECK-NEXT:    ^bb0(%[[V:.*]]: f32, %[[A:.*]]: f32):
// CHECK-NEXT:      %[[E:.*]] = math.exp %[[V]] : f32
// CHECK-NEXT:      %[[S:.*]] = arith.addf %[[A]], %[[E]] : f32
// CHECK-NEXT:      linalg.yield %[[S]] : f32
func.func @reduction_consumer_fuses(%x: tensor<2x3xf32>, %acc: tensor<2xf32>) -> tensor<2xf32> {
  %init = tensor.empty() : tensor<2x3xf32>
  %e = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<2x3xf32>) outs(%init : tensor<2x3xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = math.exp %v : f32
    linalg.yield %r : f32
  } -> tensor<2x3xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%e : tensor<2x3xf32>) outs(%acc : tensor<2xf32>) {
  ^bb0(%v: f32, %a: f32):
    %r = arith.addf %a, %v : f32
    linalg.yield %r : f32
  } -> tensor<2xf32>
  func.return %sum : tensor<2xf32>
}

// CHECK-LABEL: func.func @relu_not_fused_when_producer_has_two_uses(
// CHECK:         %[[E:.*]] = linalg.generic
// CHECK:           math.exp
// CHECK:         %[[R:.*]] = linalg.generic
// CHECK-SAME:      ins(%[[E]] : tensor<2x3xf32>)
// CHECK:         func.return %[[E]], %[[R]]
func.func @relu_not_fused_when_producer_has_two_uses(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %init = tensor.empty() : tensor<2x3xf32>
  %e = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<2x3xf32>) outs(%init : tensor<2x3xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = math.exp %v : f32
    linalg.yield %r : f32
  } -> tensor<2x3xf32>
  %relu = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%e : tensor<2x3xf32>) outs(%init : tensor<2x3xf32>) {
  ^bb0(%v: f32, %o: f32):
    %zero = arith.constant 0.000000e+00 : f32
    %m = arith.maximumf %v, %zero : f32
    linalg.yield %m : f32
  } -> tensor<2x3xf32>
  func.return %e, %relu : tensor<2x3xf32>, tensor<2x3xf32>
}

// A reduction producer (row sum) is not elementwise: it stays.

// CHECK-LABEL: func.func @sum_not_fused_when_not_elementwise(
// CHECK:         %[[SUM:.*]] = linalg.generic
// CHECK-SAME:      iterator_types = ["parallel", "reduction"]
// CHECK:         %[[R:.*]] = linalg.generic
// CHECK-SAME:      ins(%[[SUM]] : tensor<2xf32>)
// CHECK:         func.return %[[R]]
func.func @sum_not_fused_when_not_elementwise(%x: tensor<2x3xf32>, %acc: tensor<2xf32>) -> tensor<2xf32> {
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<2x3xf32>) outs(%acc : tensor<2xf32>) {
  ^bb0(%v: f32, %a: f32):
    %r = arith.addf %a, %v : f32
    linalg.yield %r : f32
  } -> tensor<2xf32>
  %init = tensor.empty() : tensor<2xf32>
  %n = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%sum : tensor<2xf32>) outs(%init : tensor<2xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = arith.negf %v : f32
    linalg.yield %r : f32
  } -> tensor<2xf32>
  func.return %n : tensor<2xf32>
}

// Fusing a broadcast of a scalar into a row sum would leave the reduced loop
// without any operand to give its bound: upstream's coverage rule refuses.

// CHECK-LABEL: func.func @splat_not_fused_when_a_loop_bound_would_be_lost(
// CHECK:         %[[B:.*]] = linalg.generic
// CHECK-SAME:      ins(%{{.*}} : tensor<f32>)
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%[[B]] : tensor<2x3xf32>)
func.func @splat_not_fused_when_a_loop_bound_would_be_lost(%s: tensor<f32>, %acc: tensor<2xf32>) -> tensor<2xf32> {
  %init = tensor.empty() : tensor<2x3xf32>
  %b = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> ()>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%s : tensor<f32>) outs(%init : tensor<2x3xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = math.exp %v : f32
    linalg.yield %r : f32
  } -> tensor<2x3xf32>
  %sum = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%b : tensor<2x3xf32>) outs(%acc : tensor<2xf32>) {
  ^bb0(%v: f32, %a: f32):
    %r = arith.addf %a, %v : f32
    linalg.yield %r : f32
  } -> tensor<2xf32>
  func.return %sum : tensor<2xf32>
}

// CHECK-LABEL: func.func @add_not_fused_when_producer_reads_its_init(
// CHECK:         %[[P:.*]] = linalg.generic
// CHECK-SAME:      outs(%{{.*}} : tensor<2xf32>)
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%[[P]] : tensor<2xf32>)
func.func @add_not_fused_when_producer_reads_its_init(%x: tensor<2xf32>, %y: tensor<2xf32>) -> tensor<2xf32> {
  %p = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%x : tensor<2xf32>) outs(%y : tensor<2xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = arith.addf %v, %o : f32
    linalg.yield %r : f32
  } -> tensor<2xf32>
  %init = tensor.empty() : tensor<2xf32>
  %n = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%p : tensor<2xf32>) outs(%init : tensor<2xf32>) {
  ^bb0(%v: f32, %o: f32):
    %r = arith.negf %v : f32
    linalg.yield %r : f32
  } -> tensor<2xf32>
  func.return %n : tensor<2xf32>
}

// CHECK-LABEL: func.func @iota_not_fused_when_producer_uses_index(
// CHECK:         %[[P:.*]] = linalg.generic
// CHECK:           linalg.index 0
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%[[P]] : tensor<2xi64>)
func.func @iota_not_fused_when_producer_uses_index(%init: tensor<2xi64>) -> tensor<2xi64> {
  %p = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} outs(%init : tensor<2xi64>) {
  ^bb0(%o: i64):
    %i = linalg.index 0 : index
    %c = arith.index_cast %i : index to i64
    linalg.yield %c : i64
  } -> tensor<2xi64>
  %n = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%p : tensor<2xi64>) outs(%init : tensor<2xi64>) {
  ^bb0(%v: i64, %o: i64):
    %r = arith.addi %v, %v : i64
    linalg.yield %r : i64
  } -> tensor<2xi64>
  func.return %n : tensor<2xi64>
}

// A matmul written as a generic reads relu's result through (d0, d2), which
// drops d1: fused, relu would run once per output column. It stays.

// CHECK-LABEL: func.func @relu_not_fused_when_a_reduction_would_recompute_it(
// CHECK:         %[[RELU:.*]] = linalg.generic
// CHECK:           arith.maximumf
// CHECK:         linalg.generic
// CHECK-SAME:      iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-SAME:      ins(%[[RELU]], %{{.*}} : tensor<2x3xf32>, tensor<3x4xf32>)
func.func @relu_not_fused_when_a_reduction_would_recompute_it(%x: tensor<2x3xf32>, %w: tensor<3x4xf32>, %acc: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %init = tensor.empty() : tensor<2x3xf32>
  %relu = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<2x3xf32>) outs(%init : tensor<2x3xf32>) {
  ^bb0(%v: f32, %o: f32):
    %zero = arith.constant 0.000000e+00 : f32
    %m = arith.maximumf %v, %zero : f32
    linalg.yield %m : f32
  } -> tensor<2x3xf32>
  %mm = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%relu, %w : tensor<2x3xf32>, tensor<3x4xf32>) outs(%acc : tensor<2x4xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %c, %p : f32
    linalg.yield %s : f32
  } -> tensor<2x4xf32>
  func.return %mm : tensor<2x4xf32>
}
