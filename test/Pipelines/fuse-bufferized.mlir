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
func.func @mlp(%x: tensor<32x64xf32>) -> tensor<32x128xf32> {
  %w = infer.constant dense<0.01> : tensor<64x128xf32>
  %b = infer.constant dense<0.5> : tensor<128xf32>
  %0 = infer.matmul %x, %w : (tensor<32x64xf32>, tensor<64x128xf32>) -> tensor<32x128xf32>
  %1 = infer.add %0, %b : (tensor<32x128xf32>, tensor<128xf32>) -> tensor<32x128xf32>
  %2 = infer.gelu %1 : tensor<32x128xf32>
  return %2 : tensor<32x128xf32>
}
