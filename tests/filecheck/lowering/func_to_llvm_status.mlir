// Out of memory: functions that allocate return an i64 status; callers
// check it, free what they allocated earlier in the block and pass it on.
// RUN: mlc-opt %s -p convert-func-to-llvm | filecheck %s
// RUN: mlc-opt %s -p convert-func-to-llvm | %mlir-opt --verify-each > /dev/null

// CHECK-LABEL: llvm.func internal @inner(%{{.*}}: !llvm.ptr {llvm.noalias}) -> i64 {
// CHECK-NEXT:    %[[ALIGN:.*]] = llvm.mlir.constant(64) : i64
// CHECK-NEXT:    %[[SIZE:.*]] = llvm.mlir.constant(4096) : i64
// CHECK-NEXT:    %[[RAW:.*]] = llvm.call @mlc_alloc(%[[ALIGN]], %[[SIZE]]) : (i64, i64) -> !llvm.ptr
// CHECK-NEXT:    %[[INT:.*]] = llvm.ptrtoint %[[RAW]] : !llvm.ptr to i64
// CHECK-NEXT:    %[[ZERO:.*]] = llvm.mlir.constant(0) : i64
// CHECK-NEXT:    %[[NULL:.*]] = llvm.icmp "eq" %[[INT]], %[[ZERO]] : i64
// CHECK-NEXT:    llvm.cond_br %[[NULL]], ^[[FAIL:.*]], ^[[OK:.*]]
// CHECK-NEXT:  ^[[FAIL]]:
// CHECK-NEXT:    llvm.return %[[SIZE]] : i64
// CHECK-NEXT:  ^[[OK]]:
// CHECK-NEXT:    llvm.call @mlc_free(%[[RAW]]) : (!llvm.ptr) -> ()
// CHECK-NEXT:    %[[DONE:.*]] = llvm.mlir.constant(0) : i64
// CHECK-NEXT:    llvm.return %[[DONE]] : i64
func.func private @inner(%p: !llvm.ptr) {
  %a = llvm.mlir.constant(64) : i64
  %n = llvm.mlir.constant(4096) : i64
  %raw = llvm.call @mlc_alloc(%a, %n) : (i64, i64) -> !llvm.ptr
  llvm.call @mlc_free(%raw) : (!llvm.ptr) -> ()
  func.return
}

// The caller's own arena is freed when the callee fails.
// CHECK-LABEL: llvm.func @outer(%{{.*}}: !llvm.ptr {{.*}}) -> i64 {
// CHECK:         %[[ARENA:.*]] = llvm.call @mlc_alloc(
// CHECK:         llvm.cond_br
// CHECK:         %[[STATUS:.*]] = llvm.call @inner(%{{.*}}) : (!llvm.ptr) -> i64
// CHECK-NEXT:    %[[ZERO:.*]] = llvm.mlir.constant(0) : i64
// CHECK-NEXT:    %[[FAILED:.*]] = llvm.icmp "ne" %[[STATUS]], %[[ZERO]] : i64
// CHECK-NEXT:    llvm.cond_br %[[FAILED]], ^[[FAIL:.*]], ^[[OK:.*]]
// CHECK-NEXT:  ^[[FAIL]]:
// CHECK-NEXT:    llvm.call @mlc_free(%[[ARENA]]) : (!llvm.ptr) -> ()
// CHECK-NEXT:    llvm.return %[[STATUS]] : i64
// CHECK-NEXT:  ^[[OK]]:
// CHECK-NEXT:    llvm.call @mlc_free(%[[ARENA]]) : (!llvm.ptr) -> ()
func.func @outer(%p: !llvm.ptr) {
  %a = llvm.mlir.constant(64) : i64
  %n = llvm.mlir.constant(128) : i64
  %arena = llvm.call @mlc_alloc(%a, %n) : (i64, i64) -> !llvm.ptr
  func.call @inner(%arena) : (!llvm.ptr) -> ()
  llvm.call @mlc_free(%arena) : (!llvm.ptr) -> ()
  func.return
}

// An arena the entry block allocates and a later block frees is freed on a
// failure in between (a GEMM's packing buffer after the loops, say).
// CHECK-LABEL: llvm.func @later(%{{.*}}: !llvm.ptr {{.*}}) -> i64 {
// CHECK:         %[[ARENA:.*]] = llvm.call @mlc_alloc(
// CHECK:       ^{{.*}}:
// CHECK:         %[[BUF:.*]] = llvm.call @mlc_alloc(
// CHECK:         llvm.cond_br %{{.*}}, ^[[FAIL:.*]], ^{{.*}}
// CHECK-NEXT:  ^[[FAIL]]:
// CHECK-NEXT:    llvm.call @mlc_free(%[[ARENA]]) : (!llvm.ptr) -> ()
// CHECK-NEXT:    llvm.return %{{.*}} : i64
func.func @later(%p: !llvm.ptr) {
  %a = llvm.mlir.constant(64) : i64
  %n = llvm.mlir.constant(128) : i64
  %arena = llvm.call @mlc_alloc(%a, %n) : (i64, i64) -> !llvm.ptr
  llvm.br ^body
^body:
  %buf = llvm.call @mlc_alloc(%a, %n) : (i64, i64) -> !llvm.ptr
  llvm.call @mlc_free(%buf) : (!llvm.ptr) -> ()
  llvm.br ^exit
^exit:
  llvm.call @mlc_free(%arena) : (!llvm.ptr) -> ()
  func.return
}

// Where a path may already have freed it, a failure leaves it (never a double
// free).
// CHECK-LABEL: llvm.func @uncertain(
// CHECK:       ^{{.*}}:
// CHECK:         llvm.call @mlc_alloc(
// CHECK:         llvm.cond_br %{{.*}}, ^[[FAIL:.*]], ^{{.*}}
// CHECK-NEXT:  ^[[FAIL]]:
// CHECK-NEXT:    llvm.return %{{.*}} : i64
func.func @uncertain(%p: !llvm.ptr, %c: i1) {
  %a = llvm.mlir.constant(64) : i64
  %n = llvm.mlir.constant(128) : i64
  %arena = llvm.call @mlc_alloc(%a, %n) : (i64, i64) -> !llvm.ptr
  llvm.cond_br %c, ^early, ^join
^early:
  llvm.call @mlc_free(%arena) : (!llvm.ptr) -> ()
  llvm.br ^join
^join:
  %buf = llvm.call @mlc_alloc(%a, %n) : (i64, i64) -> !llvm.ptr
  llvm.call @mlc_free(%buf) : (!llvm.ptr) -> ()
  func.return
}

// A pointer freed through casts (a memref.dealloc before
// reconcile-unrealized-casts) is freed: a later failure does not free it again.
// CHECK-LABEL: llvm.func @cast_free(
// CHECK:         llvm.call @mlc_free(
// CHECK:         llvm.call @mlc_alloc(
// CHECK:         llvm.cond_br %{{.*}}, ^[[FAIL:.*]], ^{{.*}}
// CHECK-NEXT:  ^[[FAIL]]:
// CHECK-NEXT:    llvm.return %{{.*}} : i64
func.func @cast_free(%p: !llvm.ptr) {
  %a = llvm.mlir.constant(64) : i64
  %n = llvm.mlir.constant(128) : i64
  %first = llvm.call @mlc_alloc(%a, %n) : (i64, i64) -> !llvm.ptr
  %m = builtin.unrealized_conversion_cast %first : !llvm.ptr to memref<32xf32>
  %back = builtin.unrealized_conversion_cast %m : memref<32xf32> to !llvm.ptr
  llvm.call @mlc_free(%back) : (!llvm.ptr) -> ()
  %second = llvm.call @mlc_alloc(%a, %n) : (i64, i64) -> !llvm.ptr
  llvm.call @mlc_free(%second) : (!llvm.ptr) -> ()
  func.return
}

// A function returning a scalar has no status to return: a failure aborts.
// CHECK-LABEL: llvm.func @scalar(%{{.*}}: !llvm.ptr {{.*}}) -> f32 {
// CHECK:         llvm.call @inner(%{{.*}}) : (!llvm.ptr) -> i64
// CHECK:         llvm.cond_br
// CHECK-NEXT:  ^{{.*}}:
// CHECK-NEXT:    llvm.call @abort() : () -> ()
// CHECK-NEXT:    llvm.unreachable
func.func @scalar(%p: !llvm.ptr) -> f32 {
  func.call @inner(%p) : (!llvm.ptr) -> ()
  %x = llvm.mlir.constant(1.0 : f32) : f32
  func.return %x : f32
}

// A function that does not allocate keeps returning void.
// CHECK-LABEL: llvm.func @plain(%{{.*}}: !llvm.ptr {{.*}}) {
// CHECK-NEXT:    llvm.return
func.func @plain(%p: !llvm.ptr) {
  func.return
}

llvm.func @mlc_alloc(i64, i64) -> !llvm.ptr
llvm.func @mlc_free(!llvm.ptr)
