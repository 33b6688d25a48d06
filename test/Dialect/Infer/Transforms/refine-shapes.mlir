// RUN: infer-opt %s --infer-refine-shapes --split-input-file | FileCheck %s
// RUN: infer-opt %s --infer-refine-shapes=batch-size=4 --split-input-file | FileCheck %s --check-prefix=BATCH
// RUN: not infer-opt %s --infer-refine-shapes=batch-size=-1 --split-input-file 2>&1 | FileCheck %s --check-prefix=NEGATIVE

// NEGATIVE: error: infer-refine-shapes: batch-size must be >= 0, got -1

// Declared types less static than the operands allow are narrowed, and the
// entry function's signature follows.
// CHECK-LABEL: func.func @narrow
// CHECK-SAME: (%[[X:.+]]: tensor<1x3x8x8xf32>, %[[W:.+]]: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
// CHECK: %[[C:.+]] = infer.conv2d %[[X]], %[[W]] : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
// CHECK: %[[R:.+]] = infer.relu %[[C]] : tensor<1x4x6x6xf32>
// CHECK: return %[[R]] : tensor<1x4x6x6xf32>
func.func @narrow(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<?x4x?x?xf32> {
  %0 = infer.conv2d %x, %w : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<?x4x?x?xf32>
  %1 = infer.relu %0 : tensor<?x4x?x?xf32>
  return %1 : tensor<?x4x?x?xf32>
}

// -----

// A batch size specializes the dynamic batch of an entry function; without
// one the dynamic batch stays.
// CHECK-LABEL: func.func @batch
// CHECK-SAME: (%{{.+}}: tensor<?x8xf32>) -> tensor<?x2xf32>
// BATCH-LABEL: func.func @batch
// BATCH-SAME: (%[[X:.+]]: tensor<4x8xf32>) -> tensor<4x2xf32>
// BATCH: %[[R:.+]] = infer.reshape %[[X]] {shape = array<i64: -1, 4>} : (tensor<4x8xf32>) -> tensor<8x4xf32>
// BATCH: %[[S:.+]] = infer.reduce_sum %[[R]] {axes = array<i64: 1>, keepdims = false} : (tensor<8x4xf32>) -> tensor<8xf32>
// BATCH: %[[U:.+]] = infer.unsqueeze %[[S]] {axes = array<i64: 1>} : (tensor<8xf32>) -> tensor<8x1xf32>
// BATCH: %[[M:.+]] = infer.reshape %[[U]] {shape = array<i64: -1, 2>} : (tensor<8x1xf32>) -> tensor<4x2xf32>
// BATCH: return %[[M]] : tensor<4x2xf32>
func.func @batch(%x: tensor<?x8xf32>) -> tensor<?x2xf32> {
  %0 = infer.reshape %x {shape = array<i64: -1, 4>} : (tensor<?x8xf32>) -> tensor<?x4xf32>
  %1 = infer.reduce_sum %0 {axes = array<i64: 1>, keepdims = false} : (tensor<?x4xf32>) -> tensor<?xf32>
  %2 = infer.unsqueeze %1 {axes = array<i64: 1>} : (tensor<?xf32>) -> tensor<?x1xf32>
  %3 = infer.reshape %2 {shape = array<i64: -1, 2>} : (tensor<?x1xf32>) -> tensor<?x2xf32>
  return %3 : tensor<?x2xf32>
}

// -----

// Users outside the infer dialect keep seeing the declared type, and so do
// callers of a function whose signature therefore stays.
// CHECK-LABEL: func.func private @callee
// CHECK-SAME: (%[[X:.+]]: tensor<2x3xf32>) -> tensor<?x3xf32>
// CHECK: %[[E:.+]] = infer.add %[[X]], %[[X]] : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK: %[[CAST:.+]] = tensor.cast %[[E]] : tensor<2x3xf32> to tensor<?x3xf32>
// CHECK: %[[DIM:.+]] = tensor.dim %[[CAST]]
// CHECK: return %[[CAST]] : tensor<?x3xf32>
// BATCH-LABEL: func.func private @callee
// BATCH-SAME: -> tensor<?x3xf32>
func.func private @callee(%x: tensor<2x3xf32>) -> tensor<?x3xf32> {
  %c0 = arith.constant 0 : index
  %0 = infer.add %x, %x : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<?x3xf32>
  %d = tensor.dim %0, %c0 : tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}
func.func @caller(%x: tensor<2x3xf32>) -> tensor<?x3xf32> {
  %0 = func.call @callee(%x) : (tensor<2x3xf32>) -> tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}
