// A convolution with a bias and a ReLU, and a matmul: the two tasks
// infer-tune's tests tune (small, so that a candidate takes milliseconds).
func.func @main(%x: tensor<1x16x14x14xf32>, %a: tensor<64x96xf32>) -> (tensor<1x32x14x14xf32>, tensor<64x64xf32>) {
  %w = infer.constant dense<0.0625> : tensor<32x16x3x3xf32>
  %b = infer.constant dense<0.25> : tensor<32xf32>
  %c = infer.conv2d %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x16x14x14xf32>, tensor<32x16x3x3xf32>, tensor<32xf32>) -> tensor<1x32x14x14xf32>
  %r = infer.relu %c : tensor<1x32x14x14xf32>
  %m = infer.constant dense<0.125> : tensor<96x64xf32>
  %y = infer.matmul %a, %m : (tensor<64x96xf32>, tensor<96x64xf32>) -> tensor<64x64xf32>
  return %r, %y : tensor<1x32x14x14xf32>, tensor<64x64xf32>
}
