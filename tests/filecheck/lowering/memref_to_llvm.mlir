// RUN: mlc-opt %s -p convert-memref-to-llvm | filecheck %s
// RUN: mlc-opt %s -p convert-memref-to-llvm | filecheck %s --check-prefix=NO-MEMREF
// RUN: not mlc-opt %S/Inputs/memref_to_llvm_dynamic.mlir -p convert-memref-to-llvm 2>&1 | filecheck %s --check-prefix=DYNAMIC

// RUN: not mlc-opt %S/Inputs/memref_to_llvm_copy_in_loop.mlir -p convert-memref-to-llvm 2>&1 | filecheck %s --check-prefix=IN-LOOP
// RUN: mlc-opt %S/Inputs/memref_to_llvm_copy_in_loop.mlir -p convert-scf-to-cf,convert-memref-to-llvm | filecheck %s --check-prefix=AFTER-CF

// DYNAMIC: memref_to_llvm_dynamic.mlir:4:8: error: convert-memref-to-llvm: dynamic shapes are not supported yet (memref<?x4xf32>)
// IN-LOOP: memref_to_llvm_copy_in_loop.mlir:8:5: error: convert-memref-to-llvm: a strided memref.copy must be directly in a function body (run convert-scf-to-cf first)
// AFTER-CF: llvm.call @memcpy(

// NO-MEMREF-NOT: memref.

// A memref is an !llvm.ptr to its element [0, ..., 0]; element [i, j] of
// memref<4x6xf32> is at ptr + i*6 + j. Constant indices fold into the sum.
// CHECK-LABEL: func.func @load_store(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: memref<4x6xf32>, %[[I:[a-z0-9]+]]: index, %[[J:[a-z0-9]+]]: index, %[[OUT:[a-z0-9]+]]: memref<4x6xf32>)
// CHECK:         %[[PA:.*]] = builtin.unrealized_conversion_cast %[[A]] : memref<4x6xf32> to !llvm.ptr
// CHECK:         %[[I64:.*]] = builtin.unrealized_conversion_cast %[[I]] : index to i64
// CHECK:         %[[J64:.*]] = builtin.unrealized_conversion_cast %[[J]] : index to i64
// CHECK:         %[[SIX:.*]] = llvm.mlir.constant(6) : i64
// CHECK:         %[[ROW:.*]] = llvm.mul %[[I64]], %[[SIX]] : i64
// CHECK:         %[[LIN:.*]] = llvm.add %[[ROW]], %[[J64]] : i64
// CHECK:         %[[P:.*]] = llvm.getelementptr inbounds %[[PA]][%[[LIN]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK:         %[[V:.*]] = llvm.load %[[P]] {alignment = 4 : i64} : !llvm.ptr -> f32
// CHECK:         %[[POUT:.*]] = builtin.unrealized_conversion_cast %[[OUT]] : memref<4x6xf32> to !llvm.ptr
// CHECK:         %[[J64B:.*]] = builtin.unrealized_conversion_cast %[[J]] : index to i64
// CHECK:         %[[TWELVE:.*]] = llvm.mlir.constant(12) : i64
// CHECK:         %[[LIN2:.*]] = llvm.add %[[J64B]], %[[TWELVE]] : i64
// CHECK:         %[[Q:.*]] = llvm.getelementptr inbounds %[[POUT]][%[[LIN2]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK:         llvm.store %[[V]], %[[Q]] {alignment = 4 : i64} : f32, !llvm.ptr
func.func @load_store(%a: memref<4x6xf32>, %i: index, %j: index, %out: memref<4x6xf32>) {
  %v = memref.load %a[%i, %j] : memref<4x6xf32>
  %c2 = arith.constant 2 : index
  memref.store %v, %out[%c2, %j] : memref<4x6xf32>
  func.return
}

// A prefetch is `llvm.intr.prefetch` of the element's address (the same
// address arithmetic as a load), its hints as upstream numbers them: read 0 /
// write 1, locality 0-3, instruction 0 / data cache 1.
// CHECK-LABEL: func.func @prefetch(
// CHECK:         %[[P:.*]] = llvm.getelementptr inbounds %{{.*}}[%{{.*}}] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK-NEXT:    "llvm.intr.prefetch"(%[[P]]) <{cache = 1 : i32, hint = 3 : i32, rw = 0 : i32}> : (!llvm.ptr) -> ()
// CHECK:         "llvm.intr.prefetch"(%{{.*}}) <{cache = 0 : i32, hint = 1 : i32, rw = 1 : i32}> : (!llvm.ptr) -> ()
func.func @prefetch(%a: memref<4x6xf32>, %i: index) {
  memref.prefetch %a[%i, %i], read, locality<3>, data : memref<4x6xf32>
  memref.prefetch %a[%i, %i], write, locality<1>, instr : memref<4x6xf32>
  func.return
}

// Rank 0 needs no address arithmetic; the alignment is the element size.
// CHECK-LABEL: func.func @scalars(
// CHECK:         %[[PA:.*]] = builtin.unrealized_conversion_cast %{{.*}} : memref<f16> to !llvm.ptr
// CHECK-NEXT:    %[[V:.*]] = llvm.load %[[PA]] {alignment = 2 : i64} : !llvm.ptr -> f16
// CHECK:         %[[PO:.*]] = builtin.unrealized_conversion_cast %{{.*}} : memref<2xf16> to !llvm.ptr
// CHECK-NEXT:    %[[Q:.*]] = llvm.getelementptr inbounds %[[PO]][1] : (!llvm.ptr) -> !llvm.ptr, f16
// CHECK-NEXT:    llvm.store %[[V]], %[[Q]] {alignment = 2 : i64} : f16, !llvm.ptr
// CHECK:         llvm.store %{{.*}}, %{{.*}} {alignment = 8 : i64} : i64, !llvm.ptr
func.func @scalars(%a: memref<f16>, %out: memref<2xf16>, %n: memref<1xi64>) {
  %v = memref.load %a[] : memref<f16>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  memref.store %v, %out[%c1] : memref<2xf16>
  %z = arith.constant 3 : i64
  memref.store %z, %n[%c0] : memref<1xi64>
  func.return
}

// alloc: mlc_alloc(max(64, alignment), size rounded up to it); a view is a
// byte offset into the arena; alloca is llvm.alloca; dealloc is mlc_free.
// CHECK-LABEL: func.func @arena(
// CHECK:         %[[AL:.*]] = llvm.mlir.constant(128) : i64
// CHECK-NEXT:    %[[SZ:.*]] = llvm.mlir.constant(128) : i64
// CHECK-NEXT:    %[[RAW:.*]] = llvm.call @mlc_alloc(%[[AL]], %[[SZ]]) : (i64, i64) -> !llvm.ptr
// CHECK-NEXT:    %[[ARENA:.*]] = builtin.unrealized_conversion_cast %[[RAW]] : !llvm.ptr to memref<100xi8>
// CHECK:         %[[BASE:.*]] = builtin.unrealized_conversion_cast %[[ARENA]] : memref<100xi8> to !llvm.ptr
// CHECK-NEXT:    %[[VIEW:.*]] = llvm.getelementptr inbounds %[[BASE]][64] : (!llvm.ptr) -> !llvm.ptr, i8
// CHECK:         %[[N:.*]] = llvm.mlir.constant(4) : i64
// CHECK-NEXT:    %{{.*}} = llvm.alloca %[[N]] x f64 {alignment = 8 : i64} : (i64) -> !llvm.ptr
// CHECK:         %[[X:.*]] = llvm.load %{{.*}} {alignment = 4 : i64} : !llvm.ptr -> f32
// CHECK:         llvm.store %{{.*}}, %{{.*}} {alignment = 8 : i64} : f64, !llvm.ptr
// CHECK:         llvm.call @mlc_free(%{{.*}}) : (!llvm.ptr) -> ()
// Without an alignment attribute the default is 64; the size is rounded up.
// CHECK:         %[[AL2:.*]] = llvm.mlir.constant(64) : i64
// CHECK-NEXT:    %[[SZ2:.*]] = llvm.mlir.constant(64) : i64
// CHECK-NEXT:    llvm.call @mlc_alloc(%[[AL2]], %[[SZ2]])
func.func @arena() {
  %arena = memref.alloc() {alignment = 128 : i64} : memref<100xi8>
  %c64 = arith.constant 64 : index
  %v = memref.view %arena[%c64][] : memref<100xi8> to memref<3xf32>
  %t = memref.alloca() : memref<2x2xf64>
  %c0 = arith.constant 0 : index
  %x = memref.load %v[%c0] : memref<3xf32>
  %y = arith.extf %x : f32 to f64
  memref.store %y, %t[%c0, %c0] : memref<2x2xf64>
  memref.dealloc %arena : memref<100xi8>
  %small = memref.alloc() : memref<3xf32>
  memref.dealloc %small : memref<3xf32>
  func.return
}

// subview: ptr + Σ offset_k * source_stride_k, static or dynamic; loads from
// the subview use its own strides.
// CHECK-LABEL: func.func @subviews(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: memref<4x6xf32>, %[[I:[a-z0-9]+]]: index
// CHECK:         %[[PA:.*]] = builtin.unrealized_conversion_cast %[[A]] : memref<4x6xf32> to !llvm.ptr
// CHECK-NEXT:    %[[PS:.*]] = llvm.getelementptr inbounds %[[PA]][8] : (!llvm.ptr) -> !llvm.ptr, f32
// CHECK:         %[[I64:.*]] = builtin.unrealized_conversion_cast %[[I]] : index to i64
// CHECK-NEXT:    %[[SIX:.*]] = llvm.mlir.constant(6) : i64
// CHECK-NEXT:    %[[ROW:.*]] = llvm.mul %[[I64]], %[[SIX]] : i64
// CHECK-NEXT:    %[[THREE:.*]] = llvm.mlir.constant(3) : i64
// CHECK-NEXT:    %[[OFF:.*]] = llvm.add %[[ROW]], %[[THREE]] : i64
// CHECK-NEXT:    %[[PA2:.*]] = builtin.unrealized_conversion_cast %[[A]] : memref<4x6xf32> to !llvm.ptr
// CHECK-NEXT:    %[[PD:.*]] = llvm.getelementptr inbounds %[[PA2]][%[[OFF]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK:         llvm.getelementptr inbounds %{{.*}}[7] : (!llvm.ptr) -> !llvm.ptr, f32
// CHECK:         llvm.getelementptr inbounds %{{.*}}[7] : (!llvm.ptr) -> !llvm.ptr, f32
func.func @subviews(%a: memref<4x6xf32>, %i: index) {
  %s = memref.subview %a[1, 2] [2, 3] [1, 1] : memref<4x6xf32> to memref<2x3xf32, strided<[6, 1], offset: 8>>
  %d = memref.subview %a[%i, 3] [2, 3] [1, 1] : memref<4x6xf32> to memref<2x3xf32, strided<[6, 1], offset: ?>>
  %c1 = arith.constant 1 : index
  %x = memref.load %s[%c1, %c1] : memref<2x3xf32, strided<[6, 1], offset: 8>>
  memref.store %x, %d[%c1, %c1] : memref<2x3xf32, strided<[6, 1], offset: ?>>
  func.return
}

// Reshapes and casts keep the pointer; reinterpret_cast moves it by the
// difference of the offsets.
// CHECK-LABEL: func.func @reshapes(
// CHECK-SAME:      %[[A:[a-z0-9]+]]: memref<1x2x3xf32>
// CHECK:         %[[P:.*]] = builtin.unrealized_conversion_cast %[[A]] : memref<1x2x3xf32> to !llvm.ptr
// CHECK-NEXT:    %{{.*}} = builtin.unrealized_conversion_cast %[[P]] : !llvm.ptr to memref<2x3xf32>
// CHECK:         %[[R:.*]] = llvm.getelementptr inbounds %{{.*}}[2] : (!llvm.ptr) -> !llvm.ptr, f32
// CHECK-NEXT:    %{{.*}} = builtin.unrealized_conversion_cast %[[R]] : !llvm.ptr to memref<4xf32, strided<[1], offset: 2>>
func.func @reshapes(%a: memref<1x2x3xf32>) {
  %c = memref.collapse_shape %a [[0, 1], [2]] : memref<1x2x3xf32> into memref<2x3xf32>
  %e = memref.expand_shape %c [[0], [1, 2]] output_shape [2, 3, 1] : memref<2x3xf32> into memref<2x3x1xf32>
  %r = memref.reinterpret_cast %a to offset: [2], sizes: [4], strides: [1] : memref<1x2x3xf32> to memref<4xf32, strided<[1], offset: 2>>
  %k = "memref.cast"(%r) : (memref<4xf32, strided<[1], offset: 2>>) -> memref<4xf32, strided<[1], offset: ?>>
  %c0 = arith.constant 0 : index
  %x = memref.load %e[%c0, %c0, %c0] : memref<2x3x1xf32>
  memref.store %x, %k[%c0] : memref<4xf32, strided<[1], offset: ?>>
  func.return
}

// A contiguous copy is one memcpy; a copy into a strided subview loops over
// the rows (LLVM blocks) and memcpys each contiguous row.
// CHECK-LABEL: func.func @copies(
// CHECK:         %[[BYTES:.*]] = llvm.mlir.constant(24) : i64
// CHECK-NEXT:    %{{.*}} = llvm.call @memcpy(%{{.*}}, %{{.*}}, %[[BYTES]]) : (!llvm.ptr, !llvm.ptr, i64) -> !llvm.ptr
// CHECK:         %[[SRC:.*]] = builtin.unrealized_conversion_cast %{{.*}} : memref<2x3xf32> to !llvm.ptr
// CHECK-NEXT:    %[[DST:.*]] = builtin.unrealized_conversion_cast %{{.*}} : memref<2x3xf32, strided<[5, 1], offset: 6>> to !llvm.ptr
// CHECK-NEXT:    %[[ZERO:.*]] = llvm.mlir.constant(0) : i64
// CHECK-NEXT:    llvm.br ^[[HEADER:.*]](%[[ZERO]] : i64)
// CHECK-NEXT:  ^[[HEADER]](%[[ROW:.*]]: i64):
// CHECK-NEXT:    %[[TWO:.*]] = llvm.mlir.constant(2) : i64
// CHECK-NEXT:    %[[LT:.*]] = llvm.icmp "slt" %[[ROW]], %[[TWO]] : i64
// CHECK-NEXT:    llvm.cond_br %[[LT]], ^[[BODY:.*]], ^[[EXIT:.*]]
// CHECK-NEXT:  ^[[BODY]]:
// CHECK-NEXT:    %[[THREE:.*]] = llvm.mlir.constant(3) : i64
// CHECK-NEXT:    %[[SOFF:.*]] = llvm.mul %[[ROW]], %[[THREE]] : i64
// CHECK-NEXT:    %[[S:.*]] = llvm.getelementptr inbounds %[[SRC]][%[[SOFF]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK-NEXT:    %[[FIVE:.*]] = llvm.mlir.constant(5) : i64
// CHECK-NEXT:    %[[DOFF:.*]] = llvm.mul %[[ROW]], %[[FIVE]] : i64
// CHECK-NEXT:    %[[D:.*]] = llvm.getelementptr inbounds %[[DST]][%[[DOFF]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK-NEXT:    %[[ROWBYTES:.*]] = llvm.mlir.constant(12) : i64
// CHECK-NEXT:    %{{.*}} = llvm.call @memcpy(%[[D]], %[[S]], %[[ROWBYTES]])
// CHECK-NEXT:    llvm.br ^[[NEXT:.*]]
// CHECK-NEXT:  ^[[NEXT]]:
// CHECK-NEXT:    %[[ONE:.*]] = llvm.mlir.constant(1) : i64
// CHECK-NEXT:    %[[INC:.*]] = llvm.add %[[ROW]], %[[ONE]] : i64
// CHECK-NEXT:    llvm.br ^[[HEADER]](%[[INC]] : i64)
// CHECK-NEXT:  ^[[EXIT]]:
// CHECK:         llvm.call @mlc_free(
// Non-unit innermost strides copy element by element.
// CHECK:         llvm.cond_br
// CHECK:         llvm.cond_br
// CHECK:         %[[E:.*]] = llvm.load %{{.*}} {alignment = 4 : i64} : !llvm.ptr -> f32
// CHECK-NEXT:    llvm.store %[[E]], %{{.*}} {alignment = 4 : i64} : f32, !llvm.ptr
// CHECK-NEXT:    llvm.br
func.func @copies(%a: memref<2x3xf32>, %b: memref<4x5xf32>, %c: memref<4x6xf32>) {
  %t = memref.alloc() : memref<2x3xf32>
  "memref.copy"(%a, %t) : (memref<2x3xf32>, memref<2x3xf32>) -> ()
  %s = memref.subview %b[1, 1] [2, 3] [1, 1] : memref<4x5xf32> to memref<2x3xf32, strided<[5, 1], offset: 6>>
  "memref.copy"(%a, %s) : (memref<2x3xf32>, memref<2x3xf32, strided<[5, 1], offset: 6>>) -> ()
  memref.dealloc %t : memref<2x3xf32>
  %u = memref.subview %c[0, 0] [2, 3] [2, 2] : memref<4x6xf32> to memref<2x3xf32, strided<[12, 2]>>
  "memref.copy"(%u, %a) : (memref<2x3xf32, strided<[12, 2]>>, memref<2x3xf32>) -> ()
  func.return
}

// Globals become flat constant arrays (a splat is expanded); private ones are
// internal. get_global is the global's address.
// CHECK:       llvm.mlir.global internal constant @g(dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<4xf32>) {addr_space = 0 : i32, alignment = 4 : i64} : !llvm.array<4 x f32>
// CHECK:       llvm.mlir.global external constant @splat(dense<2.500000e+00> : tensor<3xf32>) {addr_space = 0 : i32, alignment = 4 : i64} : !llvm.array<3 x f32>
// CHECK-LABEL: func.func @globals(
// CHECK:         %[[G:.*]] = llvm.mlir.addressof @g : !llvm.ptr
// CHECK:         llvm.getelementptr inbounds %{{.*}}[3] : (!llvm.ptr) -> !llvm.ptr, f32
"memref.global"() <{sym_name = "g", type = memref<2x2xf32>, initial_value = dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>, sym_visibility = "private", constant}> : () -> ()
"memref.global"() <{sym_name = "splat", type = memref<3xf32>, initial_value = dense<2.5> : tensor<3xf32>, sym_visibility = "public", constant}> : () -> ()
func.func @globals(%out: memref<f32>) {
  %g = memref.get_global @g : memref<2x2xf32>
  %c1 = arith.constant 1 : index
  %x = memref.load %g[%c1, %c1] : memref<2x2xf32>
  memref.store %x, %out[] : memref<f32>
  func.return
}

// C functions are declared once.
// CHECK:       llvm.func @mlc_alloc(i64, i64) -> !llvm.ptr
// CHECK-NEXT:  llvm.func @mlc_free(!llvm.ptr)
// CHECK-NEXT:  llvm.func @memcpy(!llvm.ptr, !llvm.ptr, i64) -> !llvm.ptr
