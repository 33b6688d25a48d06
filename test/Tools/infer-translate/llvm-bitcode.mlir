// RUN: infer-translate --mlir-to-llvm-bitcode %s -o %t.bc
// RUN: llvm-dis %t.bc -o - | FileCheck %s

// --mlir-to-llvm-bitcode writes LLVM bitcode (what tools/infer-compile hands
// to opt): constant data as raw bytes instead of the escaped text of
// --mlir-to-llvmir.
// CHECK: @weights = internal constant [4 x float] [float 1.000000e+00, float 2.000000e+00, float 3.000000e+00, float 4.000000e+00]
// CHECK: define float @second()
// CHECK: load float, ptr getelementptr inbounds nuw (i8, ptr @weights, i64 4)
llvm.mlir.global internal constant @weights(dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>) {addr_space = 0 : i32} : !llvm.array<4 x f32>
llvm.func @second() -> f32 {
  %0 = llvm.mlir.addressof @weights : !llvm.ptr
  %1 = llvm.getelementptr inbounds %0[0, 1] : (!llvm.ptr) -> !llvm.ptr, !llvm.array<4 x f32>
  %2 = llvm.load %1 : !llvm.ptr -> f32
  llvm.return %2 : f32
}

