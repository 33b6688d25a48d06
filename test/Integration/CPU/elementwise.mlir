// Elementwise ops against numpy, with broadcasting, rank-0 and odd sizes.
// RUN: %python %S/Inputs/check.py %s add_broadcast
// RUN: %python %S/Inputs/check.py %s sub_scalar
// RUN: %python %S/Inputs/check.py %s mul_middle
// RUN: %python %S/Inputs/check.py %s div_rows
// RUN: %python %S/Inputs/check.py %s pow_positive
// RUN: %python %S/Inputs/check.py %s max_min
// RUN: %python %S/Inputs/check.py %s add_int
// RUN: %python %S/Inputs/check.py %s div_int
// RUN: %python %S/Inputs/check.py %s dynamic_batch_add
// RUN: %python %S/Inputs/check.py %s relu_int
// RUN: %python %S/Inputs/check.py %s unary_sqrt
// RUN: %python %S/Inputs/check.py %s unary_exp
// RUN: %python %S/Inputs/check.py %s unary_log
// RUN: %python %S/Inputs/check.py %s unary_neg
// RUN: %python %S/Inputs/check.py %s unary_abs
// RUN: %python %S/Inputs/check.py %s unary_erf
// RUN: %python %S/Inputs/check.py %s unary_tanh
// RUN: %python %S/Inputs/check.py %s unary_sigmoid
// RUN: %python %S/Inputs/check.py %s unary_relu
// RUN: %python %S/Inputs/check.py %s unary_leaky_relu
// RUN: %python %S/Inputs/check.py %s unary_clip
// RUN: %python %S/Inputs/check.py %s unary_clip_max_only
// RUN: %python %S/Inputs/check.py %s unary_gelu
// RUN: %python %S/Inputs/check.py %s unary_gelu_tanh
// RUN: %python %S/Inputs/check.py %s unary_silu
// RUN: %python %S/Inputs/check.py %s unary_hard_sigmoid
// RUN: %python %S/Inputs/check.py %s unary_hard_swish

func.func @add_broadcast(%a: tensor<2x3x5xf32>, %b: tensor<3x1xf32>) -> tensor<2x3x5xf32> {
  %0 = infer.add %a, %b : (tensor<2x3x5xf32>, tensor<3x1xf32>) -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

func.func @sub_scalar(%a: tensor<4x17xf32>, %b: tensor<f32>) -> tensor<4x17xf32> {
  %0 = infer.sub %a, %b : (tensor<4x17xf32>, tensor<f32>) -> tensor<4x17xf32>
  return %0 : tensor<4x17xf32>
}

func.func @mul_middle(%a: tensor<2x1x5xf32>, %b: tensor<2x3x1xf32>) -> tensor<2x3x5xf32> {
  %0 = infer.mul %a, %b : (tensor<2x1x5xf32>, tensor<2x3x1xf32>) -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

func.func @div_rows(%a: tensor<3x4xf32>, %b: tensor<3x1xf32>) -> tensor<3x4xf32> {
  %0 = infer.div %a, %b : (tensor<3x4xf32>, tensor<3x1xf32>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

func.func @pow_positive(%a: tensor<5x3xf32>, %b: tensor<3xf32>) -> tensor<5x3xf32> {
  %0 = infer.pow %a, %b : (tensor<5x3xf32>, tensor<3xf32>) -> tensor<5x3xf32>
  return %0 : tensor<5x3xf32>
}

func.func @max_min(%a: tensor<4x1xf32>, %b: tensor<1x6xf32>) -> (tensor<4x6xf32>, tensor<4x6xf32>) {
  %0 = infer.max %a, %b : (tensor<4x1xf32>, tensor<1x6xf32>) -> tensor<4x6xf32>
  %1 = infer.min %a, %b : (tensor<4x1xf32>, tensor<1x6xf32>) -> tensor<4x6xf32>
  return %0, %1 : tensor<4x6xf32>, tensor<4x6xf32>
}

func.func @add_int(%a: tensor<5x3xi32>, %b: tensor<3xi32>) -> tensor<5x3xi32> {
  %0 = infer.add %a, %b : (tensor<5x3xi32>, tensor<3xi32>) -> tensor<5x3xi32>
  return %0 : tensor<5x3xi32>
}

// Integer division truncates toward zero, as in C and ONNX.
func.func @div_int(%a: tensor<9xi32>, %b: tensor<9xi32>) -> tensor<9xi32> {
  %0 = infer.div %a, %b : (tensor<9xi32>, tensor<9xi32>) -> tensor<9xi32>
  return %0 : tensor<9xi32>
}

func.func @dynamic_batch_add(%a: tensor<?x4xf32>, %b: tensor<4xf32>) -> tensor<?x4xf32> {
  %0 = infer.add %a, %b : (tensor<?x4xf32>, tensor<4xf32>) -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

func.func @relu_int(%x: tensor<2x9xi32>) -> tensor<2x9xi32> {
  %0 = infer.relu %x : tensor<2x9xi32>
  return %0 : tensor<2x9xi32>
}

func.func @unary_sqrt(%x: tensor<3x17xf32>) -> tensor<3x17xf32> {
  %0 = infer.sqrt %x : tensor<3x17xf32>
  return %0 : tensor<3x17xf32>
}

func.func @unary_exp(%x: tensor<3x17xf32>) -> tensor<3x17xf32> {
  %0 = infer.exp %x : tensor<3x17xf32>
  return %0 : tensor<3x17xf32>
}

func.func @unary_log(%x: tensor<3x17xf32>) -> tensor<3x17xf32> {
  %0 = infer.log %x : tensor<3x17xf32>
  return %0 : tensor<3x17xf32>
}

func.func @unary_neg(%x: tensor<3x17xf32>) -> tensor<3x17xf32> {
  %0 = infer.neg %x : tensor<3x17xf32>
  return %0 : tensor<3x17xf32>
}

func.func @unary_abs(%x: tensor<3x17xf32>) -> tensor<3x17xf32> {
  %0 = infer.abs %x : tensor<3x17xf32>
  return %0 : tensor<3x17xf32>
}

func.func @unary_erf(%x: tensor<3x17xf32>) -> tensor<3x17xf32> {
  %0 = infer.erf %x : tensor<3x17xf32>
  return %0 : tensor<3x17xf32>
}

func.func @unary_tanh(%x: tensor<3x17xf32>) -> tensor<3x17xf32> {
  %0 = infer.tanh %x : tensor<3x17xf32>
  return %0 : tensor<3x17xf32>
}

func.func @unary_sigmoid(%x: tensor<3x17xf32>) -> tensor<3x17xf32> {
  %0 = infer.sigmoid %x : tensor<3x17xf32>
  return %0 : tensor<3x17xf32>
}

func.func @unary_relu(%x: tensor<3x17xf32>) -> tensor<3x17xf32> {
  %0 = infer.relu %x : tensor<3x17xf32>
  return %0 : tensor<3x17xf32>
}

func.func @unary_leaky_relu(%x: tensor<3x17xf32>) -> tensor<3x17xf32> {
  %0 = infer.leaky_relu %x {alpha = 0.1 : f32} : tensor<3x17xf32>
  return %0 : tensor<3x17xf32>
}

func.func @unary_clip(%x: tensor<3x17xf32>) -> tensor<3x17xf32> {
  %0 = infer.clip %x {min = -0.5 : f32, max = 0.75 : f32} : tensor<3x17xf32>
  return %0 : tensor<3x17xf32>
}

func.func @unary_clip_max_only(%x: tensor<3x17xf32>) -> tensor<3x17xf32> {
  %0 = infer.clip %x {max = 0.25 : f32} : tensor<3x17xf32>
  return %0 : tensor<3x17xf32>
}

func.func @unary_gelu(%x: tensor<3x17xf32>) -> tensor<3x17xf32> {
  %0 = infer.gelu %x : tensor<3x17xf32>
  return %0 : tensor<3x17xf32>
}

func.func @unary_gelu_tanh(%x: tensor<3x17xf32>) -> tensor<3x17xf32> {
  %0 = infer.gelu %x {approximate = "tanh"} : tensor<3x17xf32>
  return %0 : tensor<3x17xf32>
}

func.func @unary_silu(%x: tensor<3x17xf32>) -> tensor<3x17xf32> {
  %0 = infer.silu %x : tensor<3x17xf32>
  return %0 : tensor<3x17xf32>
}

func.func @unary_hard_sigmoid(%x: tensor<3x17xf32>) -> tensor<3x17xf32> {
  %0 = infer.hard_sigmoid %x : tensor<3x17xf32>
  return %0 : tensor<3x17xf32>
}

func.func @unary_hard_swish(%x: tensor<3x17xf32>) -> tensor<3x17xf32> {
  %0 = infer.hard_swish %x : tensor<3x17xf32>
  return %0 : tensor<3x17xf32>
}

// RUN: %python %S/Inputs/check.py %s pow_int
// Integer powers with non-negative exponents, exact.
func.func @pow_int(%a: tensor<6xi32>, %b: tensor<6xi32>) -> tensor<6xi32> {
  %0 = infer.pow %a, %b : (tensor<6xi32>, tensor<6xi32>) -> tensor<6xi32>
  return %0 : tensor<6xi32>
}
