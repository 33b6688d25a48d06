// Convolutions against a direct numpy convolution (Inputs/reference.py).
// RUN: %python %S/Inputs/check.py %s conv_basic
// RUN: %python %S/Inputs/check.py %s conv_strided_dilated
// RUN: %python %S/Inputs/check.py %s conv_depthwise
// RUN: %python %S/Inputs/check.py %s conv_grouped
// RUN: %python %S/Inputs/check.py %s conv_1x1_odd
// RUN: %python %S/Inputs/check.py %s conv_dynamic_batch
// RUN: %python %S/Inputs/check.py %s conv_int8
// RUN: %python %S/Inputs/check.py %s conv_transpose_strided_grouped
// RUN: %python %S/Inputs/check.py %s conv_transpose_sliced_weight
// RUN: %python %S/Inputs/check.py %s conv_transpose_upsample

func.func @conv_basic(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<1x4x8x8xf32> {
  %0 = infer.conv2d %x, %w, %b {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32>
  return %0 : tensor<1x4x8x8xf32>
}

// Asymmetric pads, different strides and dilations per axis.
func.func @conv_strided_dilated(%x: tensor<2x5x11x9xf32>, %w: tensor<6x5x3x2xf32>) -> tensor<2x6x5x3xf32> {
  %0 = infer.conv2d %x, %w {strides = array<i64: 2, 3>, pads = array<i64: 2, 0, 1, 1>, dilations = array<i64: 2, 1>} : (tensor<2x5x11x9xf32>, tensor<6x5x3x2xf32>) -> tensor<2x6x5x3xf32>
  return %0 : tensor<2x6x5x3xf32>
}

func.func @conv_depthwise(%x: tensor<1x8x7x7xf32>, %w: tensor<8x1x3x3xf32>, %b: tensor<8xf32>) -> tensor<1x8x4x4xf32> {
  %0 = infer.conv2d %x, %w, %b {group = 8 : i64, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x8x7x7xf32>, tensor<8x1x3x3xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>
  return %0 : tensor<1x8x4x4xf32>
}

func.func @conv_grouped(%x: tensor<1x6x5x5xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x5x5xf32> {
  %0 = infer.conv2d %x, %w {group = 2 : i64, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x6x5x5xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x5x5xf32>
  return %0 : tensor<1x4x5x5xf32>
}

// Degenerate spatial size, channel counts that are no vector width.
func.func @conv_1x1_odd(%x: tensor<1x5x1x1xf32>, %w: tensor<7x5x1x1xf32>) -> tensor<1x7x1x1xf32> {
  %0 = infer.conv2d %x, %w : (tensor<1x5x1x1xf32>, tensor<7x5x1x1xf32>) -> tensor<1x7x1x1xf32>
  return %0 : tensor<1x7x1x1xf32>
}

// The batch is dynamic in the compiled code; the input has 3.
func.func @conv_dynamic_batch(%x: tensor<?x2x6x6xf32>, %w: tensor<3x2x3x3xf32>, %b: tensor<3xf32>) -> tensor<?x3x2x2xf32> {
  %0 = infer.conv2d %x, %w, %b {strides = array<i64: 2, 2>} : (tensor<?x2x6x6xf32>, tensor<3x2x3x3xf32>, tensor<3xf32>) -> tensor<?x3x2x2xf32>
  return %0 : tensor<?x3x2x2xf32>
}

// int8 operands accumulate exactly in int32.
func.func @conv_int8(%x: tensor<1x4x5x5xi8>, %w: tensor<3x4x3x3xi8>) -> tensor<1x3x5x5xi32> {
  %0 = infer.conv2d %x, %w {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x5x5xi8>, tensor<3x4x3x3xi8>) -> tensor<1x3x5x5xi32>
  return %0 : tensor<1x3x5x5xi32>
}

// Weight given at run time: its flip is computed in the function. Output
// 2 x 6 x (2*2+1+2+1-1) x (3*3+0+2+1-1).
func.func @conv_transpose_strided_grouped(%x: tensor<2x4x3x4xf32>, %w: tensor<4x3x3x2xf32>, %b: tensor<6xf32>) -> tensor<2x6x7x11xf32> {
  %0 = infer.conv_transpose %x, %w, %b {strides = array<i64: 2, 3>, pads = array<i64: 1, 0, 0, 1>, dilations = array<i64: 1, 2>, output_padding = array<i64: 1, 0>, group = 2 : i64} : (tensor<2x4x3x4xf32>, tensor<4x3x3x2xf32>, tensor<6xf32>) -> tensor<2x6x7x11xf32>
  return %0 : tensor<2x6x7x11xf32>
}

// A weight sliced with a stride (once wrong at opt-level 2: the flip was a
// gather whose descending index the vectorizer read as contiguous).
func.func @conv_transpose_sliced_weight(%x: tensor<3x2x4x5xf32>, %w: tensor<2x3x3x3x3xf32>) -> tensor<3x3x6x7xf32> {
  %s = infer.slice %w {starts = array<i64: 1>, ends = array<i64: 2>, axes = array<i64: 2>} : (tensor<2x3x3x3x3xf32>) -> tensor<2x3x1x3x3xf32>
  %q = infer.squeeze %s {axes = array<i64: 2>} : (tensor<2x3x1x3x3xf32>) -> tensor<2x3x3x3xf32>
  %0 = infer.conv_transpose %x, %q : (tensor<3x2x4x5xf32>, tensor<2x3x3x3xf32>) -> tensor<3x3x6x7xf32>
  return %0 : tensor<3x3x6x7xf32>
}

// Non-overlapping windows: lowered to a matrix product (with bias, NHWC
// after infer-convert-layout at the default opt level).
func.func @conv_transpose_upsample(%x: tensor<2x8x5x6xf32>, %w: tensor<8x4x2x3xf32>, %b: tensor<4xf32>) -> tensor<2x4x10x18xf32> {
  %0 = infer.conv_transpose %x, %w, %b {strides = array<i64: 2, 3>} : (tensor<2x8x5x6xf32>, tensor<8x4x2x3xf32>, tensor<4xf32>) -> tensor<2x4x10x18xf32>
  return %0 : tensor<2x4x10x18xf32>
}
