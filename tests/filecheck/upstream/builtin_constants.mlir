// What mlc prints for the upstream dialects it uses at the graph level — func,
// arith.constant with dense and dense_resource values of every element type,
// and the file-level resource blob — is accepted by real mlir-opt 22.1.8.

// RUN: mlc-opt %s | %mlir-opt --verify-each | filecheck %s
// RUN: mlc-opt %s | %mlir-opt --verify-each --mlir-print-op-generic | mlc-opt | filecheck %s --check-prefix=BACK

// CHECK-LABEL: func.func @constants
// CHECK-DAG:     arith.constant dense<[1.000000e+00, 2.500000e+00]> : tensor<2xf16>
// CHECK-DAG:     arith.constant dense<{{\[}}[1, 2]]> : tensor<1x2xi8>
// CHECK-DAG:     arith.constant dense<255> : tensor<2xui8>
// CHECK-DAG:     arith.constant dense<[true, false]> : tensor<2xi1>
// CHECK-DAG:     arith.constant dense<-9223372036854775808> : tensor<i64>
// CHECK-DAG:     arith.constant dense_resource<blob> : tensor<2xf32>
// CHECK:         dialect_resources
// CHECK:         blob: "0x040000000000803F00000040"
// BACK-LABEL: func.func @constants
// BACK:         arith.constant dense_resource<blob> : tensor<2xf32>
func.func @constants() -> (tensor<2xf16>, tensor<1x2xi8>, tensor<2xui8>, tensor<2xi1>, tensor<i64>, tensor<2xf32>) {
  %a = arith.constant dense<[1.0, 2.5]> : tensor<2xf16>
  %b = arith.constant dense<[[1, 2]]> : tensor<1x2xi8>
  %c = arith.constant dense<255> : tensor<2xui8>
  %d = arith.constant dense<[true, false]> : tensor<2xi1>
  %e = arith.constant dense<-9223372036854775808> : tensor<i64>
  %f = arith.constant dense_resource<blob> : tensor<2xf32>
  func.return %a, %b, %c, %d, %e, %f : tensor<2xf16>, tensor<1x2xi8>, tensor<2xui8>, tensor<2xi1>, tensor<i64>, tensor<2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      blob: "0x040000000000803F00000040"
    }
  }
#-}
