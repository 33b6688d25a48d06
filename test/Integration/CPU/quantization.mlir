// QuantizeLinear / DequantizeLinear semantics (round half to even, saturate).
// RUN: %python %S/Inputs/check.py %s quantize_int8
// RUN: %python %S/Inputs/check.py %s quantize_uint8
// RUN: %python %S/Inputs/check.py %s quantize_per_axis
// RUN: %python %S/Inputs/check.py %s dequantize_roundtrip

// Quantized values leave the function as their storage type.
func.func @quantize_int8(%x: tensor<4x9xf32>) -> tensor<4x9x!quant.uniform<i8:f32, 0.05:-3>> {
  %0 = infer.quantize %x : tensor<4x9xf32> -> tensor<4x9x!quant.uniform<i8:f32, 0.05:-3>>
  return %0 : tensor<4x9x!quant.uniform<i8:f32, 0.05:-3>>
}

func.func @quantize_uint8(%x: tensor<11xf32>) -> tensor<11x!quant.uniform<u8:f32, 0.02:128>> {
  %0 = infer.quantize %x : tensor<11xf32> -> tensor<11x!quant.uniform<u8:f32, 0.02:128>>
  return %0 : tensor<11x!quant.uniform<u8:f32, 0.02:128>>
}

func.func @quantize_per_axis(%x: tensor<3x4xf32>) -> tensor<3x4x!quant.uniform<i8:f32:0, {0.1, 0.02:5, 0.5:-7}>> {
  %0 = infer.quantize %x : tensor<3x4xf32> -> tensor<3x4x!quant.uniform<i8:f32:0, {0.1, 0.02:5, 0.5:-7}>>
  return %0 : tensor<3x4x!quant.uniform<i8:f32:0, {0.1, 0.02:5, 0.5:-7}>>
}

func.func @dequantize_roundtrip(%x: tensor<2x6xf32>) -> tensor<2x6xf32> {
  %0 = infer.quantize %x : tensor<2x6xf32> -> tensor<2x6x!quant.uniform<i8:f32, 0.03:10>>
  %1 = infer.dequantize %0 : tensor<2x6x!quant.uniform<i8:f32, 0.03:10>> -> tensor<2x6xf32>
  return %1 : tensor<2x6xf32>
}
