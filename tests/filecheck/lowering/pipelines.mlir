// RUN: mlc-opt %s -p 'graph-to-llvm{to=graph}' | filecheck %s --check-prefix=GRAPH
// RUN: mlc-opt %s -p 'graph-to-llvm{to=tensor}' | filecheck %s --check-prefix=TENSOR
// RUN: mlc-opt %s -p 'graph-to-llvm{to=tensor}' | filecheck %s --check-prefix=NO-GRAPH
// RUN: mlc-opt %s -p 'graph-to-llvm{to=loop}' | filecheck %s --check-prefix=LOOP
// RUN: mlc-opt %s -p 'graph-to-llvm{to=loop}' | filecheck %s --check-prefixes=NO-GRAPH,NO-TENSOR
// RUN: mlc-opt %s -p 'graph-to-llvm{to=loop}' | %mlir-opt --verify-each > /dev/null
// RUN: mlc-opt %s -p 'graph-to-llvm{to=llvm}' | filecheck %s --check-prefix=LLVM
// RUN: mlc-opt %s -p graph-to-llvm | filecheck %s --check-prefixes=LLVM,NO-GRAPH,NO-TENSOR,NO-LOOP
// RUN: mlc-opt %s -p graph-to-llvm | %mlir-opt --verify-each > /dev/null
// RUN: mlc-opt %S/Inputs/llvm_cleanup.mlir -p canonicalize,cse | filecheck %S/Inputs/llvm_cleanup.mlir
// RUN: mlc-opt %S/Inputs/llvm_cleanup.mlir -p graph-to-llvm | filecheck %S/Inputs/llvm_cleanup.mlir
// RUN: not mlc-opt %s -p 'graph-to-llvm{to=native}' 2>&1 | filecheck %s --check-prefix=UNKNOWN

// UNKNOWN: error: graph-to-llvm: unknown level 'native' (choose from graph, tensor, loop, llvm)

// NO-GRAPH-NOT:  graph.
// NO-TENSOR-NOT: tensor<
// NO-TENSOR-NOT: tensor.
// NO-TENSOR-NOT: linalg.
// NO-LOOP-NOT:   memref.
// NO-LOOP-NOT:   scf.
// NO-LOOP-NOT:   func.
// NO-LOOP-NOT:   arith.
// NO-LOOP-NOT:   unrealized_conversion_cast

// Graph-level input goes down level by level; graph-fuse outlines the
// linear + relu group into a private function the graph function calls.
// GRAPH:        func.func private @[[FUSED:.*]](
// GRAPH:          graph.linear
// GRAPH:          graph.relu
// GRAPH-LABEL:  func.func @linear_relu(
// GRAPH:          func.call @[[FUSED]](
// TENSOR:       func.func private @[[FUSED:.*]](
// TENSOR:         linalg.generic
// TENSOR-LABEL: func.func @linear_relu(
// TENSOR:         func.call @[[FUSED]](
// LOOP:         func.func private @[[FUSED:.*]](
// LOOP:           scf.for
// LOOP:           memref.store
// LOOP-LABEL:   func.func @linear_relu(
// LOOP-SAME:        memref<2x4xf32>
// LOOP:           func.call @[[FUSED]](
// The fused function allocates, so it returns a status (0, or the bytes it
// could not allocate) and every caller passes a failure on.
// LLVM:         llvm.func internal @[[FUSED:.*]](%{{.*}}: !llvm.ptr {llvm.noalias}, %{{.*}}: !llvm.ptr {llvm.noalias}, %{{.*}}: !llvm.ptr {llvm.noalias}, %{{.*}}: !llvm.ptr {llvm.noalias}) -> i64 {
// LLVM:           %[[ALIGN:.*]] = llvm.mlir.constant(64)
// LLVM-NEXT:      %[[SIZE:.*]] = llvm.mlir.constant({{[0-9]+}})
// LLVM-NEXT:      %[[RAW:.*]] = llvm.call @mlc_alloc(%[[ALIGN]], %[[SIZE]])
// LLVM-NEXT:      %[[INT:.*]] = llvm.ptrtoint %[[RAW]] : !llvm.ptr to i64
// LLVM-NEXT:      %[[ZERO:.*]] = llvm.mlir.constant(0) : i64
// LLVM-NEXT:      %[[NULL:.*]] = llvm.icmp "eq" %[[INT]], %[[ZERO]] : i64
// LLVM-NEXT:      llvm.cond_br %[[NULL]], ^[[FAIL:.*]], ^{{.*}}
// LLVM-NEXT:    ^[[FAIL]]:
// LLVM-NEXT:      llvm.return %[[SIZE]] : i64
// LLVM:           llvm.load
// LLVM:           llvm.intr.fma
// LLVM:           llvm.store
// LLVM:           llvm.call @mlc_free(
// LLVM:           llvm.return
// LLVM-LABEL:   llvm.func @linear_relu(
// LLVM-SAME:        %[[X:[a-z0-9_]+]]: !llvm.ptr {llvm.noalias, mlc.type = memref<2x3xf32>}, %[[W:[a-z0-9_]+]]: !llvm.ptr {llvm.noalias, mlc.type = memref<1x3x{{16|32}}xf32>, mlc.packed = {nr = {{16|32}} : i64, n = 0 : i64, type = memref<4x3xf32>}}, %[[B:[a-z0-9_]+]]: !llvm.ptr {llvm.noalias, mlc.type = memref<4xf32>}, %[[OUT:[a-z0-9_]+]]: !llvm.ptr {llvm.noalias, mlc.type = memref<2x4xf32>, mlc.out}) -> i64 {
// LLVM-NEXT:      %[[STATUS:.*]] = llvm.call @[[FUSED]](%[[X]], %[[W]], %[[B]], %[[OUT]]) : (!llvm.ptr, !llvm.ptr, !llvm.ptr, !llvm.ptr) -> i64
// LLVM-NEXT:      %[[ZERO:.*]] = llvm.mlir.constant(0) : i64
// LLVM-NEXT:      %[[FAILED:.*]] = llvm.icmp "ne" %[[STATUS]], %[[ZERO]] : i64
// LLVM-NEXT:      llvm.cond_br %[[FAILED]], ^[[FAIL:.*]], ^[[OK:.*]]
// LLVM-NEXT:    ^[[FAIL]]:
// LLVM-NEXT:      llvm.return %[[STATUS]] : i64
// LLVM-NEXT:    ^[[OK]]:
// LLVM-NEXT:      %[[DONE:.*]] = llvm.mlir.constant(0) : i64
// LLVM-NEXT:      llvm.return %[[DONE]] : i64
func.func @linear_relu(%x: tensor<2x3xf32>, %w: tensor<4x3xf32>, %b: tensor<4xf32>) -> tensor<2x4xf32> {
  %0 = graph.linear %x, %w, %b : (tensor<2x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %1 = graph.relu %0 : tensor<2x4xf32>
  func.return %1 : tensor<2x4xf32>
}

// Tensor-level input: the graph stage has nothing to do.
// GRAPH-LABEL:  func.func @tensor_level_input(
// GRAPH:          linalg.generic
// TENSOR-LABEL: func.func @tensor_level_input(
// TENSOR-SAME:      %[[X:.*]]: tensor<2x3xf32>)
// TENSOR:         %[[R:.*]] = linalg.generic
// TENSOR-SAME:      ins(%[[X]] : tensor<2x3xf32>)
// TENSOR:         func.return %[[R]]
// LOOP-LABEL:   func.func @tensor_level_input(
// LOOP-SAME:        %[[X:[^:]+]]: memref<2x3xf32>,
// LOOP:           scf.for
// LOOP:             vector.maskedload %[[X]]
// LOOP:             arith.negf %{{.*}} : vector<{{[0-9]+}}xf32>
// LOOP:             vector.maskedstore
// LOOP:           } {mlc.parallel}
// LOOP-NOT:       linalg.
// LLVM-LABEL:   llvm.func @tensor_level_input(
// LLVM:           llvm.fneg
func.func @tensor_level_input(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %e = tensor.empty() : tensor<2x3xf32>
  %0 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<2x3xf32>) outs(%e : tensor<2x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    %n = arith.negf %in : f32
    linalg.yield %n : f32
  } -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// Loop-stage input (bufferized linalg): only the loop stage changes it.
// GRAPH-LABEL:  func.func @memref_level_input(
// GRAPH:          linalg.matmul
// TENSOR-LABEL: func.func @memref_level_input(
// TENSOR:         linalg.matmul
// LOOP-LABEL:   func.func @memref_level_input(
// LOOP-SAME:        %[[A:.*]]: memref<2x3xf32>, %[[B:.*]]: memref<1x3x{{16|32}}xf32> {mlc.packed = {nr = {{16|32}} : i64, n = 1 : i64, type = memref<3x4xf32>}}, %[[OUT:.*]]: memref<2x4xf32>)
// The f32 matmul is a packed GEMM (linalg-contraction-kernel): the argument
// B stored packed (pack-weights), A (two rows: one block) read in place,
// C's 4 columns (a partial vector) staged, FMAs on vectors.
// LOOP:           scf.for
// LOOP:             memref.load %[[OUT]]
// LOOP:             vector.load %[[B]]
// LOOP:             memref.load %[[A]]
// LOOP:             vector.fma
// LOOP:             memref.store %{{.*}}, %[[OUT]]
// LOOP-NOT:       linalg.
// LLVM-LABEL:   llvm.func @memref_level_input(
// LLVM:           llvm.intr.fma
// LLVM:           llvm.store
// LLVM:         llvm.func @mlc_alloc(i64, i64) -> !llvm.ptr
// LLVM:         llvm.func @mlc_free(!llvm.ptr)
func.func @memref_level_input(%a: memref<2x3xf32>, %b: memref<3x4xf32>, %out: memref<2x4xf32>) {
  linalg.matmul ins(%a, %b : memref<2x3xf32>, memref<3x4xf32>) outs(%out : memref<2x4xf32>)
  func.return
}
