// RUN: mlc-opt %s -p fuse-parallel-loops | filecheck %s

// A softmax's steps over the same rows: the row max (a reduction into %m),
// then exp(x - max) into %e (a view of the arena disjoint from %m's bytes),
// then the division. One row loop, with the steps' inner loops over the
// same columns fused in turn; the view between the nests moves before them.
// CHECK-LABEL: func.func @steps(
// CHECK:         %[[M:.*]] = memref.view %arena[%c0][] : memref<4096xi8> to memref<4xf32>
// CHECK-NEXT:    %[[E:.*]] = memref.view %arena[%c64][] : memref<4096xi8> to memref<4x16xf32>
// CHECK-NEXT:    scf.for %[[I:.*]] = %c0 to %c4 step %c1 {
// CHECK-NEXT:      memref.store %{{.*}}, %[[M]][%[[I]]] : memref<4xf32>
// CHECK-NEXT:      scf.for %[[J:.*]] = %c0 to %c16 step %c1 {
// CHECK:             memref.store %{{.*}}, %[[M]][%[[I]]] : memref<4xf32>
// CHECK-NEXT:      }
// CHECK-NEXT:      scf.for %[[K:.*]] = %c0 to %c16 step %c16 {
// CHECK:             %[[X:.*]] = math.exp
// CHECK-NEXT:        vector.store %[[X]], %[[E]][%[[I]], %[[K]]]
// CHECK:             %[[Q:.*]] = arith.divf
// CHECK-NEXT:        vector.store %[[Q]], %out[%[[I]], %[[K]]]
// CHECK-NEXT:      }
// CHECK-NEXT:    } {mlc.parallel}
// CHECK-NEXT:    memref.dealloc %arena
func.func @steps(%x: memref<4x16xf32>, %out: memref<4x16xf32> {mlc.out}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  %low = arith.constant -3.0e+38 : f32
  %arena = memref.alloc() : memref<4096xi8>
  %m = memref.view %arena[%c0][] : memref<4096xi8> to memref<4xf32>
  scf.for %i = %c0 to %c4 step %c1 {
    memref.store %low, %m[%i] : memref<4xf32>
    scf.for %j = %c0 to %c16 step %c1 {
      %v = memref.load %x[%i, %j] : memref<4x16xf32>
      %a = memref.load %m[%i] : memref<4xf32>
      %b = arith.maximumf %a, %v : f32
      memref.store %b, %m[%i] : memref<4xf32>
    }
  } {mlc.parallel}
  %e = memref.view %arena[%c64][] : memref<4096xi8> to memref<4x16xf32>
  scf.for %i = %c0 to %c4 step %c1 {
    scf.for %k = %c0 to %c16 step %c16 {
      %v = vector.load %x[%i, %k] : memref<4x16xf32>, vector<16xf32>
      %a = memref.load %m[%i] : memref<4xf32>
      %b = vector.broadcast %a : f32 to vector<16xf32>
      %d = arith.subf %v, %b : vector<16xf32>
      %y = math.exp %d : vector<16xf32>
      vector.store %y, %e[%i, %k] : memref<4x16xf32>, vector<16xf32>
    }
  } {mlc.parallel}
  scf.for %i = %c0 to %c4 step %c1 {
    scf.for %k = %c0 to %c16 step %c16 {
      %v = vector.load %e[%i, %k] : memref<4x16xf32>, vector<16xf32>
      %a = memref.load %m[%i] : memref<4xf32>
      %b = vector.broadcast %a : f32 to vector<16xf32>
      %q = arith.divf %v, %b : vector<16xf32>
      vector.store %q, %out[%i, %k] : memref<4x16xf32>, vector<16xf32>
    }
  } {mlc.parallel}
  memref.dealloc %arena : memref<4096xi8>
  func.return
}

// The second nest reads every row of what the first writes (a row's result
// needs all of them): not fused.
// CHECK-LABEL: func.func @reads_other_rows(
// CHECK:         } {mlc.parallel}
// CHECK-NEXT:    scf.for
// CHECK:         } {mlc.parallel}
func.func @reads_other_rows(%x: memref<4xf32>, %t: memref<4xf32>, %out: memref<4xf32> {mlc.out}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  scf.for %i = %c0 to %c4 step %c1 {
    %v = memref.load %x[%i] : memref<4xf32>
    memref.store %v, %t[%i] : memref<4xf32>
  } {mlc.parallel}
  scf.for %i = %c0 to %c4 step %c1 {
    %c3 = arith.constant 3 : index
    %v = memref.load %t[%c3] : memref<4xf32>
    memref.store %v, %out[%i] : memref<4xf32>
  } {mlc.parallel}
  func.return
}

// Views of one arena whose bytes overlap (a buffer dead after the first nest
// and one born in the second share them): not fused.
// CHECK-LABEL: func.func @shared_bytes(
// CHECK:         } {mlc.parallel}
// CHECK-NEXT:    scf.for
// CHECK:         } {mlc.parallel}
func.func @shared_bytes(%x: memref<4xf32>, %out: memref<4xf32> {mlc.out}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %arena = memref.alloc() : memref<64xi8>
  %a = memref.view %arena[%c0][] : memref<64xi8> to memref<4xf32>
  %b = memref.view %arena[%c8][] : memref<64xi8> to memref<4xf32>
  scf.for %i = %c0 to %c4 step %c1 {
    %v = memref.load %x[%i] : memref<4xf32>
    memref.store %v, %a[%i] : memref<4xf32>
  } {mlc.parallel}
  scf.for %i = %c0 to %c4 step %c1 {
    %v = memref.load %x[%i] : memref<4xf32>
    memref.store %v, %b[%i] : memref<4xf32>
    %w = memref.load %a[%i] : memref<4xf32>
    memref.store %w, %out[%i] : memref<4xf32>
  } {mlc.parallel}
  memref.dealloc %arena : memref<64xi8>
  func.return
}

// Different ranges, a call between the nests, an unmarked nest: each stays.
// CHECK-LABEL: func.func @apart(
// CHECK-COUNT-4: scf.for
// CHECK-NOT:     scf.for
func.func private @g()
func.func @apart(%x: memref<8xf32>, %out: memref<8xf32> {mlc.out}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  scf.for %i = %c0 to %c4 step %c1 {
    %v = memref.load %x[%i] : memref<8xf32>
    memref.store %v, %out[%i] : memref<8xf32>
  } {mlc.parallel}
  scf.for %i = %c0 to %c8 step %c1 {
    %v = memref.load %x[%i] : memref<8xf32>
    memref.store %v, %out[%i] : memref<8xf32>
  } {mlc.parallel}
  func.call @g() : () -> ()
  scf.for %i = %c0 to %c8 step %c1 {
    %v = memref.load %x[%i] : memref<8xf32>
    memref.store %v, %out[%i] : memref<8xf32>
  } {mlc.parallel}
  scf.for %i = %c0 to %c8 step %c1 {
    %v = memref.load %x[%i] : memref<8xf32>
    memref.store %v, %out[%i] : memref<8xf32>
  }
  func.return
}
