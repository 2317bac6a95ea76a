// RUN: mlc-opt %s -p convert-arith-to-llvm | filecheck %s
// RUN: not mlc-opt %S/Inputs/arith_to_llvm_tensor_constant.mlir -p convert-arith-to-llvm 2>&1 | filecheck %s --check-prefix=ERR

// Every arith op of the loop level becomes LLVM-dialect ops: integer and float
// arithmetic keep their overflow and fast-math flags; min/max become the LLVM
// intrinsics (maximumf/minimumf the NaN-propagating IEEE ones); the division
// ops LLVM lacks expand to sdiv/srem and selects; `index` is i64, bridged to
// not yet converted users by unrealized casts (reconcile-unrealized-casts folds
// them away once every user is converted).
// Numerics: tests/unit/lowering/test_arith_math_to_llvm.py; upstream
// acceptance: tests/filecheck/upstream/llvm_arith_math.mlir.

// ERR: {{^}}{{.*}}arith_to_llvm_tensor_constant.mlir:2:8: error: convert-arith-to-llvm could not lower 'arith.constant'{{$}}
// ERR-NOT: Traceback

// CHECK-LABEL: func.func @constants(
// CHECK-NEXT: %[[V0:.*]] = llvm.mlir.constant(-5 : i32) : i32
// CHECK-NEXT: %[[V1:.*]] = llvm.mlir.constant(7) : i64
// CHECK-NEXT: %[[V2:.*]] = builtin.unrealized_conversion_cast %[[V1]] : i64 to index
// CHECK-NEXT: %[[V3:.*]] = llvm.mlir.constant(0x7f800000 : f32) : f32
// CHECK-NEXT: %[[V4:.*]] = llvm.mlir.constant(1.500000e+00 : f16) : f16
// CHECK-NEXT: %[[V5:.*]] = llvm.mlir.constant(true) : i1
// CHECK-NEXT: %[[V6:.*]] = llvm.mlir.constant(dense<2.500000e+00> : vector<4xf32>) : vector<4xf32>
// CHECK-NEXT: %[[V7:.*]] = llvm.mlir.constant(dense<[1, -1]> : vector<2xi64>) : vector<2xi64>
// CHECK-NEXT: func.return %[[V0]], %[[V2]], %[[V3]], %[[V4]], %[[V5]], %[[V6]], %[[V7]] : i32, index, f32, f16, i1, vector<4xf32>, vector<2xi64>
func.func @constants() -> (i32, index, f32, f16, i1, vector<4xf32>, vector<2xi64>) {
  %0 = arith.constant -5 : i32
  %1 = arith.constant 7 : index
  %2 = arith.constant 0x7F800000 : f32
  %3 = arith.constant 1.5 : f16
  %4 = arith.constant true
  %5 = arith.constant dense<2.5> : vector<4xf32>
  %6 = arith.constant dense<[1, -1]> : vector<2xi64>
  return %0, %1, %2, %3, %4, %5, %6 : i32, index, f32, f16, i1, vector<4xf32>, vector<2xi64>
}

// CHECK-LABEL: func.func @integer_arithmetic(
// CHECK-NEXT: %[[V0:.*]] = llvm.add %a, %b overflow<nsw> : i32
// CHECK-NEXT: %[[V1:.*]] = llvm.sub %[[V0]], %b : i32
// CHECK-NEXT: %[[V2:.*]] = llvm.mul %[[V1]], %b overflow<nsw,nuw> : i32
// CHECK-NEXT: %[[V3:.*]] = llvm.sdiv %[[V2]], %b : i32
// CHECK-NEXT: %[[V4:.*]] = llvm.udiv %[[V3]], %b : i32
// CHECK-NEXT: %[[V5:.*]] = llvm.srem %[[V4]], %b : i32
// CHECK-NEXT: %[[V6:.*]] = llvm.urem %[[V5]], %b : i32
// CHECK-NEXT: %[[V7:.*]] = llvm.and %[[V6]], %b : i32
// CHECK-NEXT: %[[V8:.*]] = llvm.or %[[V7]], %b : i32
// CHECK-NEXT: %[[V9:.*]] = llvm.xor %[[V8]], %b : i32
// CHECK-NEXT: %[[V10:.*]] = llvm.shl %[[V9]], %b : i32
// CHECK-NEXT: %[[V11:.*]] = llvm.ashr %[[V10]], %b : i32
// CHECK-NEXT: %[[V12:.*]] = llvm.lshr %[[V11]], %b : i32
// CHECK-NEXT: %[[V13:.*]] = llvm.intr.smax(%[[V12]], %b) : (i32, i32) -> i32
// CHECK-NEXT: %[[V14:.*]] = llvm.intr.smin(%[[V13]], %b) : (i32, i32) -> i32
// CHECK-NEXT: %[[V15:.*]] = llvm.intr.umax(%[[V14]], %b) : (i32, i32) -> i32
// CHECK-NEXT: %[[V16:.*]] = llvm.intr.umin(%[[V15]], %b) : (i32, i32) -> i32
// CHECK-NEXT: func.return %[[V16]] : i32
func.func @integer_arithmetic(%a: i32, %b: i32) -> i32 {
  %0 = arith.addi %a, %b overflow<nsw> : i32
  %1 = arith.subi %0, %b : i32
  %2 = arith.muli %1, %b overflow<nsw, nuw> : i32
  %3 = arith.divsi %2, %b : i32
  %4 = arith.divui %3, %b : i32
  %5 = arith.remsi %4, %b : i32
  %6 = arith.remui %5, %b : i32
  %7 = arith.andi %6, %b : i32
  %8 = arith.ori %7, %b : i32
  %9 = arith.xori %8, %b : i32
  %10 = arith.shli %9, %b : i32
  %11 = arith.shrsi %10, %b : i32
  %12 = arith.shrui %11, %b : i32
  %13 = arith.maxsi %12, %b : i32
  %14 = arith.minsi %13, %b : i32
  %15 = arith.maxui %14, %b : i32
  %16 = arith.minui %15, %b : i32
  return %16 : i32
}

// CHECK-LABEL: func.func @floordivsi(
// CHECK-NEXT: %[[V0:.*]] = llvm.sdiv %a, %b : i64
// CHECK-NEXT: %[[V1:.*]] = llvm.srem %a, %b : i64
// CHECK-NEXT: %[[V2:.*]] = llvm.mlir.constant(0) : i64
// CHECK-NEXT: %[[V3:.*]] = llvm.mlir.constant(1) : i64
// CHECK-NEXT: %[[V4:.*]] = llvm.icmp "ne" %[[V1]], %[[V2]] : i64
// CHECK-NEXT: %[[V5:.*]] = llvm.icmp "slt" %[[V1]], %[[V2]] : i64
// CHECK-NEXT: %[[V6:.*]] = llvm.icmp "slt" %b, %[[V2]] : i64
// CHECK-NEXT: %[[V7:.*]] = llvm.xor %[[V5]], %[[V6]] : i1
// CHECK-NEXT: %[[V8:.*]] = llvm.and %[[V4]], %[[V7]] : i1
// CHECK-NEXT: %[[V9:.*]] = llvm.sub %[[V0]], %[[V3]] : i64
// CHECK-NEXT: %[[V10:.*]] = llvm.select %[[V8]], %[[V9]], %[[V0]] : i1, i64
// CHECK-NEXT: func.return %[[V10]] : i64
func.func @floordivsi(%a: i64, %b: i64) -> i64 {
  %0 = arith.floordivsi %a, %b : i64
  return %0 : i64
}

// CHECK-LABEL: func.func @ceildivsi(
// CHECK-NEXT: %[[V0:.*]] = llvm.sdiv %a, %b : i8
// CHECK-NEXT: %[[V1:.*]] = llvm.srem %a, %b : i8
// CHECK-NEXT: %[[V2:.*]] = llvm.mlir.constant(0 : i8) : i8
// CHECK-NEXT: %[[V3:.*]] = llvm.mlir.constant(1 : i8) : i8
// CHECK-NEXT: %[[V4:.*]] = llvm.icmp "ne" %[[V1]], %[[V2]] : i8
// CHECK-NEXT: %[[V5:.*]] = llvm.icmp "slt" %[[V1]], %[[V2]] : i8
// CHECK-NEXT: %[[V6:.*]] = llvm.icmp "slt" %b, %[[V2]] : i8
// CHECK-NEXT: %[[V7:.*]] = llvm.icmp "eq" %[[V5]], %[[V6]] : i1
// CHECK-NEXT: %[[V8:.*]] = llvm.and %[[V4]], %[[V7]] : i1
// CHECK-NEXT: %[[V9:.*]] = llvm.add %[[V0]], %[[V3]] : i8
// CHECK-NEXT: %[[V10:.*]] = llvm.select %[[V8]], %[[V9]], %[[V0]] : i1, i8
// CHECK-NEXT: func.return %[[V10]] : i8
func.func @ceildivsi(%a: i8, %b: i8) -> i8 {
  %0 = arith.ceildivsi %a, %b : i8
  return %0 : i8
}

// CHECK-LABEL: func.func @ceildivui(
// CHECK-NEXT: %[[V0:.*]] = llvm.udiv %a, %b : i16
// CHECK-NEXT: %[[V1:.*]] = llvm.urem %a, %b : i16
// CHECK-NEXT: %[[V2:.*]] = llvm.mlir.constant(0 : i16) : i16
// CHECK-NEXT: %[[V3:.*]] = llvm.icmp "ne" %[[V1]], %[[V2]] : i16
// CHECK-NEXT: %[[V4:.*]] = llvm.zext %[[V3]] : i1 to i16
// CHECK-NEXT: %[[V5:.*]] = llvm.add %[[V0]], %[[V4]] : i16
// CHECK-NEXT: func.return %[[V5]] : i16
func.func @ceildivui(%a: i16, %b: i16) -> i16 {
  %0 = arith.ceildivui %a, %b : i16
  return %0 : i16
}

// CHECK-LABEL: func.func @float_arithmetic(
// CHECK-NEXT: %[[V0:.*]] = llvm.fadd %x, %y {fastmathFlags = #llvm.fastmath<fast>} : f32
// CHECK-NEXT: %[[V1:.*]] = llvm.fsub %[[V0]], %y : f32
// CHECK-NEXT: %[[V2:.*]] = llvm.fmul %[[V1]], %y {fastmathFlags = #llvm.fastmath<nnan,contract>} : f32
// CHECK-NEXT: %[[V3:.*]] = llvm.fdiv %[[V2]], %y : f32
// CHECK-NEXT: %[[V4:.*]] = llvm.fneg %[[V3]] : f32
// CHECK-NEXT: %[[V5:.*]] = llvm.intr.maximum(%[[V4]], %y) : (f32, f32) -> f32
// CHECK-NEXT: %[[V6:.*]] = llvm.intr.minimum(%[[V5]], %y) {fastmathFlags = #llvm.fastmath<nsz>} : (f32, f32) -> f32
// CHECK-NEXT: %[[V7:.*]] = llvm.intr.maxnum(%[[V6]], %y) : (f32, f32) -> f32
// CHECK-NEXT: %[[V8:.*]] = llvm.intr.minnum(%[[V7]], %y) : (f32, f32) -> f32
// CHECK-NEXT: func.return %[[V8]] : f32
func.func @float_arithmetic(%x: f32, %y: f32) -> f32 {
  %0 = arith.addf %x, %y fastmath<fast> : f32
  %1 = arith.subf %0, %y : f32
  %2 = arith.mulf %1, %y fastmath<nnan,contract> : f32
  %3 = arith.divf %2, %y : f32
  %4 = arith.negf %3 : f32
  %5 = arith.maximumf %4, %y : f32
  %6 = arith.minimumf %5, %y fastmath<nsz> : f32
  %7 = arith.maxnumf %6, %y : f32
  %8 = arith.minnumf %7, %y : f32
  return %8 : f32
}

// CHECK-LABEL: func.func @vector_arithmetic(
// CHECK-NEXT: %[[V0:.*]] = llvm.fmul %x, %x : vector<4xf64>
// CHECK-NEXT: %[[V1:.*]] = llvm.intr.maximum(%[[V0]], %x) : (vector<4xf64>, vector<4xf64>) -> vector<4xf64>
// CHECK-NEXT: %[[V2:.*]] = llvm.add %a, %a : vector<8xi16>
// CHECK-NEXT: %[[V3:.*]] = llvm.intr.umax(%[[V2]], %a) : (vector<8xi16>, vector<8xi16>) -> vector<8xi16>
// CHECK-NEXT: func.return %[[V1]], %[[V3]] : vector<4xf64>, vector<8xi16>
func.func @vector_arithmetic(%x: vector<4xf64>, %a: vector<8xi16>) -> (vector<4xf64>, vector<8xi16>) {
  %0 = arith.mulf %x, %x : vector<4xf64>
  %1 = arith.maximumf %0, %x : vector<4xf64>
  %2 = arith.addi %a, %a : vector<8xi16>
  %3 = arith.maxui %2, %a : vector<8xi16>
  return %1, %3 : vector<4xf64>, vector<8xi16>
}

// CHECK-LABEL: func.func @comparisons(
// CHECK-NEXT: %[[V0:.*]] = llvm.icmp "eq" %a, %b : i32
// CHECK-NEXT: %[[V1:.*]] = llvm.icmp "slt" %a, %b : i32
// CHECK-NEXT: %[[V2:.*]] = llvm.icmp "uge" %a, %b : i32
// CHECK-NEXT: %[[V3:.*]] = llvm.fcmp "oeq" %x, %y : f16
// CHECK-NEXT: %[[V4:.*]] = llvm.fcmp "ult" %x, %y : f16
// CHECK-NEXT: %[[V5:.*]] = llvm.fcmp "uno" %x, %y : f16
// CHECK-NEXT: %[[V6:.*]] = llvm.select %[[V1]], %a, %b : i1, i32
// CHECK-NEXT: func.return %[[V0]], %[[V1]], %[[V2]], %[[V3]], %[[V4]], %[[V5]], %[[V6]] : i1, i1, i1, i1, i1, i1, i32
func.func @comparisons(%a: i32, %b: i32, %x: f16, %y: f16) -> (i1, i1, i1, i1, i1, i1, i32) {
  %0 = arith.cmpi eq, %a, %b : i32
  %1 = arith.cmpi slt, %a, %b : i32
  %2 = arith.cmpi uge, %a, %b : i32
  %3 = arith.cmpf oeq, %x, %y : f16
  %4 = arith.cmpf ult, %x, %y : f16
  %5 = arith.cmpf uno, %x, %y : f16
  %6 = arith.select %1, %a, %b : i32
  return %0, %1, %2, %3, %4, %5, %6 : i1, i1, i1, i1, i1, i1, i32
}

// CHECK-LABEL: func.func @casts(
// CHECK-NEXT: %[[V0:.*]] = llvm.fpext %h : f16 to f32
// CHECK-NEXT: %[[V1:.*]] = llvm.fptrunc %d : f64 to f16
// CHECK-NEXT: %[[V2:.*]] = llvm.sext %c : i8 to i32
// CHECK-NEXT: %[[V3:.*]] = llvm.zext %i : i32 to i64
// CHECK-NEXT: %[[V4:.*]] = llvm.trunc %l : i64 to i8
// CHECK-NEXT: %[[V5:.*]] = llvm.sitofp %i : i32 to f32
// CHECK-NEXT: %[[V6:.*]] = llvm.uitofp %l : i64 to f64
// CHECK-NEXT: %[[V7:.*]] = llvm.fptosi %f : f32 to i32
// CHECK-NEXT: %[[V8:.*]] = llvm.fptoui %d : f64 to i64
// CHECK-NEXT: %[[V9:.*]] = llvm.bitcast %i : i32 to f32
// CHECK-NEXT: %[[V10:.*]] = llvm.bitcast %f : f32 to i32
// CHECK-NEXT: func.return %[[V0]], %[[V1]], %[[V2]], %[[V3]], %[[V4]], %[[V5]], %[[V6]], %[[V7]], %[[V8]], %[[V9]], %[[V10]] : f32, f16, i32, i64, i8, f32, f64, i32, i64, f32, i32
func.func @casts(%h: f16, %f: f32, %d: f64, %c: i8, %i: i32, %l: i64) -> (f32, f16, i32, i64, i8, f32, f64, i32, i64, f32, i32) {
  %0 = arith.extf %h : f16 to f32
  %1 = arith.truncf %d : f64 to f16
  %2 = arith.extsi %c : i8 to i32
  %3 = arith.extui %i : i32 to i64
  %4 = arith.trunci %l : i64 to i8
  %5 = arith.sitofp %i : i32 to f32
  %6 = arith.uitofp %l : i64 to f64
  %7 = arith.fptosi %f : f32 to i32
  %8 = arith.fptoui %d : f64 to i64
  %9 = arith.bitcast %i : i32 to f32
  %10 = arith.bitcast %f : f32 to i32
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10 : f32, f16, i32, i64, i8, f32, f64, i32, i64, f32, i32
}

// CHECK-LABEL: func.func @index_values(
// CHECK-NEXT: %[[V0:.*]] = llvm.mlir.constant(2) : i64
// CHECK-NEXT: %[[C2:.*]] = builtin.unrealized_conversion_cast %[[V0]] : i64 to index
// CHECK-NEXT: %[[V1:.*]] = builtin.unrealized_conversion_cast %n : index to i64
// CHECK-NEXT: %[[V2:.*]] = builtin.unrealized_conversion_cast %[[C2]] : index to i64
// CHECK-NEXT: %[[V3:.*]] = llvm.mul %[[V1]], %[[V2]] : i64
// CHECK-NEXT: %[[V4:.*]] = builtin.unrealized_conversion_cast %[[V3]] : i64 to index
// CHECK-NEXT: %[[V5:.*]] = builtin.unrealized_conversion_cast %[[V4]] : index to i64
// CHECK-NEXT: %[[V6:.*]] = llvm.trunc %[[V5]] : i64 to i32
// CHECK-NEXT: %[[V7:.*]] = builtin.unrealized_conversion_cast %[[V4]] : index to i64
// CHECK-NEXT: %[[V8:.*]] = llvm.sext %i : i32 to i64
// CHECK-NEXT: %[[V9:.*]] = builtin.unrealized_conversion_cast %[[V8]] : i64 to index
// CHECK-NEXT: %[[V10:.*]] = builtin.unrealized_conversion_cast %[[V9]] : index to i64
// CHECK-NEXT: %[[V11:.*]] = builtin.unrealized_conversion_cast %[[V4]] : index to i64
// CHECK-NEXT: %[[V12:.*]] = llvm.add %[[V10]], %[[V11]] : i64
// CHECK-NEXT: %[[V13:.*]] = builtin.unrealized_conversion_cast %[[V12]] : i64 to index
// CHECK-NEXT: func.return %[[V13]], %[[V6]], %[[V7]], %[[V9]] : index, i32, i64, index
func.func @index_values(%n: index, %i: i32, %l: i64) -> (index, i32, i64, index) {
  %c2 = arith.constant 2 : index
  %0 = arith.muli %n, %c2 : index
  %1 = arith.index_cast %0 : index to i32
  %2 = arith.index_cast %0 : index to i64
  %3 = arith.index_cast %i : i32 to index
  %4 = arith.addi %3, %0 : index
  return %4, %1, %2, %3 : index, i32, i64, index
}

// Compares and selects on vectors (masks), and the bit casts the vector math
// expansions use: lane-wise LLVM ops on the same vector types.
// CHECK-LABEL: func.func @vector_masks(
// CHECK-SAME:      %[[A:.*]]: vector<16xf32>, %[[I:.*]]: vector<16xi32>)
// CHECK-NEXT:    %[[M:.*]] = llvm.fcmp "olt" %[[A]], %[[A]] : vector<16xf32>
// CHECK-NEXT:    %[[N:.*]] = llvm.icmp "sgt" %[[I]], %[[I]] : vector<16xi32>
// CHECK-NEXT:    %[[S:.*]] = llvm.select %[[M]], %[[A]], %[[A]] : vector<16xi1>, vector<16xf32>
// CHECK-NEXT:    %[[B:.*]] = llvm.bitcast %[[S]] : vector<16xf32> to vector<16xi32>
// CHECK-NEXT:    %[[T:.*]] = llvm.select %[[N]], %[[B]], %[[I]] : vector<16xi1>, vector<16xi32>
// CHECK-NEXT:    %[[C:.*]] = llvm.mlir.constant(dense<23> : vector<16xi32>) : vector<16xi32>
// CHECK-NEXT:    %[[SH:.*]] = llvm.shl %[[T]], %[[C]] : vector<16xi32>
// CHECK-NEXT:    %{{.*}} = llvm.bitcast %[[SH]] : vector<16xi32> to vector<16xf32>
func.func @vector_masks(%a: vector<16xf32>, %i: vector<16xi32>) -> vector<16xf32> {
  %m = arith.cmpf olt, %a, %a : vector<16xf32>
  %n = arith.cmpi sgt, %i, %i : vector<16xi32>
  %s = arith.select %m, %a, %a : vector<16xi1>, vector<16xf32>
  %b = arith.bitcast %s : vector<16xf32> to vector<16xi32>
  %t = arith.select %n, %b, %i : vector<16xi1>, vector<16xi32>
  %c = arith.constant dense<23> : vector<16xi32>
  %sh = arith.shli %t, %c : vector<16xi32>
  %f = arith.bitcast %sh : vector<16xi32> to vector<16xf32>
  func.return %f : vector<16xf32>
}

// CHECK-LABEL: func.func @float_remainder(
// CHECK-NEXT: %[[R:.*]] = llvm.frem %x, %y : f32
// CHECK-NEXT: %[[V:.*]] = llvm.frem %v, %v {fastmathFlags = #llvm.fastmath<nnan>} : vector<4xf64>
func.func @float_remainder(%x: f32, %y: f32, %v: vector<4xf64>) -> (f32, vector<4xf64>) {
  %0 = arith.remf %x, %y : f32
  %1 = arith.remf %v, %v fastmath<nnan> : vector<4xf64>
  return %0, %1 : f32, vector<4xf64>
}

// bf16 is its bits, i16: extf puts them in the high half of an f32 (then
// fpext to f64); truncf rounds to nearest even and keeps NaN a quiet NaN;
// constants are their bits; a bitcast from i16 is nothing.
// CHECK-LABEL: func.func @bf16(
// CHECK-SAME:      %[[X:.*]]: i16, %[[Y:.*]]: f64)
// CHECK-NEXT:    %[[XB:.*]] = builtin.unrealized_conversion_cast %[[X]] : i16 to bf16
// CHECK-NEXT:    %[[XI:.*]] = builtin.unrealized_conversion_cast %[[XB]] : bf16 to i16
// CHECK-NEXT:    %[[Z:.*]] = llvm.zext %[[XI]] : i16 to i32
// CHECK-NEXT:    %[[C16:.*]] = llvm.mlir.constant(16 : i32) : i32
// CHECK-NEXT:    %[[HI:.*]] = llvm.shl %[[Z]], %[[C16]] : i32
// CHECK-NEXT:    %[[F:.*]] = llvm.bitcast %[[HI]] : i32 to f32
// CHECK-NEXT:    %[[D:.*]] = llvm.fpext %[[F]] : f32 to f64
// CHECK-NEXT:    %[[S:.*]] = llvm.fadd %[[D]], %[[Y]] : f64
// CHECK-NEXT:    %[[N:.*]] = llvm.fptrunc %[[S]] : f64 to f32
// CHECK-NEXT:    %[[BITS:.*]] = llvm.bitcast %[[N]] : f32 to i32
// CHECK-NEXT:    %[[SIXTEEN:.*]] = llvm.mlir.constant(16 : i32) : i32
// CHECK-NEXT:    %[[TOP:.*]] = llvm.lshr %[[BITS]], %[[SIXTEEN]] : i32
// CHECK-NEXT:    %[[ONE:.*]] = llvm.mlir.constant(1 : i32) : i32
// CHECK-NEXT:    %[[ODD:.*]] = llvm.and %[[TOP]], %[[ONE]] : i32
// CHECK-NEXT:    %[[HALF:.*]] = llvm.mlir.constant(32767 : i32) : i32
// CHECK-NEXT:    %[[BIAS:.*]] = llvm.add %[[ODD]], %[[HALF]] : i32
// CHECK-NEXT:    %[[SUM:.*]] = llvm.add %[[BITS]], %[[BIAS]] : i32
// CHECK-NEXT:    %[[ROUND:.*]] = llvm.lshr %[[SUM]], %[[SIXTEEN]] : i32
// CHECK-NEXT:    %[[QBIT:.*]] = llvm.mlir.constant(64 : i32) : i32
// CHECK-NEXT:    %[[QUIET:.*]] = llvm.or %[[TOP]], %[[QBIT]] : i32
// CHECK-NEXT:    %[[NAN:.*]] = llvm.fcmp "uno" %[[N]], %[[N]] : f32
// CHECK-NEXT:    %[[PICK:.*]] = llvm.select %[[NAN]], %[[QUIET]], %[[ROUND]] : i1, i32
// CHECK-NEXT:    %[[T:.*]] = llvm.trunc %[[PICK]] : i32 to i16
// CHECK-NEXT:    %[[TB:.*]] = builtin.unrealized_conversion_cast %[[T]] : i16 to bf16
// CHECK-NEXT:    %[[K:.*]] = llvm.mlir.constant(16256 : i16) : i16
// CHECK-NEXT:    %[[KB:.*]] = builtin.unrealized_conversion_cast %[[K]] : i16 to bf16
// CHECK-NEXT:    func.return %[[TB]], %[[KB]] : bf16, bf16
func.func @bf16(%x: i16, %y: f64) -> (bf16, bf16) {
  %b = arith.bitcast %x : i16 to bf16
  %d = arith.extf %b : bf16 to f64
  %s = arith.addf %d, %y : f64
  %t = arith.truncf %s : f64 to bf16
  %k = arith.constant 1.0 : bf16
  func.return %t, %k : bf16, bf16
}

// On vectors alike, lane by lane.
// CHECK-LABEL: func.func @bf16_vectors(
// CHECK:         llvm.zext %{{.*}} : vector<8xi16> to vector<8xi32>
// CHECK:         llvm.mlir.constant(dense<16> : vector<8xi32>) : vector<8xi32>
// CHECK:         llvm.bitcast %{{.*}} : vector<8xi32> to vector<8xf32>
// CHECK:         llvm.fcmp "uno" %{{.*}}, %{{.*}} : vector<8xf32>
// CHECK:         llvm.trunc %{{.*}} : vector<8xi32> to vector<8xi16>
// CHECK:         llvm.mlir.constant(dense<[16256, -16384, 0, 16457, 256, -32768, 17096, 15360]> : vector<8xi16>) : vector<8xi16>
func.func @bf16_vectors(%x: vector<8xi16>) -> (vector<8xbf16>, vector<8xbf16>) {
  %b = arith.bitcast %x : vector<8xi16> to vector<8xbf16>
  %f = arith.extf %b : vector<8xbf16> to vector<8xf32>
  %t = arith.truncf %f : vector<8xf32> to vector<8xbf16>
  %k = arith.constant dense<[1.0, -2.0, 0.0, 3.140625, 2.3509887e-38, -0.0, 100.0, 0.0078125]> : vector<8xbf16>
  func.return %t, %k : vector<8xbf16>, vector<8xbf16>
}
