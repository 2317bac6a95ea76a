// Real mlir-opt 22.1.8 reads `memref.prefetch` as mlc prints it (the cases of
// dialects/memref_ext.mlir), and lowers it to the same `llvm.intr.prefetch`
// mlc's convert-memref-to-llvm makes (lowering/memref_to_llvm.mlir).

// RUN: mlc-opt %S/../dialects/memref_ext.mlir | %mlir-opt --verify-each | filecheck %s
// RUN: mlc-opt %S/../dialects/memref_ext.mlir | %mlir-opt --finalize-memref-to-llvm --convert-func-to-llvm --reconcile-unrealized-casts | filecheck %s --check-prefix=LLVM
// RUN: mlc-opt %S/../dialects/memref_ext.mlir -p convert-memref-to-llvm,convert-func-to-llvm | %mlir-opt --verify-each --reconcile-unrealized-casts | filecheck %s --check-prefix=LLVM

// CHECK-LABEL: func.func @prefetch(
// CHECK:         memref.prefetch %{{.*}}[%{{.*}}, %{{.*}}], read, locality<3>, data : memref<4x8xf32>
// CHECK:         memref.prefetch %{{.*}}[%{{.*}}, %{{.*}}], write, locality<0>, instr : memref<4x8xf32>

// LLVM-LABEL: llvm.func @prefetch(
// LLVM:         "llvm.intr.prefetch"(%{{.*}}) <{cache = 1 : i32, hint = 3 : i32, rw = 0 : i32}> : (!llvm.ptr) -> ()
// LLVM:         "llvm.intr.prefetch"(%{{.*}}) <{cache = 0 : i32, hint = 0 : i32, rw = 1 : i32}> : (!llvm.ptr) -> ()
