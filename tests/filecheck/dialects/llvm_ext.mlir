// RUN: MLC_ROUNDTRIP
// RUN: MLC_GENERIC_ROUNDTRIP

// The llvm ops that xDSL 0.74's llvm dialect lacks round-trip in mlc-opt
// (registered by dialects/llvm_ext.py as `llvm`), in upstream MLIR's syntax;
// upstream/llvm_ext.mlir checks that real mlir-opt reads what mlc prints.

// CHECK-LABEL: llvm.func @casts(
// CHECK-SAME:      %[[I:.*]]: i32, %[[F:.*]]: f64)
// CHECK-NEXT:    %{{.*}} = llvm.uitofp %[[I]] : i32 to f32
// CHECK-NEXT:    %{{.*}} = llvm.fptosi %[[F]] : f64 to i64
// CHECK-NEXT:    %{{.*}} = llvm.fptoui %[[F]] : f64 to i16
llvm.func @casts(%i: i32, %f: f64) {
  %0 = llvm.uitofp %i : i32 to f32
  %1 = llvm.fptosi %f : f64 to i64
  %2 = llvm.fptoui %f : f64 to i16
  llvm.return
}

// CHECK-LABEL: llvm.func @float_intrinsics(
// CHECK-SAME:      %[[X:.*]]: f32, %[[Y:.*]]: f32, %[[V:.*]]: vector<4xf16>, %[[N:.*]]: i32)
// CHECK-NEXT:    %{{.*}} = llvm.intr.maximum(%[[X]], %[[Y]]) : (f32, f32) -> f32
// CHECK-NEXT:    %{{.*}} = llvm.intr.minimum(%[[V]], %[[V]]) {fastmathFlags = #llvm.fastmath<nnan>} : (vector<4xf16>, vector<4xf16>) -> vector<4xf16>
// CHECK-NEXT:    %{{.*}} = llvm.intr.log10(%[[X]]) : (f32) -> f32
// CHECK-NEXT:    %{{.*}} = llvm.intr.round(%[[X]]) : (f32) -> f32
// CHECK-NEXT:    %{{.*}} = llvm.intr.roundeven(%[[V]]) : (vector<4xf16>) -> vector<4xf16>
// CHECK-NEXT:    %{{.*}} = llvm.intr.trunc(%[[X]]) : (f32) -> f32
// CHECK-NEXT:    %{{.*}} = llvm.intr.tanh(%[[X]]) {fastmathFlags = #llvm.fastmath<afn>} : (f32) -> f32
// CHECK-NEXT:    %{{.*}} = llvm.intr.powi(%[[X]], %[[N]]) : (f32, i32) -> f32
llvm.func @float_intrinsics(%x: f32, %y: f32, %v: vector<4xf16>, %n: i32) {
  %0 = llvm.intr.maximum(%x, %y) : (f32, f32) -> f32
  %1 = llvm.intr.minimum(%v, %v) {fastmathFlags = #llvm.fastmath<nnan>} : (vector<4xf16>, vector<4xf16>) -> vector<4xf16>
  %2 = llvm.intr.log10(%x) : (f32) -> f32
  %3 = llvm.intr.round(%x) : (f32) -> f32
  %4 = llvm.intr.roundeven(%v) : (vector<4xf16>) -> vector<4xf16>
  %5 = llvm.intr.trunc(%x) : (f32) -> f32
  %6 = llvm.intr.tanh(%x) {fastmathFlags = #llvm.fastmath<afn>} : (f32) -> f32
  %7 = llvm.intr.powi(%x, %n) : (f32, i32) -> f32
  llvm.return
}

// CHECK-LABEL: llvm.func @integer_intrinsics(
// CHECK-SAME:      %[[A:.*]]: i8, %[[B:.*]]: i8, %[[V:.*]]: vector<2xi64>)
// CHECK-NEXT:    %{{.*}} = llvm.intr.smax(%[[A]], %[[B]]) : (i8, i8) -> i8
// CHECK-NEXT:    %{{.*}} = llvm.intr.smin(%[[A]], %[[B]]) : (i8, i8) -> i8
// CHECK-NEXT:    %{{.*}} = llvm.intr.umax(%[[V]], %[[V]]) : (vector<2xi64>, vector<2xi64>) -> vector<2xi64>
// CHECK-NEXT:    %{{.*}} = llvm.intr.umin(%[[A]], %[[B]]) : (i8, i8) -> i8
// CHECK-NEXT:    %{{.*}} = "llvm.intr.abs"(%[[A]]) <{is_int_min_poison = false}> : (i8) -> i8
llvm.func @integer_intrinsics(%a: i8, %b: i8, %v: vector<2xi64>) {
  %0 = llvm.intr.smax(%a, %b) : (i8, i8) -> i8
  %1 = llvm.intr.smin(%a, %b) : (i8, i8) -> i8
  %2 = llvm.intr.umax(%v, %v) : (vector<2xi64>, vector<2xi64>) -> vector<2xi64>
  %3 = llvm.intr.umin(%a, %b) : (i8, i8) -> i8
  %4 = "llvm.intr.abs"(%a) <{is_int_min_poison = false}> : (i8) -> i8
  llvm.return
}

// CHECK-LABEL: llvm.func @vector_elements(
// CHECK-SAME:      %[[V:.*]]: vector<4xi32>, %[[I:.*]]: i64)
// CHECK-NEXT:    %{{.*}} = llvm.extractelement %[[V]][%[[I]] : i64] : vector<4xi32>
llvm.func @vector_elements(%v: vector<4xi32>, %i: i64) {
  %0 = llvm.extractelement %v[%i : i64] : vector<4xi32>
  llvm.return
}

// A cache hint (upstream prints the generic form): read, keep in every level,
// data cache.
// CHECK-LABEL: llvm.func @prefetch(
// CHECK-SAME:      %[[P:.*]]: !llvm.ptr)
// CHECK-NEXT:    "llvm.intr.prefetch"(%[[P]]) <{cache = 1 : i32, hint = 3 : i32, rw = 0 : i32}> : (!llvm.ptr) -> ()
// CHECK-NEXT:    "llvm.intr.prefetch"(%[[P]]) <{cache = 1 : i32, hint = 0 : i32, rw = 1 : i32}> : (!llvm.ptr) -> ()
llvm.func @prefetch(%p: !llvm.ptr) {
  "llvm.intr.prefetch"(%p) <{cache = 1 : i32, hint = 3 : i32, rw = 0 : i32}> : (!llvm.ptr) -> ()
  "llvm.intr.prefetch"(%p) <{cache = 1 : i32, hint = 0 : i32, rw = 1 : i32}> : (!llvm.ptr) -> ()
  llvm.return
}

// Compares and selects lane by lane, and the masked load (xDSL 0.74's
// llvm.fcmp and llvm.select take scalars only).
// CHECK-LABEL: llvm.func @vector_masks(
// CHECK-SAME:      %[[A:.*]]: vector<16xf32>, %[[P:.*]]: !llvm.ptr, %[[X:.*]]: f32)
// CHECK-NEXT:    %[[M:.*]] = llvm.fcmp "olt" %[[A]], %[[A]] : vector<16xf32>
// CHECK-NEXT:    %[[S:.*]] = llvm.select %[[M]], %[[A]], %[[A]] : vector<16xi1>, vector<16xf32>
// CHECK-NEXT:    %{{.*}} = llvm.intr.masked.load %[[P]], %[[M]], %[[S]] {alignment = 4 : i32} : (!llvm.ptr, vector<16xi1>, vector<16xf32>) -> vector<16xf32>
// CHECK-NEXT:    %[[C:.*]] = llvm.fcmp "uno" %[[X]], %[[X]] : f32
// CHECK-NEXT:    %{{.*}} = llvm.select %[[C]], %[[X]], %[[X]] : i1, f32
llvm.func @vector_masks(%a: vector<16xf32>, %p: !llvm.ptr, %x: f32) {
  %m = llvm.fcmp "olt" %a, %a : vector<16xf32>
  %s = llvm.select %m, %a, %a : vector<16xi1>, vector<16xf32>
  %l = llvm.intr.masked.load %p, %m, %s {alignment = 4 : i32} : (!llvm.ptr, vector<16xi1>, vector<16xf32>) -> vector<16xf32>
  %c = llvm.fcmp "uno" %x, %x : f32
  %t = llvm.select %c, %x, %x : i1, f32
  llvm.return
}
