// RUN: infer-opt %s --split-input-file --infer-convert-layout | FileCheck %s

// infer-convert-layout gives every 4-D conv2d, max_pool, avg_pool,
// global_avg_pool and batch_norm the NHWC layout between two transposes, then
// moves the transposes towards the outputs through elementwise ops, concats
// and pads, where a transpose back meets the next transpose in and both
// cancel. A transpose stays in front of an op that does not commute with it.

// A CNN block (conv, relu, conv, residual add, scaling by a per-channel
// constant, max pool): one transpose at the input, one at the output, every
// op in between NHWC. The [C, 1, 1] constant is brought to full rank and
// transposed at compile time: [1, 1, 1, C], same values.
// CHECK-LABEL: func.func @chain
// CHECK-SAME: (%[[X:.+]]: tensor<1x3x8x8xf32>) -> tensor<1x8x4x4xf32>
// CHECK-DAG: %[[SCALE:.+]] = infer.constant dense<{{\[\[\[\[}}1.000000e+00, 2.000000e+00, 3.000000e+00, 4.000000e+00, 5.000000e+00, 6.000000e+00, 7.000000e+00, 8.000000e+00]]]]> : tensor<1x1x1x8xf32>
// CHECK-DAG: %[[W1:.+]] = infer.constant dense<5.000000e-01> : tensor<8x3x3x3xf32>
// CHECK-DAG: %[[B1:.+]] = infer.constant dense<[1.000000e+00, {{.*}}]> : tensor<8xf32>
// CHECK-DAG: %[[W2:.+]] = infer.constant dense<2.500000e-01> : tensor<8x8x3x3xf32>
// CHECK: %[[IN:.+]] = infer.transpose %[[X]] {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x3x8x8xf32>) -> tensor<1x8x8x3xf32>
// CHECK-NEXT: %[[C1:.+]] = infer.conv2d %[[IN]], %[[W1]], %[[B1]] {layout = #infer<layout nhwc>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x8x8x3xf32>, tensor<8x3x3x3xf32>, tensor<8xf32>) -> tensor<1x8x8x8xf32>
// CHECK-NEXT: %[[R:.+]] = infer.relu %[[C1]] : tensor<1x8x8x8xf32>
// CHECK-NEXT: %[[C2:.+]] = infer.conv2d %[[R]], %[[W2]] {layout = #infer<layout nhwc>, pads = array<i64: 1, 1, 1, 1>} : (tensor<1x8x8x8xf32>, tensor<8x8x3x3xf32>) -> tensor<1x8x8x8xf32>
// CHECK-NEXT: %[[ADD:.+]] = infer.add %[[R]], %[[C2]] : (tensor<1x8x8x8xf32>, tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
// CHECK-NEXT: %[[MUL:.+]] = infer.mul %[[ADD]], %[[SCALE]] : (tensor<1x8x8x8xf32>, tensor<1x1x1x8xf32>) -> tensor<1x8x8x8xf32>
// CHECK-NEXT: %[[POOL:.+]] = infer.max_pool %[[MUL]] {kernel_shape = array<i64: 2, 2>, layout = #infer<layout nhwc>, strides = array<i64: 2, 2>} : (tensor<1x8x8x8xf32>) -> tensor<1x4x4x8xf32>
// CHECK-NEXT: %[[OUT:.+]] = infer.transpose %[[POOL]] {perm = array<i64: 0, 3, 1, 2>} : (tensor<1x4x4x8xf32>) -> tensor<1x8x4x4xf32>
// CHECK-NEXT: return %[[OUT]] : tensor<1x8x4x4xf32>
func.func @chain(%x: tensor<1x3x8x8xf32>) -> tensor<1x8x4x4xf32> {
  %w1 = infer.constant dense<0.5> : tensor<8x3x3x3xf32>
  %b1 = infer.constant dense<[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]> : tensor<8xf32>
  %w2 = infer.constant dense<0.25> : tensor<8x8x3x3xf32>
  %s = infer.constant dense<[[[1.0]], [[2.0]], [[3.0]], [[4.0]], [[5.0]], [[6.0]], [[7.0]], [[8.0]]]> : tensor<8x1x1xf32>
  %0 = infer.conv2d %x, %w1, %b1 {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x3x8x8xf32>, tensor<8x3x3x3xf32>, tensor<8xf32>) -> tensor<1x8x8x8xf32>
  %1 = infer.relu %0 : tensor<1x8x8x8xf32>
  %2 = infer.conv2d %1, %w2 {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x8x8x8xf32>, tensor<8x8x3x3xf32>) -> tensor<1x8x8x8xf32>
  %3 = infer.add %1, %2 : (tensor<1x8x8x8xf32>, tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  %4 = infer.mul %3, %s : (tensor<1x8x8x8xf32>, tensor<8x1x1xf32>) -> tensor<1x8x8x8xf32>
  %5 = infer.max_pool %4 {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x8x8x8xf32>) -> tensor<1x8x4x4xf32>
  return %5 : tensor<1x8x4x4xf32>
}

// -----

// A concatenation over channels (NCHW axis 1) becomes one over NHWC axis 3;
// the pads of a following pad are permuted (NCHW begin W = 2 is NHWC begin
// W, position 2). One transpose back at the end.
// CHECK-LABEL: func.func @concat_pad
// CHECK-SAME: (%[[X:.+]]: tensor<1x3x6x6xf32>)
// CHECK: %[[A:.+]] = infer.conv2d {{.*}}layout = #infer<layout nhwc>{{.*}} -> tensor<1x6x6x4xf32>
// CHECK: %[[B:.+]] = infer.conv2d {{.*}}layout = #infer<layout nhwc>{{.*}} -> tensor<1x6x6x8xf32>
// CHECK-NEXT: %[[CAT:.+]] = infer.concat %[[A]], %[[B]] {axis = 3 : i64} : (tensor<1x6x6x4xf32>, tensor<1x6x6x8xf32>) -> tensor<1x6x6x12xf32>
// CHECK-NEXT: %[[PAD:.+]] = infer.pad %[[CAT]] {pads = array<i64: 0, 0, 2, 0, 0, 0, 0, 0>} : (tensor<1x6x6x12xf32>) -> tensor<1x6x8x12xf32>
// CHECK-NEXT: %[[OUT:.+]] = infer.transpose %[[PAD]] {perm = array<i64: 0, 3, 1, 2>} : (tensor<1x6x8x12xf32>) -> tensor<1x12x6x8xf32>
// CHECK-NEXT: return %[[OUT]]
// CHECK-NOT: infer.transpose
func.func @concat_pad(%x: tensor<1x3x6x6xf32>) -> tensor<1x12x6x8xf32> {
  %w1 = infer.constant dense<0.5> : tensor<4x3x1x1xf32>
  %w2 = infer.constant dense<0.25> : tensor<8x3x3x3xf32>
  %0 = infer.conv2d %x, %w1 : (tensor<1x3x6x6xf32>, tensor<4x3x1x1xf32>) -> tensor<1x4x6x6xf32>
  %1 = infer.conv2d %x, %w2 {pads = array<i64: 1, 1, 1, 1>} : (tensor<1x3x6x6xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x6x6xf32>
  %2 = infer.concat %0, %1 {axis = 1 : i64} : (tensor<1x4x6x6xf32>, tensor<1x8x6x6xf32>) -> tensor<1x12x6x6xf32>
  %3 = infer.pad %2 {pads = array<i64: 0, 0, 0, 2, 0, 0, 0, 0>} : (tensor<1x12x6x6xf32>) -> tensor<1x12x6x8xf32>
  return %3 : tensor<1x12x6x8xf32>
}

// -----

// A softmax over the channels does not commute with the transpose: the
// transpose back stays in front of it (after the sigmoid, which it passed).
// CHECK-LABEL: func.func @softmax_stops
// CHECK: %[[C:.+]] = infer.conv2d {{.*}} -> tensor<1x5x5x4xf32>
// CHECK-NEXT: %[[S:.+]] = infer.sigmoid %[[C]] : tensor<1x5x5x4xf32>
// CHECK-NEXT: %[[T:.+]] = infer.transpose %[[S]] {perm = array<i64: 0, 3, 1, 2>} : (tensor<1x5x5x4xf32>) -> tensor<1x4x5x5xf32>
// CHECK-NEXT: %[[SM:.+]] = infer.softmax %[[T]] {axis = 1 : i64} : tensor<1x4x5x5xf32>
// CHECK-NEXT: return %[[SM]]
func.func @softmax_stops(%x: tensor<1x3x5x5xf32>) -> tensor<1x4x5x5xf32> {
  %w = infer.constant dense<0.5> : tensor<4x3x1x1xf32>
  %0 = infer.conv2d %x, %w : (tensor<1x3x5x5xf32>, tensor<4x3x1x1xf32>) -> tensor<1x4x5x5xf32>
  %1 = infer.sigmoid %0 : tensor<1x4x5x5xf32>
  %2 = infer.softmax %1 {axis = 1 : i64} : tensor<1x4x5x5xf32>
  return %2 : tensor<1x4x5x5xf32>
}

// -----

// An add with an NCHW operand computed at run time: moving the transpose
// would cost one on that operand, so the transpose back stays before the add.
// CHECK-LABEL: func.func @runtime_operand
// CHECK-SAME: (%[[X:.+]]: tensor<1x3x5x5xf32>, %[[Y:.+]]: tensor<1x4x5x5xf32>)
// CHECK: %[[T:.+]] = infer.transpose %{{.+}} {perm = array<i64: 0, 3, 1, 2>} : (tensor<1x5x5x4xf32>) -> tensor<1x4x5x5xf32>
// CHECK-NEXT: %[[ADD:.+]] = infer.add %[[T]], %[[Y]] : (tensor<1x4x5x5xf32>, tensor<1x4x5x5xf32>) -> tensor<1x4x5x5xf32>
// CHECK-NEXT: return %[[ADD]]
func.func @runtime_operand(%x: tensor<1x3x5x5xf32>, %y: tensor<1x4x5x5xf32>) -> tensor<1x4x5x5xf32> {
  %w = infer.constant dense<0.5> : tensor<4x3x1x1xf32>
  %0 = infer.conv2d %x, %w : (tensor<1x3x5x5xf32>, tensor<4x3x1x1xf32>) -> tensor<1x4x5x5xf32>
  %1 = infer.add %0, %y : (tensor<1x4x5x5xf32>, tensor<1x4x5x5xf32>) -> tensor<1x4x5x5xf32>
  return %1 : tensor<1x4x5x5xf32>
}

// -----

// conv, batch_norm and global_avg_pool all NHWC; the pooled [N, 1, 1, C] back
// to NCHW [N, C, 1, 1] moves no data: a reshape, not a transpose, feeds the
// flatten and the classifier.
// CHECK-LABEL: func.func @classifier
// CHECK: %[[C:.+]] = infer.conv2d {{.*}}layout = #infer<layout nhwc>{{.*}} -> tensor<2x3x3x4xf32>
// CHECK-NEXT: %[[BN:.+]] = infer.batch_norm %[[C]], {{.*}}layout = #infer<layout nhwc>{{.*}} -> tensor<2x3x3x4xf32>
// CHECK-NEXT: %[[GAP:.+]] = infer.global_avg_pool %[[BN]] {layout = #infer<layout nhwc>} : (tensor<2x3x3x4xf32>) -> tensor<2x1x1x4xf32>
// CHECK-NEXT: %[[R:.+]] = infer.reshape %[[GAP]] {shape = array<i64: 2, 4, 1, 1>} : (tensor<2x1x1x4xf32>) -> tensor<2x4x1x1xf32>
// CHECK-NEXT: infer.flatten %[[R]]
// CHECK-NOT: infer.transpose
// CHECK: infer.gemm
func.func @classifier(%x: tensor<2x3x5x5xf32>) -> tensor<2x10xf32> {
  %w = infer.constant dense<0.5> : tensor<4x3x3x3xf32>
  %c = infer.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %fc = infer.constant dense<0.1> : tensor<10x4xf32>
  %0 = infer.conv2d %x, %w : (tensor<2x3x5x5xf32>, tensor<4x3x3x3xf32>) -> tensor<2x4x3x3xf32>
  %1 = infer.batch_norm %0, %c, %c, %c, %c {epsilon = 1.0e-3 : f32} : (tensor<2x4x3x3xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<2x4x3x3xf32>
  %2 = infer.global_avg_pool %1 : (tensor<2x4x3x3xf32>) -> tensor<2x4x1x1xf32>
  %3 = infer.flatten %2 {axis = 1 : i64} : (tensor<2x4x1x1xf32>) -> tensor<2x4xf32>
  %4 = infer.gemm %3, %fc {trans_b = true} : (tensor<2x4xf32>, tensor<10x4xf32>) -> tensor<2x10xf32>
  return %4 : tensor<2x10xf32>
}

// -----

// A single-element operand needs no transpose.
// CHECK-LABEL: func.func @scalar_operand
// CHECK: %[[ONE:.+]] = infer.constant dense<1.000000e+00> : tensor<1xf32>
// CHECK: %[[P:.+]] = infer.avg_pool {{.*}}layout = #infer<layout nhwc>{{.*}} -> tensor<1x3x3x2xf32>
// CHECK-NEXT: %[[S:.+]] = infer.sub %[[P]], %[[ONE]] : (tensor<1x3x3x2xf32>, tensor<1xf32>) -> tensor<1x3x3x2xf32>
// CHECK-NEXT: %[[OUT:.+]] = infer.transpose %[[S]] {perm = array<i64: 0, 3, 1, 2>}
// CHECK-NEXT: return %[[OUT]]
func.func @scalar_operand(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x3x3xf32> {
  %one = infer.constant dense<1.0> : tensor<1xf32>
  %0 = infer.avg_pool %x {kernel_shape = array<i64: 2, 2>} : (tensor<1x2x4x4xf32>) -> tensor<1x2x3x3xf32>
  %1 = infer.sub %0, %one : (tensor<1x2x3x3xf32>, tensor<1xf32>) -> tensor<1x2x3x3xf32>
  return %1 : tensor<1x2x3x3xf32>
}

// -----

// An op already NHWC, and elementwise ops without a transposed operand, are
// left alone.
// CHECK-LABEL: func.func @already_nhwc
// CHECK-NOT: infer.transpose
// CHECK: infer.conv2d %{{.+}}, %{{.+}} {layout = #infer<layout nhwc>}
// CHECK-NOT: infer.transpose
// CHECK: infer.relu
// CHECK-NOT: infer.transpose
func.func @already_nhwc(%x: tensor<1x5x5x3xf32>, %w: tensor<4x3x1x1xf32>, %y: tensor<1x2x3x4xf32>) -> (tensor<1x5x5x4xf32>, tensor<1x2x3x4xf32>) {
  %0 = infer.conv2d %x, %w {layout = #infer<layout nhwc>} : (tensor<1x5x5x3xf32>, tensor<4x3x1x1xf32>) -> tensor<1x5x5x4xf32>
  %1 = infer.relu %y : tensor<1x2x3x4xf32>
  return %0, %1 : tensor<1x5x5x4xf32>, tensor<1x2x3x4xf32>
}

// -----

// A channel shuffle (ShuffleNet) between two NHWC ops: the NCHW view's split
// of C, swap and merge become a split of the NHWC channels, one transpose of
// the two channel pieces and a merge; the transposes to and from NCHW fold
// away, so one copy remains instead of three.
// CHECK-LABEL: func.func @channel_shuffle
// CHECK: %[[POOL:.+]] = infer.max_pool {{.+}} -> tensor<1x4x4x6xf32>
// CHECK-NEXT: %[[SPLIT:.+]] = infer.reshape %[[POOL]] {shape = array<i64: 1, 4, 4, 2, 3>} : (tensor<1x4x4x6xf32>) -> tensor<1x4x4x2x3xf32>
// CHECK-NEXT: %[[SWAP:.+]] = infer.transpose %[[SPLIT]] {perm = array<i64: 0, 1, 2, 4, 3>} : (tensor<1x4x4x2x3xf32>) -> tensor<1x4x4x3x2xf32>
// CHECK-NEXT: %[[MERGE:.+]] = infer.reshape %[[SWAP]] {shape = array<i64: 1, 4, 4, 6>} : (tensor<1x4x4x3x2xf32>) -> tensor<1x4x4x6xf32>
// CHECK-NEXT: infer.max_pool %[[MERGE]]
// CHECK-NOT: infer.transpose {{.+}} -> tensor<1x6x4x4xf32>
func.func @channel_shuffle(%x: tensor<1x6x8x8xf32>) -> tensor<1x6x2x2xf32> {
  %0 = infer.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x6x8x8xf32>) -> tensor<1x6x4x4xf32>
  %1 = infer.reshape %0 {shape = array<i64: 1, 2, 3, 4, 4>} : (tensor<1x6x4x4xf32>) -> tensor<1x2x3x4x4xf32>
  %2 = infer.transpose %1 {perm = array<i64: 0, 2, 1, 3, 4>} : (tensor<1x2x3x4x4xf32>) -> tensor<1x3x2x4x4xf32>
  %3 = infer.reshape %2 {shape = array<i64: 1, 6, 4, 4>} : (tensor<1x3x2x4x4xf32>) -> tensor<1x6x4x4xf32>
  %4 = infer.max_pool %3 {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x6x4x4xf32>) -> tensor<1x6x2x2xf32>
  return %4 : tensor<1x6x2x2xf32>
}

// -----

// A reshape that is neither a split nor a merge keeps the transpose in front
// of it.
// CHECK-LABEL: func.func @reshape_not_split
// CHECK: infer.transpose {{.+}} -> tensor<1x6x4x4xf32>
// CHECK-NEXT: infer.reshape {{.+}} -> tensor<1x4x6x4xf32>
func.func @reshape_not_split(%x: tensor<1x6x8x8xf32>) -> tensor<1x4x6x4xf32> {
  %0 = infer.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x6x8x8xf32>) -> tensor<1x6x4x4xf32>
  %1 = infer.reshape %0 {shape = array<i64: 1, 4, 6, 4>} : (tensor<1x6x4x4xf32>) -> tensor<1x4x6x4xf32>
  return %1 : tensor<1x4x6x4xf32>
}

// -----

// A transposed convolution goes NHWC like a convolution.
// CHECK-LABEL: func.func @conv_transpose_nhwc
// CHECK: %[[IN:.+]] = infer.transpose %{{.+}} {perm = array<i64: 0, 2, 3, 1>}
// CHECK: %[[Y:.+]] = infer.conv_transpose %[[IN]], %{{.+}} {layout = #infer<layout nhwc>, strides = array<i64: 2, 2>} : (tensor<1x5x6x8xf32>, tensor<8x4x2x2xf32>) -> tensor<1x10x12x4xf32>
// CHECK: infer.transpose %[[Y]] {perm = array<i64: 0, 3, 1, 2>}
func.func @conv_transpose_nhwc(%x: tensor<1x8x5x6xf32>, %w: tensor<8x4x2x2xf32>) -> tensor<1x4x10x12xf32> {
  %0 = infer.conv_transpose %x, %w {strides = array<i64: 2, 2>} : (tensor<1x8x5x6xf32>, tensor<8x4x2x2xf32>) -> tensor<1x4x10x12xf32>
  return %0 : tensor<1x4x10x12xf32>
}
