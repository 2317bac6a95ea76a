// RUN: mlc-opt %s -p buffer-reuse | filecheck %s
// RUN: mlc-opt %s -p 'buffer-reuse{report=true}' 2>&1 >/dev/null | filecheck %s --check-prefix=REPORT
// The example models through the pipeline (graph-fuse makes several functions,
// whose figures add up): sharing lowers the CNN's and the transformer's bytes.
// RUN: mlc-opt %S/../../../examples/lenet.mlir -p 'canonicalize,graph-fuse,convert-graph-to-linalg,linalg-fuse-elementwise,bufferize,buffer-reuse{report=true}' 2>&1 >/dev/null | filecheck %s --check-prefix=LENET
// RUN: mlc-opt %S/../../../examples/transformer_block.mlir -p 'canonicalize,graph-fuse,convert-graph-to-linalg,linalg-fuse-elementwise,bufferize,buffer-reuse{report=true}' 2>&1 >/dev/null | filecheck %s --check-prefix=TRANSFORMER
// LENET: buffer-reuse: temporary bytes 62496 -> 53680 (peak live 53680)
// TRANSFORMER: buffer-reuse: temporary bytes 49536 -> 28896 (peak live 28864)

// The module sums its functions' figures: before 64 + 36 + 112 = 212, after
// 40 + 76 + 96 = 212, peak live 40 + 36 + 96 = 172.
// CHECK: builtin.module attributes {mlc.temp_bytes = {before = 212 : i64, after = 212 : i64}}
// REPORT: buffer-reuse: temporary bytes 212 -> 212 (peak live 172)

// Disjoint lifetimes share bytes though sizes and element types differ:
// 24 + 40 bytes become one 40-byte arena, both views at offset 0.
// CHECK-LABEL: func.func @shared_between_sizes_when_lifetimes_are_disjoint(
// CHECK-SAME:      %[[A:.*]]: memref<2x3xf32>, %[[B:.*]]: memref<5xf64>, %[[OUT:.*]]: memref<5xf64>)
// CHECK-SAME:      attributes {mlc.temp_bytes = {before = 64 : i64, after = 40 : i64}}
// CHECK-NEXT:    %[[ARENA:.*]] = memref.alloc() {alignment = 64 : i64} : memref<40xi8>
// CHECK-NEXT:    %[[O0:.*]] = arith.constant 0 : index
// CHECK-NEXT:    %[[T0:.*]] = memref.view %[[ARENA]][%[[O0]]][] : memref<40xi8> to memref<2x3xf32>
// CHECK-NEXT:    "memref.copy"(%[[A]], %[[T0]])
// CHECK-NEXT:    %[[O1:.*]] = arith.constant 0 : index
// CHECK-NEXT:    %[[T1:.*]] = memref.view %[[ARENA]][%[[O1]]][] : memref<40xi8> to memref<5xf64>
// CHECK-NEXT:    "memref.copy"(%[[B]], %[[T1]])
// CHECK-NEXT:    "memref.copy"(%[[T1]], %[[OUT]])
// CHECK-NEXT:    memref.dealloc %[[ARENA]] : memref<40xi8>
// CHECK-NEXT:    func.return
func.func @shared_between_sizes_when_lifetimes_are_disjoint(%a: memref<2x3xf32>, %b: memref<5xf64>, %out: memref<5xf64>) {
  %t0 = memref.alloc() : memref<2x3xf32>
  "memref.copy"(%a, %t0) : (memref<2x3xf32>, memref<2x3xf32>) -> ()
  memref.dealloc %t0 : memref<2x3xf32>
  %t1 = memref.alloc() : memref<5xf64>
  "memref.copy"(%b, %t1) : (memref<5xf64>, memref<5xf64>) -> ()
  "memref.copy"(%t1, %out) : (memref<5xf64>, memref<5xf64>) -> ()
  memref.dealloc %t1 : memref<5xf64>
  func.return
}

// Overlapping lifetimes get disjoint bytes; the second offset is aligned to 64
// (padding makes the arena, 76, larger than the 36 bytes of the two).
// CHECK-LABEL: func.func @not_shared_when_overlapping(
// CHECK-SAME:      attributes {mlc.temp_bytes = {before = 36 : i64, after = 76 : i64}}
// CHECK-NEXT:    %[[ARENA:.*]] = memref.alloc() {alignment = 64 : i64} : memref<76xi8>
// CHECK-NEXT:    %[[O0:.*]] = arith.constant 0 : index
// CHECK-NEXT:    %[[T0:.*]] = memref.view %[[ARENA]][%[[O0]]][] : memref<76xi8> to memref<2x3xf32>
// CHECK:         %[[O1:.*]] = arith.constant 64 : index
// CHECK-NEXT:    %[[T1:.*]] = memref.view %[[ARENA]][%[[O1]]][] : memref<76xi8> to memref<3xf32>
// CHECK-NEXT:    "memref.copy"(%{{.*}}, %[[T1]])
// CHECK-NEXT:    "memref.copy"(%[[T0]], %{{.*}})
// CHECK-NOT:     memref.dealloc %[[T0]]
// CHECK-NOT:     memref.dealloc %[[T1]]
// CHECK:         memref.dealloc %[[ARENA]] : memref<76xi8>
// CHECK-NEXT:    func.return
func.func @not_shared_when_overlapping(%a: memref<2x3xf32>, %b: memref<3xf32>) {
  %t0 = memref.alloc() : memref<2x3xf32>
  "memref.copy"(%a, %t0) : (memref<2x3xf32>, memref<2x3xf32>) -> ()
  %t1 = memref.alloc() : memref<3xf32>
  "memref.copy"(%b, %t1) : (memref<3xf32>, memref<3xf32>) -> ()
  "memref.copy"(%t0, %a) : (memref<2x3xf32>, memref<2x3xf32>) -> ()
  memref.dealloc %t0 : memref<2x3xf32>
  memref.dealloc %t1 : memref<3xf32>
  func.return
}

// Largest first: t1 (64 bytes) at 0, t0 (32, overlapping t1) at 64, then t2
// (16, overlapping t0 only) in t1's bytes at 0: a 96-byte arena for 112.
// CHECK-LABEL: func.func @gap_reused_by_a_later_temporary(
// CHECK-SAME:      attributes {mlc.temp_bytes = {before = 112 : i64, after = 96 : i64}}
// CHECK-NEXT:    %[[ARENA:.*]] = memref.alloc() {alignment = 64 : i64} : memref<96xi8>
// CHECK-NEXT:    %[[O0:.*]] = arith.constant 64 : index
// CHECK-NEXT:    memref.view %[[ARENA]][%[[O0]]][] : memref<96xi8> to memref<8xf32>
// CHECK-NEXT:    %[[O1:.*]] = arith.constant 0 : index
// CHECK-NEXT:    memref.view %[[ARENA]][%[[O1]]][] : memref<96xi8> to memref<16xf32>
// CHECK:         %[[O2:.*]] = arith.constant 0 : index
// CHECK-NEXT:    memref.view %[[ARENA]][%[[O2]]][] : memref<96xi8> to memref<4xf32>
func.func @gap_reused_by_a_later_temporary(%a: memref<8xf32>, %b: memref<16xf32>, %c: memref<4xf32>) {
  %t0 = memref.alloc() : memref<8xf32>
  %t1 = memref.alloc() : memref<16xf32>
  "memref.copy"(%a, %t0) : (memref<8xf32>, memref<8xf32>) -> ()
  "memref.copy"(%b, %t1) : (memref<16xf32>, memref<16xf32>) -> ()
  memref.dealloc %t1 : memref<16xf32>
  %t2 = memref.alloc() : memref<4xf32>
  "memref.copy"(%c, %t2) : (memref<4xf32>, memref<4xf32>) -> ()
  memref.dealloc %t2 : memref<4xf32>
  memref.dealloc %t0 : memref<8xf32>
  func.return
}

// An alloc without a dealloc in its block (it escapes) is no temporary: the
// function is left as it is, without an arena or an attribute.
// CHECK-LABEL: func.func @not_planned_without_a_dealloc(
// CHECK-SAME:      -> memref<2xf32> {
// CHECK-NEXT:    %[[T:.*]] = memref.alloc() : memref<2xf32>
// CHECK-NEXT:    func.return %[[T]] : memref<2xf32>
func.func @not_planned_without_a_dealloc() -> memref<2xf32> {
  %t = memref.alloc() : memref<2xf32>
  func.return %t : memref<2xf32>
}
