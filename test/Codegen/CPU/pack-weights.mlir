// RUN: infer-opt %s --split-input-file --infer-cpu-pack-weights="target-cpu=skylake-avx512" --canonicalize | FileCheck %s
// RUN: infer-opt %s --split-input-file --infer-cpu-pack-weights="target-cpu=haswell" --canonicalize | FileCheck %s --check-prefix=AVX2

// A constant right-hand side is packed at compile time into panels of two
// vectors of columns (32 f32 with AVX-512, 16 with AVX2), contiguous along K;
// the product reads the packed constant, the output through a free reshape.

// CHECK-DAG: #[[$A:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d3)>
// CHECK-DAG: #[[$B:.+]] = affine_map<(d0, d1, d2, d3) -> (d1, d3, d2)>
// CHECK-DAG: #[[$C:.+]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @matmul_constant_rhs
// CHECK-SAME: (%[[X:.+]]: tensor<4x2xf32>)
// Panel 0, row k: the K=2 rows of B, padded with zeros to 32 columns.
// CHECK: %[[W:.+]] = arith.constant dense<{{\[\[\[}}1.000000e+00, 3.000000e+00, 5.000000e+00, 0.000000e+00{{.*}}], [2.000000e+00, 4.000000e+00, 6.000000e+00, 0.000000e+00{{.*}}]]]> : tensor<1x2x32xf32>
// CHECK: %[[INIT:.+]] = linalg.fill {{.*}} -> tensor<4x1x32xf32>
// CHECK: %[[P:.+]] = linalg.generic {indexing_maps = [#[[$A]], #[[$B]], #[[$C]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
// CHECK-SAME: ins(%[[X]], %[[W]] : tensor<4x2xf32>, tensor<1x2x32xf32>) outs(%[[INIT]] : tensor<4x1x32xf32>)
// CHECK: %[[FLAT:.+]] = tensor.collapse_shape %[[P]] {{\[\[}}0], [1, 2]] : tensor<4x1x32xf32> into tensor<4x32xf32>
// The three real columns of the padded panel.
// CHECK: tensor.extract_slice %[[FLAT]][0, 0] [4, 3] [1, 1] : tensor<4x32xf32> to tensor<4x3xf32>
// AVX2-LABEL: func.func @matmul_constant_rhs
// AVX2: arith.constant dense<{{.*}}> : tensor<1x2x16xf32>
func.func @matmul_constant_rhs(%x: tensor<4x2xf32>) -> tensor<4x3xf32> {
  %w = arith.constant dense<[[1.0, 3.0, 5.0], [2.0, 4.0, 6.0]]> : tensor<2x3xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x3xf32>) -> tensor<4x3xf32>
  %y = linalg.matmul ins(%x, %w : tensor<4x2xf32>, tensor<2x3xf32>) outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}

// -----

// Columns that come in single vectors (16 here) get one-vector panels
// rather than half-empty ones.
// CHECK-LABEL: func.func @sixteen_columns
// CHECK: arith.constant dense<{{.*}}> : tensor<1x4x16xf32>
// CHECK: linalg.generic
// CHECK: } -> tensor<8x1x16xf32>
// CHECK-NOT: tensor.extract_slice
func.func @sixteen_columns(%x: tensor<8x4xf32>) -> tensor<8x16xf32> {
  %w = arith.constant dense<0.5> : tensor<4x16xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x16xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<8x16xf32>) -> tensor<8x16xf32>
  %y = linalg.matmul ins(%x, %w : tensor<8x4xf32>, tensor<4x16xf32>) outs(%init : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %y : tensor<8x16xf32>
}

// -----

// B given as [N, K] (a Gemm with trans_b) packs the same way.
// CHECK-LABEL: func.func @transposed_rhs
// CHECK: %[[W:.+]] = arith.constant dense<{{\[\[\[}}1.000000e+00, 2.000000e+00, 0.000000e+00{{.*}}], [3.000000e+00, 4.000000e+00, 0.000000e+00{{.*}}]]]> : tensor<1x2x32xf32>
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[W]] : tensor<5x2xf32>, tensor<1x2x32xf32>)
func.func @transposed_rhs(%x: tensor<5x2xf32>) -> tensor<5x2xf32> {
  %w = arith.constant dense<[[1.0, 3.0], [2.0, 4.0]]> : tensor<2x2xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<5x2xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<5x2xf32>) -> tensor<5x2xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (n, k)>, affine_map<(m, n, k) -> (m, n)>], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : tensor<5x2xf32>, tensor<2x2xf32>) outs(%init : tensor<5x2xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %p = arith.mulf %a, %b : f32
    %s = arith.addf %c, %p : f32
    linalg.yield %s : f32
  } -> tensor<5x2xf32>
  return %y : tensor<5x2xf32>
}

// -----

// Operands computed at run time are left alone: packing them would cost a
// copy per call.
// CHECK-LABEL: func.func @runtime_rhs
// CHECK: linalg.matmul
// CHECK-NOT: linalg.generic
func.func @runtime_rhs(%x: tensor<4x2xf32>, %w: tensor<2x3xf32>) -> tensor<4x3xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x3xf32>) -> tensor<4x3xf32>
  %y = linalg.matmul ins(%x, %w : tensor<4x2xf32>, tensor<2x3xf32>) outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}

// -----

// A 1x1 convolution is a product of the pixels by the filter; with a stride,
// every other pixel is taken first.
// CHECK-LABEL: func.func @pointwise_conv
// CHECK: %[[PIX:.+]] = tensor.extract_slice %{{.*}}[0, 0, 0, 0] [1, 2, 2, 8] [1, 2, 2, 1] : tensor<1x4x4x8xf32> to tensor<1x2x2x8xf32>
// CHECK: %[[ROWS:.+]] = tensor.collapse_shape %[[PIX]] {{\[\[}}0, 1, 2], [3]] : tensor<1x2x2x8xf32> into tensor<4x8xf32>
// CHECK: linalg.generic {{.*}} ins(%[[ROWS]], %{{.*}} : tensor<4x8xf32>, tensor<1x8x32xf32>)
// CHECK-NOT: linalg.conv_2d
func.func @pointwise_conv(%x: tensor<1x4x4x8xf32>) -> tensor<1x2x2x32xf32> {
  %w = arith.constant dense<0.25> : tensor<1x1x8x32xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x2x32xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x2x32xf32>) -> tensor<1x2x2x32xf32>
  %y = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %w : tensor<1x4x4x8xf32>, tensor<1x1x8x32xf32>) outs(%init : tensor<1x2x2x32xf32>) -> tensor<1x2x2x32xf32>
  return %y : tensor<1x2x2x32xf32>
}

// -----

// A transposed constant (the HWCF filter of an NHWC convolution) is folded.
// CHECK-LABEL: func.func @transposed_constant
// CHECK: %[[T:.+]] = arith.constant dense<{{\[\[}}1.000000e+00, 3.000000e+00], [2.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
// CHECK-NOT: linalg.transpose
// CHECK: return %[[T]]
func.func @transposed_constant() -> tensor<2x2xf32> {
  %w = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %e = tensor.empty() : tensor<2x2xf32>
  %t = linalg.transpose ins(%w : tensor<2x2xf32>) outs(%e : tensor<2x2xf32>) permutation = [1, 0]
  return %t : tensor<2x2xf32>
}

// -----

// A filter count no vector tile divides (258, an STFT as a convolution)
// would leave the direct convolution as scalar loops: it becomes an im2col
// matrix times the packed filter, its panels padded to whole vectors.
// CHECK-LABEL: func.func @untileable_filters
// CHECK: %[[PACKED:.+]] = arith.constant dense_resource<{{.+}}> : tensor<9x256x32xf32>
// CHECK: %[[COL:.+]] = tensor.collapse_shape %{{.+}} {{\[}}[0, 1, 2], [3, 4, 5]] : tensor<1x1x4x1x256x1xf32> into tensor<4x256xf32>
// CHECK: linalg.generic {{.*}} ins(%[[COL]], %[[PACKED]] : tensor<4x256xf32>, tensor<9x256x32xf32>)
// CHECK: tensor.extract_slice %{{.+}}[0, 0] [4, 258] [1, 1] : tensor<4x288xf32> to tensor<4x258xf32>
func.func @untileable_filters(%x: tensor<1x1x640x1xf32>) -> tensor<1x1x4x258xf32> {
  %w = arith.constant dense<0.5> : tensor<1x256x1x258xf32>
  %z = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x1x4x258xf32>
  %init = linalg.fill ins(%z : f32) outs(%e : tensor<1x1x4x258xf32>) -> tensor<1x1x4x258xf32>
  %0 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<[1, 128]> : tensor<2xi64>} ins(%x, %w : tensor<1x1x640x1xf32>, tensor<1x256x1x258xf32>) outs(%init : tensor<1x1x4x258xf32>) -> tensor<1x1x4x258xf32>
  return %0 : tensor<1x1x4x258xf32>
}

// -----

// A layout attribute in the input is not the database's: it is dropped and
// the model's layout applies (a panel of -3 columns would mean nothing).
// CHECK-LABEL: func.func @layout_attribute_in_the_input
// CHECK: arith.constant dense<{{.*}}> : tensor<1x2x32xf32>
// CHECK-NOT: infer.layout
func.func @layout_attribute_in_the_input(%x: tensor<4x2xf32>) -> tensor<4x3xf32> {
  %w = arith.constant dense<[[1.0, 3.0, 5.0], [2.0, 4.0, 6.0]]> : tensor<2x3xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x3xf32>) -> tensor<4x3xf32>
  %y = linalg.matmul {infer.layout = {im2col = true, panel = -3 : i64}} ins(%x, %w : tensor<4x2xf32>, tensor<2x3xf32>) outs(%init : tensor<4x3xf32>) -> tensor<4x3xf32>
  return %y : tensor<4x3xf32>
}
