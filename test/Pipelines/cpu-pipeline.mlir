// RUN: infer-opt %s --infer-cpu-pipeline | FileCheck %s
// RUN: infer-opt %s --infer-cpu-pipeline="target-cpu=skylake-avx512 target-features=+avx512f,+fma" | FileCheck %s --check-prefix=TARGET
// RUN: infer-opt %s --infer-cpu-pipeline="opt-level=0" | FileCheck %s

// The result is in the LLVM dialect, with a C wrapper that keeps the tensor
// signature and the input names.
// CHECK-NOT: infer.
// CHECK-LABEL: llvm.func @main(
// CHECK-SAME: infer.input_names = ["x"]
// CHECK-SAME: infer.signature = (tensor<?x8xf32>) -> tensor<?x8xf32>
// CHECK-LABEL: llvm.func @_mlir_ciface_main(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr)
// TARGET: llvm.func @main({{.*}}target_cpu = "skylake-avx512", target_features = #llvm.target_features<["+avx512f", "+fma"]>
func.func @main(%x: tensor<?x8xf32> {infer.name = "x"}) -> tensor<?x8xf32> {
  %0 = infer.tanh %x : tensor<?x8xf32>
  %1 = infer.softmax %0 : tensor<?x8xf32>
  return %1 : tensor<?x8xf32>
}
