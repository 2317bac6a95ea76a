// RUN: mlc-opt %s -p math-approximate | filecheck %s
// RUN: mlc-opt %s -p 'math-approximate{scalars=true}' | filecheck %s --check-prefix=SCALARS

// exp: clamp (NaN kept by maximumf/minimumf), round by the 1.5*2^23 constant,
// Cody-Waite reduction, polynomial, 2^n as two exponent-bit factors.
// CHECK-LABEL: func.func @exp(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>)
// CHECK:         %[[LO:.*]] = arith.maximumf %[[X]], %{{.*}} : vector<16xf32>
// CHECK:         %[[C:.*]] = arith.minimumf %[[LO]], %{{.*}} : vector<16xf32>
// CHECK:         %[[MAGIC:.*]] = arith.constant dense<0x4B400000> : vector<16xf32>
// CHECK:         %[[T:.*]] = arith.addf %{{.*}}, %[[MAGIC]] : vector<16xf32>
// CHECK:         %[[N:.*]] = arith.subf %[[T]], %{{.*}} : vector<16xf32>
// CHECK:         arith.constant dense<0.693359375> : vector<16xf32>
// CHECK:         arith.constant dense<-0.000212194442> : vector<16xf32>
// CHECK:         %[[BITS:.*]] = arith.bitcast %[[T]] : vector<16xf32> to vector<16xi32>
// CHECK:         %[[K:.*]] = arith.subi %[[BITS]], %{{.*}} : vector<16xi32>
// CHECK:         %[[HALF:.*]] = arith.shrsi %[[K]], %{{.*}} : vector<16xi32>
// CHECK:         arith.subi %[[K]], %[[HALF]] : vector<16xi32>
// CHECK:         arith.shli %{{.*}}, %{{.*}} : vector<16xi32>
// CHECK:         arith.bitcast %{{.*}} : vector<16xi32> to vector<16xf32>
// CHECK:         arith.shli
// CHECK:         %[[R:.*]] = arith.mulf %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK-NEXT:    func.return %[[R]] : vector<16xf32>
// CHECK-NOT:     math.exp
func.func @exp(%x: vector<16xf32>) -> vector<16xf32> {
  %0 = math.exp %x : vector<16xf32>
  func.return %0 : vector<16xf32>
}

// tanh: the small-argument polynomial (its sign copied from x, so tanh(-0) is
// -0) or 1 - 2/(exp(2|x|) + 1) with x's sign, chosen per lane.
// CHECK-LABEL: func.func @tanh(
// CHECK-SAME:      %[[X:.*]]: vector<8xf32>)
// CHECK:         %[[AX:.*]] = math.absf %[[X]] : vector<8xf32>
// CHECK:         %[[POLY:.*]] = math.copysign %{{.*}}, %[[X]] : vector<8xf32>
// CHECK:         %[[LARGE:.*]] = math.copysign %{{.*}}, %[[X]] : vector<8xf32>
// CHECK:         %[[SMALL:.*]] = arith.cmpf olt, %[[AX]], %{{.*}} : vector<8xf32>
// CHECK-NEXT:    %[[R:.*]] = arith.select %[[SMALL]], %[[POLY]], %[[LARGE]] : vector<8xi1>, vector<8xf32>
// CHECK-NEXT:    func.return %[[R]]
func.func @tanh(%x: vector<8xf32>) -> vector<8xf32> {
  %0 = math.tanh %x : vector<8xf32>
  func.return %0 : vector<8xf32>
}

// erf: x*T(x^2) below 1, else 1 - exp(-x^2)*G(1/|x|) with |x| clamped to 4.
// CHECK-LABEL: func.func @erf(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>)
// CHECK:         %[[AX:.*]] = math.absf %[[X]] : vector<16xf32>
// CHECK:         arith.constant dense<1.12837911> : vector<16xf32>
// CHECK:         %[[A:.*]] = arith.minimumf %[[AX]], %{{.*}} : vector<16xf32>
// CHECK:         arith.divf %{{.*}}, %[[A]] : vector<16xf32>
// CHECK:         arith.negf
// CHECK:         math.copysign %{{.*}}, %[[X]]
// CHECK:         arith.cmpf olt, %[[AX]]
// CHECK-NEXT:    arith.select
// CHECK-NOT:     math.erf
func.func @erf(%x: vector<16xf32>) -> vector<16xf32> {
  %0 = math.erf %x : vector<16xf32>
  func.return %0 : vector<16xf32>
}

// log: subnormals scaled, exponent and mantissa from the bits, then the
// special values (NaN/+inf kept, x < 0 NaN, 0 -inf).
// CHECK-LABEL: func.func @log(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>)
// CHECK:         arith.cmpf olt, %[[X]], %{{.*}} : vector<16xf32>
// CHECK:         arith.bitcast %{{.*}} : vector<16xf32> to vector<16xi32>
// CHECK:         arith.andi
// CHECK:         arith.ori
// CHECK:         arith.cmpf uge, %[[X]]
// CHECK:         arith.cmpf olt, %[[X]]
// CHECK:         arith.cmpf oeq, %[[X]]
// CHECK-NEXT:    arith.constant dense<0xff800000> : vector<16xf32>
// CHECK-NEXT:    %[[R:.*]] = arith.select
// CHECK-NEXT:    func.return %[[R]]
func.func @log(%x: vector<16xf32>) -> vector<16xf32> {
  %0 = math.log %x : vector<16xf32>
  func.return %0 : vector<16xf32>
}

// sin, cos: the reduction x = n*pi/2 + r in f64 (fdlibm's two-part pi/2),
// r rounded to f32, both polynomials, the quadrant from n's bits; a vector
// with a lane past 10^6 (or a NaN: "ugt") keeps the math op for libm.
// CHECK-LABEL: func.func @sin(
// CHECK-SAME:      %[[X:.*]]: vector<16xf32>)
// CHECK:         %[[ABS:.*]] = math.absf %[[X]] : vector<16xf32>
// CHECK-NEXT:    %[[MAX:.*]] = vector.reduction <maximumf>, %[[ABS]] : vector<16xf32> into f32
// CHECK-NEXT:    %[[LIMIT:.*]] = arith.constant 1.000000e+06 : f32
// CHECK-NEXT:    %[[LARGE:.*]] = arith.cmpf ugt, %[[MAX]], %[[LIMIT]] : f32
// CHECK-NEXT:    %[[R:.*]] = scf.if %[[LARGE]] -> (vector<16xf32>) {
// CHECK-NEXT:      %[[LIBM:.*]] = math.sin %[[X]] {mlc.libm} : vector<16xf32>
// CHECK-NEXT:      scf.yield %[[LIBM]] : vector<16xf32>
// CHECK-NEXT:    } else {
// CHECK-NEXT:      %[[WIDE:.*]] = arith.extf %[[X]] : vector<16xf32> to vector<16xf64>
// CHECK:           arith.constant dense<1.5707963267341256> : vector<16xf64>
// CHECK:           arith.constant dense<6.0771005065061922e-11> : vector<16xf64>
// CHECK:           %[[RED:.*]] = arith.truncf %{{.*}} : vector<16xf64> to vector<16xf32>
// CHECK:           math.copysign %{{.*}}, %[[RED]] : vector<16xf32>
// CHECK:           arith.bitcast %{{.*}} : vector<16xf32> to vector<16xi32>
// CHECK:           arith.negf
// CHECK:           scf.yield %{{.*}} : vector<16xf32>
// CHECK-NEXT:    }
// CHECK-NEXT:    func.return %[[R]] : vector<16xf32>
func.func @sin(%x: vector<16xf32>) -> vector<16xf32> {
  %0 = math.sin %x : vector<16xf32>
  func.return %0 : vector<16xf32>
}

// cos is sin's code with the quadrant one further; a marked op stays.
// CHECK-LABEL: func.func @cos(
// CHECK:         scf.if
// CHECK:           arith.constant dense<1> : vector<8xi32>
// CHECK:           arith.addi
// CHECK:         math.cos %{{.*}} {mlc.libm} : vector<8xf32>
// CHECK-NOT:     scf.if
// CHECK:         func.return
// SCALARS-LABEL: func.func @cos(
// SCALARS:         arith.cmpf ugt, %{{.*}}, %{{.*}} : f32
// SCALARS:         scf.if
// SCALARS:         math.cos %{{.*}} {mlc.libm} : f32
// SCALARS-NOT:     scf.if
func.func @cos(%x: vector<8xf32>, %y: vector<8xf32>, %s: f32) -> (vector<8xf32>, vector<8xf32>, f32) {
  %0 = math.cos %x : vector<8xf32>
  %1 = math.cos %y {mlc.libm} : vector<8xf32>
  %2 = math.cos %s : f32
  func.return %0, %1, %2 : vector<8xf32>, vector<8xf32>, f32
}

// Scalars only with `scalars=true`; f64 is never expanded.
// CHECK-LABEL: func.func @others(
// CHECK-NEXT:    math.exp %{{.*}} : f32
// CHECK-NEXT:    math.exp %{{.*}} : vector<4xf64>
// SCALARS-LABEL: func.func @others(
// SCALARS-NOT:   math.exp %{{.*}} : f32
// SCALARS:       math.exp %{{.*}} : vector<4xf64>
func.func @others(%s: f32, %d: vector<4xf64>) -> (f32, vector<4xf64>) {
  %0 = math.exp %s : f32
  %1 = math.exp %d : vector<4xf64>
  func.return %0, %1 : f32, vector<4xf64>
}
