// A loop-level op survived the llvm stage.
llvm.func @f(%p: !llvm.ptr) -> f32 {
  %c = llvm.mlir.constant(1.0 : f32) : f32
  %x = arith.addf %c, %c : f32
  llvm.return %x : f32
}
