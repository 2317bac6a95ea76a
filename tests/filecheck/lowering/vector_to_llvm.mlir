// RUN: mlc-opt %s -p convert-vector-to-llvm | filecheck %s
// RUN: not mlc-opt %S/Inputs/vector_to_llvm_2d.mlir -p convert-vector-to-llvm 2>&1 | filecheck %s --check-prefix=ERR

// The 1-D vector ops of a vectorized loop level: vector.load/store address
// the memref element [i, j] as memref.load does (ptr + i * 8 + j for
// memref<4x8xf32>) and move the whole vector with the element's alignment;
// broadcast is insertelement + a zero-mask shufflevector; reductions are
// llvm.intr.vector.reduce.* (float add/mul start from the accumulator or the
// neutral element; other kinds combine an accumulator with the scalar op).
// Numerics: tests/unit/lowering/test_vector_to_llvm.py.

// ERR: {{^}}{{.*}}vector_to_llvm_2d.mlir:2:8: error: convert-vector-to-llvm: only 1-D vectors are supported, not vector<2x4xf32>{{$}}
// ERR-NOT: Traceback

// CHECK-LABEL: func.func @load_store(
// CHECK-NEXT: %[[C0:.*]] = arith.constant 0 : index
// CHECK-NEXT: %[[V0:.*]] = builtin.unrealized_conversion_cast %a : memref<4x8xf32> to !llvm.ptr
// CHECK-NEXT: %[[V1:.*]] = builtin.unrealized_conversion_cast %i : index to i64
// CHECK-NEXT: %[[V2:.*]] = llvm.mlir.constant(8) : i64
// CHECK-NEXT: %[[V3:.*]] = llvm.mul %[[V1]], %[[V2]] : i64
// CHECK-NEXT: %[[V4:.*]] = llvm.getelementptr inbounds %[[V0]][%[[V3]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK-NEXT: %[[V:.*]] = llvm.load %[[V4]] {alignment = 4 : i64} : !llvm.ptr -> vector<8xf32>
// CHECK-NEXT: %[[V5:.*]] = builtin.unrealized_conversion_cast %out : memref<4x8xf32> to !llvm.ptr
// CHECK-NEXT: %[[V6:.*]] = builtin.unrealized_conversion_cast %i : index to i64
// CHECK-NEXT: %[[V7:.*]] = llvm.mlir.constant(8) : i64
// CHECK-NEXT: %[[V8:.*]] = llvm.mul %[[V6]], %[[V7]] : i64
// CHECK-NEXT: %[[V9:.*]] = llvm.getelementptr inbounds %[[V5]][%[[V8]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK-NEXT: llvm.store %[[V]], %[[V9]] {alignment = 4 : i64} : vector<8xf32>, !llvm.ptr
// CHECK-NEXT: func.return
func.func @load_store(%a: memref<4x8xf32>, %out: memref<4x8xf32>, %i: index) {
  %c0 = arith.constant 0 : index
  %v = vector.load %a[%i, %c0] : memref<4x8xf32>, vector<8xf32>
  vector.store %v, %out[%i, %c0] : memref<4x8xf32>, vector<8xf32>
  return
}

// CHECK-LABEL: func.func @strided_load(
// CHECK-NEXT: %[[C1:.*]] = arith.constant 1 : index
// CHECK-NEXT: %[[C0:.*]] = arith.constant 0 : index
// CHECK-NEXT: %[[V0:.*]] = builtin.unrealized_conversion_cast %a : memref<4x2xf16, strided<[3, 1], offset: 1>> to !llvm.ptr
// CHECK-NEXT: %[[V1:.*]] = llvm.getelementptr inbounds %[[V0]][3] : (!llvm.ptr) -> !llvm.ptr, f16
// CHECK-NEXT: %[[V:.*]] = llvm.load %[[V1]] {alignment = 2 : i64} : !llvm.ptr -> vector<2xf16>
// CHECK-NEXT: func.return %[[V]] : vector<2xf16>
func.func @strided_load(%a: memref<4x2xf16, strided<[3, 1], offset: 1>>) -> vector<2xf16> {
  %c1 = arith.constant 1 : index
  %c0 = arith.constant 0 : index
  %v = vector.load %a[%c1, %c0] : memref<4x2xf16, strided<[3, 1], offset: 1>>, vector<2xf16>
  return %v : vector<2xf16>
}

// CHECK-LABEL: func.func @broadcast_fma(
// CHECK-NEXT: %[[V0:.*]] = llvm.mlir.undef : vector<4xf32>
// CHECK-NEXT: %[[V1:.*]] = llvm.mlir.constant(0) : i64
// CHECK-NEXT: %[[V2:.*]] = llvm.insertelement %x, %[[V0]][%[[V1]] : i64] : vector<4xf32>
// CHECK-NEXT: %[[B:.*]] = llvm.shufflevector %[[V2]], %[[V0]] [0, 0, 0, 0] : vector<4xf32>
// CHECK-NEXT: %[[V3:.*]] = llvm.mlir.constant(0) : i64
// CHECK-NEXT: %[[V4:.*]] = llvm.extractelement %z[%[[V3]] : i64] : vector<1xf32>
// CHECK-NEXT: %[[V5:.*]] = llvm.mlir.undef : vector<4xf32>
// CHECK-NEXT: %[[V6:.*]] = llvm.mlir.constant(0) : i64
// CHECK-NEXT: %[[V7:.*]] = llvm.insertelement %[[V4]], %[[V5]][%[[V6]] : i64] : vector<4xf32>
// CHECK-NEXT: %[[C:.*]] = llvm.shufflevector %[[V7]], %[[V5]] [0, 0, 0, 0] : vector<4xf32>
// CHECK-NEXT: %[[F:.*]] = llvm.intr.fma(%[[B]], %y, %[[C]]) : (vector<4xf32>, vector<4xf32>, vector<4xf32>) -> vector<4xf32>
// CHECK-NEXT: func.return %[[F]] : vector<4xf32>
func.func @broadcast_fma(%x: f32, %y: vector<4xf32>, %z: vector<1xf32>) -> vector<4xf32> {
  %b = vector.broadcast %x : f32 to vector<4xf32>
  %c = vector.broadcast %z : vector<1xf32> to vector<4xf32>
  %f = vector.fma %b, %y, %c : vector<4xf32>
  return %f : vector<4xf32>
}

// CHECK-LABEL: func.func @float_reductions(
// CHECK-NEXT: %[[V0:.*]] = llvm.mlir.constant(-0.000000e+00 : f32) : f32
// CHECK-NEXT: %[[V1:.*]] = "llvm.intr.vector.reduce.fadd"(%[[V0]], %v) <{fastmathFlags = #llvm.fastmath<none>}> : (f32, vector<8xf32>) -> f32
// CHECK-NEXT: %[[V2:.*]] = "llvm.intr.vector.reduce.fmul"(%acc, %v) <{fastmathFlags = #llvm.fastmath<reassoc>}> : (f32, vector<8xf32>) -> f32
// CHECK-NEXT: %[[V3:.*]] = llvm.intr.vector.reduce.fmaximum(%v) : (vector<8xf32>) -> f32
// CHECK-NEXT: %[[V4:.*]] = llvm.intr.vector.reduce.fminimum(%v) : (vector<8xf32>) -> f32
// CHECK-NEXT: %[[V5:.*]] = llvm.intr.minimum(%[[V4]], %acc) : (f32, f32) -> f32
// CHECK-NEXT: %[[V6:.*]] = llvm.intr.vector.reduce.fmax(%v) : (vector<8xf32>) -> f32
// CHECK-NEXT: func.return %[[V1]], %[[V2]], %[[V3]], %[[V5]], %[[V6]] : f32, f32, f32, f32, f32
func.func @float_reductions(%v: vector<8xf32>, %acc: f32) -> (f32, f32, f32, f32, f32) {
  %0 = vector.reduction <add>, %v : vector<8xf32> into f32
  %1 = vector.reduction <mul>, %v, %acc fastmath<reassoc> : vector<8xf32> into f32
  %2 = vector.reduction <maximumf>, %v : vector<8xf32> into f32
  %3 = vector.reduction <minimumf>, %v, %acc : vector<8xf32> into f32
  %4 = vector.reduction <maxnumf>, %v : vector<8xf32> into f32
  return %0, %1, %2, %3, %4 : f32, f32, f32, f32, f32
}

// CHECK-LABEL: func.func @integer_reductions(
// CHECK-NEXT: %[[V0:.*]] = "llvm.intr.vector.reduce.add"(%v) : (vector<4xi64>) -> i64
// CHECK-NEXT: %[[V1:.*]] = llvm.add %[[V0]], %acc : i64
// CHECK-NEXT: %[[V2:.*]] = "llvm.intr.vector.reduce.xor"(%v) : (vector<4xi64>) -> i64
// CHECK-NEXT: %[[V3:.*]] = "llvm.intr.vector.reduce.smax"(%v) : (vector<4xi64>) -> i64
// CHECK-NEXT: %[[V4:.*]] = "llvm.intr.vector.reduce.umin"(%v) : (vector<4xi64>) -> i64
// CHECK-NEXT: %[[V5:.*]] = llvm.intr.umin(%[[V4]], %acc) : (i64, i64) -> i64
// CHECK-NEXT: func.return %[[V1]], %[[V2]], %[[V3]], %[[V5]] : i64, i64, i64, i64
func.func @integer_reductions(%v: vector<4xi64>, %acc: i64) -> (i64, i64, i64, i64) {
  %0 = vector.reduction <add>, %v, %acc : vector<4xi64> into i64
  %1 = vector.reduction <xor>, %v : vector<4xi64> into i64
  %2 = vector.reduction <maxsi>, %v : vector<4xi64> into i64
  %3 = vector.reduction <minui>, %v, %acc : vector<4xi64> into i64
  return %0, %1, %2, %3 : i64, i64, i64, i64
}

// CHECK-LABEL: func.func @lanes(
// CHECK-NEXT: %[[V0:.*]] = builtin.unrealized_conversion_cast %i : index to i64
// CHECK-NEXT: %[[V1:.*]] = llvm.extractelement %v[%[[V0]] : i64] : vector<4xi32>
// CHECK-NEXT: %[[V2:.*]] = llvm.mlir.constant(2) : i64
// CHECK-NEXT: %[[V3:.*]] = llvm.insertelement %x, %v[%[[V2]] : i64] : vector<4xi32>
// CHECK-NEXT: %[[V4:.*]] = llvm.shufflevector %v, %[[V3]] [0, 6] : vector<4xi32>
// CHECK-NEXT: func.return %[[V1]], %[[V3]], %[[V4]] : i32, vector<4xi32>, vector<2xi32>
func.func @lanes(%v: vector<4xi32>, %x: i32, %i: index) -> (i32, vector<4xi32>, vector<2xi32>) {
  %0 = vector.extract %v[%i] : i32 from vector<4xi32>
  %1 = vector.insert %x, %v [2] : i32 into vector<4xi32>
  %2 = vector.shuffle %v, %1 [0, 6] : vector<4xi32>, vector<4xi32>
  return %0, %1, %2 : i32, vector<4xi32>, vector<2xi32>
}

// A masked tail: create_mask is the lane numbers compared with the bound;
// maskedload/maskedstore are the masked intrinsics at the element's address.
// CHECK-LABEL: func.func @masked(
// CHECK:         %[[STEP:.*]] = llvm.mlir.constant(dense<[0, 1, 2, 3, 4, 5, 6, 7]> : vector<8xi64>) : vector<8xi64>
// CHECK:         %[[BOUND:.*]] = llvm.shufflevector %{{.*}}, %{{.*}} [0, 0, 0, 0, 0, 0, 0, 0] : vector<8xi64>
// CHECK-NEXT:    %[[M:.*]] = llvm.icmp "slt" %[[STEP]], %[[BOUND]] : vector<8xi64>
// CHECK:         %[[P:.*]] = llvm.getelementptr inbounds %{{.*}}[%{{.*}}] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK-NEXT:    %[[V:.*]] = llvm.intr.masked.load %[[P]], %[[M]], %{{.*}} {alignment = 4 : i32} : (!llvm.ptr, vector<8xi1>, vector<8xf32>) -> vector<8xf32>
// CHECK:         %[[Q:.*]] = llvm.getelementptr inbounds %{{.*}}[%{{.*}}] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK-NEXT:    llvm.intr.masked.store %[[V]], %[[Q]], %[[M]] {alignment = 4 : i32} : vector<8xf32>, vector<8xi1> into !llvm.ptr
func.func @masked(%a: memref<4x20xf32>, %out: memref<4x20xf32>, %i: index) {
  %c16 = arith.constant 16 : index
  %c4 = arith.constant 4 : index
  %m = vector.create_mask %c4 : vector<8xi1>
  %z = arith.constant dense<0.0> : vector<8xf32>
  %v = vector.maskedload %a[%i, %c16], %m, %z : memref<4x20xf32>, vector<8xi1>, vector<8xf32> into vector<8xf32>
  vector.maskedstore %out[%i, %c16], %m, %v : memref<4x20xf32>, vector<8xi1>, vector<8xf32>
  return
}
