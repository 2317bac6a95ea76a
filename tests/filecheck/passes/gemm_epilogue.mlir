// RUN: mlc-opt %s -p 'linalg-contraction-kernel{mr=1 nr=4 vl=4},canonicalize,cse' | filecheck %s

// Which consumers gemm_epilogue.py fuses into a GEMM's store, and their
// bodies on vectors (a 1x4 micro-tile of vector<4xf32> keeps the output short).

#id = affine_map<(d0, d1) -> (d0, d1)>
#col = affine_map<(d0, d1) -> (d1)>
#row = affine_map<(d0, d1) -> (d0)>

// Bias per column is a vector load, a value per row a broadcast scalar;
// sigmoid's exp and division are cloned on vectors.
// CHECK-LABEL: func.func @bias_scale_sigmoid(
// CHECK-SAME:      %{{.*}}: memref<2x3xf32>, %{{.*}}: memref<3x4xf32>, %[[BIAS:.*]]: memref<4xf32>, %[[SCALE:.*]]: memref<2xf32>, %[[OUT:.*]]: memref<2x4xf32> {mlc.out})
// CHECK:         %[[ACC:.*]] = scf.for {{.*}} iter_args(
// CHECK:         %[[B:.*]] = vector.load %[[BIAS]][%{{.*}}] : memref<4xf32>, vector<4xf32>
// CHECK-NEXT:    %[[S:.*]] = memref.load %[[SCALE]][%{{.*}}] : memref<2xf32>
// CHECK-NEXT:    %[[SPLAT:.*]] = vector.broadcast %[[S]] : f32 to vector<4xf32>
// CHECK:         %[[X:.*]] = arith.addf %[[ACC]], %[[B]] : vector<4xf32>
// CHECK-NEXT:    %[[Y:.*]] = arith.mulf %[[X]], %[[SPLAT]] : vector<4xf32>
// CHECK-NEXT:    %[[NEG:.*]] = arith.negf %[[Y]] : vector<4xf32>
// CHECK-NEXT:    %[[E:.*]] = math.exp %[[NEG]] : vector<4xf32>
// CHECK-NEXT:    %[[D:.*]] = arith.addf %{{.*}}, %[[E]] : vector<4xf32>
// CHECK-NEXT:    %[[R:.*]] = arith.divf %{{.*}}, %[[D]] : vector<4xf32>
// CHECK-NEXT:    vector.store %[[R]], %[[OUT]][%{{.*}}, %{{.*}}] : memref<2x4xf32>, vector<4xf32>
// CHECK-NOT:     linalg.generic
func.func @bias_scale_sigmoid(%a: memref<2x3xf32>, %b: memref<3x4xf32>, %bias: memref<4xf32>, %scale: memref<2xf32>, %out: memref<2x4xf32> {mlc.out}) {
  %t = memref.alloc() {alignment = 64 : i64} : memref<2x4xf32>
  linalg.matmul ins(%a, %b : memref<2x3xf32>, memref<3x4xf32>) outs(%t : memref<2x4xf32>)
  linalg.generic {indexing_maps = [#id, #col, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%t, %bias, %scale : memref<2x4xf32>, memref<4xf32>, memref<2xf32>) outs(%out : memref<2x4xf32>) {
  ^bb0(%v: f32, %bv: f32, %sv: f32, %o: f32):
    %one = arith.constant 1.0 : f32
    %x = arith.addf %v, %bv : f32
    %y = arith.mulf %x, %sv : f32
    %n = arith.negf %y : f32
    %e = math.exp %n : f32
    %d = arith.addf %one, %e : f32
    %r = arith.divf %one, %d : f32
    linalg.yield %r : f32
  }
  memref.dealloc %t : memref<2x4xf32>
  func.return
}

// The output is read again after the consumer: the accumulators are stored
// into it as well as through the epilogue.
// CHECK-LABEL: func.func @output_read_later_is_stored_too(
// CHECK-SAME:      %{{.*}}: memref<2x3xf32>, %{{.*}}: memref<3x4xf32>, %[[OUT:.*]]: memref<2x4xf32> {mlc.out}, %[[OUT2:.*]]: memref<2x4xf32> {mlc.out})
// CHECK:         %[[ACC:.*]] = scf.for {{.*}} iter_args(
// CHECK:         vector.store %[[ACC]], %[[OUT]][%{{.*}}, %{{.*}}] : memref<2x4xf32>, vector<4xf32>
// CHECK:         %[[T:.*]] = math.tanh %[[ACC]] : vector<4xf32>
// CHECK-NEXT:    vector.store %[[T]], %[[OUT2]][%{{.*}}, %{{.*}}] : memref<2x4xf32>, vector<4xf32>
func.func @output_read_later_is_stored_too(%a: memref<2x3xf32>, %b: memref<3x4xf32>, %out: memref<2x4xf32> {mlc.out}, %out2: memref<2x4xf32> {mlc.out}) {
  linalg.matmul ins(%a, %b : memref<2x3xf32>, memref<3x4xf32>) outs(%out : memref<2x4xf32>)
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%out : memref<2x4xf32>) outs(%out2 : memref<2x4xf32>) {
  ^bb0(%v: f32, %o: f32):
    %t = math.tanh %v : f32
    linalg.yield %t : f32
  }
  func.return
}

// A body with a compare and select has no vector form here: not fused.
// CHECK-LABEL: func.func @select_is_not_fused(
// CHECK:         vector.fma
// CHECK:         linalg.generic
func.func @select_is_not_fused(%a: memref<2x3xf32>, %b: memref<3x4xf32>, %out: memref<2x4xf32> {mlc.out}) {
  %t = memref.alloc() {alignment = 64 : i64} : memref<2x4xf32>
  linalg.matmul ins(%a, %b : memref<2x3xf32>, memref<3x4xf32>) outs(%t : memref<2x4xf32>)
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%t : memref<2x4xf32>) outs(%out : memref<2x4xf32>) {
  ^bb0(%v: f32, %o: f32):
    %zero = arith.constant 0.0 : f32
    %c = arith.cmpf ogt, %v, %zero : f32
    %r = arith.select %c, %v, %zero : f32
    linalg.yield %r : f32
  }
  memref.dealloc %t : memref<2x4xf32>
  func.return
}

// A consumer that reads its own output (accumulates into it) is not fused.
// CHECK-LABEL: func.func @accumulating_consumer_is_not_fused(
// CHECK:         vector.fma
// CHECK:         linalg.generic
func.func @accumulating_consumer_is_not_fused(%a: memref<2x3xf32>, %b: memref<3x4xf32>, %out: memref<2x4xf32> {mlc.out}) {
  %t = memref.alloc() {alignment = 64 : i64} : memref<2x4xf32>
  linalg.matmul ins(%a, %b : memref<2x3xf32>, memref<3x4xf32>) outs(%t : memref<2x4xf32>)
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%t : memref<2x4xf32>) outs(%out : memref<2x4xf32>) {
  ^bb0(%v: f32, %o: f32):
    %s = arith.addf %v, %o : f32
    linalg.yield %s : f32
  }
  memref.dealloc %t : memref<2x4xf32>
  func.return
}
