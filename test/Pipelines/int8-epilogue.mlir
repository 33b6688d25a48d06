// RUN: infer-opt %s --fuse --tile="target-cpu=znver4 threads=2" | FileCheck %s

// An int8 1x1 convolution whose input comes NCHW from the graph: the
// transpose to NHWC is not folded into the convolution (its im2col kernel
// reads NHWC), so it becomes the dot-product contraction, and the
// requantization of its i32 sums to bytes (fixed-point multiply, rounding
// shift, clamp) runs in the contraction's tiles, after the K loop, as its
// epilogue: the loop nest yields both the sums and the bytes, and no other
// loop requantizes.
// CHECK-LABEL: func.func @main
// CHECK: scf.for {{.+}} -> (tensor<196x2x32xi32>, tensor<196x2x32xi8>)
// CHECK: scf.for {{.+}} -> (vector<7x1x32xi32>)
// CHECK: vector.contract
// CHECK: arith.muli %{{.+}}, %{{.+}} : vector<7x1x32xi64>
// CHECK: arith.shrsi %{{.+}}, %{{.+}} : vector<7x1x32xi64>
// CHECK: arith.trunci %{{.+}} : vector<7x1x32xi64> to vector<7x1x32xi8>
// CHECK-NOT: arith.shrsi
func.func @main(%x: tensor<1x64x14x14x!quant.uniform<u8:f32, 0.0078125:128>>) -> tensor<1x64x14x14x!quant.uniform<u8:f32, 0.02:0>> {
  %w = infer.constant dense<0.25> : tensor<64x64x1x1xf32>
  %wq = infer.quantize %w : tensor<64x64x1x1xf32> -> tensor<64x64x1x1x!quant.uniform<i8<-127:127>:f32, 0.0019685039370078739>>
  %b = infer.constant dense<0.5> : tensor<64xf32>
  %y = infer.conv2d %x, %wq, %b : (tensor<1x64x14x14x!quant.uniform<u8:f32, 0.0078125:128>>, tensor<64x64x1x1x!quant.uniform<i8<-127:127>:f32, 0.0019685039370078739>>, tensor<64xf32>) -> tensor<1x64x14x14x!quant.uniform<u8:f32, 0.02:0>>
  return %y : tensor<1x64x14x14x!quant.uniform<u8:f32, 0.02:0>>
}
