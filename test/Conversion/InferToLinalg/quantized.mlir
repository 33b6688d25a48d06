// RUN: infer-opt %s --split-input-file --infer-convert-to-linalg -verify-diagnostics | FileCheck %s

// An int8 convolution (NHWC; the weights an infer.quantize of a constant)
// lowers to integer linalg: the weights quantized at compile time
// (round(w / sw): [[127, -64], [64, 127]] as HWCF), the accumulator started
// at -zx * sum_k w[k, f] = -128 * 63 and -128 * 191 (no bias), the product
// of zero-extended input bytes and sign-extended weights into i32, then the
// fixed-point requantization (i64 multiply, rounding shift, zero point,
// clamp to [0, 255]) in an elementwise generic.
// CHECK-LABEL: func.func @conv
// CHECK-DAG: arith.constant dense<{{\[\[\[\[}}127, 64], [-64, 127]]]]> : tensor<1x1x2x2xi8>
// CHECK-DAG: arith.constant dense<[-8064, -24448]> : tensor<2xi32>
// CHECK: linalg.generic {{.+}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]
// CHECK: arith.extui %{{.+}} : i8 to i32
// CHECK: arith.extsi %{{.+}} : i8 to i32
// CHECK: arith.muli
// CHECK: arith.addi
// CHECK: linalg.generic
// CHECK-SAME: tensor<1x4x4x2xi32>, tensor<2xi64>, tensor<2xi64>
// CHECK: arith.extsi %{{.+}} : i32 to i64
// CHECK: arith.muli
// CHECK: arith.shrsi
// CHECK: arith.maxsi
// CHECK: arith.minsi
// CHECK: arith.trunci %{{.+}} : i64 to i8
func.func @conv(%x: tensor<1x4x4x2x!quant.uniform<u8:f32, 0.0078125:128>>) -> tensor<1x4x4x2x!quant.uniform<u8:f32, 0.02:0>> {
  %w = infer.constant dense<[[[[2.0]], [[-1.0]]], [[[0.5]], [[1.0]]]]> : tensor<2x2x1x1xf32>
  %wq = infer.quantize %w : tensor<2x2x1x1xf32> -> tensor<2x2x1x1x!quant.uniform<i8<-127:127>:f32:0, {0.015748031496062992,0.0078740157480314959}>>
  %y = infer.conv2d %x, %wq {layout = #infer<layout nhwc>} : (tensor<1x4x4x2x!quant.uniform<u8:f32, 0.0078125:128>>, tensor<2x2x1x1x!quant.uniform<i8<-127:127>:f32:0, {0.015748031496062992,0.0078740157480314959}>>) -> tensor<1x4x4x2x!quant.uniform<u8:f32, 0.02:0>>
  return %y : tensor<1x4x4x2x!quant.uniform<u8:f32, 0.02:0>>
}

// -----

// relu keeps the type: max with the zero point, unsigned; max_pool compares
// the stored bytes unsigned (padding 0, the lowest uint8); add rescales both
// operands to the result's scale in f32 and rounds half to even.
// CHECK-LABEL: func.func @elementwise
// CHECK: arith.maxui %{{.+}}, %{{.+}} : i8
// CHECK: linalg.pooling_nhwc_max_unsigned
// CHECK: arith.uitofp
// CHECK: arith.uitofp
// CHECK: math.roundeven
// CHECK: arith.fptoui
func.func @elementwise(%a: tensor<1x4x4x2x!quant.uniform<u8:f32, 0.1:10>>, %b: tensor<1x2x2x2x!quant.uniform<u8:f32, 0.2:0>>) -> tensor<1x2x2x2x!quant.uniform<u8:f32, 0.3:5>> {
  %r = infer.relu %a : tensor<1x4x4x2x!quant.uniform<u8:f32, 0.1:10>>
  %p = infer.max_pool %r {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, layout = #infer<layout nhwc>} : (tensor<1x4x4x2x!quant.uniform<u8:f32, 0.1:10>>) -> tensor<1x2x2x2x!quant.uniform<u8:f32, 0.1:10>>
  %s = infer.add %p, %b : (tensor<1x2x2x2x!quant.uniform<u8:f32, 0.1:10>>, tensor<1x2x2x2x!quant.uniform<u8:f32, 0.2:0>>) -> tensor<1x2x2x2x!quant.uniform<u8:f32, 0.3:5>>
  return %s : tensor<1x2x2x2x!quant.uniform<u8:f32, 0.3:5>>
}

// -----

// Weights that are not a quantized constant have no int8 lowering: the pass
// names the reason.
func.func @weights(%x: tensor<1x4x4x2x!quant.uniform<u8:f32, 0.0078125:128>>, %w: tensor<2x2x1x1x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x4x4x2x!quant.uniform<u8:f32, 0.02:0>> {
  // expected-error @+1 {{'infer.conv2d' op cannot be lowered to linalg: the weights must be an infer.quantize of an infer.constant, signed 8-bit and symmetric per tensor or per output channel}}
  %y = infer.conv2d %x, %w {layout = #infer<layout nhwc>} : (tensor<1x4x4x2x!quant.uniform<u8:f32, 0.0078125:128>>, tensor<2x2x1x1x!quant.uniform<i8:f32, 0.1>>) -> tensor<1x4x4x2x!quant.uniform<u8:f32, 0.02:0>>
  return %y : tensor<1x4x4x2x!quant.uniform<u8:f32, 0.02:0>>
}
