// RUN: infer-opt %s --infer-convert-to-linalg --split-input-file -verify-diagnostics

// The patterns only notify match failures; the pass reports each op it could
// not lower once, with the reason (no "failed to legalize" noise).

// A quantized product with an i32 result and non-constant weights has no
// int8 lowering (infer-quantize writes quantized results and quantized
// constant weights).
func.func @quantized_matmul(%a: tensor<2x4x!quant.uniform<i8:f32, 0.1>>, %b: tensor<4x3xi8>) -> tensor<2x3xi32> {
  // expected-error @+1 {{'infer.matmul' op cannot be lowered to linalg: the input and the result must be 8-bit quantized per tensor}}
  %0 = infer.matmul %a, %b : (tensor<2x4x!quant.uniform<i8:f32, 0.1>>, tensor<4x3xi8>) -> tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}

// -----

// Only the batch of a convolution may be dynamic.
func.func @dynamic_spatial(%x: tensor<1x3x?x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x?x6xf32> {
  // expected-error @+1 {{'infer.conv2d' op cannot be lowered to linalg: only the batch dimension may be dynamic}}
  %0 = infer.conv2d %x, %w : (tensor<1x3x?x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x?x6xf32>
  return %0 : tensor<1x4x?x6xf32>
}

// -----

func.func @dynamic_pool(%x: tensor<1x3x?x8xf32>) -> tensor<1x3x?x7xf32> {
  // expected-error @+1 {{'infer.max_pool' op cannot be lowered to linalg: dynamic spatial dimensions}}
  %0 = infer.max_pool %x {kernel_shape = array<i64: 2, 2>} : (tensor<1x3x?x8xf32>) -> tensor<1x3x?x7xf32>
  return %0 : tensor<1x3x?x7xf32>
}

// -----

func.func @dynamic_avg_pool(%x: tensor<1x3x8x?xf32>) -> tensor<1x3x7x?xf32> {
  // expected-error @+1 {{'infer.avg_pool' op cannot be lowered to linalg: dynamic spatial dimensions}}
  %0 = infer.avg_pool %x {kernel_shape = array<i64: 2, 2>} : (tensor<1x3x8x?xf32>) -> tensor<1x3x7x?xf32>
  return %0 : tensor<1x3x7x?xf32>
}

// -----

func.func @dynamic_slice(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  // expected-error @+1 {{'infer.slice' op cannot be lowered to linalg: a negative step along a dynamic dimension}}
  %0 = infer.slice %x {starts = array<i64: -1>, ends = array<i64: -9223372036854775808>, steps = array<i64: -1>} : (tensor<?x8xf32>) -> tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}

// -----

func.func @dynamic_slice_next_to_reversed(%x: tensor<?x8xf32>) -> tensor<?x8xf32> {
  // expected-error @+1 {{'infer.slice' op cannot be lowered to linalg: a negative step next to a sliced dynamic dimension}}
  %0 = infer.slice %x {starts = array<i64: 0, -1>, ends = array<i64: 2, -9223372036854775808>, steps = array<i64: 1, -1>} : (tensor<?x8xf32>) -> tensor<?x8xf32>
  return %0 : tensor<?x8xf32>
}

// -----

// Every op that cannot be lowered is reported, each once.
func.func @two(%a: tensor<2x4x!quant.uniform<i8:f32, 0.1>>, %b: tensor<4x3xi8>, %x: tensor<1x3x?x8xf32>) -> (tensor<2x3xi32>, tensor<1x3x?x7xf32>) {
  // expected-error @+1 {{'infer.matmul' op cannot be lowered to linalg}}
  %0 = infer.matmul %a, %b : (tensor<2x4x!quant.uniform<i8:f32, 0.1>>, tensor<4x3xi8>) -> tensor<2x3xi32>
  // expected-error @+1 {{'infer.max_pool' op cannot be lowered to linalg}}
  %1 = infer.max_pool %x {kernel_shape = array<i64: 2, 2>} : (tensor<1x3x?x8xf32>) -> tensor<1x3x?x7xf32>
  return %0, %1 : tensor<2x3xi32>, tensor<1x3x?x7xf32>
}
