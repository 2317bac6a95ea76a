// --list-passes lists every registered pass (xDSL's and mlc's), sorted, with
// the first paragraph of its docstring and its options with their defaults,
// then exits 0 without reading any input.

// RUN: mlc-opt --list-passes | filecheck %s
// RUN: mlc-opt %s.not-read --list-passes | filecheck %s

// CHECK:      {{^}}Passes:{{$}}
// CHECK:      {{^}}  --canonicalize {{ +}}- Applies all canonicalization patterns.{{$}}
// CHECK:      {{^}}  --cse{{$}}
// CHECK:      {{^}}  --linalg-fuse-multiply-add {{ +}}- Pass that fuses linalg multiply and add ops into a `generic` fma.{{$}}
// CHECK-NEXT: {{^}}    --require-scalar-factor=<bool> {{ +}}- default: false{{$}}
// CHECK-NEXT: {{^}}    --require-erasable-mul=<bool> {{ +}}- default: false{{$}}
// CHECK:      {{^}}  --scf-parallel-loop-tiling{{$}}
// CHECK-NEXT: {{^}}    --parallel-loop-tile-sizes=<tuple[int, ...]> - required{{$}}
