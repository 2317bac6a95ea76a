// IR dumps go to stderr with mlir-opt's headers, followed by the op the pass
// ran on (the module, or each function under a func.func anchor); --timing
// prints mlir-opt's execution time report, also to stderr.

// RUN: mlc-opt %s --pass-pipeline='builtin.module(dce,func.func(cse))' --print-ir-after-all -o %t 2>&1 | filecheck %s --check-prefix=AFTER-ALL
// RUN: mlc-opt %s --pass-pipeline='builtin.module(dce,func.func(cse))' --mlir-print-ir-after-all -o %t 2>&1 | filecheck %s --check-prefix=AFTER-ALL
// RUN: mlc-opt %s -p dce,cse,dce --print-ir-after-change -o %t 2>&1 | filecheck %s --check-prefix=AFTER-CHANGE
// RUN: mlc-opt %s -p cse --print-ir-before-all --print-op-generic -o %t 2>&1 | filecheck %s --check-prefix=BEFORE
// RUN: not mlc-opt %S/Inputs/store.mlir -p cse,eqsat-create-eclasses --print-ir-after-failure 2>&1 | filecheck %s --check-prefix=FAILURE
// RUN: mlc-opt %s --pass-pipeline='builtin.module(dce,func.func(cse),dce)' --timing -o %t 2>&1 | filecheck %s --check-prefix=TIMING
// RUN: mlc-opt %s -p cse --mlir-timing -o %t 2>&1 | filecheck %s --check-prefix=MLIR-TIMING

// AFTER-ALL:      // -----// IR Dump After DeadCodeElimination (dce) //----- //
// AFTER-ALL-NEXT: builtin.module {
// AFTER-ALL-NEXT:   func.func @twice
// AFTER-ALL:      // -----// IR Dump After CommonSubexpressionElimination (cse) //----- //
// AFTER-ALL-NEXT: func.func @twice
// AFTER-ALL-NEXT:   %[[A:.*]] = arith.addf
// AFTER-ALL-NEXT:   %{{.*}} = arith.mulf %[[A]], %[[A]]
// AFTER-ALL:      // -----// IR Dump After CommonSubexpressionElimination (cse) //----- //
// AFTER-ALL-NEXT: func.func @once
// AFTER-ALL-NOT:  IR Dump

// Only the passes that changed the IR: dce (the unused negf), then cse.
// AFTER-CHANGE:      // -----// IR Dump After DeadCodeElimination (dce) //----- //
// AFTER-CHANGE-NEXT: builtin.module {
// AFTER-CHANGE-NOT:  arith.negf
// AFTER-CHANGE:      // -----// IR Dump After CommonSubexpressionElimination (cse) //----- //
// AFTER-CHANGE-NEXT: builtin.module {
// AFTER-CHANGE-NOT:  IR Dump

// BEFORE:      // -----// IR Dump Before CommonSubexpressionElimination (cse) //----- //
// BEFORE-NEXT: "builtin.module"() ({

// The failing pass's input, in the generic format, then the error.
// FAILURE-NOT:  IR Dump After CommonSubexpressionElimination
// FAILURE:      // -----// IR Dump After EqsatCreateEclassesPass Failed (eqsat-create-eclasses) //----- //
// FAILURE-NEXT: "builtin.module"() ({
// FAILURE:      "memref.store"
// FAILURE:      store.mlir: error: Ops with non-single results not handled

// TIMING:      ===-------------------------------------------------------------------------===
// TIMING-NEXT:                          ... Execution time report ...
// TIMING-NEXT: ===-------------------------------------------------------------------------===
// TIMING-NEXT:   Total Execution Time: {{[0-9]+\.[0-9]+}} seconds
// TIMING-EMPTY:
// TIMING-NEXT:   ----Wall Time----  ----Name----
// TIMING-NEXT:   {{ +[0-9]+\.[0-9]{4} \( *[0-9]+\.[0-9]%\)}}  Parser
// TIMING-NEXT:   {{.*}}  dce
// TIMING-NEXT:   {{.*}}  'func.func' Pipeline
// TIMING-NEXT:   {{.*}}    cse
// TIMING-NEXT:   {{.*}}  dce
// TIMING-NEXT:   {{.*}}  Output
// TIMING-NEXT:   {{.*}}  Rest
// TIMING-NEXT:   {{.*}}(100.0%)  Total

// MLIR-TIMING: Execution time report
// MLIR-TIMING: {{^ .*}}  cse

func.func @twice(%x: f32) -> f32 {
  %0 = arith.addf %x, %x : f32
  %1 = arith.addf %x, %x : f32
  %2 = arith.mulf %0, %1 : f32
  %unused = arith.negf %x : f32
  func.return %2 : f32
}

func.func @once(%x: f32) -> f32 {
  func.return %x : f32
}
