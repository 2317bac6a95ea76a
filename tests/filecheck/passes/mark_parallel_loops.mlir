// RUN: mlc-opt %s -p mark-parallel-loops | filecheck %s

// A matmul nest: the output is indexed by %i in every access, so the outer
// loop is marked; the inner loops are left alone.
// CHECK-LABEL: func.func @matmul(
// CHECK:         memref.store
// CHECK-NEXT:        }
// CHECK-NEXT:      }
// CHECK-NEXT:    } {mlc.parallel}
// CHECK-NEXT:    func.return
func.func @matmul(%a: memref<4x8xf32>, %b: memref<8x5xf32>, %c: memref<4x5xf32> {mlc.out}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c5 = arith.constant 5 : index
  %c8 = arith.constant 8 : index
  scf.for %i = %c0 to %c4 step %c1 {
    scf.for %j = %c0 to %c5 step %c1 {
      scf.for %k = %c0 to %c8 step %c1 {
        %x = memref.load %a[%i, %k] : memref<4x8xf32>
        %y = memref.load %b[%k, %j] : memref<8x5xf32>
        %acc = memref.load %c[%i, %j] : memref<4x5xf32>
        %m = arith.mulf %x, %y : f32
        %s = arith.addf %acc, %m : f32
        memref.store %s, %c[%i, %j] : memref<4x5xf32>
      }
    }
  }
  func.return
}

// A reduction over the only loop: the stored element does not depend on %i,
// so nothing is marked.
// CHECK-LABEL: func.func @sum(
// CHECK:         memref.store
// CHECK-NEXT:    }
// CHECK-NEXT:    func.return
func.func @sum(%x: memref<16xf32>, %out: memref<1xf32> {mlc.out}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  scf.for %i = %c0 to %c16 step %c1 {
    %v = memref.load %x[%i] : memref<16xf32>
    %acc = memref.load %out[%c0] : memref<1xf32>
    %s = arith.addf %acc, %v : f32
    memref.store %s, %out[%c0] : memref<1xf32>
  }
  func.return
}

// A loop of one iteration is skipped: the next loop in is marked.
// CHECK-LABEL: func.func @single_outer(
// CHECK:         scf.for
// CHECK:           scf.for
// CHECK:           } {mlc.parallel}
// CHECK-NEXT:    }
// CHECK-NEXT:    func.return
func.func @single_outer(%x: memref<1x8xf32>, %out: memref<1x8xf32> {mlc.out}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  scf.for %i = %c0 to %c1 step %c1 {
    scf.for %j = %c0 to %c8 step %c1 {
      %v = memref.load %x[%i, %j] : memref<1x8xf32>
      %e = math.exp %v : f32
      memref.store %e, %out[%i, %j] : memref<1x8xf32>
    }
  }
  func.return
}

// A shifted access (out[i] reads out[i + 1]) and a call are not provably
// independent; a nest another pass marked is left as it is.
// CHECK-LABEL: func.func @not_independent(
// CHECK:         memref.store
// CHECK-NEXT:    }
// CHECK:         func.call @g
// CHECK:         memref.store
// CHECK-NEXT:    }
// CHECK:         } {mlc.parallel, other}
// CHECK-NEXT:    }
// CHECK-NEXT:    func.return
func.func @not_independent(%x: memref<9xf32>, %out: memref<9xf32> {mlc.out}) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  scf.for %i = %c0 to %c8 step %c1 {
    %n = arith.addi %i, %c1 : index
    %v = memref.load %out[%n] : memref<9xf32>
    memref.store %v, %out[%i] : memref<9xf32>
  }
  scf.for %i = %c0 to %c8 step %c1 {
    func.call @g() : () -> ()
    %v = memref.load %x[%i] : memref<9xf32>
    memref.store %v, %out[%i] : memref<9xf32>
  }
  scf.for %i = %c0 to %c8 step %c1 {
    scf.for %j = %c0 to %c8 step %c1 {
      %v = memref.load %x[%j] : memref<9xf32>
      memref.store %v, %out[%j] : memref<9xf32>
    } {mlc.parallel, other}
  }
  func.return
}
func.func private @g()
