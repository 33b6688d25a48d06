// RUN: infer-opt %s --split-input-file --infer-fuse | FileCheck %s
// RUN: infer-opt %s --split-input-file --infer-fuse="recognize-activations=false" | FileCheck %s --check-prefix=OFF

// GELU as PyTorch's ONNX export writes it (Div, Erf, Add, Mul, Mul) becomes
// one infer.gelu; the option turns the rewrite off.
// CHECK-LABEL: func.func @gelu_pytorch
// CHECK-SAME: (%[[X:.+]]: tensor<2x8xf32>)
// CHECK-NEXT: %[[G:.+]] = infer.gelu %[[X]] : tensor<2x8xf32>
// CHECK-NEXT: return %[[G]]
// OFF-LABEL: func.func @gelu_pytorch
// OFF: infer.erf
// OFF-NOT: infer.gelu
func.func @gelu_pytorch(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %sqrt2 = infer.constant dense<1.41421354> : tensor<f32>
  %one = infer.constant dense<1.0> : tensor<f32>
  %half = infer.constant dense<0.5> : tensor<f32>
  %0 = infer.div %x, %sqrt2 : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %1 = infer.erf %0 : tensor<2x8xf32>
  %2 = infer.add %1, %one : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %3 = infer.mul %x, %2 : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %4 = infer.mul %3, %half : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  return %4 : tensor<2x8xf32>
}

// -----

// Other forms exporters emit: x * (1 / sqrt(2)) with the constant first,
// 1 + erf with the constant first, 0.5 applied to x before the product.
// CHECK-LABEL: func.func @gelu_half_x
// CHECK-NEXT: %[[G:.+]] = infer.gelu %{{.+}} : tensor<4xf32>
// CHECK-NEXT: return %[[G]]
func.func @gelu_half_x(%x: tensor<4xf32>) -> tensor<4xf32> {
  %rsqrt2 = infer.constant dense<0.707106769> : tensor<1xf32>
  %one = infer.constant dense<1.0> : tensor<1xf32>
  %half = infer.constant dense<0.5> : tensor<1xf32>
  %0 = infer.mul %rsqrt2, %x : (tensor<1xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = infer.erf %0 : tensor<4xf32>
  %2 = infer.add %one, %1 : (tensor<1xf32>, tensor<4xf32>) -> tensor<4xf32>
  %3 = infer.mul %half, %x : (tensor<1xf32>, tensor<4xf32>) -> tensor<4xf32>
  %4 = infer.mul %2, %3 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %4 : tensor<4xf32>
}

// -----

// 0.5 times (1 + erf) first, then x.
// CHECK-LABEL: func.func @gelu_half_first
// CHECK-NEXT: infer.gelu
// CHECK-NEXT: return
func.func @gelu_half_first(%x: tensor<4xf32>) -> tensor<4xf32> {
  %sqrt2 = infer.constant dense<1.41421354> : tensor<f32>
  %one = infer.constant dense<1.0> : tensor<f32>
  %half = infer.constant dense<0.5> : tensor<f32>
  %0 = infer.div %x, %sqrt2 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %1 = infer.erf %0 : tensor<4xf32>
  %2 = infer.add %1, %one : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %3 = infer.mul %2, %half : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %4 = infer.mul %3, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %4 : tensor<4xf32>
}

// -----

// Not GELU: the wrong scale (x / 2), the wrong offset (2 + erf), and an
// intermediate value (erf) used elsewhere. Nothing changes.
// CHECK-LABEL: func.func @not_gelu_scale
// CHECK-NOT: infer.gelu
// CHECK: infer.erf
func.func @not_gelu_scale(%x: tensor<4xf32>) -> tensor<4xf32> {
  %two = infer.constant dense<2.0> : tensor<f32>
  %one = infer.constant dense<1.0> : tensor<f32>
  %half = infer.constant dense<0.5> : tensor<f32>
  %0 = infer.div %x, %two : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %1 = infer.erf %0 : tensor<4xf32>
  %2 = infer.add %1, %one : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %3 = infer.mul %x, %2 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %4 = infer.mul %3, %half : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %4 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @not_gelu_offset
// CHECK-NOT: infer.gelu
// CHECK: infer.erf
func.func @not_gelu_offset(%x: tensor<4xf32>) -> tensor<4xf32> {
  %sqrt2 = infer.constant dense<1.41421354> : tensor<f32>
  %two = infer.constant dense<2.0> : tensor<f32>
  %half = infer.constant dense<0.5> : tensor<f32>
  %0 = infer.div %x, %sqrt2 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %1 = infer.erf %0 : tensor<4xf32>
  %2 = infer.add %1, %two : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %3 = infer.mul %x, %2 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %4 = infer.mul %3, %half : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %4 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func.func @not_gelu_shared_erf
// CHECK-NOT: infer.gelu
// CHECK: infer.erf
func.func @not_gelu_shared_erf(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %sqrt2 = infer.constant dense<1.41421354> : tensor<f32>
  %one = infer.constant dense<1.0> : tensor<f32>
  %half = infer.constant dense<0.5> : tensor<f32>
  %0 = infer.div %x, %sqrt2 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %1 = infer.erf %0 : tensor<4xf32>
  %2 = infer.add %1, %one : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %3 = infer.mul %x, %2 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %4 = infer.mul %3, %half : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %4, %1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// A constant of higher rank broadcasts x to another shape: the chain stays.
// CHECK-LABEL: func.func @not_gelu_broadcast
// CHECK-NOT: infer.gelu
func.func @not_gelu_broadcast(%x: tensor<4xf32>) -> tensor<1x4xf32> {
  %sqrt2 = infer.constant dense<1.41421354> : tensor<f32>
  %one = infer.constant dense<1.0> : tensor<f32>
  %half = infer.constant dense<0.5> : tensor<1x1xf32>
  %0 = infer.div %x, %sqrt2 : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %1 = infer.erf %0 : tensor<4xf32>
  %2 = infer.add %1, %one : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %3 = infer.mul %x, %2 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %4 = infer.mul %3, %half : (tensor<4xf32>, tensor<1x1xf32>) -> tensor<1x4xf32>
  return %4 : tensor<1x4xf32>
}

// -----

// SiLU: x * sigmoid(x), either order.
// CHECK-LABEL: func.func @silu
// CHECK-SAME: (%[[X:.+]]: tensor<3x5xf32>)
// CHECK-NEXT: %[[A:.+]] = infer.silu %[[X]] : tensor<3x5xf32>
// CHECK-NEXT: %[[B:.+]] = infer.silu %[[X]] : tensor<3x5xf32>
// OFF-LABEL: func.func @silu
// OFF: infer.sigmoid
func.func @silu(%x: tensor<3x5xf32>) -> (tensor<3x5xf32>, tensor<3x5xf32>) {
  %0 = infer.sigmoid %x : tensor<3x5xf32>
  %1 = infer.mul %x, %0 : (tensor<3x5xf32>, tensor<3x5xf32>) -> tensor<3x5xf32>
  %2 = infer.sigmoid %x : tensor<3x5xf32>
  %3 = infer.mul %2, %x : (tensor<3x5xf32>, tensor<3x5xf32>) -> tensor<3x5xf32>
  return %1, %3 : tensor<3x5xf32>, tensor<3x5xf32>
}

// -----

// Not SiLU: the sigmoid of another value, and a sigmoid used twice.
// CHECK-LABEL: func.func @not_silu
// CHECK-NOT: infer.silu
func.func @not_silu(%x: tensor<4xf32>, %y: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = infer.sigmoid %y : tensor<4xf32>
  %1 = infer.mul %x, %0 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %2 = infer.sigmoid %x : tensor<4xf32>
  %3 = infer.mul %x, %2 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %4 = infer.add %3, %2 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %1, %4 : tensor<4xf32>, tensor<4xf32>
}

// -----

// GELU's tanh form as Hugging Face's "gelu_new" exports it: pow(x, 3), the
// 0.044715 and sqrt(2/pi) factors, tanh, 1 +, then (0.5 * x) times that.
// CHECK-LABEL: func.func @gelu_tanh
// CHECK-SAME: (%[[X:.+]]: tensor<2x8xf32>)
// CHECK-NEXT: %[[G:.+]] = infer.gelu %[[X]] {approximate = "tanh"} : tensor<2x8xf32>
// CHECK-NEXT: return %[[G]]
// OFF-LABEL: func.func @gelu_tanh
// OFF: infer.tanh
func.func @gelu_tanh(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %three = infer.constant dense<3.0> : tensor<f32>
  %c = infer.constant dense<0.044715> : tensor<f32>
  %k = infer.constant dense<0.797884583> : tensor<f32>
  %one = infer.constant dense<1.0> : tensor<f32>
  %half = infer.constant dense<0.5> : tensor<f32>
  %0 = infer.pow %x, %three : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %1 = infer.mul %c, %0 : (tensor<f32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %2 = infer.add %x, %1 : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %3 = infer.mul %k, %2 : (tensor<f32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %4 = infer.tanh %3 : tensor<2x8xf32>
  %5 = infer.add %one, %4 : (tensor<f32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %6 = infer.mul %half, %x : (tensor<f32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %7 = infer.mul %6, %5 : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  return %7 : tensor<2x8xf32>
}

// -----

// The cube as x * x * x, the sum and the products in the other order.
// CHECK-LABEL: func.func @gelu_tanh_muls
// CHECK-NEXT: infer.gelu %{{.+}} {approximate = "tanh"}
// CHECK-NEXT: return
func.func @gelu_tanh_muls(%x: tensor<4xf32>) -> tensor<4xf32> {
  %c = infer.constant dense<0.044715> : tensor<f32>
  %k = infer.constant dense<0.797884583> : tensor<f32>
  %one = infer.constant dense<1.0> : tensor<f32>
  %half = infer.constant dense<0.5> : tensor<f32>
  %sq = infer.mul %x, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %0 = infer.mul %x, %sq : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = infer.mul %0, %c : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %2 = infer.add %1, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %3 = infer.mul %2, %k : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %4 = infer.tanh %3 : tensor<4xf32>
  %5 = infer.add %4, %one : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %6 = infer.mul %x, %5 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %7 = infer.mul %6, %half : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  return %7 : tensor<4xf32>
}

// -----

// Not the tanh form: the cubic coefficient is 0.05, and the cube is of
// another value.
// CHECK-LABEL: func.func @not_gelu_tanh
// CHECK-NOT: infer.gelu
func.func @not_gelu_tanh(%x: tensor<4xf32>, %y: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %three = infer.constant dense<3.0> : tensor<f32>
  %c = infer.constant dense<0.05> : tensor<f32>
  %c2 = infer.constant dense<0.044715> : tensor<f32>
  %k = infer.constant dense<0.797884583> : tensor<f32>
  %one = infer.constant dense<1.0> : tensor<f32>
  %half = infer.constant dense<0.5> : tensor<f32>
  %0 = infer.pow %x, %three : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %1 = infer.mul %c, %0 : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  %2 = infer.add %x, %1 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %3 = infer.mul %k, %2 : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  %4 = infer.tanh %3 : tensor<4xf32>
  %5 = infer.add %one, %4 : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  %6 = infer.mul %half, %x : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  %7 = infer.mul %6, %5 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %10 = infer.pow %y, %three : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %11 = infer.mul %c2, %10 : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  %12 = infer.add %x, %11 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %13 = infer.mul %k, %12 : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  %14 = infer.tanh %13 : tensor<4xf32>
  %15 = infer.add %one, %14 : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  %16 = infer.mul %half, %x : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  %17 = infer.mul %16, %15 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %7, %17 : tensor<4xf32>, tensor<4xf32>
}

// -----

// Hard swish as PaddlePaddle writes it, x * clip(x + 3, 0, 6) / 6, in both
// associations.
// CHECK-LABEL: func.func @hard_swish
// CHECK: %[[A:.+]] = infer.hard_swish %arg0 : tensor<2x8xf32>
// CHECK: %[[B:.+]] = infer.hard_swish %arg0 : tensor<2x8xf32>
// CHECK: return %[[A]], %[[B]]
// OFF-LABEL: func.func @hard_swish
// OFF-NOT: infer.hard_swish
func.func @hard_swish(%x: tensor<2x8xf32>) -> (tensor<2x8xf32>, tensor<2x8xf32>) {
  %three = infer.constant dense<3.0> : tensor<1xf32>
  %six = infer.constant dense<6.0> : tensor<1xf32>
  %a0 = infer.add %x, %three : (tensor<2x8xf32>, tensor<1xf32>) -> tensor<2x8xf32>
  %c0 = infer.clip %a0 {min = 0.0 : f32, max = 6.0 : f32} : tensor<2x8xf32>
  %m0 = infer.mul %x, %c0 : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %r0 = infer.div %m0, %six : (tensor<2x8xf32>, tensor<1xf32>) -> tensor<2x8xf32>
  %a1 = infer.add %three, %x : (tensor<1xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %c1 = infer.clip %a1 {min = 0.0 : f32, max = 6.0 : f32} : tensor<2x8xf32>
  %d1 = infer.div %c1, %six : (tensor<2x8xf32>, tensor<1xf32>) -> tensor<2x8xf32>
  %r1 = infer.mul %d1, %x : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  return %r0, %r1 : tensor<2x8xf32>, tensor<2x8xf32>
}
