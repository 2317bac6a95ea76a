// RUN: mlc-opt %s -p bufferize | filecheck %s
// RUN: not mlc-opt %S/Inputs/bufferize_missing_blob.mlir -p bufferize 2>&1 | filecheck %s --check-prefix=MISSING

// A dense_resource whose blob is missing fails the pass with one located line.
// MISSING: error: bufferize: 'arith.constant' at loc("{{.*}}bufferize_missing_blob.mlir":3:8): no blob for dense_resource<no_such_blob> in dialect_resources

// Constants become one private constant global each, at the top of the module
// (the last created first): a dense_resource one holds its blob's elements.
// CHECK: "memref.global"() <{sym_name = "__constant_2xi32", type = memref<2xi32>, initial_value = dense<[7, -8]> : tensor<2xi32>, sym_visibility = "private", constant}>
// CHECK: "memref.global"() <{sym_name = "__constant_2x2xf32", type = memref<2x2xf32>, initial_value = dense<{{\[}}[1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>, sym_visibility = "private", constant}>
// CHECK: "memref.global"() <{sym_name = "__constant_2xf32", type = memref<2xf32>, initial_value = dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>, sym_visibility = "private", constant}>

#id = affine_map<(d0, d1) -> (d0, d1)>

// CHECK-LABEL: func.func @elementwise_in_place(
// CHECK-SAME:      %[[A:.*]]: memref<2x3xf32>, %[[B:.*]]: memref<2x3xf32>, %[[OUT:.*]]: memref<2x3xf32> {mlc.out}) {
// CHECK-NOT:     memref.alloc
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%[[A]], %[[B]] : memref<2x3xf32>, memref<2x3xf32>) outs(%[[OUT]] : memref<2x3xf32>)
// CHECK-NOT:     memref.copy
// CHECK:         func.return{{$}}
func.func @elementwise_in_place(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %e = tensor.empty() : tensor<2x3xf32>
  %r = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%a, %b : tensor<2x3xf32>, tensor<2x3xf32>) outs(%e : tensor<2x3xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<2x3xf32>
  func.return %r : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @matmul_fill_in_place(
// CHECK-SAME:      %[[A:.*]]: memref<2x3xf32>, %[[B:.*]]: memref<3x2xf32>, %[[OUT:.*]]: memref<2x2xf32> {mlc.out}) {
// CHECK-NOT:     memref.alloc
// CHECK:         linalg.fill ins(%{{.*}} : f32) outs(%[[OUT]] : memref<2x2xf32>)
// CHECK-NEXT:    linalg.matmul ins(%[[A]], %[[B]] : memref<2x3xf32>, memref<3x2xf32>) outs(%[[OUT]] : memref<2x2xf32>)
// CHECK-NEXT:    func.return
func.func @matmul_fill_in_place(%a: tensor<2x3xf32>, %b: tensor<3x2xf32>) -> tensor<2x2xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x2xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  %r = linalg.matmul ins(%a, %b : tensor<2x3xf32>, tensor<3x2xf32>) outs(%f : tensor<2x2xf32>) -> tensor<2x2xf32>
  func.return %r : tensor<2x2xf32>
}

// CHECK-LABEL: func.func @temporary_is_allocated_and_freed(
// CHECK-SAME:      %[[A:.*]]: memref<2x3xf32>, %[[OUT:.*]]: memref<2x3xf32> {mlc.out}) {
// CHECK:         %[[T:.*]] = memref.alloc() : memref<2x3xf32>
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%[[A]] : memref<2x3xf32>) outs(%[[T]] : memref<2x3xf32>)
// CHECK:         linalg.generic
// CHECK-SAME:      ins(%[[T]] : memref<2x3xf32>) outs(%[[OUT]] : memref<2x3xf32>)
// CHECK:         memref.dealloc %[[T]] : memref<2x3xf32>
// CHECK-NEXT:    func.return
func.func @temporary_is_allocated_and_freed(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %e0 = tensor.empty() : tensor<2x3xf32>
  %t = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<2x3xf32>) outs(%e0 : tensor<2x3xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.mulf %x, %x : f32
    linalg.yield %s : f32
  } -> tensor<2x3xf32>
  %e1 = tensor.empty() : tensor<2x3xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%t : tensor<2x3xf32>) outs(%e1 : tensor<2x3xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.addf %x, %x : f32
    linalg.yield %s : f32
  } -> tensor<2x3xf32>
  func.return %r : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @returned_argument_is_copied(
// CHECK-SAME:      %[[A:.*]]: memref<2x3xf32>, %[[OUT:.*]]: memref<2x3xf32> {mlc.out}) {
// CHECK-NEXT:    "memref.copy"(%[[A]], %[[OUT]])
// CHECK-NEXT:    func.return
func.func @returned_argument_is_copied(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  func.return %a : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @constant_becomes_global(
// CHECK-SAME:      %[[OUT:.*]]: memref<2xf32> {mlc.out}) {
// CHECK-NEXT:    %[[G:.*]] = memref.get_global @__constant_2xf32 : memref<2xf32>
// CHECK-NEXT:    "memref.copy"(%[[G]], %[[OUT]])
// CHECK-NEXT:    func.return
func.func @constant_becomes_global() -> tensor<2xf32> {
  %c = arith.constant dense<[1.0, 2.0]> : tensor<2xf32>
  func.return %c : tensor<2xf32>
}

// CHECK-LABEL: func.func @not_in_place_when_init_is_an_argument(
// CHECK-SAME:      %[[A:.*]]: memref<2x3xf32>, %[[OUT:.*]]: memref<2x3xf32> {mlc.out}) {
// CHECK-NEXT:    %[[T:.*]] = memref.alloc() : memref<2x3xf32>
// CHECK-NEXT:    "memref.copy"(%[[A]], %[[T]])
// CHECK-NEXT:    linalg.generic
// CHECK-SAME:      outs(%[[T]] : memref<2x3xf32>)
// CHECK:         "memref.copy"(%[[T]], %[[OUT]])
// CHECK-NEXT:    memref.dealloc %[[T]]
func.func @not_in_place_when_init_is_an_argument(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %r = linalg.generic {indexing_maps = [#id], iterator_types = ["parallel", "parallel"]} outs(%a : tensor<2x3xf32>) {
  ^bb0(%o: f32):
    %s = arith.addf %o, %o : f32
    linalg.yield %s : f32
  } -> tensor<2x3xf32>
  func.return %r : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @not_in_place_when_init_is_read_later(
// CHECK-SAME:      %[[A:.*]]: memref<2x3xf32>, %[[OUT0:.*]]: memref<2x3xf32> {mlc.out}, %[[OUT1:.*]]: memref<2x3xf32> {mlc.out}) {
// CHECK:         %[[F:.*]] = memref.alloc() : memref<2x3xf32>
// CHECK-NEXT:    linalg.fill ins(%{{.*}} : f32) outs(%[[F]] : memref<2x3xf32>)
// CHECK-NEXT:    %[[R:.*]] = memref.alloc() : memref<2x3xf32>
// CHECK-NEXT:    "memref.copy"(%[[F]], %[[R]])
// CHECK-NEXT:    linalg.generic
// CHECK-SAME:      outs(%[[R]] : memref<2x3xf32>)
// CHECK:         "memref.copy"(%[[R]], %[[OUT0]])
// CHECK:         "memref.copy"(%[[F]], %[[OUT1]])
func.func @not_in_place_when_init_is_read_later(%a: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<2x3xf32>) outs(%f : tensor<2x3xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.addf %x, %o : f32
    linalg.yield %s : f32
  } -> tensor<2x3xf32>
  func.return %r, %f : tensor<2x3xf32>, tensor<2x3xf32>
}

// CHECK-LABEL: func.func @collapse_and_expand_are_views(
// CHECK-SAME:      %[[A:.*]]: memref<2x3xf32>, %[[OUT:.*]]: memref<3x2xf32> {mlc.out}) {
// CHECK-NEXT:    %[[C:.*]] = memref.collapse_shape %[[A]] {{\[}}[0 : i64, 1 : i64]] : memref<2x3xf32> into memref<6xf32>
// CHECK-NEXT:    %[[X:.*]] = memref.expand_shape %[[C]] {{\[}}[0 : i64, 1 : i64]] output_shape [3, 2] : memref<6xf32> into memref<3x2xf32>
// CHECK-NEXT:    linalg.generic
// CHECK-SAME:      ins(%[[X]] : memref<3x2xf32>) outs(%[[OUT]] : memref<3x2xf32>)
// CHECK-NOT:     memref.copy
func.func @collapse_and_expand_are_views(%a: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %c = tensor.collapse_shape %a [[0, 1]] : tensor<2x3xf32> into tensor<6xf32>
  %x = tensor.expand_shape %c [[0, 1]] output_shape [3, 2] : tensor<6xf32> into tensor<3x2xf32>
  %e = tensor.empty() : tensor<3x2xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<3x2xf32>) outs(%e : tensor<3x2xf32>) {
  ^bb0(%v: f32, %o: f32):
    linalg.yield %v : f32
  } -> tensor<3x2xf32>
  func.return %r : tensor<3x2xf32>
}

// CHECK-LABEL: func.func @slices_are_subviews(
// CHECK-SAME:      %[[A:.*]]: memref<2x3xf32>, %[[B:.*]]: memref<4x3xf32>, %[[OUT0:.*]]: memref<3xf32> {mlc.out}, %[[OUT1:.*]]: memref<4x3xf32> {mlc.out}) {
// CHECK-NEXT:    %[[S:.*]] = memref.subview %[[A]][1, 0] [1, 3] [1, 1] : memref<2x3xf32> to memref<3xf32, strided<[1], offset: 3>>
// CHECK-NEXT:    %[[D:.*]] = memref.alloc() : memref<4x3xf32>
// CHECK-NEXT:    "memref.copy"(%[[B]], %[[D]])
// CHECK-NEXT:    %[[V:.*]] = memref.subview %[[D]][2, 0] [2, 3] [1, 1] : memref<4x3xf32> to memref<2x3xf32, strided<[3, 1], offset: 6>>
// CHECK-NEXT:    "memref.copy"(%[[A]], %[[V]])
// CHECK-NEXT:    "memref.copy"(%[[S]], %[[OUT0]])
// CHECK-NEXT:    "memref.copy"(%[[D]], %[[OUT1]])
// CHECK-NEXT:    memref.dealloc %[[D]]
func.func @slices_are_subviews(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>) -> (tensor<3xf32>, tensor<4x3xf32>) {
  %s = tensor.extract_slice %a[1, 0] [1, 3] [1, 1] : tensor<2x3xf32> to tensor<3xf32>
  %e = tensor.empty() : tensor<4x3xf32>
  %i = tensor.insert_slice %a into %b[2, 0] [2, 3] [1, 1] : tensor<2x3xf32> into tensor<4x3xf32>
  func.return %s, %i : tensor<3xf32>, tensor<4x3xf32>
}

// CHECK-LABEL: func.func @extract_is_load(
// CHECK-SAME:      %[[A:.*]]: memref<2x3xf32>) -> f32 {
// CHECK:         %[[V:.*]] = memref.load %[[A]][%{{.*}}, %{{.*}}] : memref<2x3xf32>
// CHECK-NEXT:    func.return %[[V]] : f32
func.func @extract_is_load(%a: tensor<2x3xf32>) -> f32 {
  %c1 = arith.constant 1 : index
  %v = tensor.extract %a[%c1, %c1] : tensor<2x3xf32>
  func.return %v : f32
}

// CHECK-LABEL: func.func private @callee(
// CHECK-SAME:      %{{.*}}: memref<2x3xf32>, %[[OUT:.*]]: memref<2x3xf32> {mlc.out}) {
// CHECK-NEXT:    linalg.generic
// CHECK-SAME:      outs(%[[OUT]] : memref<2x3xf32>)
func.func private @callee(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %e = tensor.empty() : tensor<2x3xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<2x3xf32>) outs(%e : tensor<2x3xf32>) {
  ^bb0(%x: f32, %o: f32):
    %s = arith.mulf %x, %x : f32
    linalg.yield %s : f32
  } -> tensor<2x3xf32>
  func.return %r : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @call_writes_into_out_param(
// CHECK-SAME:      %[[A:.*]]: memref<2x3xf32>, %[[OUT:.*]]: memref<2x3xf32> {mlc.out}) {
// CHECK-NEXT:    func.call @callee(%[[A]], %[[OUT]]) : (memref<2x3xf32>, memref<2x3xf32>) -> ()
// CHECK-NEXT:    func.return
func.func @call_writes_into_out_param(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %r = func.call @callee(%a) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %r : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @call_not_in_place_when_result_is_used_later(
// CHECK-SAME:      %[[A:.*]]: memref<2x3xf32>, %[[OUT:.*]]: memref<2x3xf32> {mlc.out}) {
// CHECK-NEXT:    %[[T:.*]] = memref.alloc() : memref<2x3xf32>
// CHECK-NEXT:    func.call @callee(%[[A]], %[[T]])
// CHECK-NEXT:    func.call @callee(%[[T]], %[[OUT]])
// CHECK-NEXT:    memref.dealloc %[[T]]
// CHECK-NEXT:    func.return
// CHECK-NOT:     tensor
func.func @call_not_in_place_when_result_is_used_later(%a: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %r = func.call @callee(%a) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %q = func.call @callee(%r) : (tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %q : tensor<2x3xf32>
}

// CHECK-LABEL: func.func @pad_and_concat_write_into_out_params(
// CHECK-SAME:      %[[A:.*]]: memref<2x3xf32>, %[[B:.*]]: memref<1x3xf32>, %[[P:.*]]: memref<4x5xf32> {mlc.out}, %[[C:.*]]: memref<3x3xf32> {mlc.out}) {
// CHECK-NEXT:    %[[Z:.*]] = arith.constant 7.000000e+00 : f32
// CHECK-NEXT:    linalg.fill ins(%[[Z]] : f32) outs(%[[P]] : memref<4x5xf32>)
// CHECK-NEXT:    %[[IN:.*]] = memref.subview %[[P]][1, 2] [2, 3] [1, 1] : memref<4x5xf32> to memref<2x3xf32, strided<[5, 1], offset: 7>>
// CHECK-NEXT:    "memref.copy"(%[[A]], %[[IN]])
// CHECK-NEXT:    %[[C0:.*]] = memref.subview %[[C]][0, 0] [2, 3] [1, 1] : memref<3x3xf32> to memref<2x3xf32, strided<[3, 1]>>
// CHECK-NEXT:    "memref.copy"(%[[A]], %[[C0]])
// CHECK-NEXT:    %[[C1:.*]] = memref.subview %[[C]][2, 0] [1, 3] [1, 1] : memref<3x3xf32> to memref<1x3xf32, strided<[3, 1], offset: 6>>
// CHECK-NEXT:    "memref.copy"(%[[B]], %[[C1]])
// CHECK-NEXT:    func.return
func.func @pad_and_concat_write_into_out_params(%a: tensor<2x3xf32>, %b: tensor<1x3xf32>) -> (tensor<4x5xf32>, tensor<3x3xf32>) {
  %z = arith.constant 7.0 : f32
  %p = tensor.pad %a low[1, 2] high[1, 0] {
  ^bb0(%i: index, %j: index):
    tensor.yield %z : f32
  } : tensor<2x3xf32> to tensor<4x5xf32>
  %c = tensor.concat dim(0) %a, %b : (tensor<2x3xf32>, tensor<1x3xf32>) -> tensor<3x3xf32>
  func.return %p, %c : tensor<4x5xf32>, tensor<3x3xf32>
}

// CHECK-LABEL: func.func @pad_not_in_place_when_read_later(
// CHECK-SAME:      %[[A:.*]]: memref<1xf32>, %[[OUT:.*]]: memref<3xf32> {mlc.out}) -> f32 {
// CHECK:         %[[T:.*]] = memref.alloc() : memref<3xf32>
// CHECK:         linalg.fill ins(%{{.*}} : f32) outs(%[[T]] : memref<3xf32>)
// CHECK:         %[[V:.*]] = memref.load %[[T]]
// CHECK:         "memref.copy"(%[[T]], %[[OUT]])
// CHECK-NEXT:    memref.dealloc %[[T]]
// CHECK-NEXT:    func.return %[[V]] : f32
func.func @pad_not_in_place_when_read_later(%a: tensor<1xf32>) -> (tensor<3xf32>, f32) {
  %z = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %p = tensor.pad %a low[1] high[1] {
  ^bb0(%i: index):
    tensor.yield %z : f32
  } : tensor<1xf32> to tensor<3xf32>
  %v = tensor.extract %p[%c0] : tensor<3xf32>
  func.return %p, %v : tensor<3xf32>, f32
}

// CHECK-LABEL: func.func @reduce_in_place(
// CHECK-SAME:      %[[A:.*]]: memref<2x3xf32>, %[[OUT:.*]]: memref<2xf32> {mlc.out}) {
// CHECK-NOT:     memref.alloc
// CHECK:         linalg.fill ins(%{{.*}} : f32) outs(%[[OUT]] : memref<2xf32>)
// CHECK-NEXT:    linalg.reduce ins(%[[A]]:memref<2x3xf32>) outs(%[[OUT]]:memref<2xf32>) dimensions = [1]
// CHECK-NEXT:    (%[[X:.*]]: f32, %[[ACC:.*]]: f32) {
// CHECK-NEXT:      %[[S:.*]] = arith.addf %[[X]], %[[ACC]] : f32
// CHECK-NEXT:      linalg.yield %[[S]] : f32
// CHECK-NEXT:    }
// CHECK-NEXT:    func.return{{$}}
func.func @reduce_in_place(%a: tensor<2x3xf32>) -> tensor<2xf32> {
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2xf32>
  %f = linalg.fill ins(%z : f32) outs(%e : tensor<2xf32>) -> tensor<2xf32>
  %r = linalg.reduce ins(%a : tensor<2x3xf32>) outs(%f : tensor<2xf32>) dimensions = [1]
    (%x: f32, %acc: f32) {
      %s = arith.addf %x, %acc : f32
      linalg.yield %s : f32
    }
  func.return %r : tensor<2xf32>
}

// CHECK-LABEL: func.func @reduce_not_in_place_into_an_argument(
// CHECK-SAME:      %[[A:.*]]: memref<2x3xf32>, %[[I:.*]]: memref<2xf32>, %[[OUT:.*]]: memref<2xf32> {mlc.out}) {
// CHECK-NEXT:    %[[T:.*]] = memref.alloc() : memref<2xf32>
// CHECK-NEXT:    "memref.copy"(%[[I]], %[[T]])
// CHECK-NEXT:    linalg.reduce ins(%[[A]]:memref<2x3xf32>) outs(%[[T]]:memref<2xf32>) dimensions = [1]
// CHECK:         "memref.copy"(%[[T]], %[[OUT]])
// CHECK-NEXT:    memref.dealloc %[[T]]
// CHECK-NEXT:    func.return{{$}}
func.func @reduce_not_in_place_into_an_argument(%a: tensor<2x3xf32>, %i: tensor<2xf32>) -> tensor<2xf32> {
  %r = linalg.reduce ins(%a : tensor<2x3xf32>) outs(%i : tensor<2xf32>) dimensions = [1]
    (%x: f32, %acc: f32) {
      %s = arith.maximumf %x, %acc : f32
      linalg.yield %s : f32
    }
  func.return %r : tensor<2xf32>
}

// CHECK-LABEL: func.func @broadcast_then_transpose(
// CHECK-SAME:      %[[A:.*]]: memref<2xf32>, %[[OUT:.*]]: memref<3x2xf32> {mlc.out}) {
// CHECK-NEXT:    %[[T:.*]] = memref.alloc() : memref<2x3xf32>
// CHECK-NEXT:    linalg.broadcast ins(%[[A]]:memref<2xf32>) outs(%[[T]]:memref<2x3xf32>) dimensions = [1]
// CHECK-NEXT:    linalg.transpose ins(%[[T]]:memref<2x3xf32>) outs(%[[OUT]]:memref<3x2xf32>) permutation = [1, 0]
// CHECK-NEXT:    memref.dealloc %[[T]]
// CHECK-NEXT:    func.return{{$}}
func.func @broadcast_then_transpose(%a: tensor<2xf32>) -> tensor<3x2xf32> {
  %e = tensor.empty() : tensor<2x3xf32>
  %b = linalg.broadcast ins(%a : tensor<2xf32>) outs(%e : tensor<2x3xf32>) dimensions = [1]
  %e2 = tensor.empty() : tensor<3x2xf32>
  %t = linalg.transpose ins(%b : tensor<2x3xf32>) outs(%e2 : tensor<3x2xf32>) permutation = [1, 0]
  func.return %t : tensor<3x2xf32>
}

// CHECK-LABEL: func.func @dense_resource_weights_become_globals(
// CHECK-SAME:      %[[A:.*]]: memref<2x2xf32>, %[[OUT:.*]]: memref<2x2xf32> {mlc.out}, %[[OUT2:.*]]: memref<2xi32> {mlc.out}) {
// CHECK-NEXT:    %[[W:.*]] = memref.get_global @__constant_2x2xf32 : memref<2x2xf32>
// CHECK-NEXT:    %[[K:.*]] = memref.get_global @__constant_2xi32 : memref<2xi32>
// CHECK-NEXT:    linalg.add ins(%[[A]], %[[W]] : memref<2x2xf32>, memref<2x2xf32>) outs(%[[OUT]] : memref<2x2xf32>)
// CHECK-NEXT:    "memref.copy"(%[[K]], %[[OUT2]])
// CHECK-NEXT:    func.return{{$}}
func.func @dense_resource_weights_become_globals(%a: tensor<2x2xf32>) -> (tensor<2x2xf32>, tensor<2xi32>) {
  %w = arith.constant dense_resource<weights_f32> : tensor<2x2xf32>
  %k = arith.constant dense_resource<weights_i32> : tensor<2xi32>
  %e = tensor.empty() : tensor<2x2xf32>
  %r = linalg.add ins(%a, %w : tensor<2x2xf32>, tensor<2x2xf32>) outs(%e : tensor<2x2xf32>) -> tensor<2x2xf32>
  func.return %r, %k : tensor<2x2xf32>, tensor<2xi32>
}

// CHECK-NOT: dialect_resources
{-#
  dialect_resources: {
    builtin: {
      weights_f32: "0x040000000000803F000000400000404000008040",
      weights_i32: "0x0400000007000000F8FFFFFF"
    }
  }
#-}
