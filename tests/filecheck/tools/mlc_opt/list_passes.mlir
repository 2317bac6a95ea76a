// --list-passes lists every registered pass: mlc's, then mlc's pipelines (with
// their stages), then xDSL's, each section sorted, with the first paragraph of
// its docstring and its options with their defaults, then exits 0 without
// reading any input.

// RUN: mlc-opt --list-passes | filecheck %s
// RUN: mlc-opt %s.not-read --list-passes | filecheck %s

// CHECK:      {{^}}mlc passes:{{$}}
// CHECK:      {{^}}  --bufferize {{ +}}- Bufferize the tensor level: every tensor becomes a memref.{{$}}
// CHECK:      {{^}}mlc pipelines:{{$}}
// CHECK-NEXT: {{^}}  --graph-to-llvm {{ +}}- Run the default pipeline from any level down to level `to`.{{$}}
// CHECK-NEXT: {{^}}    --to=<str> {{ +}}- default: "llvm"{{$}}
// CHECK:      {{^}}xDSL passes:{{$}}
// CHECK:      {{^}}  --canonicalize {{ +}}- Applies all canonicalization patterns.{{$}}
// CHECK:      {{^}}  --cse{{$}}
// CHECK:      {{^}}  --linalg-fuse-multiply-add {{ +}}- Pass that fuses linalg multiply and add ops into a `generic` fma.{{$}}
// CHECK-NEXT: {{^}}    --require-scalar-factor=<bool> {{ +}}- default: false{{$}}
// CHECK-NEXT: {{^}}    --require-erasable-mul=<bool> {{ +}}- default: false{{$}}
// CHECK:      {{^}}  --scf-parallel-loop-tiling{{$}}
// CHECK-NEXT: {{^}}    --parallel-loop-tile-sizes=<tuple[int, ...]> - required{{$}}
