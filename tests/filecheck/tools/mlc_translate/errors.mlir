// Every error mlc-translate reports is one line on stderr and exit code 1:
// `file:line:col: error: ...` for the IR, `file: error: ...` for a file,
// `mlc-translate: error: ...` for the command line. Each check matches the
// whole line, with no traceback before it and nothing after it.

// RUN: not mlc-translate %s 2>&1 | filecheck %s --check-prefix=NO-MODE
// RUN: not mlc-translate --mlir-to-llvmir %s -O9 2>&1 | filecheck %s --check-prefix=BAD-LEVEL
// RUN: not mlc-translate --mlir-to-llvmir %s.missing 2>&1 | filecheck %s --check-prefix=NO-INPUT
// RUN: not mlc-translate --mlir-to-llvmir %s -o %s 2>&1 | filecheck %s --check-prefix=SAME-OUTPUT
// RUN: not mlc-translate --mlir-to-llvmir %S/Inputs/undefined_value.mlir 2>&1 | filecheck %s --check-prefix=PARSE
// RUN: not mlc-translate --mlir-to-llvmir %S/Inputs/bad_type.mlir 2>&1 | filecheck %s --check-prefix=VERIFY
// RUN: not mlc-translate --mlir-to-llvmir %S/Inputs/dynamic.mlir 2>&1 | filecheck %s --check-prefix=LOWERING
// RUN: not mlc-translate --export-library %s 2>&1 | filecheck %s --check-prefix=NO-LIBRARY
// RUN: not mlc-translate --export-library %S/Inputs/missing_weights.mlir -o %t.so 2>&1 | filecheck %s --check-prefix=NO-WEIGHTS
// RUN: not mlc-translate --export-library %S/Inputs/dynamic.mlir -o %t.so 2>&1 | filecheck %s --check-prefix=DYNAMIC
// RUN: not mlc-translate --export-library %s -o %t.so --prefix 1st 2>&1 | filecheck %s --check-prefix=PREFIX
// RUN: not mlc-translate --import-onnx %s -o %t.mlir 2>&1 | filecheck %s --check-prefix=NOT-ONNX

// NO-MODE-NOT: Traceback
// NO-MODE:     {{^}}mlc-translate: error: one of the arguments --mlir-to-llvmir --export-library --import-onnx is required{{$}}
// NO-MODE-NOT: {{.}}

// BAD-LEVEL-NOT: Traceback
// BAD-LEVEL:     {{^}}mlc-translate: error: argument -O: invalid choice: 9 (choose from 0, 1, 2, 3){{$}}
// BAD-LEVEL-NOT: {{.}}

// NO-INPUT-NOT: Traceback
// NO-INPUT:     {{^}}mlc-translate: error: cannot open input file '{{.*}}errors.mlir.missing': No such file or directory{{$}}
// NO-INPUT-NOT: {{.}}

// SAME-OUTPUT-NOT: Traceback
// SAME-OUTPUT:     {{^}}mlc-translate: error: refusing to overwrite the input file '{{.*}}errors.mlir'{{$}}
// SAME-OUTPUT-NOT: {{.}}

// PARSE-NOT: Traceback
// PARSE:     {{^}}{{.*}}undefined_value.mlir:2:19: error: use of undeclared SSA value name %y{{$}}
// PARSE-NOT: {{.}}

// VERIFY-NOT: Traceback
// VERIFY:     {{^}}{{.*}}bad_type.mlir:3:3: error: Expected arguments to have the same types as the function output types{{.*$}}
// VERIFY-NOT: {{.}}

// LOWERING-NOT: Traceback
// LOWERING:     {{^}}{{.*}}dynamic.mlir:2:8: error: convert-graph-to-linalg supports static shapes only{{.*$}}
// LOWERING-NOT: {{.}}

// NO-LIBRARY-NOT: Traceback
// NO-LIBRARY:     {{^}}mlc-translate: error: --export-library needs -o libNAME.so{{$}}
// NO-LIBRARY-NOT: {{.}}

// NO-WEIGHTS-NOT: Traceback
// NO-WEIGHTS:     {{^}}mlc-translate: error: {{.*}}Inputs/no_such.weights: cannot open weights file: No such file or directory{{$}}
// NO-WEIGHTS-NOT: {{.}}

// DYNAMIC-NOT: Traceback
// DYNAMIC:     {{^}}{{.*}}dynamic.mlir: error: input 'x' (?xfloat32) has a symbolic dimension '?'; give its shape with --input-shape x=D{{$}}
// DYNAMIC-NOT: {{.}}

// PREFIX-NOT: Traceback
// PREFIX:     {{^}}mlc-translate: error: symbol prefix '1st' is not a C identifier{{$}}
// PREFIX-NOT: {{.}}

// NOT-ONNX-NOT: Traceback
// NOT-ONNX:     {{^}}{{.*}}errors.mlir: error: cannot load: {{.*$}}
// NOT-ONNX-NOT: {{.}}

func.func @f(%x: tensor<2xf32>) -> tensor<2xf32> {
  %0 = graph.relu %x : tensor<2xf32>
  func.return %0 : tensor<2xf32>
}
