// RUN: mlc-opt %s -p convert-memref-to-llvm,convert-vector-to-llvm,convert-math-to-llvm,convert-arith-to-llvm,convert-func-to-llvm,reconcile-unrealized-casts | filecheck %s
// RUN: mlc-opt %s -p convert-func-to-llvm,convert-arith-to-llvm,convert-math-to-llvm,convert-vector-to-llvm,convert-memref-to-llvm,reconcile-unrealized-casts | filecheck %s
// RUN: mlc-opt %s -p convert-memref-to-llvm,convert-vector-to-llvm,convert-math-to-llvm,convert-arith-to-llvm,convert-func-to-llvm,reconcile-unrealized-casts | %mlir-opt --verify-each > /dev/null

// What the convert-*-to-llvm passes share (lowering/llvm_common.py): the type
// bridge lets them run in any order (both orders give this IR, every cast
// reconciled); memref.load and vector.load address an element alike
// (`element_ptr`: ptr + i * stride + j, constant indices folded); arith and
// math carry their fast-math flags alike (`fast_math`); the function's
// arguments are retyped (`retype_block_args`).

// CHECK-LABEL: llvm.func @shared(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: !llvm.ptr {llvm.noalias, mlc.type = memref<4x8xf32>}, %[[I:[a-z0-9]+]]: i64, %[[OUT:[a-z0-9]+]]: !llvm.ptr
// CHECK-NOT:       unrealized_conversion_cast
// CHECK:           %[[ONE:.*]] = llvm.mlir.constant(1) : i64
// CHECK:           %[[J:.*]] = llvm.add %[[I]], %[[ONE]] : i64
// CHECK:           %[[ROW:.*]] = llvm.mul %[[I]], %{{.*}} : i64
// CHECK:           %[[LIN:.*]] = llvm.add %[[ROW]], %[[J]] : i64
// CHECK:           %[[P:.*]] = llvm.getelementptr inbounds %[[A]][%[[LIN]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK:           %[[S:.*]] = llvm.load %[[P]] {alignment = 4 : i64} : !llvm.ptr -> f32
// CHECK:           %[[VROW:.*]] = llvm.mul %[[J]], %{{.*}} : i64
// CHECK:           %[[VLIN:.*]] = llvm.add %[[VROW]], %{{.*}} : i64
// CHECK:           %[[Q:.*]] = llvm.getelementptr inbounds %[[A]][%[[VLIN]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK:           llvm.load %[[Q]] {alignment = 4 : i64} : !llvm.ptr -> vector<4xf32>
// CHECK:           llvm.intr.exp(%[[S]]) {fastmathFlags = #llvm.fastmath<fast>} : (f32) -> f32
// CHECK:           llvm.fadd {{.*}} {fastmathFlags = #llvm.fastmath<nnan>} : f32
// CHECK:           llvm.fmul {{.*}} {fastmathFlags = #llvm.fastmath<contract>} : vector<4xf32>
// CHECK:           llvm.getelementptr inbounds %[[OUT]]
// CHECK:           llvm.store {{.*}} {alignment = 4 : i64} : vector<4xf32>, !llvm.ptr
// CHECK-NOT:       unrealized_conversion_cast
// CHECK:           llvm.return
func.func @shared(%a: memref<4x8xf32>, %i: index, %out: memref<4x8xf32>) {
  %c1 = arith.constant 1 : index
  %j = arith.addi %i, %c1 : index
  %s = memref.load %a[%i, %j] : memref<4x8xf32>
  %v = vector.load %a[%j, %c1] : memref<4x8xf32>, vector<4xf32>
  %e = math.exp %s fastmath<fast> : f32
  %t = arith.addf %e, %s fastmath<nnan> : f32
  %w = vector.broadcast %t : f32 to vector<4xf32>
  %r = arith.mulf %v, %w fastmath<contract> : vector<4xf32>
  vector.store %r, %out[%i, %c1] : memref<4x8xf32>, vector<4xf32>
  func.return
}
