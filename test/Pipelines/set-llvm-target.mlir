// RUN: infer-opt %s --infer-set-llvm-target="cpu=znver4 features=+avx2" | FileCheck %s
// RUN: infer-opt %s --infer-set-llvm-target | FileCheck %s --check-prefix=NONE

// CHECK: llvm.func @f() attributes {target_cpu = "znver4", target_features = #llvm.target_features<["+avx2"]>}
// NONE: llvm.func @f() {
llvm.func @f() {
  llvm.return
}
// Declarations are left alone.
// CHECK: llvm.func @ext()
// CHECK-NOT: target_cpu
llvm.func @ext()
