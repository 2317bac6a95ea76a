// RUN: mlc-opt %s -p 'parallelize-loops{min_work=64}' | filecheck %s
// RUN: mlc-opt %s -p 'parallelize-loops{min_work=1000000}' | filecheck %s --check-prefix=SERIAL
// RUN: mlc-opt %s -p 'parallelize-loops{min_work=64}' | filecheck %s --check-prefix=MATH
// The outlined loop and its context run in the interpreter (the runtime's
// chunks in order): the same values as the loop before.
// RUN: mlc-opt %s -p 'parallelize-loops{min_work=64}' --check-numerics --check-numerics-entry=scale -o /dev/null 2>&1 | filecheck %s --check-prefix=NUMERICS
// NUMERICS: numerics: after parallelize-loops: ok (max abs error 0.0)
// What it prints lowers to the llvm dialect that upstream mlir-opt accepts:
// RUN: mlc-opt %s -p 'parallelize-loops{min_work=64},graph-to-llvm' | %mlir-opt --verify-each | filecheck %s --check-prefix=UPSTREAM

// The marked loop becomes a runtime call over an outlined body; the memrefs
// travel as addresses in 8-byte slots of an alloca, the scalar as itself.
// CHECK-LABEL: func.func @scale(
// CHECK-SAME:      %[[X:.*]]: memref<64xf32>, %[[S:.*]]: f32, %[[OUT:.*]]: memref<64xf32> {mlc.out})
// CHECK-NEXT:    %[[N:.*]] = arith.constant 3 : i64
// CHECK-NEXT:    %[[CTX:.*]] = llvm.alloca %[[N]] x i64 {alignment = 8 : i64} : (i64) -> !llvm.ptr
// CHECK:         %[[XP:.*]] = builtin.unrealized_conversion_cast %[[X]] : memref<64xf32> to !llvm.ptr
// CHECK-NEXT:    %[[XI:.*]] = llvm.ptrtoint %[[XP]] : !llvm.ptr to i64
// CHECK-NEXT:    %[[XS:.*]] = llvm.getelementptr %[[CTX]][0] : (!llvm.ptr) -> !llvm.ptr, i64
// CHECK-NEXT:    llvm.store %[[XI]], %[[XS]] : i64, !llvm.ptr
// CHECK-NEXT:    %[[SS:.*]] = llvm.getelementptr %[[CTX]][2] : (!llvm.ptr) -> !llvm.ptr, f32
// CHECK-NEXT:    llvm.store %[[S]], %[[SS]] : f32, !llvm.ptr
// CHECK:         %[[TRIPS:.*]] = arith.constant 64 : i64
// CHECK-NEXT:    %[[FN:.*]] = llvm.mlir.addressof @scale_parallel_0 : !llvm.ptr
// CHECK-NEXT:    func.call @mlc_parallel_for(%[[FN]], %[[CTX]], %[[TRIPS]]) : (!llvm.ptr, !llvm.ptr, i64) -> ()
// CHECK-NEXT:    func.return
// CHECK-LABEL: func.func private @scale_parallel_0(
// CHECK-SAME:      %[[C:.*]]: !llvm.ptr, %[[BEGIN:.*]]: i64, %[[END:.*]]: i64)
// CHECK:         %[[B:.*]] = arith.index_cast %[[BEGIN]] : i64 to index
// CHECK-NEXT:    %[[E:.*]] = arith.index_cast %[[END]] : i64 to index
// CHECK:         scf.for
// CHECK:           memref.load
// CHECK-NEXT:      arith.mulf
// CHECK-NEXT:      memref.store
// CHECK:         func.return
// CHECK:       func.func private @mlc_parallel_for(!llvm.ptr, !llvm.ptr, i64) -> ()

// SERIAL-NOT:  mlc_parallel_for
// SERIAL:      } {mlc.parallel}

// UPSTREAM:      llvm.call @mlc_parallel_for(
// UPSTREAM:      llvm.func internal @scale_parallel_0(
// UPSTREAM:      llvm.func @mlc_parallel_for(!llvm.ptr, !llvm.ptr, i64)
func.func @scale(%x: memref<64xf32>, %s: f32, %out: memref<64xf32> {mlc.out}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  scf.for %i = %c0 to %c64 step %c1 {
    %v = memref.load %x[%i] : memref<64xf32>
    %m = arith.mulf %v, %s : f32
    memref.store %m, %out[%i] : memref<64xf32>
  } {mlc.parallel}
  func.return
}

// An exp counts the arith ops math-approximate expands it into (32): four
// exps are worth threads at min_work=64, four copies are not.
// MATH-LABEL: func.func @copies(
// MATH-NOT:     mlc_parallel_for
// MATH:         } {mlc.parallel}
// MATH-LABEL: func.func @exps(
// MATH:         func.call @mlc_parallel_for(
func.func @copies(%x: memref<4xf32>, %out: memref<4xf32> {mlc.out}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %i = %c0 to %c4 step %c1 {
    %v = memref.load %x[%i] : memref<4xf32>
    memref.store %v, %out[%i] : memref<4xf32>
  } {mlc.parallel}
  func.return
}
func.func @exps(%x: memref<4xf32>, %out: memref<4xf32> {mlc.out}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %i = %c0 to %c4 step %c1 {
    %v = memref.load %x[%i] : memref<4xf32>
    %e = math.exp %v : f32
    memref.store %e, %out[%i] : memref<4xf32>
  } {mlc.parallel}
  func.return
}
