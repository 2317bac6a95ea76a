// Pipelines in MLIR's syntax (--pass-pipeline, or -p when it reads as MLIR),
// in xDSL's flat syntax (-p a,b), and as individual flags (--cse).
// A nested anchor runs its passes on each op of that name directly inside
// the op it is nested in.

// RUN: mlc-opt %s --pass-pipeline='builtin.module(func.func(cse))' | filecheck %s --check-prefix=FUNC
// A function pass on a function that calls a sibling: verified back in place.
// RUN: mlc-opt %S/Inputs/calls.mlir --pass-pipeline='builtin.module(func.func(canonicalize))' | filecheck %s --check-prefix=CALLS
// CALLS: func.call @helper
// RUN: mlc-opt %s -p 'builtin.module(func.func(cse))' | filecheck %s --check-prefix=FUNC
// RUN: mlc-opt %s --pass-pipeline=' builtin.module( any( cse ) ) ' | filecheck %s --check-prefix=ALL
// RUN: mlc-opt %s --pass-pipeline='builtin.module(builtin.module(func.func(cse)))' | filecheck %s --check-prefix=INNER
// RUN: mlc-opt %s -p cse | filecheck %s --check-prefix=ALL
// RUN: mlc-opt %s --cse | filecheck %s --check-prefix=ALL
// RUN: mlc-opt %s --pass-pipeline='builtin.module(cse)' | filecheck %s --check-prefix=ALL
// RUN: mlc-opt %s --pass-pipeline='builtin.module(func.func(cse),linalg-fuse-multiply-add{require-scalar-factor=true})' --dump-pass-pipeline -o %t 2>&1 | filecheck %s --check-prefix=DUMP
// RUN: mlc-opt %s -p 'cse,canonicalize' --dump-pass-pipeline -o %t 2>&1 | filecheck %s --check-prefix=DUMP-FLAT
// RUN: not mlc-opt %s --pass-pipeline='builtin.module(func.func(scf.execute_region(cse)))' 2>&1 | filecheck %s --check-prefix=NOT-ISOLATED
// RUN: not mlc-opt %s --pass-pipeline='builtin.module(func.func(cse)' 2>&1 | filecheck %s --check-prefix=UNCLOSED
// RUN: not mlc-opt %s --pass-pipeline='cse' 2>&1 | filecheck %s --check-prefix=NO-ANCHOR
// RUN: not mlc-opt %s --pass-pipeline='builtin.module(func.func(no-such-pass))' 2>&1 | filecheck %s --check-prefix=NESTED-UNKNOWN
// RUN: not mlc-opt %s -p cse --pass-pipeline='builtin.module(cse)' 2>&1 | filecheck %s --check-prefix=BOTH
// RUN: not mlc-opt %s -p cse --canonicalize 2>&1 | filecheck %s --check-prefix=BOTH

// FUNC-LABEL: func.func @outer
// FUNC:          scf.yield
// FUNC-NEXT:     }
// FUNC-NEXT:     %[[A:.*]] = arith.addf
// FUNC-NEXT:     func.return %{{.*}}, %[[A]], %[[A]]
// FUNC-LABEL: func.func @inner
// FUNC-NEXT:     arith.addf
// FUNC-NEXT:     arith.addf

// INNER-LABEL: func.func @outer
// INNER:         scf.yield
// INNER-NEXT:    }
// INNER-NEXT:    arith.addf
// INNER-NEXT:    arith.addf
// INNER-LABEL: func.func @inner
// INNER-NEXT:    %[[B:.*]] = arith.addf
// INNER-NEXT:    func.return %[[B]], %[[B]]

// ALL-LABEL: func.func @outer
// ALL:         scf.yield
// ALL-NEXT:    }
// ALL-NEXT:    %[[A:.*]] = arith.addf
// ALL-NEXT:    func.return %{{.*}}, %[[A]], %[[A]]
// ALL-LABEL: func.func @inner
// ALL-NEXT:    %[[B:.*]] = arith.addf
// ALL-NEXT:    func.return %[[B]], %[[B]]

// DUMP:      Pass Manager with 2 passes:
// DUMP-NEXT: builtin.module(func.func(cse), linalg-fuse-multiply-add{require-scalar-factor=true require-erasable-mul=false}){{$}}
// DUMP-FLAT:      Pass Manager with 2 passes:
// DUMP-FLAT-NEXT: builtin.module(cse, canonicalize)

// UNCLOSED: {{^}}mlc-opt: error: invalid pass pipeline 'builtin.module(func.func(cse)': expected ')' (at column 30){{$}}
// UNCLOSED-NOT: {{.}}
// NO-ANCHOR: {{^}}mlc-opt: error: invalid pass pipeline 'cse': expected pass pipeline to be wrapped with the anchor operation type, e.g. 'builtin.module(...)' (at column 1){{$}}
// NO-ANCHOR-NOT: {{.}}
// NESTED-UNKNOWN: {{^}}mlc-opt: error: unknown pass 'no-such-pass'{{$}}
// NESTED-UNKNOWN-NOT: {{.}}
// BOTH: {{^}}mlc-opt: error: -p/--passes, --pass-pipeline and individual pass flags cannot be combined{{$}}
// BOTH-NOT: {{.}}

func.func @outer(%x: f32) -> (f32, f32, f32) {
  // NOT-ISOLATED-NOT: Traceback
  // NOT-ISOLATED:     pass_pipeline.mlir:[[# @LINE + 2]]:8: error: trying to schedule a pass on an operation not marked as 'IsolatedFromAbove'{{$}}
  // NOT-ISOLATED-NOT: {{.}}
  %0 = scf.execute_region -> f32 {
    %1 = arith.addf %x, %x : f32
    scf.yield %1 : f32
  }
  %2 = arith.addf %x, %x : f32
  %3 = arith.addf %x, %x : f32
  func.return %0, %2, %3 : f32, f32, f32
}

builtin.module {
  func.func @inner(%x: f32) -> (f32, f32) {
    %0 = arith.addf %x, %x : f32
    %1 = arith.addf %x, %x : f32
    func.return %0, %1 : f32, f32
  }
}
