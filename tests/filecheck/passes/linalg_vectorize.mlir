// RUN: mlc-opt %s -p 'linalg-vectorize{vector-bits=512}' | filecheck %s
// RUN: env MLC_TARGET=avx2 mlc-opt %s -p linalg-vectorize | filecheck %s --check-prefix=AVX2
// RUN: mlc-opt %s -p 'linalg-vectorize{vector-bits=128}' | filecheck %s --check-prefix=SSE

// Elementwise with a broadcast operand: full vectors, then one masked step.
// CHECK-LABEL: func.func @add_tail(
// CHECK-SAME:      %[[A:.*]]: memref<4x20xf32>, %[[B:.*]]: memref<20xf32>, %[[OUT:.*]]: memref<4x20xf32>)
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG:     %[[C16:.*]] = arith.constant 16 : index
// CHECK:         scf.for %[[I:.*]] = %[[C0]] to %[[C4]] step %{{.*}} {
// CHECK-NEXT:      scf.for %[[J:.*]] = %[[C0]] to %[[C16]] step %[[C16]] {
// CHECK-NEXT:        %[[X:.*]] = vector.load %[[A]][%[[I]], %[[J]]] : memref<4x20xf32>, vector<16xf32>
// CHECK-NEXT:        %[[Y:.*]] = vector.load %[[B]][%[[J]]] : memref<20xf32>, vector<16xf32>
// CHECK-NEXT:        %[[S:.*]] = arith.addf %[[X]], %[[Y]] : vector<16xf32>
// CHECK-NEXT:        vector.store %[[S]], %[[OUT]][%[[I]], %[[J]]] : memref<4x20xf32>, vector<16xf32>
// CHECK-NEXT:      }
// CHECK-NEXT:      %[[M:.*]] = vector.create_mask %[[C4]] : vector<16xi1>
// CHECK:           vector.maskedload %[[A]][%[[I]], %[[C16]]], %[[M]], %{{.*}} : memref<4x20xf32>, vector<16xi1>, vector<16xf32> into vector<16xf32>
// CHECK:           vector.maskedload %[[B]][%[[C16]]], %[[M]], %{{.*}}
// CHECK:           arith.addf
// CHECK-NEXT:      vector.maskedstore %[[OUT]][%[[I]], %[[C16]]], %[[M]], %{{.*}} : memref<4x20xf32>, vector<16xi1>, vector<16xf32>
// CHECK-NEXT:    } {mlc.parallel}
// CHECK-NOT:     linalg.generic
// AVX2-LABEL:  func.func @add_tail(
// AVX2:          scf.for
// AVX2:            scf.for %{{.*}} = %{{.*}} to %{{.*}} step %{{.*}} {
// AVX2:              vector.load {{.*}} vector<8xf32>
// AVX2:            vector.create_mask %{{.*}} : vector<8xi1>
// AVX2:          } {mlc.parallel}
// SSE-LABEL:   func.func @add_tail(
// SSE:             vector.load {{.*}} vector<4xf32>
// SSE-NOT:         vector.create_mask
// SSE:           } {mlc.parallel}
func.func @add_tail(%a: memref<4x20xf32>, %b: memref<20xf32>, %out: memref<4x20xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a, %b : memref<4x20xf32>, memref<20xf32>) outs(%out : memref<4x20xf32>) {
  ^bb0(%x: f32, %y: f32, %o: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  }
  func.return
}

// A reduction along the innermost axis: a vector accumulator, a masked last
// step whose extra lanes are the neutral element, one vector.reduction.
// CHECK-LABEL: func.func @row_max(
// CHECK-SAME:      %[[A:.*]]: memref<3x37xf32>, %[[OUT:.*]]: memref<3x1xf32>)
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[C32:.*]] = arith.constant 32 : index
// CHECK-DAG:     %[[C16:.*]] = arith.constant 16 : index
// CHECK-DAG:     %[[C5:.*]] = arith.constant 5 : index
// CHECK:         scf.for %[[I:.*]] = %[[C0]] to %{{.*}} step %{{.*}} {
// CHECK-NEXT:      %[[NINF:.*]] = arith.constant 0xff800000 : f32
// CHECK-NEXT:      %[[NEUTRAL:.*]] = vector.broadcast %[[NINF]] : f32 to vector<16xf32>
// CHECK-NEXT:      %[[ACC:.*]] = scf.for %[[J:.*]] = %[[C0]] to %[[C32]] step %[[C16]] iter_args(%[[PART:.*]] = %[[NEUTRAL]]) -> (vector<16xf32>) {
// CHECK-NEXT:        %[[X:.*]] = vector.load %[[A]][%[[I]], %[[J]]] : memref<3x37xf32>, vector<16xf32>
// CHECK-NEXT:        %[[MAX:.*]] = arith.maximumf %[[X]], %[[PART]] : vector<16xf32>
// CHECK-NEXT:        scf.yield %[[MAX]] : vector<16xf32>
// CHECK-NEXT:      }
// CHECK-NEXT:      %[[M:.*]] = vector.create_mask %[[C5]] : vector<16xi1>
// CHECK:           %[[TAIL:.*]] = vector.maskedload %[[A]][%[[I]], %[[C32]]], %[[M]], %{{.*}}
// CHECK-NEXT:      %[[SEL:.*]] = arith.select %[[M]], %[[TAIL]], %[[NEUTRAL]] : vector<16xi1>, vector<16xf32>
// CHECK-NEXT:      %[[LAST:.*]] = arith.maximumf %[[SEL]], %[[ACC]] : vector<16xf32>
// CHECK-NEXT:      %[[OLD:.*]] = memref.load %[[OUT]][%[[I]], %[[C0]]] : memref<3x1xf32>
// CHECK-NEXT:      %[[R:.*]] = vector.reduction <maximumf>, %[[LAST]], %[[OLD]] fastmath<reassoc> : vector<16xf32> into f32
// CHECK-NEXT:      memref.store %[[R]], %[[OUT]][%[[I]], %[[C0]]] : memref<3x1xf32>
// CHECK-NEXT:    } {mlc.parallel}
// AVX2-LABEL:  func.func @row_max(
// AVX2:            scf.for {{.*}} iter_args({{.*}}) -> (vector<8xf32>) {
// AVX2:            vector.reduction <maximumf>, {{.*}} : vector<8xf32> into f32
func.func @row_max(%a: memref<3x37xf32>, %out: memref<3x1xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, 0)>], iterator_types = ["parallel", "reduction"]} ins(%a : memref<3x37xf32>) outs(%out : memref<3x1xf32>) {
  ^bb0(%x: f32, %o: f32):
    %m = arith.maximumf %x, %o : f32
    linalg.yield %m : f32
  }
  func.return
}

// A reduction along an outer axis: the parallel axis is vectorized (f64: 8
// lanes in 512 bits), the output read and written as vectors.
// CHECK-LABEL: func.func @column_sum(
// CHECK:         scf.for %[[I:.*]] = {{.*}} {
// CHECK-NEXT:      scf.for %[[J:.*]] = {{.*}} {
// CHECK-NEXT:        %[[X:.*]] = vector.load %{{.*}}[%[[I]], %[[J]]] : memref<5x24xf64>, vector<8xf64>
// CHECK-NEXT:        %[[O:.*]] = vector.load %{{.*}}[%[[J]]] : memref<24xf64>, vector<8xf64>
// CHECK-NEXT:        %[[S:.*]] = arith.addf %[[X]], %[[O]] : vector<8xf64>
// CHECK-NEXT:        vector.store %[[S]], %{{.*}}[%[[J]]] : memref<24xf64>, vector<8xf64>
// CHECK-NOT:     mlc.parallel
// AVX2-LABEL:  func.func @column_sum(
// AVX2:            vector.load {{.*}} vector<4xf64>
func.func @column_sum(%a: memref<5x24xf64>, %out: memref<24xf64>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>], iterator_types = ["reduction", "parallel"]} ins(%a : memref<5x24xf64>) outs(%out : memref<24xf64>) {
  ^bb0(%x: f64, %o: f64):
    %s = arith.addf %x, %o : f64
    linalg.yield %s : f64
  }
  func.return
}

// No dimension is contiguous in every operand: the generic stays.
// CHECK-LABEL: func.func @transpose_stays(
// CHECK-NEXT:    linalg.generic
// CHECK-NOT:     vector.
func.func @transpose_stays(%a: memref<4x5xf32>, %out: memref<5x4xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a : memref<4x5xf32>) outs(%out : memref<5x4xf32>) {
  ^bb0(%x: f32, %o: f32):
    linalg.yield %x : f32
  }
  func.return
}

// Shorter than one vector: only the masked step; compares and selects on
// vector masks; a value from outside the body is broadcast.
// CHECK-LABEL: func.func @relu_select(
// CHECK-SAME:      %[[A:.*]]: memref<7xf32>, %[[OUT:.*]]: memref<7xf32>)
// CHECK:         %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK-NOT:     scf.for
// CHECK:         %[[M:.*]] = vector.create_mask %{{.*}} : vector<16xi1>
// CHECK:         %[[X:.*]] = vector.maskedload %[[A]]
// CHECK-NEXT:    %[[Z:.*]] = vector.broadcast %[[ZERO]] : f32 to vector<16xf32>
// CHECK-NEXT:    %[[C:.*]] = arith.cmpf ogt, %[[X]], %[[Z]] : vector<16xf32>
// CHECK-NEXT:    %[[R:.*]] = arith.select %[[C]], %[[X]], %[[Z]] : vector<16xi1>, vector<16xf32>
// CHECK-NEXT:    vector.maskedstore %[[OUT]][%{{.*}}], %[[M]], %[[R]]
func.func @relu_select(%a: memref<7xf32>, %out: memref<7xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%a : memref<7xf32>) outs(%out : memref<7xf32>) {
  ^bb0(%x: f32, %o: f32):
    %c = arith.cmpf ogt, %x, %zero : f32
    %r = arith.select %c, %x, %zero : f32
    linalg.yield %r : f32
  }
  func.return
}

// Integer operands stay scalar.
// CHECK-LABEL: func.func @integers_stay(
// CHECK-NEXT:    linalg.generic
func.func @integers_stay(%a: memref<40xi32>, %out: memref<40xi32>) {
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%a : memref<40xi32>) outs(%out : memref<40xi32>) {
  ^bb0(%x: i32, %o: i32):
    %s = arith.addi %x, %x : i32
    linalg.yield %s : i32
  }
  func.return
}
