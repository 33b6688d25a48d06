// RUN: not infer-translate --infer-c-header %s 2>&1 | FileCheck %s

// CHECK: c-header-invalid.mlir:[[@LINE+1]]:1: error: @complex_input: type 'tensor<2xcomplex<f32>>' has no C equivalent in a compiled model's interface
func.func @complex_input(%x: tensor<2xcomplex<f32>>) -> tensor<2xcomplex<f32>> {
  return %x : tensor<2xcomplex<f32>>
}
