// Decomposed GELU (erf form as PyTorch exports it, tanh form as Hugging
// Face's gelu_new), SiLU, softmax and layer
// normalization against numpy: at -O 2 infer-fuse replaces them with the
// named ops, at -O 0 they run op by op; both match the same reference.
// RUN: %python %S/Inputs/check.py %s decomposed_gelu
// RUN: %python %S/Inputs/check.py %s decomposed_gelu -O 0
// RUN: %python %S/Inputs/check.py %s decomposed_gelu_tanh
// RUN: %python %S/Inputs/check.py %s decomposed_gelu_tanh -O 0
// RUN: %python %S/Inputs/check.py %s decomposed_silu
// RUN: %python %S/Inputs/check.py %s decomposed_silu -O 0
// RUN: %python %S/Inputs/check.py %s decomposed_softmax
// RUN: %python %S/Inputs/check.py %s decomposed_softmax -O 0
// RUN: %python %S/Inputs/check.py %s decomposed_layer_norm
// RUN: %python %S/Inputs/check.py %s decomposed_layer_norm -O 0
// RUN: infer-opt %s --infer-fuse | FileCheck %s
// CHECK-LABEL: func.func @decomposed_gelu
// CHECK-NEXT: infer.gelu
// CHECK-LABEL: func.func @decomposed_silu
// CHECK-NEXT: infer.silu
// CHECK-LABEL: func.func @decomposed_gelu_tanh
// CHECK-NEXT: infer.gelu %{{.+}} {approximate = "tanh"}
// CHECK-LABEL: func.func @decomposed_softmax
// CHECK-NEXT: infer.softmax
// CHECK-LABEL: func.func @decomposed_layer_norm
// CHECK-NEXT: infer.layer_norm

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

func.func @decomposed_gelu_tanh(%x: tensor<5x33xf32>) -> tensor<5x33xf32> {
  %three = infer.constant dense<3.0> : tensor<f32>
  %c = infer.constant dense<0.044715> : tensor<f32>
  %k = infer.constant dense<0.797884583> : tensor<f32>
  %one = infer.constant dense<1.0> : tensor<f32>
  %half = infer.constant dense<0.5> : tensor<f32>
  %0 = infer.pow %x, %three : (tensor<5x33xf32>, tensor<f32>) -> tensor<5x33xf32>
  %1 = infer.mul %c, %0 : (tensor<f32>, tensor<5x33xf32>) -> tensor<5x33xf32>
  %2 = infer.add %x, %1 : (tensor<5x33xf32>, tensor<5x33xf32>) -> tensor<5x33xf32>
  %3 = infer.mul %k, %2 : (tensor<f32>, tensor<5x33xf32>) -> tensor<5x33xf32>
  %4 = infer.tanh %3 : tensor<5x33xf32>
  %5 = infer.add %one, %4 : (tensor<f32>, tensor<5x33xf32>) -> tensor<5x33xf32>
  %6 = infer.mul %half, %x : (tensor<f32>, tensor<5x33xf32>) -> tensor<5x33xf32>
  %7 = infer.mul %6, %5 : (tensor<5x33xf32>, tensor<5x33xf32>) -> tensor<5x33xf32>
  return %7 : tensor<5x33xf32>
}

func.func @decomposed_softmax(%x: tensor<3x4x19xf32>) -> tensor<3x4x19xf32> {
  %m = infer.reduce_max %x {axes = array<i64: -1>, keepdims = true} : (tensor<3x4x19xf32>) -> tensor<3x4x1xf32>
  %d = infer.sub %x, %m : (tensor<3x4x19xf32>, tensor<3x4x1xf32>) -> tensor<3x4x19xf32>
  %e = infer.exp %d : tensor<3x4x19xf32>
  %s = infer.reduce_sum %e {axes = array<i64: -1>, keepdims = true} : (tensor<3x4x19xf32>) -> tensor<3x4x1xf32>
  %y = infer.div %e, %s : (tensor<3x4x19xf32>, tensor<3x4x1xf32>) -> tensor<3x4x19xf32>
  return %y : tensor<3x4x19xf32>
}

func.func @decomposed_layer_norm(%x: tensor<2x5x24xf32>, %g: tensor<24xf32>, %b: tensor<24xf32>) -> tensor<2x5x24xf32> {
  %two = infer.constant dense<2.0> : tensor<f32>
  %eps = infer.constant dense<1.0e-5> : tensor<f32>
  %mean = infer.reduce_mean %x {axes = array<i64: -1>, keepdims = true} : (tensor<2x5x24xf32>) -> tensor<2x5x1xf32>
  %d = infer.sub %x, %mean : (tensor<2x5x24xf32>, tensor<2x5x1xf32>) -> tensor<2x5x24xf32>
  %sq = infer.pow %d, %two : (tensor<2x5x24xf32>, tensor<f32>) -> tensor<2x5x24xf32>
  %var = infer.reduce_mean %sq {axes = array<i64: -1>, keepdims = true} : (tensor<2x5x24xf32>) -> tensor<2x5x1xf32>
  %ve = infer.add %var, %eps : (tensor<2x5x1xf32>, tensor<f32>) -> tensor<2x5x1xf32>
  %sd = infer.sqrt %ve : tensor<2x5x1xf32>
  %n = infer.div %d, %sd : (tensor<2x5x24xf32>, tensor<2x5x1xf32>) -> tensor<2x5x24xf32>
  %y = infer.mul %n, %g : (tensor<2x5x24xf32>, tensor<24xf32>) -> tensor<2x5x24xf32>
  %z = infer.add %y, %b : (tensor<2x5x24xf32>, tensor<24xf32>) -> tensor<2x5x24xf32>
  return %z : tensor<2x5x24xf32>
}
