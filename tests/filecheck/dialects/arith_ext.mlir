// RUN: MLC_ROUNDTRIP
// RUN: MLC_GENERIC_ROUNDTRIP

// arith.cmpf/cmpi on vectors give vectors of i1, and arith.select takes a
// vector condition (dialects/arith_ext.py, registered as `arith`), in upstream
// MLIR's syntax; the scalar forms print as before.
// upstream/vector_code.mlir checks that real mlir-opt reads what mlc prints.

// CHECK-LABEL: func.func @vector_compare_select(
// CHECK-SAME:      %[[A:.*]]: vector<16xf32>, %[[B:.*]]: vector<16xf32>, %[[I:.*]]: vector<16xi32>)
// CHECK-NEXT:    %[[M:.*]] = arith.cmpf olt, %[[A]], %[[B]] : vector<16xf32>
// CHECK-NEXT:    %[[N:.*]] = arith.cmpi sgt, %[[I]], %[[I]] : vector<16xi32>
// CHECK-NEXT:    %[[S:.*]] = arith.select %[[M]], %[[A]], %[[B]] : vector<16xi1>, vector<16xf32>
// CHECK-NEXT:    %[[T:.*]] = arith.select %[[N]], %[[I]], %[[I]] : vector<16xi1>, vector<16xi32>
// CHECK-NEXT:    func.return %[[S]], %[[T]] : vector<16xf32>, vector<16xi32>
func.func @vector_compare_select(%a: vector<16xf32>, %b: vector<16xf32>, %i: vector<16xi32>) -> (vector<16xf32>, vector<16xi32>) {
  %m = arith.cmpf olt, %a, %b : vector<16xf32>
  %n = arith.cmpi sgt, %i, %i : vector<16xi32>
  %s = arith.select %m, %a, %b : vector<16xi1>, vector<16xf32>
  %t = arith.select %n, %i, %i : vector<16xi1>, vector<16xi32>
  func.return %s, %t : vector<16xf32>, vector<16xi32>
}

// CHECK-LABEL: func.func @scalar_forms(
// CHECK-NEXT:    %[[C:.*]] = arith.cmpf ogt, %{{.*}}, %{{.*}} fastmath<nnan> : f32
// CHECK-NEXT:    %[[D:.*]] = arith.cmpi eq, %{{.*}}, %{{.*}} : i64
// CHECK-NEXT:    %{{.*}} = arith.select %[[C]], %{{.*}}, %{{.*}} : f32
// CHECK-NEXT:    %{{.*}} = arith.select %[[D]], %{{.*}}, %{{.*}} : vector<4xf32>
func.func @scalar_forms(%x: f32, %y: f32, %i: i64, %v: vector<4xf32>) -> (f32, vector<4xf32>) {
  %c = arith.cmpf ogt, %x, %y fastmath<nnan> : f32
  %d = arith.cmpi eq, %i, %i : i64
  %s = arith.select %c, %x, %y : f32
  %t = arith.select %d, %v, %v : vector<4xf32>
  func.return %s, %t : f32, vector<4xf32>
}

// arith.remf, which xDSL 0.74 lacks, on scalars and vectors.
// CHECK-LABEL: func.func @remf(
// CHECK-NEXT:    %[[R:.*]] = arith.remf %{{.*}}, %{{.*}} : f32
// CHECK-NEXT:    %[[V:.*]] = arith.remf %{{.*}}, %{{.*}} fastmath<nnan> : vector<4xf64>
func.func @remf(%x: f32, %y: f32, %v: vector<4xf64>) -> (f32, vector<4xf64>) {
  %r = arith.remf %x, %y : f32
  %w = arith.remf %v, %v fastmath<nnan> : vector<4xf64>
  func.return %r, %w : f32, vector<4xf64>
}
