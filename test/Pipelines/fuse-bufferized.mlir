// RUN: infer-opt %s --fuse --tile --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" --canonicalize --infer-plan-memory | FileCheck %s
// RUN: infer-opt %s --fuse --infer-cpu-pack-weights --infer-cpu-select-schedule --infer-tile=epilogues=false --one-shot-bufferize="bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map" --canonicalize | FileCheck %s --check-prefix=SPLIT

// A matmul, its bias and GELU: after --fuse --tile and bufferization the
// only buffer is the result. The bias add and GELU run on the accumulator
// registers inside the contraction's tiles (vector.contract, then erf on the
// same vector), and the contraction's own result buffer, written and never
// read, is gone with its stores.
// CHECK-LABEL: func.func @mlp
// CHECK: %[[OUT:.+]] = memref.alloc() {{.*}} : memref<32x4x32xf32>
// CHECK-NOT: memref.alloc
// CHECK: %[[ACC:.+]] = scf.for {{.*}} -> (vector<8x1x32xf32>)
// CHECK: vector.contract
// CHECK: %[[BIASED:.+]] = arith.addf %[[ACC]], %{{.+}} : vector<8x1x32xf32>
// CHECK: math.erf
// CHECK: vector.transfer_write %{{.+}}, %{{.+}} : vector<8x1x32xf32>, memref<8x1x32xf32
// CHECK-NOT: memref.alloc
// CHECK: return
// Without the epilogue at tile level, the contraction's result is a buffer
// of its own that the bias + GELU kernel reads.
// SPLIT-LABEL: func.func @mlp
// SPLIT-COUNT-2: memref.alloc()
// SPLIT-NOT: memref.alloc
// SPLIT: return
func.func @mlp(%x: tensor<32x64xf32>) -> tensor<32x128xf32> {
  %w = infer.constant dense<0.01> : tensor<64x128xf32>
  %b = infer.constant dense<0.5> : tensor<128xf32>
  %0 = infer.matmul %x, %w : (tensor<32x64xf32>, tensor<64x128xf32>) -> tensor<32x128xf32>
  %1 = infer.add %0, %b : (tensor<32x128xf32>, tensor<128xf32>) -> tensor<32x128xf32>
  %2 = infer.gelu %1 : tensor<32x128xf32>
  return %2 : tensor<32x128xf32>
}

// A 1x1 convolution (a matmul once packed) with a folded batch-norm bias
// and ReLU. The bias broadcast that starts the accumulator is moved past the
// packing reshapes, so the accumulator starts from the bias in registers
// inside the contraction's tiles, and ReLU runs on the finished sums there:
// no loop of its own writes the bias or applies ReLU.
// CHECK-LABEL: func.func @conv_bias_relu
// CHECK-NOT: arith.maximumf
// CHECK: %[[START:.+]] = vector.broadcast %{{.+}} : vector<32xf32> to vector<8x1x32xf32>
// CHECK: %[[SUMS:.+]] = scf.for {{.*}} iter_args(%{{.+}} = %[[START]]) -> (vector<8x1x32xf32>)
// CHECK: vector.contract
// CHECK: arith.maximumf %[[SUMS]], %{{.+}} : vector<8x1x32xf32>
// CHECK-NOT: arith.maximumf
// CHECK: return
func.func @conv_bias_relu(%x: tensor<1x64x8x8xf32>) -> tensor<1x32x8x8xf32> {
  %w = infer.constant dense<0.01> : tensor<64x64x1x1xf32>
  %s = infer.constant dense<0.5> : tensor<64xf32>
  %b = infer.constant dense<0.1> : tensor<64xf32>
  %m = infer.constant dense<0.01> : tensor<64xf32>
  %v = infer.constant dense<1.0> : tensor<64xf32>
  %0 = infer.conv2d %x, %w {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x64x8x8xf32>, tensor<64x64x1x1xf32>) -> tensor<1x64x8x8xf32>
  %1 = infer.batch_norm %0, %s, %b, %m, %v {epsilon = 1.0e-05 : f32} : (tensor<1x64x8x8xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x64x8x8xf32>
  %2 = infer.relu %1 : tensor<1x64x8x8xf32>
  %w2 = infer.constant dense<0.02> : tensor<32x64x1x1xf32>
  %3 = infer.conv2d %2, %w2 {strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x64x8x8xf32>, tensor<32x64x1x1xf32>) -> tensor<1x32x8x8xf32>
  return %3 : tensor<1x32x8x8xf32>
}
