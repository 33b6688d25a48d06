// RUN: infer-opt %s --infer-convert-to-linalg --split-input-file -verify-diagnostics

// Quantized products need the quantization passes first.
func.func @quantized_matmul(%a: tensor<2x4x!quant.uniform<i8:f32, 0.1>>, %b: tensor<4x3xi8>) -> tensor<2x3xi32> {
  // expected-error @+2 {{'infer.matmul' op on quantized operands must be rewritten by the quantization passes before lowering to linalg}}
  // expected-error @+1 {{failed to legalize operation 'infer.matmul' that was explicitly marked illegal}}
  %0 = infer.matmul %a, %b : (tensor<2x4x!quant.uniform<i8:f32, 0.1>>, tensor<4x3xi8>) -> tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}

// -----

// Only the batch of a convolution may be dynamic.
func.func @dynamic_spatial(%x: tensor<1x3x?x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x?x6xf32> {
  // expected-error @+2 {{'infer.conv2d' op cannot be lowered to linalg: only the batch dimension may be dynamic}}
  // expected-error @+1 {{failed to legalize operation 'infer.conv2d' that was explicitly marked illegal}}
  %0 = infer.conv2d %x, %w : (tensor<1x3x?x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x?x6xf32>
  return %0 : tensor<1x4x?x6xf32>
}

// -----

func.func @dynamic_pool(%x: tensor<1x3x?x8xf32>) -> tensor<1x3x?x7xf32> {
  // expected-error @+2 {{'infer.max_pool' op cannot be lowered to linalg: dynamic spatial dimensions}}
  // expected-error @+1 {{failed to legalize operation 'infer.max_pool' that was explicitly marked illegal}}
  %0 = infer.max_pool %x {kernel_shape = array<i64: 2, 2>} : (tensor<1x3x?x8xf32>) -> tensor<1x3x?x7xf32>
  return %0 : tensor<1x3x?x7xf32>
}

// -----

func.func @dynamic_slice(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  // expected-error @+2 {{'infer.slice' op cannot be lowered to linalg: a negative step along a dynamic dimension}}
  // expected-error @+1 {{failed to legalize operation 'infer.slice' that was explicitly marked illegal}}
  %0 = infer.slice %x {starts = array<i64: -1>, ends = array<i64: -9223372036854775808>, steps = array<i64: -1>} : (tensor<?x8xf32>) -> tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}
