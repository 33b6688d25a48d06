// Decomposed GELU (erf form, as PyTorch exports it) and SiLU against numpy:
// at -O 2 infer-fuse replaces them with infer.gelu / infer.silu, at -O 0 they
// run op by op; both match the same reference.
// RUN: %python %S/Inputs/check.py %s decomposed_gelu
// RUN: %python %S/Inputs/check.py %s decomposed_gelu -O 0
// RUN: %python %S/Inputs/check.py %s decomposed_silu
// RUN: %python %S/Inputs/check.py %s decomposed_silu -O 0
// RUN: infer-opt %s --infer-fuse | FileCheck %s
// CHECK-LABEL: func.func @decomposed_gelu
// CHECK-NEXT: infer.gelu
// CHECK-LABEL: func.func @decomposed_silu
// CHECK-NEXT: infer.silu

func.func @decomposed_gelu(%x: tensor<5x33xf32>) -> tensor<5x33xf32> {
  %sqrt2 = infer.constant dense<1.41421354> : tensor<f32>
  %one = infer.constant dense<1.0> : tensor<f32>
  %half = infer.constant dense<0.5> : tensor<f32>
  %0 = infer.div %x, %sqrt2 : (tensor<5x33xf32>, tensor<f32>) -> tensor<5x33xf32>
  %1 = infer.erf %0 : tensor<5x33xf32>
  %2 = infer.add %1, %one : (tensor<5x33xf32>, tensor<f32>) -> tensor<5x33xf32>
  %3 = infer.mul %x, %2 : (tensor<5x33xf32>, tensor<5x33xf32>) -> tensor<5x33xf32>
  %4 = infer.mul %3, %half : (tensor<5x33xf32>, tensor<f32>) -> tensor<5x33xf32>
  return %4 : tensor<5x33xf32>
}

func.func @decomposed_silu(%x: tensor<5x33xf32>) -> tensor<5x33xf32> {
  %0 = infer.sigmoid %x : tensor<5x33xf32>
  %1 = infer.mul %0, %x : (tensor<5x33xf32>, tensor<5x33xf32>) -> tensor<5x33xf32>
  return %1 : tensor<5x33xf32>
}
