// RUN: mlc-opt %s -p convert-cf-to-llvm | filecheck %s
// RUN: mlc-opt %s -p convert-cf-to-llvm | filecheck %s --check-prefix=NO-CF

// NO-CF-NOT: cf.

// Branch operands are bridged to LLVM types and the blocks they enter take
// LLVM-typed arguments (index → i64), cast back for users not converted yet.
// CHECK-LABEL: func.func @loop(
// CHECK:         %[[C0:.*]] = arith.constant 0 : index
// CHECK-NEXT:    %[[C0I:.*]] = builtin.unrealized_conversion_cast %[[C0]] : index to i64
// CHECK-NEXT:    llvm.br ^[[HEADER:.*]](%[[C0I]], %{{.*}} : i64, f32)
// CHECK-NEXT:  ^[[HEADER]](%[[I:.*]]: i64, %[[ACC:.*]]: f32):
// CHECK-NEXT:    %[[II:.*]] = builtin.unrealized_conversion_cast %[[I]] : i64 to index
// CHECK-NEXT:    %[[LT:.*]] = arith.cmpi slt, %[[II]], %{{.*}} : index
// CHECK-NEXT:    llvm.cond_br %[[LT]], ^[[BODY:.*]], ^[[EXIT:.*]](%[[ACC]] : f32)
// CHECK-NEXT:  ^[[BODY]]:
// CHECK:         %[[NEXT:.*]] = arith.addi %[[II]], %{{.*}} : index
// CHECK-NEXT:    %[[SUM:.*]] = arith.addf %[[ACC]], %[[ACC]] : f32
// CHECK-NEXT:    %[[NEXTI:.*]] = builtin.unrealized_conversion_cast %[[NEXT]] : index to i64
// CHECK-NEXT:    llvm.br ^[[HEADER]](%[[NEXTI]], %[[SUM]] : i64, f32)
// CHECK-NEXT:  ^[[EXIT]](%[[R:.*]]: f32):
// CHECK-NEXT:    func.return %[[R]] : f32
func.func @loop(%n: index, %x: f32) -> f32 {
  %c0 = arith.constant 0 : index
  cf.br ^header(%c0, %x : index, f32)
^header(%i: index, %acc: f32):
  %lt = arith.cmpi slt, %i, %n : index
  cf.cond_br %lt, ^body, ^exit(%acc : f32)
^body:
  %c1 = arith.constant 1 : index
  %next = arith.addi %i, %c1 : index
  %sum = arith.addf %acc, %acc : f32
  cf.br ^header(%next, %sum : index, f32)
^exit(%r: f32):
  func.return %r : f32
}

// cf.assert branches to a block that writes the message to stderr (fd 2,
// unbuffered) and aborts.
// CHECK-LABEL: func.func @checked(
// CHECK:         %[[OK:.*]] = arith.cmpi ult
// CHECK-NEXT:    llvm.cond_br %[[OK]], ^[[CONT:.*]], ^[[FAIL:.*]]
// CHECK-NEXT:  ^[[FAIL]]:
// CHECK-NEXT:    %[[MSG:.*]] = llvm.mlir.addressof @__mlc_assert_msg_0 : !llvm.ptr
// CHECK-NEXT:    %[[FD:.*]] = llvm.mlir.constant(2 : i32) : i32
// CHECK-NEXT:    %[[LEN:.*]] = llvm.mlir.constant(19) : i64
// CHECK-NEXT:    %{{.*}} = llvm.call @write(%[[FD]], %[[MSG]], %[[LEN]]) : (i32, !llvm.ptr, i64) -> i64
// CHECK-NEXT:    llvm.call @abort() : () -> ()
// CHECK-NEXT:    llvm.unreachable
// CHECK-NEXT:  ^[[CONT]]:
// CHECK-NEXT:    %[[OK2:.*]] = arith.cmpi ult
// CHECK-NEXT:    llvm.cond_br %[[OK2]], ^[[CONT2:.*]], ^[[FAIL2:.*]]
// CHECK:         llvm.mlir.addressof @__mlc_assert_msg_1 : !llvm.ptr
// CHECK:       ^[[CONT2]]:
// CHECK-NEXT:    func.return
func.func @checked(%i: index, %n: index) {
  %ok = arith.cmpi ult, %i, %n : index
  cf.assert %ok, "index out of range"
  %ok2 = arith.cmpi ult, %n, %i : index
  cf.assert %ok2, "second"
  func.return
}
// CHECK-DAG:   llvm.mlir.global internal constant @__mlc_assert_msg_0("index out of range\0A") {addr_space = 0 : i32} : !llvm.array<19 x i8>
// CHECK-DAG:   llvm.mlir.global internal constant @__mlc_assert_msg_1("second\0A") {addr_space = 0 : i32} : !llvm.array<7 x i8>
// CHECK-DAG:   llvm.func @write(i32, !llvm.ptr, i64) -> i64
// CHECK-DAG:   llvm.func @abort()
