// The LLVM level as real MLIR 22.1.8 and LLVM 22 read it: mlc's `llvm` stage
// output (custom and generic form) parses and verifies under mlir-opt,
// translates with mlir-translate --mlir-to-llvmir, and the LLVM IR passes
// opt's verifier. Inputs: the small example models from the graph level, and
// loop-level memref/func/cf code below (subviews, views, copies, globals,
// alloca, scalar results, cf.assert).

// RUN: mlc-opt %S/../../../examples/small/mlp_small.mlir -p graph-to-llvm | %mlir-opt --verify-each | filecheck %s --check-prefix=MLP
// RUN: mlc-opt %S/../../../examples/small/mlp_small.mlir -p graph-to-llvm | %mlir-translate --mlir-to-llvmir | %llvm-opt -passes=verify -S | filecheck %s --check-prefix=MLP-IR
// RUN: mlc-opt %S/../../../examples/small/lenet_small.mlir -p graph-to-llvm | %mlir-translate --mlir-to-llvmir | %llvm-opt -passes=verify -S | filecheck %s --check-prefix=LENET-IR
// RUN: mlc-opt %S/../../../examples/small/transformer_block_small.mlir -p graph-to-llvm --print-op-generic | %mlir-opt --verify-each | %mlir-translate --mlir-to-llvmir | %llvm-opt -passes=verify -S | filecheck %s --check-prefix=TRANSFORMER-IR
// RUN: mlc-opt %s -p graph-to-llvm | %mlir-opt --verify-each | filecheck %s
// RUN: mlc-opt %s -p graph-to-llvm --print-op-generic | %mlir-opt --verify-each > /dev/null
// RUN: mlc-opt %s -p graph-to-llvm | %mlir-translate --mlir-to-llvmir | %llvm-opt -passes=verify -S | filecheck %s --check-prefix=IR
// mlc-opt reads back what it prints at this level (custom and generic form).
// RUN: mlc-opt %s -p graph-to-llvm > %t.llvm.mlir
// RUN: mlc-opt %t.llvm.mlir | diff %t.llvm.mlir -
// RUN: mlc-opt %t.llvm.mlir --print-op-generic | mlc-opt | diff %t.llvm.mlir -

// MLP-LABEL: llvm.func @mlp_small(
// MLP-SAME:      !llvm.ptr {llvm.noalias, mlc.type = memref<1x1x8x8xf32>}
// MLP:         llvm.call @linear_relu(
// MLP:       llvm.func @mlc_alloc(i64, i64) -> !llvm.ptr
// Functions that allocate return an i64 status (0, or the bytes that could
// not be allocated); a null mlc_alloc result branches to the failure
// return.
// MLP-IR:      define internal i64 @linear(ptr noalias %0, ptr noalias %1, ptr noalias %2, ptr noalias %3)
// MLP-IR:        %[[RAW:.*]] = call ptr @mlc_alloc(i64 64, i64 64)
// MLP-IR-NEXT:   %[[INT:.*]] = ptrtoint ptr %[[RAW]] to i64
// MLP-IR-NEXT:   %[[NULL:.*]] = icmp eq i64 %[[INT]], 0
// MLP-IR-NEXT:   br i1 %[[NULL]], label %[[FAIL:.*]], label
// MLP-IR:      [[FAIL]]:
// MLP-IR-NEXT:   ret i64 64
// MLP-IR:      define i64 @mlp_small(ptr noalias %0, ptr noalias %1, ptr noalias %2, ptr noalias %3, ptr noalias %4, ptr noalias %5)
// MLP-IR:        call ptr @mlc_alloc(i64 64, i64 64)
// MLP-IR:        call void @mlc_free(
// MLP-IR:      declare ptr @mlc_alloc(i64, i64)
// LENET-IR:    define i64 @lenet_small(
// LENET-IR:    declare ptr @memcpy(ptr, ptr, i64)
// TRANSFORMER-IR: @__constant_xf32 = internal constant [1 x float] [float 0x4006A09E60000000], align 4
// TRANSFORMER-IR: define i64 @transformer_block_small(

// Globals first: the table (flattened) and the assert message.
// IR:          @table = internal constant [4 x float] [float 1.000000e+00, float 2.000000e+00, float 3.000000e+00, float 4.000000e+00], align 4
// IR:          @__mlc_assert_msg_0 = internal constant [10 x i8] c"too large\0A"

// CHECK-LABEL: llvm.func @strided(
// CHECK:         llvm.cond_br
// CHECK:         llvm.call @memcpy(
// IR-LABEL:    define void @strided(
// IR:            getelementptr inbounds float, ptr %{{.*}}, i32 6
// IR:            icmp slt i64
// IR:            call ptr @memcpy(ptr %{{.*}}, ptr %{{.*}}, i64 12)
func.func @strided(%a: memref<2x3xf32>, %b: memref<4x5xf32> {mlc.out}) {
  %s = memref.subview %b[1, 1] [2, 3] [1, 1] : memref<4x5xf32> to memref<2x3xf32, strided<[5, 1], offset: 6>>
  "memref.copy"(%a, %s) : (memref<2x3xf32>, memref<2x3xf32, strided<[5, 1], offset: 6>>) -> ()
  func.return
}

// CHECK-LABEL: llvm.func @arena(
// IR-LABEL:    define i64 @arena(
// IR:            %[[RAW:.*]] = call ptr @mlc_alloc(i64 64, i64 128)
// IR:            ret i64 128
// IR:            getelementptr inbounds i8, ptr %[[RAW]], i32 64
// IR:            alloca double, i64 4, align 8
// IR:            call void @mlc_free(ptr %[[RAW]])
func.func @arena(%x: memref<3xf32>, %out: memref<3xf32> {mlc.out}) {
  %arena = memref.alloc() {alignment = 64 : i64} : memref<128xi8>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c64 = arith.constant 64 : index
  %v = memref.view %arena[%c64][] : memref<128xi8> to memref<3xf32>
  %t = memref.alloca() : memref<2x2xf64>
  scf.for %i = %c0 to %c3 step %c1 {
    %e = memref.load %x[%i] : memref<3xf32>
    memref.store %e, %v[%i] : memref<3xf32>
  }
  "memref.copy"(%v, %out) : (memref<3xf32>, memref<3xf32>) -> ()
  memref.dealloc %arena : memref<128xi8>
  func.return
}

// CHECK:       llvm.mlir.global internal constant @table(dense<[1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<4xf32>)
// CHECK-LABEL: llvm.func @lookup(
// CHECK-SAME:      -> f32
// IR-LABEL:    define float @lookup(ptr noalias %0, i64 %1)
// IR:            getelementptr inbounds float, ptr @table, i64
// IR:            ret float
"memref.global"() <{sym_name = "table", type = memref<2x2xf32>, initial_value = dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>, sym_visibility = "private", constant}> : () -> ()
func.func @lookup(%unused: memref<1xf32>, %i: index) -> f32 {
  %g = memref.get_global @table : memref<2x2xf32>
  %c1 = arith.constant 1 : index
  %x = memref.load %g[%i, %c1] : memref<2x2xf32>
  func.return %x : f32
}

// CHECK-LABEL: llvm.func @checked(
// CHECK:         llvm.call @abort()
// IR-LABEL:    define void @checked(i64 %0, i64 %1)
// IR:            call i64 @write(i32 2, ptr @__mlc_assert_msg_0, i64 10)
// IR-NEXT:       call void @abort()
// IR-NEXT:       unreachable
func.func @checked(%i: index, %n: index) {
  %ok = arith.cmpi ult, %i, %n : index
  cf.assert %ok, "too large"
  func.return
}
