// RUN: infer-opt %s -split-input-file -verify-diagnostics
// One case per verifier message. Shape errors are reported by result
// type inference, which the interface follows with its own summary.

func.func @case0(%x: tensor<3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expects a 4-D input (N x C x H x W) and a 4-D weight (F x C/group x KH x KW)}}
  %0 = infer.conv2d %x, %w : (tensor<3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<4x6x6xf32>
  return
}

// -----

func.func @case1(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{strides must have 2 entries, got 1}}
  %0 = infer.conv2d %x, %w {strides = array<i64: 2>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @case2(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{pads must have 4 entries, got 2}}
  %0 = infer.conv2d %x, %w {pads = array<i64: 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @case3(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{dilations must have 2 entries, got 3}}
  %0 = infer.conv2d %x, %w {dilations = array<i64: 1, 1, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @case4(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{group must be positive, got 0}}
  %0 = infer.conv2d %x, %w {group = 0 : i64} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @case5(%x: tensor<1x4x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{input channels (4) must equal weight channels (3) times group (1)}}
  %0 = infer.conv2d %x, %w : (tensor<1x4x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @case6(%x: tensor<1x8x8x8xf32>, %w: tensor<6x2x3x3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{output channels (6) must be divisible by group (4)}}
  %0 = infer.conv2d %x, %w {group = 4 : i64} : (tensor<1x8x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x6x6xf32>
  return
}

// -----

func.func @case7(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<5xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{bias must be 1-D with one element per output channel}}
  %0 = infer.conv2d %x, %w, %b : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<5xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @case8(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{strides and dilations must be positive}}
  %0 = infer.conv2d %x, %w {strides = array<i64: 0, 1>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @case9(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{pads must be non-negative}}
  %0 = infer.conv2d %x, %w {pads = array<i64: -1, 0, 0, 0>} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return
}

// -----

func.func @case10(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{kernel sizes must be positive}}
  %0 = infer.max_pool %x {kernel_shape = array<i64: 0, 2>} : (tensor<1x3x8x8xf32>) -> tensor<1x3x8x7xf32>
  return
}

// -----

func.func @case11(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x9x9xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{window of extent 9 does not fit the padded input of size 8}}
  %0 = infer.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x9x9xf32>) -> tensor<1x4x1x1xf32>
  return
}

// -----

func.func @case12(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{inferred type(s) 'tensor<1x4x6x6xf32>' are incompatible with return type(s) of operation 'tensor<1x4x8x8xf32>'}}
  %0 = infer.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @case13(%x: tensor<1x3x8x8xi8>, %w: tensor<4x3x3x3xi8>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{inferred type(s) 'tensor<1x4x6x6xi8>' are incompatible with return type(s) of operation 'tensor<1x4x6x6xi16>'}}
  %0 = infer.conv2d %x, %w : (tensor<1x3x8x8xi8>, tensor<4x3x3x3xi8>) -> tensor<1x4x6x6xi16>
  return
}

// -----

func.func @case14(%a: tensor<f32>, %b: tensor<4xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{operands must have rank 1 or more}}
  %0 = infer.matmul %a, %b : (tensor<f32>, tensor<4xf32>) -> tensor<f32>
  return
}

// -----

func.func @case15(%a: tensor<3x4xf32>, %b: tensor<5x6xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{contraction dimensions differ: 4 vs 5}}
  %0 = infer.matmul %a, %b : (tensor<3x4xf32>, tensor<5x6xf32>) -> tensor<3x6xf32>
  return
}

// -----

func.func @case16(%a: tensor<2x3x4xf32>, %b: tensor<3x4x5xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{shapes [2] and [3] do not broadcast}}
  %0 = infer.matmul %a, %b : (tensor<2x3x4xf32>, tensor<3x4x5xf32>) -> tensor<2x3x5xf32>
  return
}

// -----

func.func @case17(%a: tensor<4xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expects 2-D operands a and b}}
  %0 = infer.gemm %a, %b : (tensor<4xf32>, tensor<4x5xf32>) -> tensor<5xf32>
  return
}

// -----

func.func @case18(%a: tensor<3x4xf32>, %b: tensor<5x6xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{contraction dimensions differ: 4 vs 6}}
  %0 = infer.gemm %a, %b {trans_b = true} : (tensor<3x4xf32>, tensor<5x6xf32>) -> tensor<3x5xf32>
  return
}

// -----

func.func @case19(%a: tensor<3x4xf32>, %b: tensor<4x5xf32>, %c: tensor<2x3x5xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{c must broadcast to the M x N result}}
  %0 = infer.gemm %a, %b, %c : (tensor<3x4xf32>, tensor<4x5xf32>, tensor<2x3x5xf32>) -> tensor<3x5xf32>
  return
}

// -----

func.func @case20(%a: tensor<2x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{shapes [2, 3] and [4] do not broadcast}}
  %0 = infer.add %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @case21(%a: tensor<2x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{inferred type(s) 'tensor<2x3xf32>' are incompatible with return type(s) of operation 'tensor<3x3xf32>'}}
  %0 = infer.mul %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<3x3xf32>
  return
}

// -----

func.func @case22(%a: tensor<2x3xf32>, %b: tensor<3xf16>) {
  // expected-error @+1 {{requires the same element type for all operands and results}}
  %0 = infer.sub %a, %b : (tensor<2x3xf32>, tensor<3xf16>) -> tensor<2x3xf32>
  return
}

// -----

// infer.add allows quantized operands of other parameters, never a mix of
// float and quantized.
func.func @add_mixed(%a: tensor<3xf32>, %b: tensor<3x!quant.uniform<u8:f32, 0.1:3>>) {
  // expected-error @+1 {{requires the same element type for all operands and results, or per-tensor quantized ones (of any scales)}}
  %0 = infer.add %a, %b : (tensor<3xf32>, tensor<3x!quant.uniform<u8:f32, 0.1:3>>) -> tensor<3xf32>
  return
}

// -----

func.func @case23(%a: tensor<4x!quant.uniform<i8:f32, 0.1>>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of floating-point or signless integer or unsigned integer values, but got 'tensor<4x!quant.uniform<i8:f32, 1.000000e-01>>'}}
  %0 = infer.pow %a, %a : (tensor<4x!quant.uniform<i8:f32, 0.1>>, tensor<4x!quant.uniform<i8:f32, 0.1>>) -> tensor<4x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @case24(%x: tensor<4xf32>) {
  // expected-error @+1 {{min (6.000000e+00) must not exceed max (0.000000e+00)}}
  %0 = infer.clip %x {min = 6.0 : f32, max = 0.0 : f32} : tensor<4xf32>
  return
}

// -----

func.func @case25(%x: tensor<4xf32>) {
  // expected-error @+1 {{approximate must be "none" or "tanh", got "fast"}}
  %0 = infer.gelu %x {approximate = "fast"} : tensor<4xf32>
  return
}

// -----

func.func @case26(%x: tensor<4xi32>) {
  // expected-error @+1 {{operand #0 must be ranked tensor of floating-point values, but got 'tensor<4xi32>'}}
  %0 = infer.sqrt %x : tensor<4xi32>
  return
}

// -----

func.func @case27(%x: tensor<4xf32>, %c: tensor<4xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{input must have rank 2 or more (N x C x ...)}}
  %0 = infer.batch_norm %x, %c, %c, %c, %c : (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @case28(%x: tensor<1x8x2x2xf32>, %c: tensor<4xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{scale, bias, mean and variance must be 1-D with one element per channel}}
  %0 = infer.batch_norm %x, %c, %c, %c, %c : (tensor<1x8x2x2xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x8x2x2xf32>
  return
}

// -----

func.func @case29(%x: tensor<1x8x16xf32>, %g: tensor<16xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{axis 3 is out of range for rank 3}}
  %0 = infer.layer_norm %x, %g {axis = 3 : i64} : (tensor<1x8x16xf32>, tensor<16xf32>) -> tensor<1x8x16xf32>
  return
}

// -----

func.func @case30(%x: tensor<1x8x16xf32>, %g: tensor<8xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{scale and bias must broadcast to the normalized shape (dimensions 2 and after)}}
  %0 = infer.layer_norm %x, %g : (tensor<1x8x16xf32>, tensor<8xf32>) -> tensor<1x8x16xf32>
  return
}

// -----

func.func @case31(%x: tensor<1x8x16xf32>) {
  // expected-error @+1 {{axis -4 is out of range for rank 3}}
  %0 = infer.softmax %x {axis = -4 : i64} : tensor<1x8x16xf32>
  return
}

// -----

func.func @case32(%x: tensor<8x8xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expects a 4-D input (N x C x H x W)}}
  %0 = infer.avg_pool %x {kernel_shape = array<i64: 2, 2>} : (tensor<8x8xf32>) -> tensor<7x7xf32>
  return
}

// -----

func.func @case33(%x: tensor<1x1x8x8xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{kernel_shape must have 2 entries, got 3}}
  %0 = infer.avg_pool %x {kernel_shape = array<i64: 2, 2, 2>} : (tensor<1x1x8x8xf32>) -> tensor<1x1x7x7xf32>
  return
}

// -----

func.func @case34(%x: tensor<1x8xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expects an input of rank 3 or more (N x C x D1 x ...)}}
  %0 = infer.global_avg_pool %x : (tensor<1x8xf32>) -> tensor<1x8xf32>
  return
}

// -----

func.func @case35(%x: tensor<2x3x4xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{axis 3 is out of range for rank 3}}
  %0 = infer.reduce_sum %x {axes = array<i64: 3>} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  return
}

// -----

func.func @case36(%x: tensor<2x3x4xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{axis -2 appears more than once}}
  %0 = infer.reduce_max %x {axes = array<i64: 1, -2>} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  return
}

// -----

func.func @case37(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{shape may contain at most one -1}}
  %0 = infer.reshape %x {shape = array<i64: -1, -1>} : (tensor<2x3xf32>) -> tensor<?x?xf32>
  return
}

// -----

func.func @case38(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{shape entry 0 at position 2 copies a dimension the input (rank 2) does not have}}
  %0 = infer.reshape %x {shape = array<i64: 1, -1, 0>} : (tensor<2x3xf32>) -> tensor<1x6x1xf32>
  return
}

// -----

func.func @case39(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{shape entries must be -1, 0 or positive, got -2}}
  %0 = infer.reshape %x {shape = array<i64: -2, 3>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @case40(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{cannot infer the -1 entry: 6 elements do not divide into blocks of 4}}
  %0 = infer.reshape %x {shape = array<i64: 4, -1>} : (tensor<2x3xf32>) -> tensor<4x?xf32>
  return
}

// -----

func.func @case41(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{cannot reshape 6 elements into 8}}
  %0 = infer.reshape %x {shape = array<i64: 4, 2>} : (tensor<2x3xf32>) -> tensor<4x2xf32>
  return
}

// -----

func.func @case42(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{axis 3 is out of range [-2, 2]}}
  %0 = infer.flatten %x {axis = 3 : i64} : (tensor<2x3xf32>) -> tensor<6x1xf32>
  return
}

// -----

func.func @case43(%x: tensor<2x3x4xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{perm must be a permutation of [0, 3)}}
  %0 = infer.transpose %x {perm = array<i64: 0, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<2x2x3xf32>
  return
}

// -----

func.func @case44() {
  // expected-error @+1 {{expected 1 or more operands, but found 0}}
  %0 = infer.concat {axis = 0 : i64} : () -> tensor<2xf32>
  return
}

// -----

func.func @case45(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{axis 2 is out of range for rank 2}}
  %0 = infer.concat %a, %a {axis = 2 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x6xf32>
  return
}

// -----

func.func @case46(%a: tensor<2x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{inputs must all have rank 2}}
  %0 = infer.concat %a, %b {axis = 0 : i64} : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @case47(%a: tensor<2x3xf32>, %b: tensor<2x4xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{inputs differ in dimension 1, which is not the concatenation axis}}
  %0 = infer.concat %a, %b {axis = 0 : i64} : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @case48(%x: tensor<4x4xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{ends must have 1 entries, got 2}}
  %0 = infer.slice %x {starts = array<i64: 0>, ends = array<i64: 1, 2>} : (tensor<4x4xf32>) -> tensor<1x4xf32>
  return
}

// -----

func.func @case49(%x: tensor<4x4xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{axes must have 1 entries, got 2}}
  %0 = infer.slice %x {starts = array<i64: 0>, ends = array<i64: 1>, axes = array<i64: 0, 1>} : (tensor<4x4xf32>) -> tensor<1x4xf32>
  return
}

// -----

func.func @case50(%x: tensor<4x4xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{steps must have 1 entries, got 0}}
  %0 = infer.slice %x {starts = array<i64: 0>, ends = array<i64: 1>, steps = array<i64>} : (tensor<4x4xf32>) -> tensor<1x4xf32>
  return
}

// -----

func.func @case51(%x: tensor<4x4xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{steps must be non-zero}}
  %0 = infer.slice %x {starts = array<i64: 0>, ends = array<i64: 1>, steps = array<i64: 0>} : (tensor<4x4xf32>) -> tensor<1x4xf32>
  return
}

// -----

func.func @case52(%x: tensor<4x4xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{axis -1 appears more than once}}
  %0 = infer.slice %x {starts = array<i64: 0, 0>, ends = array<i64: 1, 1>, axes = array<i64: 1, -1>} : (tensor<4x4xf32>) -> tensor<4x1xf32>
  return
}

// -----

func.func @case53(%x: tensor<4x4xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{pads must have 4 entries, got 2}}
  %0 = infer.pad %x {pads = array<i64: 1, 1>} : (tensor<4x4xf32>) -> tensor<6x4xf32>
  return
}

// -----

func.func @case54(%x: tensor<4xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{pads must be non-negative}}
  %0 = infer.pad %x {pads = array<i64: 0, -1>} : (tensor<4xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @case55(%x: tensor<4xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{mode must be "constant", "reflect" or "edge", got "wrap"}}
  %0 = infer.pad %x {pads = array<i64: 1, 1>, mode = "wrap"} : (tensor<4xf32>) -> tensor<6xf32>
  return
}

// -----

func.func @case56(%x: tensor<4xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{reflect padding of dimension 0 must be smaller than its size 4}}
  %0 = infer.pad %x {pads = array<i64: 4, 0>, mode = "reflect"} : (tensor<4xf32>) -> tensor<8xf32>
  return
}

// -----

func.func @case57(%x: tensor<4x4xf32>, %i: tensor<2xi64>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{axis 2 is out of range for rank 2}}
  %0 = infer.gather %x, %i {axis = 2 : i64} : (tensor<4x4xf32>, tensor<2xi64>) -> tensor<4x4xf32>
  return
}

// -----

func.func @case58(%x: tensor<4x4xf32>, %i: tensor<2xf32>) {
  // expected-error @+1 {{operand #1 must be ranked tensor of 32-bit signless integer or 64-bit signless integer values, but got 'tensor<2xf32>'}}
  %0 = infer.gather %x, %i : (tensor<4x4xf32>, tensor<2xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @case59(%x: tensor<1x3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{cannot squeeze dimension 1 of size 3}}
  %0 = infer.squeeze %x {axes = array<i64: 1>} : (tensor<1x3xf32>) -> tensor<1xf32>
  return
}

// -----

func.func @case60(%x: tensor<3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{axes must not be empty}}
  %0 = infer.unsqueeze %x {axes = array<i64>} : (tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @case61(%x: tensor<3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{axis 3 is out of range for rank 3}}
  %0 = infer.unsqueeze %x {axes = array<i64: 0, 3>} : (tensor<3xf32>) -> tensor<1x3x1xf32>
  return
}

// -----

func.func @case62(%x: tensor<3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{shape entries must be non-negative}}
  %0 = infer.expand %x {shape = array<i64: -1, 3>} : (tensor<3xf32>) -> tensor<1x3xf32>
  return
}

// -----

func.func @case63(%x: tensor<3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{shapes [3] and [2, 2] do not broadcast}}
  %0 = infer.expand %x {shape = array<i64: 2, 2>} : (tensor<3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @case64(%x: tensor<3xf32>) {
  // expected-error @+1 {{input and result shapes must match}}
  %0 = infer.cast %x : tensor<3xf32> -> tensor<4xi32>
  return
}

// -----

func.func @case65(%x: tensor<3xf32>) {
  // expected-error @+1 {{input and result shapes must match}}
  %0 = infer.quantize %x : tensor<3xf32> -> tensor<4x!quant.uniform<i8:f32, 0.1>>
  return
}

// -----

func.func @case66(%x: tensor<3xf32>) {
  // expected-error @+1 {{expressed type 'f16' of the quantized type must be 'f32'}}
  %0 = infer.quantize %x : tensor<3xf32> -> tensor<3x!quant.uniform<i8:f16, 0.1>>
  return
}

// -----

func.func @case67(%x: tensor<2x!quant.uniform<i8:f32:1, {0.1, 0.2}>>) {
  // expected-error @+1 {{quantized dimension 1 is out of range for rank 1}}
  %0 = infer.dequantize %x : tensor<2x!quant.uniform<i8:f32:1, {0.1, 0.2}>> -> tensor<2xf32>
  return
}

// -----

func.func @case68(%x: tensor<3xf32>) {
  // expected-error @+1 {{per-axis quantization has 2 scales for dimension 0 of size 3}}
  %0 = infer.quantize %x : tensor<3xf32> -> tensor<3x!quant.uniform<i8:f32:0, {0.1, 0.2}>>
  return
}

// -----

func.func @case69(%x: tensor<3xf32>) {
  // expected-error @+1 {{supports per-tensor and per-axis !quant.uniform types only}}
  %0 = infer.quantize %x : tensor<3xf32> -> tensor<3x!quant.any<i8:f32>>
  return
}

// -----

func.func @case70(%x: tensor<3xf32>) {
  // expected-error @+1 {{result #0 must be ranked tensor of quantized type values, but got 'tensor<3xi8>'}}
  %0 = infer.quantize %x : tensor<3xf32> -> tensor<3xi8>
  return
}

// -----

func.func @case71() {
  // expected-error @+1 {{value must be a ranked tensor}}
  %0 = infer.constant dense<1.0> : vector<4xf32>
  return
}

// -----

// A dense_resource without a blob would crash later folders.
func.func @case72() -> tensor<2xf32> {
  // expected-error @+1 {{dense_resource 'missing' has no data (no blob of that name in the file's dialect_resources)}}
  %0 = infer.constant dense_resource<missing> : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// A blob too short for its type would be read past its end.
func.func @case73() -> tensor<4xf32> {
  // expected-error @+1 {{dense_resource 'short' holds 8 bytes; 'tensor<4xf32>' needs 16}}
  %0 = infer.constant dense_resource<short> : tensor<4xf32>
  return %0 : tensor<4xf32>
}

{-#
  dialect_resources: {
    builtin: {
      short: "0x040000000000803F0000803F"
    }
  }
#-}
