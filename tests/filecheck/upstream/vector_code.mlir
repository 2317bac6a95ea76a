// Vectorized loops and vector math as upstream MLIR reads them: the input is
// valid upstream IR; what linalg-vectorize and math-approximate print (vector
// masks, vector compares and selects, bit casts) parses and verifies under
// real mlir-opt 22.1.8, and so does the LLVM dialect the convert-*-to-llvm
// passes make of it (masked intrinsics, vector fcmp/select), which
// mlir-translate turns into LLVM IR that LLVM's optimizer reads.

// RUN: %mlir-opt --verify-each %s > /dev/null
// RUN: mlc-opt %s -p 'linalg-vectorize{vector-bits=512},convert-linalg-to-loops,math-approximate,canonicalize,cse' | %mlir-opt --verify-each | filecheck %s
// RUN: mlc-opt %s -p 'linalg-vectorize{vector-bits=256},convert-linalg-to-loops,math-approximate,convert-scf-to-cf,convert-arith-to-llvm,convert-math-to-llvm,convert-memref-to-llvm,convert-vector-to-llvm,convert-cf-to-llvm,convert-func-to-llvm,reconcile-unrealized-casts,canonicalize,cse,check-llvm-converted' > %t.mlir
// RUN: %mlir-opt --verify-each %t.mlir | filecheck %s --check-prefix=LLVM
// RUN: %mlir-translate --mlir-to-llvmir %t.mlir | %llvm-opt -O2 -S | filecheck %s --check-prefix=IR

// CHECK-LABEL: func.func @softmax_row_exp(
// CHECK:         vector.create_mask %{{.*}} : vector<16xi1>
// CHECK:         vector.maskedload
// CHECK:         arith.select %{{.*}}, %{{.*}}, %{{.*}} : vector<16xi1>, vector<16xf32>
// CHECK:         vector.reduction <maximumf>, %{{.*}}, %{{.*}} fastmath<reassoc> : vector<16xf32> into f32
// CHECK:         arith.bitcast %{{.*}} : vector<16xf32> to vector<16xi32>
// CHECK:         vector.maskedstore
// CHECK-NOT:     math.exp
// LLVM-LABEL:  llvm.func @softmax_row_exp(
// LLVM:          llvm.intr.masked.load
// LLVM:          llvm.intr.vector.reduce.fmaximum
// LLVM:          llvm.fcmp "olt" %{{.*}}, %{{.*}} : vector<8xf32>
// LLVM:          llvm.select %{{.*}}, %{{.*}}, %{{.*}} : vector<8xi1>, vector<8xf32>
// LLVM:          llvm.intr.masked.store
// IR-LABEL:    define void @softmax_row_exp(
// IR:            call <8 x float> @llvm.masked.load.v8f32.p0(
// IR:            call void @llvm.masked.store.v8f32.p0(
// IR-NOT:        call float @expf
func.func @softmax_row_exp(%x: memref<3x37xf32>, %max: memref<3xf32>, %out: memref<3x37xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%x : memref<3x37xf32>) outs(%max : memref<3xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %m = arith.maximumf %in, %acc : f32
    linalg.yield %m : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x, %max : memref<3x37xf32>, memref<3xf32>) outs(%out : memref<3x37xf32>) {
  ^bb0(%in: f32, %m: f32, %o: f32):
    %d = arith.subf %in, %m : f32
    %e = math.exp %d : f32
    linalg.yield %e : f32
  }
  return
}

// CHECK-LABEL: func.func @activations(
// CHECK-NOT:     math.erf
// CHECK-NOT:     math.tanh
// CHECK-NOT:     math.log
// CHECK:         math.copysign %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK:         return
// IR-LABEL:    define void @activations(
// IR-NOT:        call float @erff
// IR-NOT:        call float @tanhf
// IR-NOT:        call float @logf
func.func @activations(%x: memref<50xf32>, %out: memref<50xf32>) {
  %one = arith.constant 1.0 : f32
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%x : memref<50xf32>) outs(%out : memref<50xf32>) {
  ^bb0(%in: f32, %o: f32):
    %a = math.erf %in : f32
    %b = math.tanh %a : f32
    %c = math.absf %b : f32
    %d = arith.addf %c, %one : f32
    %e = math.log %d : f32
    %f = arith.cmpf ogt, %e, %in : f32
    %g = arith.select %f, %e, %in : f32
    linalg.yield %g : f32
  }
  return
}

// sin and cos: the f64 reduction, the polynomials and the libm fallback
// (an scf.if, then a branch) as upstream reads them; past the limit the
// vector intrinsic stays for LLVM to call libm per lane.
// CHECK-LABEL: func.func @sin_cos_remainder(
// CHECK:         vector.reduction <maximumf>, %{{.*}} : vector<16xf32> into f32
// CHECK:         scf.if %{{.*}} -> (vector<16xf32>)
// CHECK:           math.sin %{{.*}} {mlc.libm} : vector<16xf32>
// CHECK:           arith.extf %{{.*}} : vector<16xf32> to vector<16xf64>
// CHECK:           arith.truncf %{{.*}} : vector<16xf64> to vector<16xf32>
// CHECK:         math.cos %{{.*}} {mlc.libm} : vector<16xf32>
// CHECK:         arith.remf %{{.*}}, %{{.*}} : vector<16xf32>
// LLVM-LABEL:  llvm.func @sin_cos_remainder(
// LLVM:          llvm.intr.vector.reduce.fmaximum
// LLVM:          llvm.intr.sin(%{{.*}}) : (vector<8xf32>) -> vector<8xf32>
// LLVM:          llvm.fpext %{{.*}} : vector<8xf32> to vector<8xf64>
// LLVM:          llvm.frem %{{.*}}, %{{.*}} : vector<8xf32>
// IR-LABEL:    define void @sin_cos_remainder(
// IR:            fpext <8 x float> %{{.*}} to <8 x double>
// IR:            frem <8 x float>
func.func @sin_cos_remainder(%x: memref<40xf32>, %y: memref<40xf32>, %out: memref<40xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%x, %y : memref<40xf32>, memref<40xf32>) outs(%out : memref<40xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = math.sin %a : f32
    %c = math.cos %s : f32
    %r = arith.remf %c, %b : f32
    linalg.yield %r : f32
  }
  return
}
