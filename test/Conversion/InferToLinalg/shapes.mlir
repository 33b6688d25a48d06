// RUN: infer-opt %s --infer-convert-to-linalg --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @reshape_dynamic
// CHECK-SAME: (%[[X:.+]]: tensor<?x4x2x2xf32>)
// CHECK: %[[D:.+]] = tensor.dim %[[X]], %{{.+}}
// CHECK: %[[FLAT:.+]] = tensor.collapse_shape %[[X]] {{\[}}[0, 1, 2, 3]]
// CHECK: tensor.expand_shape %[[FLAT]] {{\[}}[0, 1]] output_shape [%[[D]], 16] : tensor<?xf32> into tensor<?x16xf32>
func.func @reshape_dynamic(%x: tensor<?x4x2x2xf32>) -> tensor<?x16xf32> {
  %0 = infer.reshape %x {shape = array<i64: 0, -1>} : (tensor<?x4x2x2xf32>) -> tensor<?x16xf32>
  return %0 : tensor<?x16xf32>
}

// -----

// CHECK-LABEL: func.func @transpose
// CHECK: linalg.transpose ins(%{{.+}} : tensor<2x3x4xf32>) outs(%{{.+}} : tensor<4x2x3xf32>) permutation = [2, 0, 1]
func.func @transpose(%x: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  %0 = infer.transpose %x {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  return %0 : tensor<4x2x3xf32>
}

// -----

// CHECK-LABEL: func.func @concat
// CHECK-SAME: (%[[A:.+]]: tensor<2x1xf32>, %[[B:.+]]: tensor<2x3xf32>)
// CHECK: %[[E:.+]] = tensor.empty() : tensor<2x4xf32>
// CHECK: %[[I:.+]] = tensor.insert_slice %[[A]] into %[[E]][0, 0] [2, 1] [1, 1]
// CHECK: tensor.insert_slice %[[B]] into %[[I]][0, 1] [2, 3] [1, 1]
func.func @concat(%a: tensor<2x1xf32>, %b: tensor<2x3xf32>) -> tensor<2x4xf32> {
  %0 = infer.concat %a, %b {axis = 1 : i64} : (tensor<2x1xf32>, tensor<2x3xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// Positive steps: a strided extract_slice; negative steps: a descending map.
// CHECK-DAG: #[[$REV:.+]] = affine_map<(d0, d1) -> (d0, d1 * -2 + 9)>
// CHECK-LABEL: func.func @slices
// CHECK: tensor.extract_slice %{{.+}}[1, 0] [3, 4] [1, 3] : tensor<5x10xf32> to tensor<3x4xf32>
// CHECK: linalg.generic {indexing_maps = [#[[$REV]], #{{.+}}]
func.func @slices(%x: tensor<5x10xf32>) -> (tensor<3x4xf32>, tensor<5x5xf32>) {
  %0 = infer.slice %x {starts = array<i64: 1, 0>, ends = array<i64: 4, 10>, steps = array<i64: 1, 3>} : (tensor<5x10xf32>) -> tensor<3x4xf32>
  %1 = infer.slice %x {starts = array<i64: -1>, ends = array<i64: -9223372036854775808>, axes = array<i64: 1>, steps = array<i64: -2>} : (tensor<5x10xf32>) -> tensor<5x5xf32>
  return %0, %1 : tensor<3x4xf32>, tensor<5x5xf32>
}

// -----

// CHECK-LABEL: func.func @gather
// CHECK: linalg.generic
// CHECK: arith.index_cast
// CHECK: arith.select
// CHECK: tensor.extract
func.func @gather(%d: tensor<6x4xf32>, %i: tensor<3xi64>) -> tensor<3x4xf32> {
  %0 = infer.gather %d, %i : (tensor<6x4xf32>, tensor<3xi64>) -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

// CHECK-LABEL: func.func @constant
// CHECK: %[[C:.+]] = arith.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK: return %[[C]]
func.func @constant() -> tensor<2xf32> {
  %0 = infer.constant dense<[1.0, 2.0]> : tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// Small resource blobs become dense literals (upstream folders cannot index
// dense_resource); large ones stay resources.
// CHECK-LABEL: func.func @resources
// CHECK: arith.constant dense<2.500000e-01> : tensor<f32>
// CHECK: arith.constant dense_resource<big> : tensor<80xf32>
func.func @resources() -> (tensor<f32>, tensor<80xf32>) {
  %0 = infer.constant dense_resource<small> : tensor<f32>
  %1 = infer.constant dense_resource<big> : tensor<80xf32>
  return %0, %1 : tensor<f32>, tensor<80xf32>
}

{-#
  dialect_resources: {
    builtin: {
      small: "0x040000000000803E",
      big: "0x040000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    }
  }
#-}
