// RUN: infer-opt %s --split-input-file --infer-fuse --mlir-print-debuginfo | FileCheck %s
// RUN: infer-opt %s --split-input-file --infer-fuse=fold-batch-norm=false | FileCheck %s --check-prefix=OFF

// infer-fuse folds a batch_norm after a conv2d with constant weights and
// statistics into the convolution at compile time: with
// s = scale / sqrt(var + eps), W'[f] = W[f] * s[f] and
// b'[f] = (b[f] - mean[f]) * s[f] + shift[f].
// With fold-batch-norm=false nothing changes.
// OFF-COUNT-6: infer.batch_norm
// OFF-NOT: infer.batch_norm

// Two filters of one 1x1 weight each. eps = 1 and var = [3, 0] give
// s = [1, 2] / sqrt([4, 1]) = [0.5, 2]: W' = [2 * 0.5, 3 * 2] = [1, 6],
// b' = [(1 - 1) * 0.5 + 0.5, (-1 - 0) * 2 + 0] = [0.5, -2]. The folded
// convolution keeps both locations; the normalization and the old
// constants are gone.
// CHECK-LABEL: func.func @fold
// CHECK-SAME: (%[[X:[a-z0-9]+]]: tensor<1x1x2x2xf32>
// CHECK-DAG: %[[W:.+]] = infer.constant dense<{{\[\[\[\[}}1.000000e+00]]], {{\[\[\[}}6.000000e+00]]]]> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B:.+]] = infer.constant dense<[5.000000e-01, -2.000000e+00]> : tensor<2xf32>
// CHECK: %[[C:.+]] = infer.conv2d %[[X]], %[[W]], %[[B]] : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32> loc(#[[LOC:.+]])
// CHECK-NEXT: return %[[C]]
// CHECK-NOT: infer.batch_norm
// CHECK: #[[CONV:.+]] = loc("conv")
// CHECK: #[[BN:.+]] = loc("bn")
// CHECK: #[[LOC]] = loc(fused[#[[CONV]], #[[BN]]])
func.func @fold(%x: tensor<1x1x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %w = infer.constant dense<[[[[2.0]]], [[[3.0]]]]> : tensor<2x1x1x1xf32>
  %b = infer.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %scale = infer.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %shift = infer.constant dense<[0.5, 0.0]> : tensor<2xf32>
  %mean = infer.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %var = infer.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %0 = infer.conv2d %x, %w, %b : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32> loc("conv")
  %1 = infer.batch_norm %0, %scale, %shift, %mean, %var {epsilon = 1.0 : f32} : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32> loc("bn")
  return %1 : tensor<1x2x2x2xf32>
}

// -----

// Without a bias the convolution gets one: b' = -mean * s + shift. A
// depthwise (grouped) NHWC convolution with its NHWC normalization keeps
// its attributes; each filter (3x3, one channel) is scaled by its channel's
// s = [2, 0.5]: 1 -> 2, 1 -> 0.5; b' = [-1 * 2 + 1, -4 * 0.5 + 0] = [-1, -2].
// CHECK-LABEL: func.func @depthwise_nhwc_no_bias
// CHECK-DAG: %[[W:.+]] = infer.constant dense<{{\[\[\[\[}}2.000000e+00, 2.000000e+00, 2.000000e+00], [2.000000e+00, 2.000000e+00, 2.000000e+00], [2.000000e+00, 2.000000e+00, 2.000000e+00]]], {{\[\[\[}}5.000000e-01, 5.000000e-01, 5.000000e-01], [5.000000e-01, 5.000000e-01, 5.000000e-01], [5.000000e-01, 5.000000e-01, 5.000000e-01]]]]> : tensor<2x1x3x3xf32>
// CHECK-DAG: %[[B:.+]] = infer.constant dense<[-1.000000e+00, -2.000000e+00]> : tensor<2xf32>
// CHECK: infer.conv2d %{{.+}}, %[[W]], %[[B]] {group = 2 : i64, layout = #infer<layout nhwc>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x5x5x2xf32>, tensor<2x1x3x3xf32>, tensor<2xf32>) -> tensor<1x3x3x2xf32>
// CHECK-NOT: infer.batch_norm
func.func @depthwise_nhwc_no_bias(%x: tensor<1x5x5x2xf32>) -> tensor<1x3x3x2xf32> {
  %w = infer.constant dense<1.0> : tensor<2x1x3x3xf32>
  %scale = infer.constant dense<[4.0, 1.0]> : tensor<2xf32>
  %shift = infer.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %mean = infer.constant dense<[1.0, 4.0]> : tensor<2xf32>
  %var = infer.constant dense<[3.5, 3.5]> : tensor<2xf32>
  %0 = infer.conv2d %x, %w {group = 2 : i64, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, layout = #infer<layout nhwc>} : (tensor<1x5x5x2xf32>, tensor<2x1x3x3xf32>) -> tensor<1x3x3x2xf32>
  %1 = infer.batch_norm %0, %scale, %shift, %mean, %var {epsilon = 0.5 : f32, layout = #infer<layout nhwc>} : (tensor<1x3x3x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x3x3x2xf32>
  return %1 : tensor<1x3x3x2xf32>
}

// -----

// Folded weights of more than 64 elements are a resource blob: 2x4x3x3 ones
// scaled by s = 2 are all 2.0 (0x40000000, little-endian), after the
// blob's 4-byte alignment header.
// CHECK-LABEL: func.func @large_weight
// CHECK: %[[W:.+]] = infer.constant dense_resource<[[KEY:folded_weight[a-z0-9_]*]]> : tensor<2x4x3x3xf32>
// CHECK: infer.conv2d %{{.+}}, %[[W]], %{{.+}} {pads = array<i64: 1, 1, 1, 1>}
// CHECK-NOT: infer.batch_norm
// CHECK: [[KEY]]: "0x{{[0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F]}}00000040000000400000004000000040
func.func @large_weight(%x: tensor<1x4x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %w = infer.constant dense<1.0> : tensor<2x4x3x3xf32>
  %scale = infer.constant dense<2.0> : tensor<2xf32>
  %zero = infer.constant dense<0.0> : tensor<2xf32>
  %var = infer.constant dense<0.75> : tensor<2xf32>
  %0 = infer.conv2d %x, %w {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x4x3x3xf32>, tensor<2x4x3x3xf32>) -> tensor<1x2x3x3xf32>
  %1 = infer.batch_norm %0, %scale, %zero, %zero, %var {epsilon = 0.25 : f32} : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  return %1 : tensor<1x2x3x3xf32>
}

// -----

// Not folded: the convolution's result is used elsewhere too; statistics
// computed at run time; a convolution and a normalization of different
// layouts (an NCHW result read as NHWC).
// CHECK-LABEL: func.func @shared_conv
// CHECK: infer.conv2d
// CHECK: infer.batch_norm
// CHECK-LABEL: func.func @runtime_statistics
// CHECK: infer.conv2d
// CHECK: infer.batch_norm
// CHECK-LABEL: func.func @layouts_differ
// CHECK: infer.conv2d
// CHECK: infer.batch_norm
func.func @shared_conv(%x: tensor<1x1x2x2xf32>) -> (tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>) {
  %w = infer.constant dense<1.0> : tensor<2x1x1x1xf32>
  %c = infer.constant dense<1.0> : tensor<2xf32>
  %0 = infer.conv2d %x, %w : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x2x2xf32>
  %1 = infer.batch_norm %0, %c, %c, %c, %c : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %0, %1 : tensor<1x2x2x2xf32>, tensor<1x2x2x2xf32>
}

func.func @runtime_statistics(%x: tensor<1x1x2x2xf32>, %mean: tensor<2xf32>) -> tensor<1x2x2x2xf32> {
  %w = infer.constant dense<1.0> : tensor<2x1x1x1xf32>
  %c = infer.constant dense<1.0> : tensor<2xf32>
  %0 = infer.conv2d %x, %w : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x2x2xf32>
  %1 = infer.batch_norm %0, %c, %c, %mean, %c : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %1 : tensor<1x2x2x2xf32>
}

func.func @layouts_differ(%x: tensor<1x1x2x2xf32>) -> tensor<1x2x2x2xf32> {
  %w = infer.constant dense<1.0> : tensor<2x1x1x1xf32>
  %c = infer.constant dense<1.0> : tensor<2xf32>
  %0 = infer.conv2d %x, %w : (tensor<1x1x2x2xf32>, tensor<2x1x1x1xf32>) -> tensor<1x2x2x2xf32>
  %1 = infer.batch_norm %0, %c, %c, %c, %c {layout = #infer<layout nhwc>} : (tensor<1x2x2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x2x2xf32>
  return %1 : tensor<1x2x2x2xf32>
}
