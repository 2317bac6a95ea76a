// The loop level from bufferized linalg IR as upstream importers write it: the
// input is valid upstream IR, and mlc's loop-stage output (linalg-generalize,
// convert-linalg-to-loops, lower-affine, canonicalize, cse) parses and
// verifies under real mlir-opt 22.1.8.

// RUN: %mlir-opt --verify-each %s > /dev/null
// RUN: mlc-opt %s -p linalg-generalize,convert-linalg-to-loops,lower-affine,canonicalize,cse | %mlir-opt --verify-each | filecheck %s

// Several results, a reduction iterator, and f64 intermediates in an f16 body.
// CHECK-LABEL: func.func @sum_and_max_of_rows(
// CHECK-SAME:      %[[X:.*]]: memref<2x3xf16>, %[[S:.*]]: memref<2xf16>, %[[M:.*]]: memref<2xf16>)
// CHECK:         scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NEXT:      scf.for %[[J:.*]] = %{{.*}} to %{{.*}} step %{{.*}} {
// CHECK-NEXT:        %[[IN:.*]] = memref.load %[[X]][%[[I]], %[[J]]] : memref<2x3xf16>
// CHECK-NEXT:        %[[ACC:.*]] = memref.load %[[S]][%[[I]]] : memref<2xf16>
// CHECK-NEXT:        %[[MAX:.*]] = memref.load %[[M]][%[[I]]] : memref<2xf16>
// CHECK-NEXT:        %[[A:.*]] = arith.extf %[[IN]] : f16 to f64
// CHECK-NEXT:        %[[B:.*]] = arith.extf %[[ACC]] : f16 to f64
// CHECK-NEXT:        %[[SUM:.*]] = arith.addf %[[A]], %[[B]] : f64
// CHECK-NEXT:        %[[T:.*]] = arith.truncf %[[SUM]] : f64 to f16
// CHECK-NEXT:        %[[NEW:.*]] = arith.maximumf %[[IN]], %[[MAX]] : f16
// CHECK-NEXT:        memref.store %[[T]], %[[S]][%[[I]]] : memref<2xf16>
// CHECK-NEXT:        memref.store %[[NEW]], %[[M]][%[[I]]] : memref<2xf16>
// CHECK-NOT:     linalg.
func.func @sum_and_max_of_rows(%x: memref<2x3xf16>, %s: memref<2xf16>, %m: memref<2xf16>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%x : memref<2x3xf16>) outs(%s, %m : memref<2xf16>, memref<2xf16>) {
  ^bb0(%in: f16, %acc: f16, %mx: f16):
    %a = arith.extf %in : f16 to f64
    %b = arith.extf %acc : f16 to f64
    %c = arith.addf %a, %b : f64
    %d = arith.truncf %c : f64 to f16
    %e = arith.maximumf %in, %mx : f16
    linalg.yield %d, %e : f16, f16
  }
  return
}

// A `cf.assert` in the body stays in the loop body.
// CHECK-LABEL: func.func @checked_division(
// CHECK:         scf.for
// CHECK:           scf.for
// CHECK:             %[[OK:.*]] = arith.cmpi ne, %{{.*}}, %{{.*}} : i32
// CHECK-NEXT:        cf.assert %[[OK]], "division by zero"
// CHECK-NEXT:        %[[Q:.*]] = arith.divsi
// CHECK-NEXT:        memref.store %[[Q]]
func.func @checked_division(%x: memref<2x3xi32>, %y: memref<2x3xi32>, %o: memref<2x3xi32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x, %y : memref<2x3xi32>, memref<2x3xi32>) outs(%o : memref<2x3xi32>) {
  ^bb0(%a: i32, %b: i32, %out: i32):
    %zero = arith.constant 0 : i32
    %ok = arith.cmpi ne, %b, %zero : i32
    cf.assert %ok, "division by zero"
    %q = arith.divsi %a, %b : i32
    linalg.yield %q : i32
  }
  return
}

// A constant-index map (broadcast of a size-1 dimension) indexes with a constant.
// CHECK-LABEL: func.func @broadcast_size_one_dimension(
// CHECK-SAME:      %[[X:.*]]: memref<1x3xf32>, %[[O:.*]]: memref<2x3xf32>)
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK:         scf.for %[[I:.*]] = %[[C0]]
// CHECK-NEXT:      scf.for %[[J:.*]] = %[[C0]]
// CHECK-NEXT:        %[[V:.*]] = memref.load %[[X]][%[[C0]], %[[J]]] : memref<1x3xf32>
// CHECK-NEXT:        memref.store %[[V]], %[[O]][%[[I]], %[[J]]] : memref<2x3xf32>
// CHECK-NOT:     affine.
func.func @broadcast_size_one_dimension(%x: memref<1x3xf32>, %o: memref<2x3xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x : memref<1x3xf32>) outs(%o : memref<2x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }
  return
}

// `linalg.index` becomes the loop's induction variable.
// CHECK-LABEL: func.func @iota(
// CHECK:         scf.for
// CHECK-NEXT:      scf.for %[[J:.*]] =
// CHECK-NEXT:        %[[C:.*]] = arith.index_cast %[[J]] : index to i64
// CHECK-NEXT:        memref.store %[[C]]
func.func @iota(%o: memref<2x3xi64>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} outs(%o : memref<2x3xi64>) {
  ^bb0(%out: i64):
    %i = linalg.index 1 : index
    %c = arith.index_cast %i : index to i64
    linalg.yield %c : i64
  }
  return
}

// The named ops, generalized then lowered: the destination-passing chain
// fill -> matmul, then transpose, broadcast, reduce, conv and pooling.
// CHECK-LABEL: func.func @matmul_into_filled_buffer(
// CHECK-SAME:      %[[A:.*]]: memref<2x3xf32>, %[[B:.*]]: memref<3x4xf32>, %[[OUT:.*]]: memref<2x4xf32>)
// CHECK:         memref.store %{{.*}}, %[[OUT]]
// CHECK:         scf.for
// CHECK-NEXT:      scf.for
// CHECK-NEXT:        scf.for
// CHECK-NEXT:          memref.load %[[A]]
// CHECK-NEXT:          memref.load %[[B]]
// CHECK-NEXT:          memref.load %[[OUT]]
// CHECK-NEXT:          arith.mulf
// CHECK-NEXT:          arith.addf
// CHECK-NEXT:          memref.store %{{.*}}, %[[OUT]]
// CHECK-NOT:     linalg.
func.func @matmul_into_filled_buffer(%a: memref<2x3xf32>, %b: memref<3x4xf32>, %out: memref<2x4xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%out : memref<2x4xf32>)
  linalg.matmul ins(%a, %b : memref<2x3xf32>, memref<3x4xf32>) outs(%out : memref<2x4xf32>)
  return
}

// CHECK-LABEL: func.func @transpose(
// CHECK-SAME:      %[[A:.*]]: memref<2x3xi8>, %[[OUT:.*]]: memref<3x2xi8>)
// CHECK:         scf.for %[[I:.*]] =
// CHECK-NEXT:      scf.for %[[J:.*]] =
// CHECK-NEXT:        %[[V:.*]] = memref.load %[[A]][%[[J]], %[[I]]] : memref<2x3xi8>
// CHECK-NEXT:        memref.store %[[V]], %[[OUT]][%[[I]], %[[J]]] : memref<3x2xi8>
func.func @transpose(%a: memref<2x3xi8>, %out: memref<3x2xi8>) {
  linalg.transpose ins(%a : memref<2x3xi8>) outs(%out : memref<3x2xi8>) permutation = [1, 0]
  return
}

// CHECK-LABEL: func.func @broadcast(
// CHECK-SAME:      %[[A:.*]]: memref<3xf32>, %[[OUT:.*]]: memref<2x3xf32>)
// CHECK:         scf.for %[[I:.*]] =
// CHECK-NEXT:      scf.for %[[J:.*]] =
// CHECK-NEXT:        %[[V:.*]] = memref.load %[[A]][%[[J]]] : memref<3xf32>
// CHECK-NEXT:        memref.store %[[V]], %[[OUT]][%[[I]], %[[J]]] : memref<2x3xf32>
func.func @broadcast(%a: memref<3xf32>, %out: memref<2x3xf32>) {
  linalg.broadcast ins(%a : memref<3xf32>) outs(%out : memref<2x3xf32>) dimensions = [0]
  return
}

// CHECK-LABEL: func.func @reduce(
// CHECK-SAME:      %[[A:.*]]: memref<2x3xf64>, %[[OUT:.*]]: memref<2xf64>)
// CHECK:         scf.for %[[I:.*]] =
// CHECK-NEXT:      scf.for %[[J:.*]] =
// CHECK-NEXT:        %[[V:.*]] = memref.load %[[A]][%[[I]], %[[J]]] : memref<2x3xf64>
// CHECK-NEXT:        %[[ACC:.*]] = memref.load %[[OUT]][%[[I]]] : memref<2xf64>
// CHECK-NEXT:        %[[S:.*]] = arith.addf %[[V]], %[[ACC]] : f64
// CHECK-NEXT:        memref.store %[[S]], %[[OUT]][%[[I]]] : memref<2xf64>
func.func @reduce(%a: memref<2x3xf64>, %out: memref<2xf64>) {
  linalg.reduce ins(%a : memref<2x3xf64>) outs(%out : memref<2xf64>) dimensions = [1]
    (%in: f64, %init: f64) {
      %s = arith.addf %in, %init : f64
      linalg.yield %s : f64
    }
  return
}

// CHECK-LABEL: func.func @conv_2d_nchw_fchw(
// CHECK-SAME:      %[[X:.*]]: memref<1x2x5x5xf32>, %[[W:.*]]: memref<3x2x2x2xf32>, %[[OUT:.*]]: memref<1x3x2x2xf32>)
// CHECK-COUNT-6: scf.for
// CHECK:         %[[ROW:.*]] = arith.addi
// CHECK:         %[[COL:.*]] = arith.addi
// CHECK:         memref.load %[[X]][%{{.*}}, %{{.*}}, %[[ROW]], %[[COL]]]
// CHECK:         memref.load %[[W]]
// CHECK:         arith.mulf
// CHECK:         arith.addf
// CHECK:         memref.store %{{.*}}, %[[OUT]]
// CHECK-NOT:     affine.
func.func @conv_2d_nchw_fchw(%x: memref<1x2x5x5xf32>, %w: memref<3x2x2x2xf32>, %out: memref<1x3x2x2xf32>) {
  linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : memref<1x2x5x5xf32>, memref<3x2x2x2xf32>) outs(%out : memref<1x3x2x2xf32>)
  return
}

// The window operand is never loaded: it only gives the window's shape.
// CHECK-LABEL: func.func @pooling_nchw_max(
// CHECK-SAME:      %[[X:.*]]: memref<1x2x4x4xf32>, %[[WIN:.*]]: memref<2x2xf32>, %[[OUT:.*]]: memref<1x2x2x2xf32>)
// CHECK-NOT:     memref.load %[[WIN]]
// CHECK:         %[[IN:.*]] = memref.load %[[X]]
// CHECK-NEXT:    %[[ACC:.*]] = memref.load %[[OUT]]
// CHECK-NEXT:    %[[MAX:.*]] = arith.maximumf %[[ACC]], %[[IN]] : f32
// CHECK-NEXT:    memref.store %[[MAX]], %[[OUT]]
// CHECK-NOT:     memref.load %[[WIN]]
func.func @pooling_nchw_max(%x: memref<1x2x4x4xf32>, %win: memref<2x2xf32>, %out: memref<1x2x2x2xf32>) {
  linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %win : memref<1x2x4x4xf32>, memref<2x2xf32>) outs(%out : memref<1x2x2x2xf32>)
  return
}
