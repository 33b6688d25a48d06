// RUN: infer-opt %s --fuse --tile="threads=2" | FileCheck %s

// Two convolutions whose results one residual add reads: the add (and the
// ReLU after it) is the epilogue of one of them only, the second one's
// contraction loop, reading the first one's result tile. Both anchors used
// to claim it, and tiling the second freed an op the first still held (a
// use after free that the sanitizer build of the suite catches).
// CHECK-LABEL: func.func @residual_of_two_convs
// CHECK: vector.contract
// CHECK-NOT: arith.maximumf
// CHECK: %[[SUMS:.+]] = scf.for {{.*}} -> (vector<8x1x32xf32>)
// CHECK: vector.contract
// CHECK: %[[SUM:.+]] = arith.addf %[[SUMS]], %{{.+}} : vector<8x1x32xf32>
// CHECK: arith.maximumf %[[SUM]], %{{.+}} : vector<8x1x32xf32>
// CHECK-NOT: arith.maximumf
// CHECK: return
func.func @residual_of_two_convs(%x: tensor<1x64x8x8xf32>) -> tensor<1x32x8x8xf32> {
  %wa = infer.constant dense<0.01> : tensor<64x64x1x1xf32>
  %ba = infer.constant dense<0.1> : tensor<64xf32>
  %wb = infer.constant dense<0.02> : tensor<64x64x1x1xf32>
  %bb = infer.constant dense<0.2> : tensor<64xf32>
  %a = infer.conv2d %x, %wa, %ba : (tensor<1x64x8x8xf32>, tensor<64x64x1x1xf32>, tensor<64xf32>) -> tensor<1x64x8x8xf32>
  %b = infer.conv2d %x, %wb, %bb {strides = array<i64: 1, 1>, dilations = array<i64: 1, 1>} : (tensor<1x64x8x8xf32>, tensor<64x64x1x1xf32>, tensor<64xf32>) -> tensor<1x64x8x8xf32>
  %s = infer.add %a, %b : (tensor<1x64x8x8xf32>, tensor<1x64x8x8xf32>) -> tensor<1x64x8x8xf32>
  %r = infer.relu %s : tensor<1x64x8x8xf32>
  %w2 = infer.constant dense<0.02> : tensor<32x64x1x1xf32>
  %y = infer.conv2d %r, %w2 : (tensor<1x64x8x8xf32>, tensor<32x64x1x1xf32>) -> tensor<1x32x8x8xf32>
  return %y : tensor<1x32x8x8xf32>
}
