// `--check-numerics` interprets the entry function on random inputs before the
// pipeline and after each top-level step, on stderr: one line per step, then
// the count of levels that agree. A divergence (see the unit tests, which
// register a wrong pass) is one `file: error: numerics diverge after pass ...`
// line and exit code 1.

// RUN: mlc-opt %s --check-numerics --check-numerics-entry=model -p canonicalize,cse -o %t 2>&1 | filecheck %s
// RUN: mlc-opt %s --check-numerics --check-numerics-entry=plain --check-numerics-seed=7 --pass-pipeline='builtin.module(func.func(cse),canonicalize)' -o %t 2>&1 | filecheck %s --check-prefix=NESTED
// RUN: mlc-opt %s --check-numerics --check-numerics-entry=model --check-numerics-rtol=0 --check-numerics-atol=0 -p cse -o %t 2>&1 | filecheck %s --check-prefix=EXACT
// RUN: not mlc-opt %s --check-numerics --check-numerics-entry=dynamic -p cse 2>&1 | filecheck %s --check-prefix=DYNAMIC
// RUN: not mlc-opt %s --check-numerics -p cse 2>&1 | filecheck %s --check-prefix=AMBIGUOUS
// RUN: not mlc-opt %s --check-numerics --check-numerics-entry=nope 2>&1 | filecheck %s --check-prefix=UNKNOWN
// RUN: env MLC_TARGET=avx512 mlc-opt %S/Inputs/conv_filter_panels.mlir --check-numerics -p 'graph-to-llvm{to=loop}' -o %t 2>&1 | filecheck %s --check-prefix=LOOP
// RUN: filecheck %s --check-prefix=LOOP-IR < %t

// CHECK-NOT:  Traceback
// CHECK:      {{^}}numerics: after canonicalize: ok (max abs error 0.0){{$}}
// CHECK-NEXT: {{^}}numerics: after cse: ok (max abs error 0.0){{$}}
// CHECK-NEXT: {{^}}numerics: all 3 levels agree{{$}}
// CHECK-NOT:  {{.}}

// NESTED:      {{^}}numerics: after func.func(cse): ok (max abs error 0.0){{$}}
// NESTED-NEXT: {{^}}numerics: after canonicalize: ok (max abs error 0.0){{$}}
// NESTED-NEXT: {{^}}numerics: all 3 levels agree{{$}}

// EXACT:      {{^}}numerics: after cse: ok (max abs error 0.0){{$}}
// EXACT-NEXT: {{^}}numerics: all 2 levels agree{{$}}

// DYNAMIC-NOT: Traceback
// DYNAMIC:     {{^.*}}check_numerics.mlir:{{[0-9]+}}:{{[0-9]+}}: error: argument #0 (%x) of @dynamic has the dynamic type tensor<?x3xf32>; the check needs static shapes{{$}}
// DYNAMIC-NOT: {{.}}

// AMBIGUOUS:     {{^.*}}check_numerics.mlir: error: the entry function is ambiguous: 3 public functions (@model, @plain, @dynamic); name it with --check-numerics-entry=NAME{{$}}
// AMBIGUOUS-NOT: {{.}}

// The loop level interprets too, a packed GEMM's cache hints included (they
// change no value).
// LOOP:      {{^}}numerics: after graph-to-llvm: ok (max abs error {{.*}}){{$}}
// LOOP-NEXT: {{^}}numerics: all 2 levels agree{{$}}
// LOOP-IR:   memref.prefetch %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}], read, locality<3>, data : memref<2x27x8xf32>

// UNKNOWN: {{^.*}}check_numerics.mlir: error: no function @nope to check (functions: @model, @plain, @dynamic){{$}}

func.func @model(%x: tensor<2x3xf32>, %n: tensor<2x3xi32>, %c: tensor<2x3xi1>) -> (tensor<2x3xf32>, tensor<2x3xi32>) {
  %one = arith.constant dense<1.0> : tensor<2x3xf32>
  %two = graph.add %one, %one : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %0 = graph.mul %x, %two : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = graph.mul %x, %two : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = graph.add %0, %1 : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %3 = graph.relu %2 : tensor<2x3xf32>
  %4 = graph.where %c, %n, %n : (tensor<2x3xi1>, tensor<2x3xi32>, tensor<2x3xi32>) -> tensor<2x3xi32>
  func.return %3, %4 : tensor<2x3xf32>, tensor<2x3xi32>
}

// Nothing here calls a sibling function: the runner verifies a function pass's
// result on the function alone, where such a call does not verify.
func.func @plain(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = graph.exp %x : tensor<2x3xf32>
  %1 = graph.exp %x : tensor<2x3xf32>
  %2 = graph.add %0, %1 : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  func.return %2 : tensor<2x3xf32>
}

func.func @dynamic(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  %0 = graph.relu %x : tensor<?x3xf32>
  func.return %0 : tensor<?x3xf32>
}
