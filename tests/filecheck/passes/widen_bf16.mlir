// RUN: mlc-opt %s -p widen-bf16 | filecheck %s

// Graph ops on bf16 compute in f32: their bf16 operands are cast to f32 and
// each bf16 result is rounded back once; scalar properties (clip bounds)
// become f32. Casts between bf16 and types other than f32 go through f32;
// ops without bf16 are untouched. Numerics: tests/unit/lowering/test_bf16.py.

// CHECK-LABEL: func.func @elementwise(
// CHECK-NEXT:    %[[A:.*]] = graph.cast %a : tensor<2x3xbf16> to tensor<2x3xf32>
// CHECK-NEXT:    %[[B:.*]] = graph.cast %b : tensor<2x3xbf16> to tensor<2x3xf32>
// CHECK-NEXT:    %[[S:.*]] = graph.add %[[A]], %[[B]] : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %[[SB:.*]] = graph.cast %[[S]] : tensor<2x3xf32> to tensor<2x3xbf16>
// CHECK-NEXT:    %[[SF:.*]] = graph.cast %[[SB]] : tensor<2x3xbf16> to tensor<2x3xf32>
// CHECK-NEXT:    %[[C:.*]] = graph.clip %[[SF]] {max = 6.000000e+00 : f32, min = 0.000000e+00 : f32} : tensor<2x3xf32>
// CHECK-NEXT:    %[[CB:.*]] = graph.cast %[[C]] : tensor<2x3xf32> to tensor<2x3xbf16>
// CHECK-NEXT:    func.return %[[CB]] : tensor<2x3xbf16>
func.func @elementwise(%a: tensor<2x3xbf16>, %b: tensor<2x3xbf16>) -> tensor<2x3xbf16> {
  %s = graph.add %a, %b : (tensor<2x3xbf16>, tensor<2x3xbf16>) -> tensor<2x3xbf16>
  %c = graph.clip %s {min = 0.0 : bf16, max = 6.0 : bf16} : tensor<2x3xbf16>
  func.return %c : tensor<2x3xbf16>
}

// A contraction accumulates in f32; a reduction to another type (argmax's
// i64) is not cast back.
// CHECK-LABEL: func.func @matmul(
// CHECK-NEXT:    %[[A:.*]] = graph.cast %a : tensor<2x4xbf16> to tensor<2x4xf32>
// CHECK-NEXT:    %[[B:.*]] = graph.cast %b : tensor<4x3xbf16> to tensor<4x3xf32>
// CHECK-NEXT:    %[[M:.*]] = graph.matmul %[[A]], %[[B]] : (tensor<2x4xf32>, tensor<4x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT:    %[[MB:.*]] = graph.cast %[[M]] : tensor<2x3xf32> to tensor<2x3xbf16>
// CHECK-NEXT:    func.return %[[MB]] : tensor<2x3xbf16>
func.func @matmul(%a: tensor<2x4xbf16>, %b: tensor<4x3xbf16>) -> tensor<2x3xbf16> {
  %m = graph.matmul %a, %b : (tensor<2x4xbf16>, tensor<4x3xbf16>) -> tensor<2x3xbf16>
  func.return %m : tensor<2x3xbf16>
}

// CHECK-LABEL: func.func @casts(
// CHECK-NEXT:    %[[F:.*]] = graph.cast %x : tensor<4xbf16> to tensor<4xf32>
// CHECK-NEXT:    %[[I:.*]] = graph.cast %[[F]] : tensor<4xf32> to tensor<4xi32>
// CHECK-NEXT:    %[[G:.*]] = graph.cast %[[I]] : tensor<4xi32> to tensor<4xf32>
// CHECK-NEXT:    %[[B:.*]] = graph.cast %[[G]] : tensor<4xf32> to tensor<4xbf16>
// CHECK-NEXT:    %[[W:.*]] = graph.cast %[[B]] : tensor<4xbf16> to tensor<4xf32>
// CHECK-NEXT:    func.return %[[B]], %[[W]] : tensor<4xbf16>, tensor<4xf32>
func.func @casts(%x: tensor<4xbf16>) -> (tensor<4xbf16>, tensor<4xf32>) {
  %i = graph.cast %x : tensor<4xbf16> to tensor<4xi32>
  %b = graph.cast %i : tensor<4xi32> to tensor<4xbf16>
  %w = graph.cast %b : tensor<4xbf16> to tensor<4xf32>
  func.return %b, %w : tensor<4xbf16>, tensor<4xf32>
}

// CHECK-LABEL: func.func @untouched(
// CHECK-NEXT:    %[[S:.*]] = graph.add %a, %a : (tensor<2xf16>, tensor<2xf16>) -> tensor<2xf16>
// CHECK-NEXT:    func.return %[[S]] : tensor<2xf16>
func.func @untouched(%a: tensor<2xf16>) -> tensor<2xf16> {
  %s = graph.add %a, %a : (tensor<2xf16>, tensor<2xf16>) -> tensor<2xf16>
  func.return %s : tensor<2xf16>
}
