// --verify-diagnostics, as in mlir-opt: diagnostics must match the
// expected-* annotations of their chunk. When they all do, mlc-opt exits 0,
// prints nothing for the chunks that had diagnostics and the IR of the others.

// RUN: mlc-opt %s --split-input-file --verify-diagnostics 2>&1 | filecheck %s
// RUN: mlc-opt %S/Inputs/unknown_location.mlir -p eqsat-create-eclasses --verify-diagnostics 2>&1 | filecheck %s --check-prefix=UNKNOWN --allow-empty
// RUN: not mlc-opt %S/Inputs/verify_diagnostics_failures.mlir --split-input-file --verify-diagnostics 2>&1 | filecheck %s --check-prefix=FAIL

// CHECK-NOT: error
// CHECK-NOT: Traceback

// A chunk without diagnostics prints its IR.
// CHECK:      func.func @no_diagnostics
// CHECK-NEXT:   graph.relu
func.func @no_diagnostics(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = graph.relu %x : tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

// CHECK-NEXT:   func.return
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK-NEXT: // -----
// CHECK-NEXT: // -----
func.func @next_line(%a: tensor<2x3xf32>, %b: tensor<4xf32>) -> tensor<2x3xf32> {
  // expected-error @+1 {{cannot broadcast shapes (2, 3) and (4,)}}
  %0 = graph.add %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  func.return %0 : tensor<2x3xf32>
}

// -----

func.func @same_line(%c: tensor<2xf32>, %x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = graph.where %c, %x, %x : (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32> // expected-error {{expects i1 elements for condition}}
  func.return %0 : tensor<2xf32>
}

// -----

// @below is the next line that is no annotation; -re reads {{...}} as a regex.
func.func @below_and_above(%x: tensor<2xf32>) -> tensor<3xi32> {
  // expected-error-re @below {{'graph.cast' result type tensor<{{[0-9]+}}xi32>}}
  %0 = graph.cast %x : tensor<2xf32> to tensor<3xi32>
  func.return %0 : tensor<3xi32>
}
func.func @above(%x: f32) -> f32 {
  %0 = "arith.addf"(%x, %x) : (f32, f32) -> i32
  // expected-error @above {{does not verify}}
  func.return %x : f32
}

// -----

// A parse error is a diagnostic too, at its own line.
func.func @parse_error(%x: tensor<2xf32>) -> tensor<2xf32> {
  // expected-error @+2 {{use of undeclared SSA value name}}
  %0 = graph.relu %x : tensor<2xf32>
  %1 = graph.add %0, %undefined : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  func.return %1 : tensor<2xf32>
}

// CHECK-NEXT: // -----
// CHECK-NEXT: // -----
// CHECK-NOT: {{.}}

// UNKNOWN-NOT: {{.}}

// Failures: each is one located line, and the exit code is 1.
// FAIL-NOT: Traceback
// FAIL:      {{^}}// -----
// FAIL-NEXT: {{^.*}}verify_diagnostics_failures.mlir:11:8: error: unexpected error: 'graph.add' cannot broadcast shapes (2, 3) and (4,){{$}}
// FAIL-NEXT: // -----
// FAIL-NEXT: {{^.*}}verify_diagnostics_failures.mlir:19:8: error: unexpected error: 'graph.add' cannot broadcast shapes (2, 3) and (4,){{$}}
// FAIL-NEXT: // -----
// FAIL-NEXT: {{^.*}}verify_diagnostics_failures.mlir:26:6: error: 'error' diagnostic emitted when expecting a 'warning'{{$}}
// FAIL-NEXT: // -----
// FAIL:      {{^.*}}verify_diagnostics_failures.mlir:3:6: error: expected error "never produced" was not produced{{$}}
// FAIL-NEXT: {{^.*}}verify_diagnostics_failures.mlir:18:6: error: expected error "cannot broadcast" was not produced{{$}}
// FAIL-NEXT: {{^.*}}verify_diagnostics_failures.mlir:26:6: error: expected warning "cannot broadcast" was not produced{{$}}
// FAIL-NEXT: {{^.*}}verify_diagnostics_failures.mlir:33:4: error: expected note "a note" was not produced{{$}}
// FAIL-NEXT: {{^.*}}verify_diagnostics_failures.mlir:34:4: error: expected remark "a remark" was not produced{{$}}
// FAIL-NOT: {{.}}
