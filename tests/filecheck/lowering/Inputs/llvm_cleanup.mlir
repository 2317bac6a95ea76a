// The llvm stage's cleanup (xDSL canonicalize + cse) is safe on llvm-dialect
// code: loads across a store and calls are kept, pure address arithmetic merges.
// CHECK-LABEL: llvm.func @f(
// CHECK-NEXT:    %[[A:.*]] = llvm.load %[[P:.*]] {alignment = 4 : i64} : !llvm.ptr -> f32
// CHECK-NEXT:    llvm.store %{{.*}}, %[[P]]
// CHECK-NEXT:    %[[B:.*]] = llvm.load %[[P]] {alignment = 4 : i64} : !llvm.ptr -> f32
// CHECK-NEXT:    %[[X:.*]] = llvm.getelementptr inbounds %[[P]][1] : (!llvm.ptr) -> !llvm.ptr, f32
// CHECK-NEXT:    %[[C:.*]] = llvm.fadd %[[A]], %[[B]] : f32
// CHECK-NEXT:    %[[U:.*]] = llvm.call @g() : () -> f32
// CHECK-NEXT:    %[[W:.*]] = llvm.call @g() : () -> f32
// CHECK-NEXT:    llvm.store %[[U]], %[[X]]
// CHECK-NEXT:    llvm.store %[[W]], %[[X]]
// CHECK-NEXT:    llvm.return %[[C]] : f32
llvm.func @f(%p: !llvm.ptr, %v: f32) -> f32 {
  %a = llvm.load %p {alignment = 4 : i64} : !llvm.ptr -> f32
  llvm.store %v, %p {alignment = 4 : i64} : f32, !llvm.ptr
  %b = llvm.load %p {alignment = 4 : i64} : !llvm.ptr -> f32
  %x = llvm.getelementptr inbounds %p[1] : (!llvm.ptr) -> !llvm.ptr, f32
  %y = llvm.getelementptr inbounds %p[1] : (!llvm.ptr) -> !llvm.ptr, f32
  %c = llvm.fadd %a, %b : f32
  %u = llvm.call @g() : () -> f32
  %w = llvm.call @g() : () -> f32
  llvm.store %u, %x {alignment = 4 : i64} : f32, !llvm.ptr
  llvm.store %w, %y {alignment = 4 : i64} : f32, !llvm.ptr
  llvm.return %c : f32
}
llvm.func @g() -> f32
