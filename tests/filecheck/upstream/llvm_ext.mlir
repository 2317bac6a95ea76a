// Real mlir-opt 22.1.8 reads every op of dialects/llvm_ext.py and
// dialects/llvm_reductions.py as mlc prints it (the cases of
// dialects/llvm_ext.mlir and dialects/llvm_reductions.mlir) and mlir-translate
// turns them into the LLVM instructions and intrinsic calls they stand for.

// RUN: mlc-opt %S/../dialects/llvm_ext.mlir | %mlir-opt --verify-each | filecheck %s
// RUN: mlc-opt %S/../dialects/llvm_ext.mlir | %mlir-translate --mlir-to-llvmir | filecheck %s --check-prefix=LLVM
// RUN: mlc-opt %S/../dialects/llvm_reductions.mlir | %mlir-opt --verify-each | filecheck %s --check-prefix=RED
// RUN: mlc-opt %S/../dialects/llvm_reductions.mlir | %mlir-translate --mlir-to-llvmir | filecheck %s --check-prefix=REDLLVM

// CHECK-LABEL: llvm.func @casts(
// CHECK:         llvm.uitofp %{{.*}} : i32 to f32
// CHECK:         llvm.fptosi %{{.*}} : f64 to i64
// CHECK:         llvm.fptoui %{{.*}} : f64 to i16
// CHECK-LABEL: llvm.func @float_intrinsics(
// CHECK:         llvm.intr.maximum(%{{.*}}, %{{.*}}) : (f32, f32) -> f32
// CHECK:         llvm.intr.minimum(%{{.*}}, %{{.*}}) {fastmathFlags = #llvm.fastmath<nnan>} : (vector<4xf16>, vector<4xf16>) -> vector<4xf16>
// CHECK:         llvm.intr.log10
// CHECK:         llvm.intr.round(
// CHECK:         llvm.intr.roundeven(
// CHECK:         llvm.intr.trunc(
// CHECK:         llvm.intr.tanh(%{{.*}}) {fastmathFlags = #llvm.fastmath<afn>}
// CHECK:         llvm.intr.powi(%{{.*}}, %{{.*}}) : (f32, i32) -> f32
// CHECK-LABEL: llvm.func @integer_intrinsics(
// CHECK:         llvm.intr.smax
// CHECK:         llvm.intr.smin
// CHECK:         llvm.intr.umax
// CHECK:         llvm.intr.umin
// CHECK:         "llvm.intr.abs"(%{{.*}}) <{is_int_min_poison = false}> : (i8) -> i8
// CHECK-LABEL: llvm.func @vector_elements(
// CHECK:         llvm.extractelement %{{.*}}[%{{.*}} : i64] : vector<4xi32>
// CHECK-LABEL: llvm.func @prefetch(
// CHECK:         "llvm.intr.prefetch"(%{{.*}}) <{cache = 1 : i32, hint = 3 : i32, rw = 0 : i32}> : (!llvm.ptr) -> ()
// CHECK:         "llvm.intr.prefetch"(%{{.*}}) <{cache = 1 : i32, hint = 0 : i32, rw = 1 : i32}> : (!llvm.ptr) -> ()
// RED-LABEL: llvm.func @reductions(
// RED-COUNT-9: "llvm.intr.vector.reduce.{{[a-z]+}}"(%{{.*}}) : (vector<4xi32>) -> i32
// RED:         llvm.intr.vector.reduce.fmaximum(
// RED:         llvm.intr.vector.reduce.fminimum(
// RED:         llvm.intr.vector.reduce.fmax(%{{.*}}) {fastmathFlags = #llvm.fastmath<nnan>}
// RED:         llvm.intr.vector.reduce.fmin(

// LLVM-LABEL: define void @casts(
// LLVM:         uitofp i32 %{{.*}} to float
// LLVM:         fptosi double %{{.*}} to i64
// LLVM:         fptoui double %{{.*}} to i16
// LLVM-LABEL: define void @float_intrinsics(
// LLVM:         call float @llvm.maximum.f32(
// LLVM:         call nnan <4 x half> @llvm.minimum.v4f16(
// LLVM:         call float @llvm.log10.f32(
// LLVM:         call float @llvm.round.f32(
// LLVM:         call <4 x half> @llvm.roundeven.v4f16(
// LLVM:         call float @llvm.trunc.f32(
// LLVM:         call afn float @llvm.tanh.f32(
// LLVM:         call float @llvm.powi.f32.i32(
// LLVM-LABEL: define void @integer_intrinsics(
// LLVM:         call i8 @llvm.smax.i8(
// LLVM:         call i8 @llvm.smin.i8(
// LLVM:         call <2 x i64> @llvm.umax.v2i64(
// LLVM:         call i8 @llvm.umin.i8(
// LLVM:         call i8 @llvm.abs.i8(i8 %{{.*}}, i1 false)
// LLVM-LABEL: define void @vector_elements(
// LLVM:         extractelement <4 x i32> %{{.*}}, i64 %{{.*}}
// LLVM-LABEL: define void @prefetch(
// LLVM:         call void @llvm.prefetch.p0(ptr %{{.*}}, i32 0, i32 3, i32 1)
// LLVM:         call void @llvm.prefetch.p0(ptr %{{.*}}, i32 1, i32 0, i32 1)
// REDLLVM-LABEL: define void @reductions(
// REDLLVM:         call i32 @llvm.vector.reduce.add.v4i32(
// REDLLVM:         call i32 @llvm.vector.reduce.mul.v4i32(
// REDLLVM:         call i32 @llvm.vector.reduce.and.v4i32(
// REDLLVM:         call i32 @llvm.vector.reduce.or.v4i32(
// REDLLVM:         call i32 @llvm.vector.reduce.xor.v4i32(
// REDLLVM:         call i32 @llvm.vector.reduce.smax.v4i32(
// REDLLVM:         call i32 @llvm.vector.reduce.smin.v4i32(
// REDLLVM:         call i32 @llvm.vector.reduce.umax.v4i32(
// REDLLVM:         call i32 @llvm.vector.reduce.umin.v4i32(
// REDLLVM:         call float @llvm.vector.reduce.fmaximum.v8f32(
// REDLLVM:         call float @llvm.vector.reduce.fminimum.v8f32(
// REDLLVM:         call nnan float @llvm.vector.reduce.fmax.v8f32(
// REDLLVM:         call float @llvm.vector.reduce.fmin.v8f32(
