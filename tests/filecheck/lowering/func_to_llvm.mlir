// RUN: mlc-opt %s -p convert-func-to-llvm | filecheck %s
// RUN: mlc-opt %s -p convert-func-to-llvm | filecheck %s --check-prefix=NO-FUNC
// RUN: not mlc-opt %S/Inputs/func_to_llvm_memref_result.mlir -p convert-func-to-llvm 2>&1 | filecheck %s --check-prefix=RESULT

// RESULT: func_to_llvm_memref_result.mlir:2:1: error: convert-func-to-llvm: @returns_memref returns a memref (the loop level passes results as mlc.out arguments)

// NO-FUNC-NOT: func.

// Only public definitions keep `mlc.out` (beside `mlc.type`), for the runtime.
// NO-FUNC-NOT: mlc.out
// NO-FUNC:     llvm.func @entry(

// The ABI: the same symbol, one !llvm.ptr per memref, index as i64, scalars
// returned. Private definitions are internal with llvm.noalias pointers; the
// entry block's arguments take the new types and are cast back for the ops
// not converted yet, in argument order.
// CHECK-LABEL: llvm.func internal @helper(
// CHECK-SAME:      %[[X:[a-z0-9_]+]]: !llvm.ptr {llvm.noalias}, %[[N:[a-z0-9_]+]]: i64, %[[OUT:[a-z0-9_]+]]: !llvm.ptr {llvm.noalias}) -> f32 {
// CHECK-NEXT:    %[[XM:.*]] = builtin.unrealized_conversion_cast %[[X]] : !llvm.ptr to memref<4xf32>
// CHECK-NEXT:    %[[NI:.*]] = builtin.unrealized_conversion_cast %[[N]] : i64 to index
// CHECK-NEXT:    %[[OUTM:.*]] = builtin.unrealized_conversion_cast %[[OUT]] : !llvm.ptr to memref<4xf32>
// CHECK-NEXT:    %[[C0:.*]] = arith.constant 0 : index
// CHECK-NEXT:    %[[V:.*]] = memref.load %[[XM]][%[[NI]]] : memref<4xf32>
// CHECK-NEXT:    memref.store %[[V]], %[[OUTM]][%[[C0]]] : memref<4xf32>
// CHECK-NEXT:    llvm.return %[[V]] : f32
// CHECK-NEXT:  }
func.func private @helper(%x: memref<4xf32>, %n: index, %out: memref<4xf32> {mlc.out}) -> f32 {
  %c0 = arith.constant 0 : index
  %v = memref.load %x[%n] : memref<4xf32>
  memref.store %v, %out[%c0] : memref<4xf32>
  func.return %v : f32
}

// A declaration stays external.
// CHECK:       llvm.func @extern_fn(f32) -> f32
func.func private @extern_fn(f32) -> f32

// Public functions' pointers promise no alignment; calls pass converted
// operands; a function with no results returns void.
// CHECK-LABEL: llvm.func @entry(
// CHECK-SAME:      %{{[a-z0-9_]+}}: !llvm.ptr {llvm.noalias, mlc.type = memref<4xf32>}, %[[S:[a-z0-9_]+]]: f32, %{{[a-z0-9_]+}}: !llvm.ptr {llvm.noalias, mlc.type = memref<4xf32>, mlc.out}) {
// CHECK:         %[[C1:.*]] = arith.constant 1 : index
// CHECK-NEXT:    %[[XP:.*]] = builtin.unrealized_conversion_cast %{{.*}} : memref<4xf32> to !llvm.ptr
// CHECK-NEXT:    %[[C1I:.*]] = builtin.unrealized_conversion_cast %[[C1]] : index to i64
// CHECK-NEXT:    %[[OP:.*]] = builtin.unrealized_conversion_cast %{{.*}} : memref<4xf32> to !llvm.ptr
// CHECK-NEXT:    %[[R:.*]] = llvm.call @helper(%[[XP]], %[[C1I]], %[[OP]]) : (!llvm.ptr, i64, !llvm.ptr) -> f32
// CHECK-NEXT:    %{{.*}} = llvm.call @extern_fn(%[[R]]) : (f32) -> f32
// CHECK-NEXT:    llvm.return
// CHECK-NEXT:  }
func.func @entry(%x: memref<4xf32>, %s: f32, %out: memref<4xf32> {mlc.out}) {
  %c1 = arith.constant 1 : index
  %r = func.call @helper(%x, %c1, %out) : (memref<4xf32>, index, memref<4xf32>) -> f32
  %e = func.call @extern_fn(%r) : (f32) -> f32
  func.return
}

// A call result of type index is cast back for its users.
// CHECK-LABEL: llvm.func @index_result(
// CHECK-SAME:      %[[I:[a-z0-9_]+]]: i64) -> i64
// CHECK:         %[[R:.*]] = llvm.call @index_result(%{{.*}}) : (i64) -> i64
// CHECK-NEXT:    %[[RI:.*]] = builtin.unrealized_conversion_cast %[[R]] : i64 to index
// CHECK-NEXT:    %[[RL:.*]] = builtin.unrealized_conversion_cast %[[RI]] : index to i64
// CHECK-NEXT:    llvm.return %[[RL]] : i64
func.func @index_result(%i: index) -> index {
  %r = func.call @index_result(%i) : (index) -> index
  func.return %r : index
}
