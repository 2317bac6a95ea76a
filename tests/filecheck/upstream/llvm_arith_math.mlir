// Real mlir-opt 22.1.8 and mlir-translate accept what mlc's convert-arith-to-llvm,
// convert-math-to-llvm and convert-vector-to-llvm print, after xDSL's
// reconcile-unrealized-casts, on llvm.funcs of scalars, vectors and pointers
// (the memref operands of vector.load/store are pointers seen as memrefs through
// unrealized casts, as convert-func-to-llvm leaves them): no arith, math, vector
// op or cast is left, and LLVM's own optimizer reads the translated module.

// RUN: mlc-opt %s -p convert-arith-to-llvm,convert-math-to-llvm,convert-vector-to-llvm,reconcile-unrealized-casts > %t.mlir
// RUN: %mlir-opt --verify-each %t.mlir | filecheck %s
// RUN: %mlir-translate --mlir-to-llvmir %t.mlir | filecheck %s --check-prefix=LLVM
// RUN: %mlir-translate --mlir-to-llvmir %t.mlir | %llvm-opt -O2 -S -o /dev/null
// RUN: not grep -E '( |")(arith|math|vector)\.|unrealized' %t.mlir

// CHECK:      llvm.func @log1pf(f32) -> f32
// CHECK:      llvm.func @erff(f32) -> f32

// CHECK-LABEL: llvm.func @integers(
// CHECK:         llvm.sdiv
// CHECK:         llvm.srem
// CHECK:         llvm.intr.smax
// CHECK:         llvm.intr.umin
// CHECK:         "llvm.intr.abs"(%{{.*}}) <{is_int_min_poison = false}> : (i8) -> i8
// LLVM-LABEL: define i64 @integers(
// LLVM:         call i32 @llvm.smax.i32(
// LLVM:         call i32 @llvm.umin.i32(
// LLVM:         call i8 @llvm.abs.i8(i8 %{{.*}}, i1 false)
llvm.func @integers(%a: i32, %b: i32, %c: i8) -> i64 {
  %0 = arith.addi %a, %b overflow<nsw> : i32
  %1 = arith.muli %0, %b : i32
  %2 = arith.floordivsi %1, %b : i32
  %3 = arith.ceildivsi %2, %b : i32
  %4 = arith.ceildivui %3, %b : i32
  %5 = arith.remsi %4, %b : i32
  %6 = arith.shrsi %5, %b : i32
  %7 = arith.maxsi %6, %a : i32
  %8 = arith.minui %7, %b : i32
  %9 = arith.cmpi ult, %8, %a : i32
  %10 = arith.select %9, %8, %a : i32
  %11 = arith.extsi %c : i8 to i32
  %12 = arith.xori %10, %11 : i32
  %13 = arith.extui %12 : i32 to i64
  %14 = math.absi %c : i8
  %15 = arith.extui %14 : i8 to i64
  %16 = arith.subi %13, %15 : i64
  llvm.return %16 : i64
}

// CHECK-LABEL: llvm.func @floats(
// CHECK:         llvm.fadd %{{.*}}, %{{.*}} {fastmathFlags = #llvm.fastmath<fast>} : f32
// CHECK:         llvm.intr.maximum
// CHECK:         llvm.intr.minimum(%{{.*}}, %{{.*}}) {fastmathFlags = #llvm.fastmath<nnan>}
// CHECK:         llvm.intr.maxnum
// CHECK:         llvm.call @log1pf
// CHECK:         llvm.intr.tanh
// CHECK:         llvm.call @erff
// LLVM-LABEL: define float @floats(
// LLVM:         fadd fast float
// LLVM:         call float @llvm.maximum.f32(
// LLVM:         call nnan float @llvm.minimum.f32(
// LLVM:         call float @llvm.maxnum.f32(
// LLVM:         call float @llvm.exp.f32(
// LLVM:         call float @log1pf(
// LLVM:         call float @llvm.tanh.f32(
// LLVM:         call float @erff(
// LLVM:         call float @llvm.sqrt.f32(
// LLVM:         fdiv float 1.000000e+00,
// LLVM:         call float @llvm.pow.f32(
// LLVM:         call float @llvm.round.f32(
// LLVM:         call float @llvm.log10.f32(
// LLVM:         call float @llvm.fma.f32(
// LLVM:         fcmp ogt float
llvm.func @floats(%x: f32, %y: f32) -> f32 {
  %0 = arith.addf %x, %y fastmath<fast> : f32
  %1 = arith.maximumf %0, %y : f32
  %2 = arith.minimumf %1, %x fastmath<nnan> : f32
  %3 = arith.maxnumf %2, %y : f32
  %4 = arith.negf %3 : f32
  %5 = math.exp %4 : f32
  %6 = math.log1p %5 : f32
  %7 = math.tanh %6 : f32
  %8 = math.erf %7 : f32
  %9 = math.rsqrt %8 : f32
  %10 = math.powf %9, %y : f32
  %11 = math.round %10 : f32
  %12 = math.log10 %11 : f32
  %13 = math.fma %12, %x, %y : f32
  %14 = arith.cmpf ogt, %13, %x : f32
  %15 = arith.select %14, %13, %x : f32
  llvm.return %15 : f32
}

// LLVM-LABEL: define half @f16_and_casts(
// LLVM:         fpext half %{{.*}} to float
// LLVM-NEXT:    call float @erff(
// LLVM-NEXT:    fptrunc float %{{.*}} to half
// LLVM:         uitofp i64 %{{.*}} to half
// LLVM:         fptoui half %{{.*}} to i32
// LLVM:         fptosi double %{{.*}} to i16
// LLVM:         bitcast i16 %{{.*}} to half
// LLVM:         call half @llvm.minimum.f16(
// LLVM:         frem half
llvm.func @f16_and_casts(%h: f16, %d: f64, %i: i64) -> f16 {
  %0 = math.erf %h : f16
  %1 = math.sqrt %0 : f16
  %2 = arith.truncf %d : f64 to f16
  %3 = arith.divf %1, %2 : f16
  %4 = arith.uitofp %i : i64 to f16
  %5 = arith.addf %3, %4 : f16
  %6 = arith.fptoui %5 : f16 to i32
  %7 = arith.sitofp %6 : i32 to f16
  %8 = arith.fptosi %d : f64 to i16
  %9 = arith.bitcast %8 : i16 to f16
  %10 = arith.minimumf %7, %9 : f16
  %11 = arith.remf %10, %9 : f16
  llvm.return %11 : f16
}

// index is i64: the casts of the signature and of the constant fold away.
// CHECK-LABEL: llvm.func @index_values(
// CHECK-SAME:      %[[N:.*]]: i64, %[[I:.*]]: i32) -> i32
// CHECK:         %[[THREE:.*]] = llvm.mlir.constant(3 : i64) : i64
// CHECK:         %[[MUL:.*]] = llvm.mul %[[N]], %[[THREE]] : i64
// CHECK:         llvm.sdiv %[[MUL]], %[[THREE]] : i64
// CHECK:         %[[TRUNC:.*]] = llvm.trunc %{{.*}} : i64 to i32
// CHECK:         %[[SUM:.*]] = llvm.add %[[TRUNC]], %[[I]] : i32
// CHECK:         llvm.return %[[SUM]] : i32
llvm.func @index_values(%n: i64, %i: i32) -> i32 {
  %0 = arith.index_cast %n : i64 to index
  %c3 = arith.constant 3 : index
  %1 = arith.muli %0, %c3 : index
  %2 = arith.floordivsi %1, %c3 : index
  %3 = arith.index_cast %2 : index to i32
  %4 = arith.addi %3, %i : i32
  llvm.return %4 : i32
}

// CHECK-LABEL: llvm.func @vectors(
// CHECK:         llvm.load %{{.*}} {alignment = 4 : i64} : !llvm.ptr -> vector<8xf32>
// CHECK:         llvm.shufflevector %{{.*}}, %{{.*}} [0, 0, 0, 0, 0, 0, 0, 0] : vector<8xf32>
// CHECK:         llvm.intr.fma
// CHECK:         llvm.extractelement
// CHECK:         llvm.store %{{.*}}, %{{.*}} {alignment = 4 : i64} : vector<8xf32>, !llvm.ptr
// CHECK:         "llvm.intr.vector.reduce.fadd"
// CHECK:         llvm.intr.vector.reduce.fmaximum
// LLVM-LABEL: define float @vectors(
// LLVM:         %[[ROW:.*]] = mul i64 %3, 8
// LLVM-NEXT:    %[[PTR:.*]] = getelementptr inbounds float, ptr %0, i64 %[[ROW]]
// LLVM-NEXT:    load <8 x float>, ptr %[[PTR]], align 4
// LLVM:         shufflevector <8 x float> %{{.*}}, <8 x float> undef, <8 x i32> zeroinitializer
// LLVM:         call <8 x float> @llvm.fma.v8f32(
// LLVM:         call <8 x float> @llvm.exp.v8f32(
// LLVM-COUNT-8: call float @erff(
// LLVM:         store <8 x float> %{{.*}}, ptr %{{.*}}, align 4
// LLVM:         call reassoc float @llvm.vector.reduce.fadd.v8f32(float %2,
// LLVM:         call float @llvm.vector.reduce.fmaximum.v8f32(
// LLVM:         extractelement <8 x float> %{{.*}}, i64 3
llvm.func @vectors(%a_p: !llvm.ptr, %out_p: !llvm.ptr, %s: f32, %row: i64) -> f32 {
  %a = builtin.unrealized_conversion_cast %a_p : !llvm.ptr to memref<4x8xf32>
  %out = builtin.unrealized_conversion_cast %out_p : !llvm.ptr to memref<4x8xf32>
  %i = arith.index_cast %row : i64 to index
  %c0 = arith.constant 0 : index
  %v = vector.load %a[%i, %c0] : memref<4x8xf32>, vector<8xf32>
  %b = vector.broadcast %s : f32 to vector<8xf32>
  %one = arith.constant dense<1.0> : vector<8xf32>
  %f = vector.fma %v, %b, %one : vector<8xf32>
  %e = math.exp %f : vector<8xf32>
  %g = math.erf %e : vector<8xf32>
  vector.store %g, %out[%i, %c0] : memref<4x8xf32>, vector<8xf32>
  %r = vector.reduction <add>, %g, %s fastmath<reassoc> : vector<8xf32> into f32
  %m = vector.reduction <maximumf>, %g : vector<8xf32> into f32
  %x = vector.extract %g[3] : f32 from vector<8xf32>
  %t = arith.addf %r, %m : f32
  %u = arith.addf %t, %x : f32
  llvm.return %u : f32
}

// LLVM-LABEL: define i32 @integer_vectors(
// LLVM:         call <4 x i32> @llvm.smax.v4i32(
// LLVM:         shufflevector <4 x i32> %{{.*}}, <4 x i32> %1, <4 x i32> <i32 3, i32 2, i32 1, i32 0>
// LLVM:         call i32 @llvm.vector.reduce.umin.v4i32(
// LLVM:         call i32 @llvm.vector.reduce.xor.v4i32(
llvm.func @integer_vectors(%v: vector<4xi32>, %w: vector<4xi32>) -> i32 {
  %0 = arith.maxsi %v, %w : vector<4xi32>
  %1 = vector.shuffle %0, %w [3, 2, 1, 0] : vector<4xi32>, vector<4xi32>
  %2 = vector.reduction <minui>, %1 : vector<4xi32> into i32
  %3 = vector.reduction <xor>, %v, %2 : vector<4xi32> into i32
  llvm.return %3 : i32
}

// bf16 as its bits (i16): the conversions to and from f32 are integer code.
// CHECK-LABEL: llvm.func @bf16(
// CHECK:         llvm.zext %{{.*}} : i16 to i32
// CHECK:         llvm.fcmp "uno"
// CHECK:         llvm.trunc %{{.*}} : vector<8xi32> to vector<8xi16>
// LLVM-LABEL: define i16 @bf16(
// LLVM:         zext i16 %{{.*}} to i32
// LLVM:         fcmp uno <8 x float>
llvm.func @bf16(%x: i16, %v: vector<8xi16>) -> i16 {
  %b = arith.bitcast %x : i16 to bf16
  %f = arith.extf %b : bf16 to f32
  %s = arith.addf %f, %f : f32
  %t = arith.truncf %s : f32 to bf16
  %vb = arith.bitcast %v : vector<8xi16> to vector<8xbf16>
  %vf = arith.extf %vb : vector<8xbf16> to vector<8xf32>
  %vs = arith.mulf %vf, %vf : vector<8xf32>
  %vt = arith.truncf %vs : vector<8xf32> to vector<8xbf16>
  %k = arith.constant dense<2.5> : vector<8xbf16>
  %m = arith.cmpf olt, %vf, %vs : vector<8xf32>
  %w = arith.select %m, %vt, %k : vector<8xi1>, vector<8xbf16>
  %r = arith.bitcast %t : bf16 to i16
  llvm.return %r : i16
}
