// Reductions against numpy.
// RUN: %python %S/Inputs/check.py %s reduce_sum_last
// RUN: %python %S/Inputs/check.py %s reduce_mean_keep
// RUN: %python %S/Inputs/check.py %s reduce_max_all
// RUN: %python %S/Inputs/check.py %s reduce_sum_dynamic

func.func @reduce_sum_last(%x: tensor<2x3x17xf32>) -> tensor<2x3xf32> {
  %0 = infer.reduce_sum %x {axes = array<i64: -1>, keepdims = false} : (tensor<2x3x17xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

func.func @reduce_mean_keep(%x: tensor<4x3x5xf32>) -> tensor<1x3x1xf32> {
  %0 = infer.reduce_mean %x {axes = array<i64: 0, 2>} : (tensor<4x3x5xf32>) -> tensor<1x3x1xf32>
  return %0 : tensor<1x3x1xf32>
}

func.func @reduce_max_all(%x: tensor<3x4xf32>) -> tensor<1x1xf32> {
  %0 = infer.reduce_max %x : (tensor<3x4xf32>) -> tensor<1x1xf32>
  return %0 : tensor<1x1xf32>
}

// The mean over a dynamic dimension divides by its run-time size.
func.func @reduce_sum_dynamic(%x: tensor<?x4xf32>) -> tensor<4xf32> {
  %0 = infer.reduce_mean %x {axes = array<i64: 0>, keepdims = false} : (tensor<?x4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
