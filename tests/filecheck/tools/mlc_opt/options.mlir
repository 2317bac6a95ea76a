// Output and printing flags, and the ways to give passes.

// RUN: mlc-opt %s | filecheck %s --check-prefix=DEFAULT
// RUN: mlc-opt < %s | filecheck %s --check-prefix=DEFAULT
// RUN: mlc-opt - < %s | filecheck %s --check-prefix=DEFAULT
// RUN: mlc-opt %s -o %t && filecheck %s --check-prefix=DEFAULT < %t
// RUN: mlc-opt %s -o - | filecheck %s --check-prefix=DEFAULT
// RUN: mlc-opt %s --print-op-generic | filecheck %s --check-prefix=GENERIC
// RUN: mlc-opt %s --mlir-print-op-generic | filecheck %s --check-prefix=GENERIC
// RUN: mlc-opt %s --print-debuginfo | filecheck %s --check-prefix=DEBUGINFO
// RUN: mlc-opt %s -p 'arith-add-fastmath{flags=fast},cse' | filecheck %s --check-prefix=PASSES
// RUN: mlc-opt %s --arith-add-fastmath=flags=fast --cse | filecheck %s --check-prefix=PASSES
// RUN: mlc-opt %s --split-input-file | filecheck %s --check-prefix=SPLIT
// RUN: mlc-opt --version | filecheck %s --check-prefix=VERSION
// RUN: rm -f %t.failed && not mlc-opt %S/Inputs/store.mlir -p eqsat-create-eclasses -o %t.failed 2>&1 | filecheck %s --check-prefix=NO-OUTPUT && not cat %t.failed

// DEFAULT:      func.func @add_twice(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, f32) {
// DEFAULT-NEXT:   %0 = graph.add %x, %x : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// DEFAULT-NEXT:   %1 = graph.add %x, %x : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>

// GENERIC: "func.func"() <{sym_name = "add_twice"
// GENERIC: "graph.add"(%x, %x)

// PASSES:      %[[SUM:.*]] = graph.add %x, %x
// PASSES:      arith.addf %{{.*}}, %{{.*}} fastmath<fast>
// PASSES-NEXT: func.return %[[SUM]], %[[SUM]], %{{.*}}

// SPLIT:      func.func @add_twice
// SPLIT:      // -----
// SPLIT-NEXT: builtin.module {
// SPLIT-NEXT:   func.func @second

// VERSION: {{^}}mlc-opt (mlc {{[0-9.]+}}) built on xDSL 0.74.0{{$}}

// A failing run writes no output file.
// NO-OUTPUT: store.mlir: error: Ops with non-single results not handled

// Locations are those of the op names in this file.
// DEBUGINFO: graph.add %x, %x : {{.*}} loc("{{.*}}options.mlir":[[# @LINE + 3]]:8)
// DEBUGINFO: } loc("{{.*}}options.mlir":[[# @LINE + 1]]:1)
func.func @add_twice(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, f32) {
  %0 = graph.add %x, %x : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = graph.add %x, %x : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %f = arith.constant 1.0 : f32
  %g = arith.addf %f, %f : f32
  func.return %0, %1, %g : tensor<2x3xf32>, tensor<2x3xf32>, f32
}

// -----

func.func @second() {
  func.return
}
