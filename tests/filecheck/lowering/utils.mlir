// RUN: not mlc-opt %s -p convert-math-to-llvm 2>&1 | filecheck %s --check-prefix=MATH
// RUN: not mlc-opt %s -p convert-vector-to-llvm 2>&1 | filecheck %s --check-prefix=VECTOR

// The contract of every convert-* pass (lowering/utils.py): an op of its dialect
// left behind fails the pass with one line at the first such op's location
// (`require_converted` raising a `located_failure`), and nothing else.

// MATH: {{^}}{{.*}}utils.mlir:[[# @LINE + 7]]:8: error: convert-math-to-llvm could not lower 'math.ipowi'{{$}}
// MATH-NOT: {{.}}
// VECTOR: {{^}}{{.*}}utils.mlir:[[# @LINE + 7]]:3: error: convert-vector-to-llvm could not lower 'vector.print'{{$}}
// VECTOR-NOT: {{.}}

func.func @unconvertible(%x: i32, %y: i32, %v: vector<4xf32>) -> i32 {
  %s = math.absi %x : i32
  %a = math.ipowi %s, %y : i32
  %b = math.ipowi %a, %y : i32
  "vector.print"(%v) : (vector<4xf32>) -> ()
  "vector.print"(%v) : (vector<4xf32>) -> ()
  func.return %b : i32
}
