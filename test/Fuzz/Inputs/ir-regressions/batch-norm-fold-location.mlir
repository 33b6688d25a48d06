// Found by infer-fuzz-ir (ASan: heap-use-after-free): infer-fuse read the
// location of the batch normalization it had just replaced.


func.func @large_weight(%x: tensor<1x4x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %w = infer.constant dense<1.0> : tensor<2x4x3x3xf32>
  %scale = infer.constant dense<2.0> : tensor<2xf32>
  %zero = infer.constant dense<0.0> : tensor<2xf32>
  %var = infer.constant dense<0.75> : tensor<2xf32>
  %0 = infer.conv2d %x, %w {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x3x3xf32>, tensor<2x4x3x3xf32>) -> tensor<1x2x3x3xf32>
  %1 = infer.batch_norm %0, %scale, %zero, %zero, %var {epsilon = 0.25 : f32} : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  return %1 : tensor<1x2x3x3xf32>
}
