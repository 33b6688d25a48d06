// RUN: infer-opt %s --split-input-file --infer-fuse | FileCheck %s
// RUN: infer-opt %s --split-input-file --infer-fuse="recognize-normalizations=false" | FileCheck %s --check-prefix=OFF

// Softmax as exporters write it, with the max subtracted first: one
// infer.softmax on the original input; the option turns the rewrite off.
// CHECK-LABEL: func.func @softmax_stable
// CHECK-SAME: (%[[X:.+]]: tensor<2x4x8xf32>)
// CHECK-NEXT: %[[S:.+]] = infer.softmax %[[X]] {axis = 2 : i64} : tensor<2x4x8xf32>
// CHECK-NEXT: return %[[S]]
// OFF-LABEL: func.func @softmax_stable
// OFF: infer.reduce_sum
// OFF-NOT: infer.softmax
func.func @softmax_stable(%x: tensor<2x4x8xf32>) -> tensor<2x4x8xf32> {
  %m = infer.reduce_max %x {axes = array<i64: -1>, keepdims = true} : (tensor<2x4x8xf32>) -> tensor<2x4x1xf32>
  %d = infer.sub %x, %m : (tensor<2x4x8xf32>, tensor<2x4x1xf32>) -> tensor<2x4x8xf32>
  %e = infer.exp %d : tensor<2x4x8xf32>
  %s = infer.reduce_sum %e {axes = array<i64: -1>, keepdims = true} : (tensor<2x4x8xf32>) -> tensor<2x4x1xf32>
  %y = infer.div %e, %s : (tensor<2x4x8xf32>, tensor<2x4x1xf32>) -> tensor<2x4x8xf32>
  return %y : tensor<2x4x8xf32>
}

// -----

// Without the max, over a middle axis.
// CHECK-LABEL: func.func @softmax_plain
// CHECK-NEXT: infer.softmax %{{.+}} {axis = 1 : i64} : tensor<2x4x8xf32>
// CHECK-NEXT: return
func.func @softmax_plain(%x: tensor<2x4x8xf32>) -> tensor<2x4x8xf32> {
  %e = infer.exp %x : tensor<2x4x8xf32>
  %s = infer.reduce_sum %e {axes = array<i64: 1>, keepdims = true} : (tensor<2x4x8xf32>) -> tensor<2x1x8xf32>
  %y = infer.div %e, %s : (tensor<2x4x8xf32>, tensor<2x1x8xf32>) -> tensor<2x4x8xf32>
  return %y : tensor<2x4x8xf32>
}

// -----

// Not softmax: a sum over two axes, the sum divided by the exponentials, and
// exponentials used elsewhere.
// CHECK-LABEL: func.func @not_softmax
// CHECK-NOT: infer.softmax
func.func @not_softmax(%x: tensor<2x4x8xf32>) -> (tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<2x4x8xf32>) {
  %e = infer.exp %x : tensor<2x4x8xf32>
  %s = infer.reduce_sum %e {axes = array<i64: 1, 2>, keepdims = true} : (tensor<2x4x8xf32>) -> tensor<2x1x1xf32>
  %y = infer.div %e, %s : (tensor<2x4x8xf32>, tensor<2x1x1xf32>) -> tensor<2x4x8xf32>
  %e2 = infer.exp %x : tensor<2x4x8xf32>
  %s2 = infer.reduce_sum %e2 {axes = array<i64: -1>, keepdims = true} : (tensor<2x4x8xf32>) -> tensor<2x4x1xf32>
  %y2 = infer.div %s2, %e2 : (tensor<2x4x1xf32>, tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  %e3 = infer.exp %x : tensor<2x4x8xf32>
  %s3 = infer.reduce_sum %e3 {axes = array<i64: -1>, keepdims = true} : (tensor<2x4x8xf32>) -> tensor<2x4x1xf32>
  %y3 = infer.div %e3, %s3 : (tensor<2x4x8xf32>, tensor<2x4x1xf32>) -> tensor<2x4x8xf32>
  %z3 = infer.add %y3, %e3 : (tensor<2x4x8xf32>, tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  return %y, %y2, %z3 : tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<2x4x8xf32>
}

// -----

// Layer normalization as exported before opset 17 (ReduceMean, Sub, Pow,
// ReduceMean, Add, Sqrt, Div, Mul, Add): one infer.layer_norm with the
// model's epsilon (1e-5 here, the op's default, so not printed).
// CHECK-LABEL: func.func @layer_norm
// CHECK-SAME: (%[[X:.+]]: tensor<2x5x16xf32>, %[[G:.+]]: tensor<16xf32>, %[[B:.+]]: tensor<16xf32>)
// CHECK-NEXT: %[[N:.+]] = infer.layer_norm %[[X]], %[[G]], %[[B]] {axis = 2 : i64} : (tensor<2x5x16xf32>, tensor<16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
// CHECK-NEXT: return %[[N]]
// OFF-LABEL: func.func @layer_norm
// OFF-NOT: infer.layer_norm
func.func @layer_norm(%x: tensor<2x5x16xf32>, %g: tensor<16xf32>, %b: tensor<16xf32>) -> tensor<2x5x16xf32> {
  %two = infer.constant dense<2.0> : tensor<f32>
  %eps = infer.constant dense<1.0e-5> : tensor<f32>
  %mean = infer.reduce_mean %x {axes = array<i64: -1>, keepdims = true} : (tensor<2x5x16xf32>) -> tensor<2x5x1xf32>
  %d = infer.sub %x, %mean : (tensor<2x5x16xf32>, tensor<2x5x1xf32>) -> tensor<2x5x16xf32>
  %sq = infer.pow %d, %two : (tensor<2x5x16xf32>, tensor<f32>) -> tensor<2x5x16xf32>
  %var = infer.reduce_mean %sq {axes = array<i64: -1>, keepdims = true} : (tensor<2x5x16xf32>) -> tensor<2x5x1xf32>
  %ve = infer.add %var, %eps : (tensor<2x5x1xf32>, tensor<f32>) -> tensor<2x5x1xf32>
  %sd = infer.sqrt %ve : tensor<2x5x1xf32>
  %n = infer.div %d, %sd : (tensor<2x5x16xf32>, tensor<2x5x1xf32>) -> tensor<2x5x16xf32>
  %y = infer.mul %n, %g : (tensor<2x5x16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  %z = infer.add %y, %b : (tensor<2x5x16xf32>, tensor<16xf32>) -> tensor<2x5x16xf32>
  return %z : tensor<2x5x16xf32>
}

// -----

// Over the two trailing axes, the square as d * d, gamma first, no beta.
// CHECK-LABEL: func.func @layer_norm_two_axes
// CHECK-NEXT: infer.layer_norm %{{.+}}, %{{.+}} {axis = 1 : i64, epsilon = 1.000000e-03 : f32} : (tensor<3x4x8xf32>, tensor<4x8xf32>) -> tensor<3x4x8xf32>
// CHECK-NEXT: return
func.func @layer_norm_two_axes(%x: tensor<3x4x8xf32>, %g: tensor<4x8xf32>) -> tensor<3x4x8xf32> {
  %eps = infer.constant dense<1.0e-3> : tensor<1xf32>
  %mean = infer.reduce_mean %x {axes = array<i64: 1, 2>, keepdims = true} : (tensor<3x4x8xf32>) -> tensor<3x1x1xf32>
  %d = infer.sub %x, %mean : (tensor<3x4x8xf32>, tensor<3x1x1xf32>) -> tensor<3x4x8xf32>
  %sq = infer.mul %d, %d : (tensor<3x4x8xf32>, tensor<3x4x8xf32>) -> tensor<3x4x8xf32>
  %var = infer.reduce_mean %sq {axes = array<i64: -2, -1>, keepdims = true} : (tensor<3x4x8xf32>) -> tensor<3x1x1xf32>
  %ve = infer.add %eps, %var : (tensor<1xf32>, tensor<3x1x1xf32>) -> tensor<3x1x1xf32>
  %sd = infer.sqrt %ve : tensor<3x1x1xf32>
  %n = infer.div %d, %sd : (tensor<3x4x8xf32>, tensor<3x1x1xf32>) -> tensor<3x4x8xf32>
  %y = infer.mul %g, %n : (tensor<4x8xf32>, tensor<3x4x8xf32>) -> tensor<3x4x8xf32>
  return %y : tensor<3x4x8xf32>
}

// -----

// Not layer normalization: the variance over another axis than the mean,
// the square as d^3, and a leading (not trailing) axis.
// CHECK-LABEL: func.func @not_layer_norm_axes
// CHECK-NOT: infer.layer_norm
func.func @not_layer_norm_axes(%x: tensor<3x4x8xf32>, %g: tensor<8xf32>) -> tensor<3x4x8xf32> {
  %two = infer.constant dense<2.0> : tensor<f32>
  %eps = infer.constant dense<1.0e-5> : tensor<f32>
  %mean = infer.reduce_mean %x {axes = array<i64: -1>, keepdims = true} : (tensor<3x4x8xf32>) -> tensor<3x4x1xf32>
  %d = infer.sub %x, %mean : (tensor<3x4x8xf32>, tensor<3x4x1xf32>) -> tensor<3x4x8xf32>
  %sq = infer.pow %d, %two : (tensor<3x4x8xf32>, tensor<f32>) -> tensor<3x4x8xf32>
  %var = infer.reduce_mean %sq {axes = array<i64: 1, 2>, keepdims = true} : (tensor<3x4x8xf32>) -> tensor<3x1x1xf32>
  %ve = infer.add %var, %eps : (tensor<3x1x1xf32>, tensor<f32>) -> tensor<3x1x1xf32>
  %sd = infer.sqrt %ve : tensor<3x1x1xf32>
  %n = infer.div %d, %sd : (tensor<3x4x8xf32>, tensor<3x1x1xf32>) -> tensor<3x4x8xf32>
  %y = infer.mul %n, %g : (tensor<3x4x8xf32>, tensor<8xf32>) -> tensor<3x4x8xf32>
  return %y : tensor<3x4x8xf32>
}

// -----

// CHECK-LABEL: func.func @not_layer_norm_cube
// CHECK-NOT: infer.layer_norm
func.func @not_layer_norm_cube(%x: tensor<3x8xf32>, %g: tensor<8xf32>) -> tensor<3x8xf32> {
  %three = infer.constant dense<3.0> : tensor<f32>
  %eps = infer.constant dense<1.0e-5> : tensor<f32>
  %mean = infer.reduce_mean %x {axes = array<i64: -1>, keepdims = true} : (tensor<3x8xf32>) -> tensor<3x1xf32>
  %d = infer.sub %x, %mean : (tensor<3x8xf32>, tensor<3x1xf32>) -> tensor<3x8xf32>
  %sq = infer.pow %d, %three : (tensor<3x8xf32>, tensor<f32>) -> tensor<3x8xf32>
  %var = infer.reduce_mean %sq {axes = array<i64: -1>, keepdims = true} : (tensor<3x8xf32>) -> tensor<3x1xf32>
  %ve = infer.add %var, %eps : (tensor<3x1xf32>, tensor<f32>) -> tensor<3x1xf32>
  %sd = infer.sqrt %ve : tensor<3x1xf32>
  %n = infer.div %d, %sd : (tensor<3x8xf32>, tensor<3x1xf32>) -> tensor<3x8xf32>
  %y = infer.mul %n, %g : (tensor<3x8xf32>, tensor<8xf32>) -> tensor<3x8xf32>
  return %y : tensor<3x8xf32>
}

// -----

// CHECK-LABEL: func.func @not_layer_norm_leading
// CHECK-NOT: infer.layer_norm
func.func @not_layer_norm_leading(%x: tensor<3x8xf32>, %g: tensor<3x8xf32>) -> tensor<3x8xf32> {
  %two = infer.constant dense<2.0> : tensor<f32>
  %eps = infer.constant dense<1.0e-5> : tensor<f32>
  %mean = infer.reduce_mean %x {axes = array<i64: 0>, keepdims = true} : (tensor<3x8xf32>) -> tensor<1x8xf32>
  %d = infer.sub %x, %mean : (tensor<3x8xf32>, tensor<1x8xf32>) -> tensor<3x8xf32>
  %sq = infer.pow %d, %two : (tensor<3x8xf32>, tensor<f32>) -> tensor<3x8xf32>
  %var = infer.reduce_mean %sq {axes = array<i64: 0>, keepdims = true} : (tensor<3x8xf32>) -> tensor<1x8xf32>
  %ve = infer.add %var, %eps : (tensor<1x8xf32>, tensor<f32>) -> tensor<1x8xf32>
  %sd = infer.sqrt %ve : tensor<1x8xf32>
  %n = infer.div %d, %sd : (tensor<3x8xf32>, tensor<1x8xf32>) -> tensor<3x8xf32>
  %y = infer.mul %n, %g : (tensor<3x8xf32>, tensor<3x8xf32>) -> tensor<3x8xf32>
  return %y : tensor<3x8xf32>
}
