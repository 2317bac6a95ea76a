// Every error mlc-opt reports is one line on stderr and exit code 1:
// `file:line:col: error: ...` for the IR (the column of the op's name, as
// mlir-opt reports it), `mlc-opt: error: ...` for the command line. Each
// check below matches the whole line, with no traceback before it and
// nothing after it.

// RUN: not mlc-opt %s --split-input-file 2>&1 | filecheck %s
// RUN: not mlc-opt %s -p no-such-pass 2>&1 | filecheck %s --check-prefix=UNKNOWN-PASS
// RUN: not mlc-opt %s -p canonicalise 2>&1 | filecheck %s --check-prefix=TYPO
// RUN: not mlc-opt %s -p 'canonicalize{no-such-option=1}' 2>&1 | filecheck %s --check-prefix=BAD-OPTION
// RUN: not mlc-opt %s -p 'cse{' 2>&1 | filecheck %s --check-prefix=BAD-SPEC
// RUN: not mlc-opt %s --no-such-flag 2>&1 | filecheck %s --check-prefix=UNKNOWN-FLAG
// RUN: not mlc-opt %s.missing 2>&1 | filecheck %s --check-prefix=NO-INPUT
// RUN: not mlc-opt %s -o %s 2>&1 | filecheck %s --check-prefix=SAME-OUTPUT
// RUN: not mlc-opt %S/Inputs/store.mlir -p eqsat-create-eclasses 2>&1 | filecheck %s --check-prefix=PASS-FAILED
// RUN: not mlc-opt %S/Inputs/store.mlir --pass-pipeline='func.func(cse)' 2>&1 | filecheck %s --check-prefix=BAD-ANCHOR

// UNKNOWN-PASS-NOT: Traceback
// UNKNOWN-PASS:     {{^}}mlc-opt: error: unknown pass 'no-such-pass'{{$}}
// UNKNOWN-PASS-NOT: {{.}}

// TYPO-NOT: Traceback
// TYPO:     {{^}}mlc-opt: error: unknown pass 'canonicalise' (did you mean 'canonicalize'?){{$}}
// TYPO-NOT: {{.}}

// BAD-OPTION-NOT: Traceback
// BAD-OPTION:     {{^}}mlc-opt: error: invalid options for pass 'canonicalize': {{.*}}no_such_option{{.*$}}
// BAD-OPTION-NOT: {{.}}

// BAD-SPEC-NOT: Traceback
// BAD-SPEC:     {{^}}mlc-opt: error: invalid pass pipeline 'cse{': {{.+$}}
// BAD-SPEC-NOT: {{.}}

// UNKNOWN-FLAG-NOT: Traceback
// UNKNOWN-FLAG:     {{^}}mlc-opt: error: unknown command line argument '--no-such-flag'{{$}}
// UNKNOWN-FLAG-NOT: {{.}}

// NO-INPUT-NOT: Traceback
// NO-INPUT:     {{^}}mlc-opt: error: cannot open input file '{{.*}}errors.mlir.missing': No such file or directory{{$}}
// NO-INPUT-NOT: {{.}}

// SAME-OUTPUT-NOT: Traceback
// SAME-OUTPUT:     {{^}}mlc-opt: error: refusing to overwrite the input file '{{.*}}errors.mlir' (-o){{$}}
// SAME-OUTPUT-NOT: {{.}}

// A pass failure that names no op is located at the file.
// PASS-FAILED-NOT: Traceback
// PASS-FAILED:     {{^.*}}store.mlir: error: Ops with non-single results not handled{{$}}
// PASS-FAILED-NOT: {{.}}

// BAD-ANCHOR-NOT: Traceback
// BAD-ANCHOR:     {{^.*}}store.mlir: error: can't run 'func.func' pass manager on 'builtin.module' op{{$}}
// BAD-ANCHOR-NOT: {{.}}

// The verifier's message, at the op that failed (each chunk is one line).
// CHECK:      errors.mlir:[[# @LINE + 2]]:8: error: 'graph.add' cannot broadcast shapes (2, 3) and (4,){{$}}
func.func @add_shapes_do_not_broadcast(%a: tensor<2x3xf32>, %b: tensor<4xf32>) -> tensor<2x3xf32> {
  %0 = graph.add %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

// CHECK-NEXT: // -----
// CHECK-NEXT: errors.mlir:[[# @LINE + 3]]:8: error: 'graph.where' expects i1 elements for condition, got tensor<2xf32>{{$}}
func.func @where_condition_is_not_bool(%c: tensor<2xf32>, %x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = graph.relu %x : tensor<2xf32>
  %1 = graph.where %c, %0, %x : (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  func.return %1 : tensor<2xf32>
}

// -----

// A nested op, in the generic format: the column is that of its quoted name.
// CHECK-NEXT: // -----
// CHECK-NEXT: errors.mlir:[[# @LINE + 3]]:10: error: result 'result' at position 0 does not verify: {{.*}}
func.func @relu_result_type(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = scf.execute_region -> tensor<2xf32> {
    %1 = "graph.relu"(%x) : (tensor<2xf32>) -> tensor<2xi32>
    scf.yield %x : tensor<2xf32>
  }
  func.return %0 : tensor<2xf32>
}

// -----

// Parse errors: an undefined value at its first use, an unknown op at its name.
// CHECK-NEXT: // -----
// CHECK-NEXT: errors.mlir:[[# @LINE + 2]]:18: error: use of undeclared SSA value name %undefined{{$}}
func.func @undefined_value(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = graph.add %undefined, %x : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// -----

// CHECK-NEXT: // -----
// CHECK-NEXT: errors.mlir:[[# @LINE + 2]]:8: error: Operation graph.no_such_op is not registered{{$}}
func.func @unknown_op(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = graph.no_such_op %x : tensor<2xf32>
  func.return %0 : tensor<2xf32>
}

// -----

// One bad input, one line: only the first error of a chunk is reported, even
// when a later function is wrong too (--verify-diagnostics checks them all).
// CHECK-NEXT: // -----
// CHECK-NEXT: errors.mlir:[[# @LINE + 2]]:8: error: 'graph.cast' result type tensor<3xi32> does not match the inferred tensor<2xi32>{{$}}
func.func @cast_changes_shape(%x: tensor<2xf32>) -> tensor<3xi32> {
  %0 = graph.cast %x : tensor<2xf32> to tensor<3xi32>
  func.return %0 : tensor<3xi32>
}
func.func @addf_returns_int(%x: f32) -> f32 {
  %0 = "arith.addf"(%x, %x) : (f32, f32) -> i32
  func.return %x : f32
}
// CHECK-NOT: {{.}}
