// RUN: infer-opt %s --infer-convert-to-linalg --split-input-file | FileCheck %s

// Convolution: explicit zero padding, bias broadcast into the accumulator,
// then the named NCHW op.
// CHECK-LABEL: func.func @conv_bias
// CHECK-SAME: (%[[X:.+]]: tensor<?x3x8x8xf32>, %[[W:.+]]: tensor<4x3x3x3xf32>, %[[B:.+]]: tensor<4xf32>)
// CHECK: %[[PAD:.+]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK: %[[DIM:.+]] = tensor.dim %[[X]], %{{.+}} : tensor<?x3x8x8xf32>
// CHECK: %[[EMPTY:.+]] = tensor.empty(%[[DIM]]) : tensor<?x4x4x4xf32>
// CHECK: %[[ACC:.+]] = linalg.generic {{.*}} ins(%[[B]] : tensor<4xf32>) outs(%[[EMPTY]]
// CHECK: linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[PAD]], %[[W]] : {{.*}}) outs(%[[ACC]] : tensor<?x4x4x4xf32>)
func.func @conv_bias(%x: tensor<?x3x8x8xf32>, %w: tensor<4x3x3x3xf32>, %b: tensor<4xf32>) -> tensor<?x4x4x4xf32> {
  %0 = infer.conv2d %x, %w, %b {strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>} : (tensor<?x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<?x4x4x4xf32>
  return %0 : tensor<?x4x4x4xf32>
}

// -----

// CHECK-LABEL: func.func @conv_depthwise
// CHECK: %[[K:.+]] = tensor.collapse_shape %{{.+}} {{\[}}[0, 1], [2], [3]] : tensor<8x1x3x3xf32> into tensor<8x3x3xf32>
// CHECK: linalg.depthwise_conv_2d_nchw_chw {{.*}} ins(%{{.+}}, %[[K]] :
func.func @conv_depthwise(%x: tensor<1x8x6x6xf32>, %w: tensor<8x1x3x3xf32>) -> tensor<1x8x4x4xf32> {
  %0 = infer.conv2d %x, %w {group = 8 : i64} : (tensor<1x8x6x6xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x4x4xf32>
  return %0 : tensor<1x8x4x4xf32>
}

// -----

// CHECK-LABEL: func.func @conv_grouped
// CHECK: tensor.expand_shape {{.*}} into tensor<1x2x3x5x5xf32>
// CHECK: tensor.expand_shape {{.*}} into tensor<2x2x3x3x3xf32>
// CHECK: %[[G:.+]] = linalg.conv_2d_ngchw_gfchw
// CHECK: tensor.collapse_shape %[[G]] {{\[}}[0], [1, 2], [3], [4]] : tensor<1x2x2x3x3xf32> into tensor<1x4x3x3xf32>
func.func @conv_grouped(%x: tensor<1x6x5x5xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x3x3xf32> {
  %0 = infer.conv2d %x, %w {group = 2 : i64} : (tensor<1x6x5x5xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x3x3xf32>
  return %0 : tensor<1x4x3x3xf32>
}

// -----

// A batch of rows times a matrix folds the batch into M: one linalg.matmul.
// CHECK-LABEL: func.func @matmul_fold_batch
// CHECK: %[[FLAT:.+]] = tensor.collapse_shape %{{.+}} {{\[}}[0, 1, 2]] : tensor<?x128x64xf32> into tensor<?xf32>
// CHECK: %[[LHS:.+]] = tensor.expand_shape %[[FLAT]] {{\[}}[0, 1]] output_shape [%{{.+}}, 64] : tensor<?xf32> into tensor<?x64xf32>
// CHECK: %[[MM:.+]] = linalg.matmul ins(%[[LHS]], %{{.+}} : tensor<?x64xf32>, tensor<64x32xf32>)
// CHECK: tensor.expand_shape {{.*}} into tensor<?x128x32xf32>
func.func @matmul_fold_batch(%a: tensor<?x128x64xf32>, %b: tensor<64x32xf32>) -> tensor<?x128x32xf32> {
  %0 = infer.matmul %a, %b : (tensor<?x128x64xf32>, tensor<64x32xf32>) -> tensor<?x128x32xf32>
  return %0 : tensor<?x128x32xf32>
}

// -----

// Broadcast batch dimensions read index 0 of the size-1 operand dimension.
// CHECK-DAG: #[[$LHS:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, 0, d2, d4)>
// CHECK-DAG: #[[$RHS:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d1, d4, d3)>
// CHECK-DAG: #[[$OUT:.+]] = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @matmul_broadcast
// CHECK: linalg.generic {indexing_maps = [#[[$LHS]], #[[$RHS]], #[[$OUT]]], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]}
func.func @matmul_broadcast(%a: tensor<2x1x3x4xf32>, %b: tensor<5x4x6xf32>) -> tensor<2x5x3x6xf32> {
  %0 = infer.matmul %a, %b : (tensor<2x1x3x4xf32>, tensor<5x4x6xf32>) -> tensor<2x5x3x6xf32>
  return %0 : tensor<2x5x3x6xf32>
}

// -----

// CHECK-LABEL: func.func @max_pool_ceil
// CHECK: %[[NEG:.+]] = arith.constant 0xFF800000 : f32
// Ceil mode adds one trailing row and column of -inf.
// CHECK: tensor.pad %{{.+}} low[0, 0, 0, 0] high[0, 0, 1, 1]
// CHECK: tensor.yield %[[NEG]]
// CHECK: linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
func.func @max_pool_ceil(%x: tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32> {
  %0 = infer.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, ceil_mode = true} : (tensor<1x1x4x4xf32>) -> tensor<1x1x2x2xf32>
  return %0 : tensor<1x1x2x2xf32>
}

// -----

// The divisors of an average pool without count_include_pad are constants.
// CHECK-LABEL: func.func @avg_pool_divisors
// CHECK: linalg.pooling_nchw_sum
// CHECK: arith.constant dense<{{\[}}[1.000000e+00, 2.000000e+00, 2.000000e+00], [2.000000e+00, 4.000000e+00, 4.000000e+00], [2.000000e+00, 4.000000e+00, 4.000000e+00]]> : tensor<3x3xf32>
// CHECK: arith.divf
func.func @avg_pool_divisors(%x: tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32> {
  %0 = infer.avg_pool %x {kernel_shape = array<i64: 2, 2>, pads = array<i64: 1, 1, 0, 0>} : (tensor<1x1x3x3xf32>) -> tensor<1x1x3x3xf32>
  return %0 : tensor<1x1x3x3xf32>
}

// -----

// CHECK-LABEL: func.func @gemm_epilogue
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "reduction"]
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: %[[EPI:.+]] = linalg.generic
// CHECK: arith.constant 5.000000e-01
// CHECK: arith.constant 2.000000e+00
func.func @gemm_epilogue(%a: tensor<6x3xf32>, %b: tensor<5x6xf32>, %c: tensor<5xf32>) -> tensor<3x5xf32> {
  %0 = infer.gemm %a, %b, %c {alpha = 0.5 : f32, beta = 2.0 : f32, trans_a = true, trans_b = true} : (tensor<6x3xf32>, tensor<5x6xf32>, tensor<5xf32>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}
