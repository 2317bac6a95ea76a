// RUN: mlc-opt %s --split-input-file -p graph-fuse | filecheck %s
// RUN: mlc-opt %s --split-input-file -p 'graph-fuse{max-group-size=2}' | filecheck %s --check-prefix=MAX2
// RUN: mlc-opt %s --split-input-file -p graph-fuse,graph-fuse | filecheck %s

// The walkthrough of docs/architecture.md: linear absorbs relu; the second linear is a singleton
// tensor function; flatten (injective only) stays in the graph function.

// CHECK-LABEL: func.func private @linear_relu(
// CHECK-SAME:      %[[X:.*]]: tensor<1x4xf32>, %[[W:.*]]: tensor<3x4xf32>, %[[B:.*]]: tensor<3xf32>) -> tensor<1x3xf32>
// CHECK-NEXT:    %[[L:.*]] = graph.linear %[[X]], %[[W]], %[[B]]
// CHECK-NEXT:    %[[R:.*]] = graph.relu %[[L]]
// CHECK-NEXT:    func.return %[[R]] : tensor<1x3xf32>
// CHECK-LABEL: func.func private @linear(
// CHECK-NEXT:    graph.linear
// CHECK-NEXT:    func.return
// CHECK-LABEL: func.func @mlp(
// CHECK-SAME:      %[[IN:.*]]: tensor<1x1x2x2xf32>, %[[W0:.*]]: tensor<3x4xf32>, %[[B0:.*]]: tensor<3xf32>, %[[W1:.*]]: tensor<2x3xf32>, %[[B1:.*]]: tensor<2xf32>)
// CHECK-NEXT:    %[[F:.*]] = graph.flatten %[[IN]]
// CHECK-NEXT:    %[[H:.*]] = func.call @linear_relu(%[[F]], %[[W0]], %[[B0]])
// CHECK-NEXT:    %[[Y:.*]] = func.call @linear(%[[H]], %[[W1]], %[[B1]])
// CHECK-NEXT:    func.return %[[Y]] : tensor<1x2xf32>
func.func @mlp(%x: tensor<1x1x2x2xf32>, %w0: tensor<3x4xf32>, %b0: tensor<3xf32>,
               %w1: tensor<2x3xf32>, %b1: tensor<2xf32>) -> tensor<1x2xf32> {
  %0 = graph.flatten %x {axis = 1 : i64} : (tensor<1x1x2x2xf32>) -> tensor<1x4xf32>
  %1 = graph.linear %0, %w0, %b0 : (tensor<1x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<1x3xf32>
  %2 = graph.relu %1 : tensor<1x3xf32>
  %3 = graph.linear %2, %w1, %b1 : (tensor<1x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<1x2xf32>
  func.return %3 : tensor<1x2xf32>
}

// -----

// conv2d absorbs its bias add (a broadcast) and relu; the bias is an input.

// CHECK-LABEL: func.func private @conv2d_add_relu(
// CHECK-SAME:      %[[X:.*]]: tensor<1x1x3x3xf32>, %[[W:.*]]: tensor<2x1x2x2xf32>, %[[B:.*]]: tensor<2x1x1xf32>) -> tensor<1x2x2x2xf32>
// CHECK-NEXT:    %[[C:.*]] = graph.conv2d %[[X]], %[[W]]
// CHECK-NEXT:    %[[A:.*]] = graph.add %[[C]], %[[B]]
// CHECK-NEXT:    %[[R:.*]] = graph.relu %[[A]]
// CHECK-NEXT:    func.return %[[R]]
// CHECK-LABEL: func.func @conv2d_bias_relu_fuses(
// CHECK-SAME:      %[[X0:.*]]: tensor<1x1x3x3xf32>, %[[W0:.*]]: tensor<2x1x2x2xf32>, %[[B0:.*]]: tensor<2x1x1xf32>)
// CHECK-NEXT:    %[[Y:.*]] = func.call @conv2d_add_relu(%[[X0]], %[[W0]], %[[B0]])
// CHECK-NEXT:    func.return %[[Y]]
func.func @conv2d_bias_relu_fuses(%x: tensor<1x1x3x3xf32>, %w: tensor<2x1x2x2xf32>, %b: tensor<2x1x1xf32>) -> tensor<1x2x2x2xf32> {
  %0 = graph.conv2d %x, %w : (tensor<1x1x3x3xf32>, tensor<2x1x2x2xf32>) -> tensor<1x2x2x2xf32>
  %1 = graph.add %0, %b : (tensor<1x2x2x2xf32>, tensor<2x1x1xf32>) -> tensor<1x2x2x2xf32>
  %2 = graph.relu %1 : tensor<1x2x2x2xf32>
  func.return %2 : tensor<1x2x2x2xf32>
}

// -----

// An elementwise/broadcast chain; arguments in first-use order.

// CHECK-LABEL: func.func private @exp_neg_mul_sigmoid(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xf32>, %[[Y:.*]]: tensor<3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %[[E:.*]] = graph.exp %[[X]]
// CHECK-NEXT:    %[[N:.*]] = graph.neg %[[E]]
// CHECK-NEXT:    %[[M:.*]] = graph.mul %[[N]], %[[Y]]
// CHECK-NEXT:    %[[S:.*]] = graph.sigmoid %[[M]]
// CHECK-NEXT:    func.return %[[S]]
// CHECK-LABEL: func.func @elementwise_chain_fuses(
// CHECK-SAME:      %[[X0:.*]]: tensor<2x3xf32>, %[[Y0:.*]]: tensor<3xf32>)
// CHECK-NEXT:    %[[R:.*]] = func.call @exp_neg_mul_sigmoid(%[[X0]], %[[Y0]])
// CHECK-NEXT:    func.return %[[R]]
// MAX2-LABEL:  func.func private @exp_neg(
// MAX2-LABEL:  func.func private @mul_sigmoid(
// MAX2-LABEL:  func.func @elementwise_chain_fuses(
// MAX2-NEXT:     %[[EN:.*]] = func.call @exp_neg(
// MAX2-NEXT:     %[[MS:.*]] = func.call @mul_sigmoid(%[[EN]],
// MAX2-NEXT:     func.return %[[MS]]
func.func @elementwise_chain_fuses(%x: tensor<2x3xf32>, %y: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = graph.exp %x : tensor<2x3xf32>
  %1 = graph.neg %0 : tensor<2x3xf32>
  %2 = graph.mul %1, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %3 = graph.sigmoid %2 : tensor<2x3xf32>
  func.return %3 : tensor<2x3xf32>
}

// -----

// A reduction absorbs its elementwise prologue; a constant used only there moves in.

// CHECK-LABEL: func.func private @exp_mul_reduce_sum(
// CHECK-SAME:      %[[X:.*]]: tensor<2x3xf32>) -> tensor<2xf32>
// CHECK-NEXT:    %[[C:.*]] = arith.constant dense<2.000000e+00> : tensor<f32>
// CHECK-NEXT:    %[[E:.*]] = graph.exp %[[X]]
// CHECK-NEXT:    %[[M:.*]] = graph.mul %[[E]], %[[C]]
// CHECK-NEXT:    %[[S:.*]] = graph.reduce_sum %[[M]]
// CHECK-NEXT:    func.return %[[S]]
// CHECK-LABEL: func.func @reduction_with_prologue_fuses(
// CHECK-SAME:      %[[X0:.*]]: tensor<2x3xf32>)
// CHECK-NEXT:    %[[R:.*]] = func.call @exp_mul_reduce_sum(%[[X0]])
// CHECK-NEXT:    func.return %[[R]]
func.func @reduction_with_prologue_fuses(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  %c = arith.constant dense<2.0> : tensor<f32>
  %0 = graph.exp %x : tensor<2x3xf32>
  %1 = graph.mul %0, %c : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>
  %2 = graph.reduce_sum %1 {axes = array<i64: 1>, keepdims = false} : (tensor<2x3xf32>) -> tensor<2xf32>
  func.return %2 : tensor<2xf32>
}

// -----

// A constant also used outside the group stays in the graph function, an argument.

// CHECK-LABEL: func.func private @mul(
// CHECK-SAME:      %[[X:.*]]: tensor<2xf32>, %[[C:.*]]: tensor<2xf32>)
// CHECK-NOT:     arith.constant
// CHECK-LABEL: func.func @constant_not_moved_when_used_outside(
// CHECK-NEXT:    %[[C0:.*]] = arith.constant
// CHECK-NEXT:    %[[M:.*]] = func.call @mul(%{{.*}}, %[[C0]])
// CHECK-NEXT:    func.return %[[M]], %[[C0]]
func.func @constant_not_moved_when_used_outside(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
  %c = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %0 = graph.mul %x, %c : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  func.return %0, %c : tensor<2xf32>, tensor<2xf32>
}

// -----

// exp has two uses in different groups (neg, and the return): it fuses with neither.

// CHECK-LABEL: func.func private @exp_1(
// CHECK-LABEL: func.func private @neg(
// CHECK-LABEL: func.func @elementwise_not_fused_when_producer_has_outside_use(
// CHECK-NEXT:    %[[E:.*]] = func.call @exp_1(
// CHECK-NEXT:    %[[N:.*]] = func.call @neg(%[[E]])
// CHECK-NEXT:    func.return %[[N]], %[[E]]
func.func @elementwise_not_fused_when_producer_has_outside_use(%x: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>) {
  %0 = graph.exp %x : tensor<2xf32>
  %1 = graph.neg %0 : tensor<2xf32>
  func.return %1, %0 : tensor<2xf32>, tensor<2xf32>
}

// -----

// ... but a producer whose every use is in the group fuses (a diamond).

// CHECK-LABEL: func.func private @exp_neg_abs_add(
// CHECK-LABEL: func.func @elementwise_diamond_fuses(
// CHECK-NEXT:    %[[R:.*]] = func.call @exp_neg_abs_add(
// CHECK-NEXT:    func.return %[[R]]
func.func @elementwise_diamond_fuses(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = graph.exp %x : tensor<2xf32>
  %1 = graph.neg %0 : tensor<2xf32>
  %2 = graph.abs %0 : tensor<2xf32>
  %3 = graph.add %1, %2 : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  func.return %3 : tensor<2xf32>
}

// -----

// An opaque op (a call) between relu and neg: the chain breaks there.

// CHECK-LABEL: func.func private @relu(
// CHECK-LABEL: func.func private @neg(
// CHECK-LABEL: func.func @elementwise_not_fused_when_opaque_op_between(
// CHECK-NEXT:    %[[R:.*]] = func.call @relu(
// CHECK-NEXT:    %[[O:.*]] = func.call @opaque(%[[R]])
// CHECK-NEXT:    %[[N:.*]] = func.call @neg(%[[O]])
// CHECK-NEXT:    func.return %[[N]]
func.func private @opaque(tensor<2xf32>) -> tensor<2xf32>
func.func @elementwise_not_fused_when_opaque_op_between(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = graph.relu %x : tensor<2xf32>
  %1 = func.call @opaque(%0) : (tensor<2xf32>) -> tensor<2xf32>
  %2 = graph.neg %1 : tensor<2xf32>
  func.return %2 : tensor<2xf32>
}

// -----

// exp feeds add directly and through matmul: fusing exp with add would make a
// cycle (the matmul outside would both consume and feed the group). The
// multi-use rule refuses it first (for single-result ops it implies acyclicity;
// tests/unit/passes/test_graph_fuse.py checks `creates_cycle` itself). matmul
// absorbs add as its epilogue instead, with exp's value as an input.

// CHECK-LABEL: func.func private @exp_1(
// CHECK-LABEL: func.func private @matmul_add(
// CHECK-SAME:      %[[E:.*]]: tensor<2x2xf32>, %[[W:.*]]: tensor<2x2xf32>)
// CHECK-NEXT:    %[[M:.*]] = graph.matmul %[[E]], %[[W]]
// CHECK-NEXT:    %[[A:.*]] = graph.add %[[E]], %[[M]]
// CHECK-NEXT:    func.return %[[A]]
// CHECK-LABEL: func.func @elementwise_not_fused_when_it_would_make_a_cycle(
// CHECK-SAME:      %[[X0:.*]]: tensor<2x2xf32>, %[[W0:.*]]: tensor<2x2xf32>)
// CHECK-NEXT:    %[[E0:.*]] = func.call @exp_1(%[[X0]])
// CHECK-NEXT:    %[[R:.*]] = func.call @matmul_add(%[[E0]], %[[W0]])
// CHECK-NEXT:    func.return %[[R]]
func.func @elementwise_not_fused_when_it_would_make_a_cycle(%x: tensor<2x2xf32>, %w: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %0 = graph.exp %x : tensor<2x2xf32>
  %1 = graph.matmul %0, %w : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %2 = graph.add %0, %1 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  func.return %2 : tensor<2x2xf32>
}

// -----

// Kinds that must not fuse: an elementwise prologue into linear, a reduction's
// elementwise epilogue, two output-fusable ops, injective after linear.

// CHECK-LABEL: func.func private @exp_1(
// CHECK-LABEL: func.func private @linear(
// CHECK-LABEL: func.func private @reduce_max(
// CHECK-LABEL: func.func private @relu(
// CHECK-LABEL: func.func private @matmul(
// CHECK-LABEL: func.func private @matmul_1(
// CHECK-LABEL: func.func @kinds_not_fused_when_rules_forbid(
// CHECK-NEXT:    %[[E:.*]] = func.call @exp_1(
// CHECK-NEXT:    %[[L:.*]] = func.call @linear(%[[E]],
// CHECK-NEXT:    %[[T:.*]] = graph.transpose %[[L]]
// CHECK-NEXT:    %[[R:.*]] = func.call @reduce_max(%[[T]])
// CHECK-NEXT:    %[[U:.*]] = func.call @relu(%[[R]])
// CHECK-NEXT:    %[[M:.*]] = func.call @matmul(%[[T]], %[[L]])
// CHECK-NEXT:    %[[N:.*]] = func.call @matmul_1(%[[M]])
// CHECK-NEXT:    func.return %[[U]], %[[N]]
func.func @kinds_not_fused_when_rules_forbid(%x: tensor<2x2xf32>, %w: tensor<2x2xf32>) -> (tensor<2xf32>, tensor<2x2xf32>) {
  %0 = graph.exp %x : tensor<2x2xf32>
  %1 = graph.linear %0, %w : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %2 = graph.transpose %1 : (tensor<2x2xf32>) -> tensor<2x2xf32>
  %3 = graph.reduce_max %2 {axes = array<i64: 1>, keepdims = false} : (tensor<2x2xf32>) -> tensor<2xf32>
  %4 = graph.relu %3 : tensor<2xf32>
  %5 = graph.matmul %2, %1 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  %6 = graph.matmul %5, %5 : (tensor<2x2xf32>, tensor<2x2xf32>) -> tensor<2x2xf32>
  func.return %4, %6 : tensor<2xf32>, tensor<2x2xf32>
}

// -----

// Injective ops fuse with elementwise neighbours; injective-only groups stay inline.

// CHECK-LABEL: func.func private @transpose_relu(
// CHECK-NEXT:    graph.transpose
// CHECK-NEXT:    graph.relu
// CHECK-NEXT:    func.return
// CHECK-LABEL: func.func @injective_fuses_with_elementwise(
// CHECK-NEXT:    %[[S:.*]] = graph.reshape
// CHECK-NEXT:    %[[T:.*]] = graph.transpose %[[S]]
// CHECK-NEXT:    %[[U:.*]] = graph.transpose %[[T]]
// CHECK-NEXT:    %[[O:.*]] = func.call @opaque(%[[U]])
// CHECK-NEXT:    %[[R:.*]] = func.call @transpose_relu(%[[O]])
// CHECK-NEXT:    func.return %[[R]]
func.func @injective_fuses_with_elementwise(%x: tensor<6xf32>) -> tensor<3x2xf32> {
  %0 = graph.reshape %x {shape = array<i64: 2, 3>} : (tensor<6xf32>) -> tensor<2x3xf32>
  %1 = graph.transpose %0 : (tensor<2x3xf32>) -> tensor<3x2xf32>
  %2 = graph.transpose %1 : (tensor<3x2xf32>) -> tensor<2x3xf32>
  %3 = func.call @opaque(%2) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %4 = graph.transpose %3 : (tensor<2x3xf32>) -> tensor<3x2xf32>
  %5 = graph.relu %4 : tensor<3x2xf32>
  func.return %5 : tensor<3x2xf32>
}
func.func private @opaque(tensor<2x3xf32>) -> tensor<2x3xf32>

// -----

// Identical groups share one function; a different body takes a suffix.

// CHECK-LABEL: func.func private @linear_relu(
// CHECK-SAME:      tensor<1x2xf32>
// CHECK-LABEL: func.func private @linear_relu_1(
// CHECK-SAME:      tensor<1x3xf32>
// CHECK-LABEL: func.func @identical_groups_share_a_function(
// CHECK-NEXT:    %[[A:.*]] = func.call @linear_relu(
// CHECK-NEXT:    %[[B:.*]] = func.call @linear_relu(%[[A]],
// CHECK-NEXT:    %[[C:.*]] = func.call @linear_relu_1(%[[B]],
// CHECK-NEXT:    func.return %[[C]]
func.func @identical_groups_share_a_function(%x: tensor<1x2xf32>, %w: tensor<2x2xf32>, %v: tensor<3x2xf32>) -> tensor<1x3xf32> {
  %0 = graph.linear %x, %w : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  %1 = graph.relu %0 : tensor<1x2xf32>
  %2 = graph.linear %1, %w : (tensor<1x2xf32>, tensor<2x2xf32>) -> tensor<1x2xf32>
  %3 = graph.relu %2 : tensor<1x2xf32>
  %4 = graph.linear %3, %v : (tensor<1x2xf32>, tensor<3x2xf32>) -> tensor<1x3xf32>
  %5 = graph.relu %4 : tensor<1x3xf32>
  func.return %5 : tensor<1x3xf32>
}

// -----

// The attention core: scores, scale, mask, softmax and the product with v are
// one tensor function; kᵀ (injective) stays in the graph function.

// CHECK-LABEL: func.func private @matmul_mul_add_softmax_matmul(
// CHECK-SAME:      %[[Q:.*]]: tensor<1x2x4x8xf32>, %[[KT:.*]]: tensor<1x2x8x4xf32>, %[[M:.*]]: tensor<4x4xf32>, %[[V:.*]]: tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
// CHECK-NEXT:    %[[C:.*]] = arith.constant
// CHECK-NEXT:    %[[S:.*]] = graph.matmul %[[Q]], %[[KT]]
// CHECK-NEXT:    %[[SC:.*]] = graph.mul %[[S]], %[[C]]
// CHECK-NEXT:    %[[MS:.*]] = graph.add %[[SC]], %[[M]]
// CHECK-NEXT:    %[[P:.*]] = graph.softmax %[[MS]]
// CHECK-NEXT:    %[[O:.*]] = graph.matmul %[[P]], %[[V]]
// CHECK-NEXT:    func.return %[[O]]
// CHECK-LABEL: func.func @attention_core_fuses(
// CHECK-SAME:      %[[Q:.*]]: tensor<1x2x4x8xf32>, %[[K:.*]]: tensor<1x2x4x8xf32>, %[[V:.*]]: tensor<1x2x4x8xf32>, %[[M:.*]]: tensor<4x4xf32>)
// CHECK-NEXT:    %[[KT:.*]] = graph.transpose %[[K]]
// CHECK-NEXT:    %[[O:.*]] = func.call @matmul_mul_add_softmax_matmul(%[[Q]], %[[KT]], %[[M]], %[[V]])
// CHECK-NEXT:    func.return %[[O]]
// MAX2-LABEL: func.func @attention_core_fuses(
// MAX2:         func.call @matmul_mul(
// MAX2:         func.call @add_softmax(
// MAX2:         func.call @matmul(
func.func @attention_core_fuses(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x4x8xf32>, %mask: tensor<4x4xf32>) -> tensor<1x2x4x8xf32> {
  %kt = graph.transpose %k {perm = array<i64: 0, 1, 3, 2>} : (tensor<1x2x4x8xf32>) -> tensor<1x2x8x4xf32>
  %s = graph.matmul %q, %kt : (tensor<1x2x4x8xf32>, tensor<1x2x8x4xf32>) -> tensor<1x2x4x4xf32>
  %c = arith.constant dense<0.353553385> : tensor<f32>
  %scaled = graph.mul %s, %c : (tensor<1x2x4x4xf32>, tensor<f32>) -> tensor<1x2x4x4xf32>
  %masked = graph.add %scaled, %mask : (tensor<1x2x4x4xf32>, tensor<4x4xf32>) -> tensor<1x2x4x4xf32>
  %p = graph.softmax %masked : tensor<1x2x4x4xf32>
  %o = graph.matmul %p, %v : (tensor<1x2x4x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  func.return %o : tensor<1x2x4x8xf32>
}

// -----

// The probabilities are returned too (need_weights): the core cannot hide them.

// CHECK-LABEL: func.func @attention_not_fused_when_probabilities_are_used_outside(
// CHECK-NEXT:    %[[S:.*]] = func.call @matmul_div(
// CHECK-NEXT:    %[[P:.*]] = func.call @softmax(%[[S]])
// CHECK-NEXT:    %[[O:.*]] = func.call @matmul(%[[P]],
// CHECK-NEXT:    func.return %[[O]], %[[P]]
func.func @attention_not_fused_when_probabilities_are_used_outside(%q: tensor<2x4x8xf32>, %kt: tensor<2x8x4xf32>, %v: tensor<2x4x8xf32>) -> (tensor<2x4x8xf32>, tensor<2x4x4xf32>) {
  %s = graph.matmul %q, %kt : (tensor<2x4x8xf32>, tensor<2x8x4xf32>) -> tensor<2x4x4xf32>
  %c = arith.constant dense<2.0> : tensor<f32>
  %scaled = graph.div %s, %c : (tensor<2x4x4xf32>, tensor<f32>) -> tensor<2x4x4xf32>
  %p = graph.softmax %scaled : tensor<2x4x4xf32>
  %o = graph.matmul %p, %v : (tensor<2x4x4xf32>, tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  func.return %o, %p : tensor<2x4x8xf32>, tensor<2x4x4xf32>
}

// -----

// The softmax feeds the second product's rhs: not the attention core.

// CHECK-LABEL: func.func @attention_not_fused_when_softmax_is_the_rhs(
// CHECK-NEXT:    %[[S:.*]] = func.call @matmul(
// CHECK-NEXT:    %[[P:.*]] = func.call @softmax(%[[S]])
// CHECK-NEXT:    %[[O:.*]] = func.call @matmul_1(%{{.*}}, %[[P]])
// CHECK-NEXT:    func.return %[[O]]
func.func @attention_not_fused_when_softmax_is_the_rhs(%q: tensor<2x4x8xf32>, %kt: tensor<2x8x4xf32>, %v: tensor<2x4x4xf32>) -> tensor<2x4x4xf32> {
  %s = graph.matmul %q, %kt : (tensor<2x4x8xf32>, tensor<2x8x4xf32>) -> tensor<2x4x4xf32>
  %p = graph.softmax %s : tensor<2x4x4xf32>
  %o = graph.matmul %v, %p : (tensor<2x4x4xf32>, tensor<2x4x4xf32>) -> tensor<2x4x4xf32>
  func.return %o : tensor<2x4x4xf32>
}

// -----

// A lone op named like a C library function (`erf`, which the f64 math
// lowering declares) gets a suffixed tensor function instead.

// CHECK:       func.func private @erf_1(
// CHECK-LABEL: func.func @lone_erf_is_not_named_erf(
// CHECK-NEXT:    %[[R:.*]] = func.call @erf_1(
// CHECK-NEXT:    func.return %[[R]]
func.func @lone_erf_is_not_named_erf(%x: tensor<2x3xf64>) -> tensor<2x3xf64> {
  %0 = graph.erf %x : tensor<2x3xf64>
  func.return %0 : tensor<2x3xf64>
}

// -----

// A parameter laid out for `linear` (canonicalize's form of an ONNX MatMul by
// a parameter) goes with its linear, whose lowering reads it through its
// map; a transpose of an activation does not.

// CHECK:       func.func private @transpose_linear_relu(%[[W:.*]]: tensor<3x4xf32>, %[[X:.*]]: tensor<2x5x3xf32>)
// CHECK-NEXT:    %[[T:.*]] = graph.transpose %[[W]]
// CHECK-NEXT:    %[[Y:.*]] = graph.linear %[[X]], %[[T]]
// CHECK-NEXT:    graph.relu %[[Y]]
// CHECK-LABEL: func.func @parameter_layout_goes_with_its_linear(
// CHECK-NEXT:    func.call @transpose_linear_relu(
func.func @parameter_layout_goes_with_its_linear(%x: tensor<2x5x3xf32>, %w: tensor<3x4xf32>) -> tensor<2x5x4xf32> {
  %t = graph.transpose %w {perm = array<i64: 1, 0>} : (tensor<3x4xf32>) -> tensor<4x3xf32>
  %y = graph.linear %x, %t : (tensor<2x5x3xf32>, tensor<4x3xf32>) -> tensor<2x5x4xf32>
  %r = graph.relu %y : tensor<2x5x4xf32>
  func.return %r : tensor<2x5x4xf32>
}

// -----

// CHECK:       func.func private @relu_transpose(
// CHECK:       func.func private @linear(
// CHECK-LABEL: func.func @activation_transpose_stays(
// CHECK-NEXT:    func.call @relu_transpose(
// CHECK-NEXT:    func.call @linear(
func.func @activation_transpose_stays(%x: tensor<2x5x3xf32>, %w: tensor<3x4xf32>) -> tensor<2x5x4xf32> {
  %a = graph.relu %w : tensor<3x4xf32>
  %t = graph.transpose %a {perm = array<i64: 1, 0>} : (tensor<3x4xf32>) -> tensor<4x3xf32>
  %y = graph.linear %x, %t : (tensor<2x5x3xf32>, tensor<4x3xf32>) -> tensor<2x5x4xf32>
  func.return %y : tensor<2x5x4xf32>
}
