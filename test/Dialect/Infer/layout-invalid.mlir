// RUN: infer-opt %s -split-input-file -verify-diagnostics

// Verifier messages of the NHWC layout (#infer<layout nhwc>, which
// infer-convert-layout gives convolutions, pools and batch normalizations):
// shapes are read channels-last, and the messages say so. test/Dialect/Infer/
// invalid.mlir has the NCHW forms.

func.func @conv_nhwc_rank(%x: tensor<1x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x6x6x4xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'infer.conv2d' op expects a 4-D input (N x H x W x C) and a 4-D weight (F x C/group x KH x KW)}}
  %0 = infer.conv2d %x, %w {layout = #infer<layout nhwc>} : (tensor<1x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x6x6x4xf32>
  return %0 : tensor<1x6x6x4xf32>
}

// -----

// NHWC input channels are the last dimension (8 here), not dimension 1 (3,
// which would match the weight).
func.func @conv_nhwc_channels(%x: tensor<1x3x5x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x1x3x4xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{input channels (8) must equal weight channels (3) times group (1)}}
  %0 = infer.conv2d %x, %w {layout = #infer<layout nhwc>} : (tensor<1x3x5x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x1x3x4xf32>
  return %0 : tensor<1x1x3x4xf32>
}

// -----

// The result of an NHWC convolution is N x OH x OW x F; the NCHW shape is
// refused.
func.func @conv_nhwc_result(%x: tensor<1x8x8x3xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{inferred type(s) 'tensor<1x6x6x4xf32>' are incompatible with return type(s) of operation 'tensor<1x4x6x6xf32>'}}
  %0 = infer.conv2d %x, %w {layout = #infer<layout nhwc>} : (tensor<1x8x8x3xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x6x6xf32>
  return %0 : tensor<1x4x6x6xf32>
}

// -----

func.func @max_pool_nhwc_rank(%x: tensor<8x8x3xf32>) -> tensor<4x4x3xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'infer.max_pool' op expects a 4-D input (N x H x W x C)}}
  %0 = infer.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, layout = #infer<layout nhwc>} : (tensor<8x8x3xf32>) -> tensor<4x4x3xf32>
  return %0 : tensor<4x4x3xf32>
}

// -----

func.func @avg_pool_nhwc_rank(%x: tensor<8x8x3xf32>) -> tensor<4x4x3xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'infer.avg_pool' op expects a 4-D input (N x H x W x C)}}
  %0 = infer.avg_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, layout = #infer<layout nhwc>} : (tensor<8x8x3xf32>) -> tensor<4x4x3xf32>
  return %0 : tensor<4x4x3xf32>
}

// -----

// Pooling windows slide over H and W, dimensions 1 and 2 in NHWC: a window
// of 9 does not fit 8 rows (in NCHW, dimension 2 would be 9 wide).
func.func @pool_nhwc_window(%x: tensor<1x8x9x9xf32>) -> tensor<1x1x1x9xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{window of extent 9 does not fit the padded input of size 8}}
  %0 = infer.max_pool %x {kernel_shape = array<i64: 9, 9>, layout = #infer<layout nhwc>} : (tensor<1x8x9x9xf32>) -> tensor<1x1x1x9xf32>
  return %0 : tensor<1x1x1x9xf32>
}

// -----

// An NHWC global average pool is 4-D only (NCHW takes rank 3 and more).
func.func @global_avg_pool_nhwc_rank(%x: tensor<1x5x7x3x2xf32>) -> tensor<1x1x1x1x2xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{'infer.global_avg_pool' op expects a 4-D input (N x H x W x C) in NHWC layout}}
  %0 = infer.global_avg_pool %x {layout = #infer<layout nhwc>} : (tensor<1x5x7x3x2xf32>) -> tensor<1x1x1x1x2xf32>
  return %0 : tensor<1x1x1x1x2xf32>
}

// -----

func.func @global_avg_pool_nhwc_result(%x: tensor<1x5x7x3xf32>) -> tensor<1x3x1x1xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{inferred type(s) 'tensor<1x1x1x3xf32>' are incompatible with return type(s) of operation 'tensor<1x3x1x1xf32>'}}
  %0 = infer.global_avg_pool %x {layout = #infer<layout nhwc>} : (tensor<1x5x7x3xf32>) -> tensor<1x3x1x1xf32>
  return %0 : tensor<1x3x1x1xf32>
}

// -----

// NHWC batch normalization: one statistic per channel of the last dimension
// (4), not of dimension 1 (8).
func.func @batch_norm_nhwc_channels(%x: tensor<1x8x2x4xf32>, %c: tensor<8xf32>) -> tensor<1x8x2x4xf32> {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{scale, bias, mean and variance must be 1-D with one element per channel}}
  %0 = infer.batch_norm %x, %c, %c, %c, %c {layout = #infer<layout nhwc>} : (tensor<1x8x2x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x2x4xf32>
  return %0 : tensor<1x8x2x4xf32>
}

// -----

func.func @unknown_layout(%x: tensor<1x3x8x8xf32>) -> tensor<1x3x4x4xf32> {
  // expected-error @+2 {{expected ::mlir::infer::Layout to be one of: nchw, nhwc}}
  // expected-error @+1 {{failed to parse Infer_LayoutAttr parameter 'value'}}
  %0 = infer.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, layout = #infer<layout nwhc>} : (tensor<1x3x8x8xf32>) -> tensor<1x3x4x4xf32>
  return %0 : tensor<1x3x4x4xf32>
}

// -----

func.func @layout_not_an_enum(%x: tensor<1x3x8x8xf32>) -> tensor<1x3x4x4xf32> {
  // expected-error @+1 {{attribute 'layout' failed to satisfy constraint: NCHW (ONNX's) or NHWC (channels last, for CPU kernels)}}
  %0 = infer.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, layout = 1 : i32} : (tensor<1x3x8x8xf32>) -> tensor<1x3x4x4xf32>
  return %0 : tensor<1x3x4x4xf32>
}
