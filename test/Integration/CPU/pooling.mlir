// Pooling against a window-by-window numpy reference (ceil mode, padding).
// RUN: %python %S/Inputs/check.py %s max_pool_3x3_s2_p1
// RUN: %python %S/Inputs/check.py %s max_pool_ceil_dilated
// RUN: %python %S/Inputs/check.py %s avg_pool_exclude_pad
// RUN: %python %S/Inputs/check.py %s avg_pool_include_pad_ceil
// RUN: %python %S/Inputs/check.py %s global_avg_pool

func.func @max_pool_3x3_s2_p1(%x: tensor<1x3x9x9xf32>) -> tensor<1x3x5x5xf32> {
  %0 = infer.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x3x9x9xf32>) -> tensor<1x3x5x5xf32>
  return %0 : tensor<1x3x5x5xf32>
}

func.func @max_pool_ceil_dilated(%x: tensor<2x2x10x7xf32>) -> tensor<2x2x5x4xf32> {
  %0 = infer.max_pool %x {kernel_shape = array<i64: 2, 3>, strides = array<i64: 2, 2>, pads = array<i64: 0, 1, 0, 0>, dilations = array<i64: 2, 1>, ceil_mode = true} : (tensor<2x2x10x7xf32>) -> tensor<2x2x5x4xf32>
  return %0 : tensor<2x2x5x4xf32>
}

func.func @avg_pool_exclude_pad(%x: tensor<1x2x7x6xf32>) -> tensor<1x2x4x3xf32> {
  %0 = infer.avg_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x2x7x6xf32>) -> tensor<1x2x4x3xf32>
  return %0 : tensor<1x2x4x3xf32>
}

func.func @avg_pool_include_pad_ceil(%x: tensor<1x2x8x8xf32>) -> tensor<1x2x5x5xf32> {
  %0 = infer.avg_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, ceil_mode = true, count_include_pad = true} : (tensor<1x2x8x8xf32>) -> tensor<1x2x5x5xf32>
  return %0 : tensor<1x2x5x5xf32>
}

func.func @global_avg_pool(%x: tensor<?x4x5x7xf32>) -> tensor<?x4x1x1xf32> {
  %0 = infer.global_avg_pool %x : (tensor<?x4x5x7xf32>) -> tensor<?x4x1x1xf32>
  return %0 : tensor<?x4x1x1xf32>
}
