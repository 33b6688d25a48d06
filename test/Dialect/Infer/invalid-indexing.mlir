// RUN: infer-opt %s -split-input-file -verify-diagnostics
// One case per verifier message of the comparison, selection, indexing,
// scan, resampling and transposed convolution ops.

func.func @mod_float(%x: tensor<4xf32>) {
  // expected-error @+1 {{a float remainder needs fmod = true}}
  %0 = infer.mod %x, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @where_types(%c: tensor<4xi1>, %x: tensor<4xf32>, %y: tensor<4xi64>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{x and y must have the same element type}}
  %0 = infer.where %c, %x, %y : (tensor<4xi1>, tensor<4xf32>, tensor<4xi64>) -> tensor<4xf32>
  return
}

// -----

func.func @compare_broadcast(%x: tensor<4xf32>, %y: tensor<3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{do not broadcast}}
  %0 = infer.less %x, %y : (tensor<4xf32>, tensor<3xf32>) -> tensor<4xi1>
  return
}

// -----

func.func @arg_max_axis(%x: tensor<4x5xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{axis 2 is out of range for rank 2}}
  %0 = infer.arg_max %x {axis = 2 : i64} : (tensor<4x5xf32>) -> tensor<4x1xi64>
  return
}

// -----

func.func @cumsum_axis(%x: tensor<4x5xf32>) {
  // expected-error @+1 {{axis -3 is out of range for rank 2}}
  %0 = infer.cumsum %x {axis = -3 : i64} : tensor<4x5xf32>
  return
}

// -----

func.func @log_softmax_axis(%x: tensor<4x5xf32>) {
  // expected-error @+1 {{axis 5 is out of range for rank 2}}
  %0 = infer.log_softmax %x {axis = 5 : i64} : tensor<4x5xf32>
  return
}

// -----

func.func @gather_elements_rank(%x: tensor<4x5xf32>, %i: tensor<4xi64>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{data and indices must have the same rank (at least 1), got 2 and 1}}
  %0 = infer.gather_elements %x, %i : (tensor<4x5xf32>, tensor<4xi64>) -> tensor<4xf32>
  return
}

// -----

func.func @gather_nd_batch(%x: tensor<4x5xf32>, %i: tensor<4x1xi64>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{batch_dims (2) must be non-negative and less than the ranks of data and indices}}
  %0 = infer.gather_nd %x, %i {batch_dims = 2 : i64} : (tensor<4x5xf32>, tensor<4x1xi64>) -> tensor<4xf32>
  return
}

// -----

func.func @gather_nd_depth(%x: tensor<4x5xf32>, %i: tensor<4x3xi64>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{the last dimension of indices must be static, between 1 and the rank of data less batch_dims}}
  %0 = infer.gather_nd %x, %i : (tensor<4x5xf32>, tensor<4x3xi64>) -> tensor<4xf32>
  return
}

// -----

func.func @gather_nd_batch_dim(%x: tensor<4x5xf32>, %i: tensor<3x1xi64>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{batch dimension 0 differs between data and indices}}
  %0 = infer.gather_nd %x, %i {batch_dims = 1 : i64} : (tensor<4x5xf32>, tensor<3x1xi64>) -> tensor<3xf32>
  return
}

// -----

func.func @scatter_elements_rank(%x: tensor<4x5xf32>, %i: tensor<4xi64>, %u: tensor<4xf32>) {
  // expected-error @+1 {{data, indices and updates must have the same rank (at least 1)}}
  %0 = infer.scatter_elements %x, %i, %u : (tensor<4x5xf32>, tensor<4xi64>, tensor<4xf32>) -> tensor<4x5xf32>
  return
}

// -----

func.func @scatter_elements_type(%x: tensor<4x5xf32>, %i: tensor<4x1xi64>, %u: tensor<4x1xf64>) {
  // expected-error @+1 {{updates must have the element type of data}}
  %0 = infer.scatter_elements %x, %i, %u : (tensor<4x5xf32>, tensor<4x1xi64>, tensor<4x1xf64>) -> tensor<4x5xf32>
  return
}

// -----

func.func @scatter_elements_reduction(%x: tensor<4x5xf32>, %i: tensor<4x1xi64>, %u: tensor<4x1xf32>) {
  // expected-error @+1 {{reduction must be none, add, mul, max or min, got 'sum'}}
  %0 = infer.scatter_elements %x, %i, %u {reduction = "sum"} : (tensor<4x5xf32>, tensor<4x1xi64>, tensor<4x1xf32>) -> tensor<4x5xf32>
  return
}

// -----

func.func @scatter_nd_type(%x: tensor<4x5xf32>, %i: tensor<2x1xi64>, %u: tensor<2x5xi64>) {
  // expected-error @+1 {{updates must have the element type of data}}
  %0 = infer.scatter_nd %x, %i, %u : (tensor<4x5xf32>, tensor<2x1xi64>, tensor<2x5xi64>) -> tensor<4x5xf32>
  return
}

// -----

func.func @scatter_nd_depth(%x: tensor<4x5xf32>, %i: tensor<2x3xi64>, %u: tensor<2xf32>) {
  // expected-error @+1 {{the last dimension of indices must be static, between 1 and the rank of data}}
  %0 = infer.scatter_nd %x, %i, %u : (tensor<4x5xf32>, tensor<2x3xi64>, tensor<2xf32>) -> tensor<4x5xf32>
  return
}

// -----

func.func @scatter_nd_updates(%x: tensor<4x5xf32>, %i: tensor<2x1xi64>, %u: tensor<2x4xf32>) {
  // expected-error @+1 {{updates must have shape [2, 5], got [2, 4]}}
  %0 = infer.scatter_nd %x, %i, %u : (tensor<4x5xf32>, tensor<2x1xi64>, tensor<2x4xf32>) -> tensor<4x5xf32>
  return
}

// -----

func.func @trilu_rank(%x: tensor<5xf32>) {
  // expected-error @+1 {{expects a tensor of rank 2 or more}}
  %0 = infer.trilu %x : tensor<5xf32>
  return
}

// -----

func.func @resize_result(%x: tensor<1x1x2x2xf32>) {
  // expected-error @+1 {{the result must have the input's rank and element type}}
  %0 = infer.resize %x {scales = array<f32: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf16>
  return
}

// -----

func.func @resize_scales(%x: tensor<1x1x2x2xf32>) {
  // expected-error @+1 {{scales must have one entry per dimension (4), got 2}}
  %0 = infer.resize %x {scales = array<f32: 2.0, 2.0>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32>
  return
}

// -----

func.func @resize_scale_sign(%x: tensor<1x1x2x2xf32>) {
  // expected-error @+1 {{scales must be positive and finite, got -2}}
  %0 = infer.resize %x {scales = array<f32: 1.0, 1.0, -2.0, 2.0>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32>
  return
}

// -----

func.func @resize_mode(%x: tensor<1x1x2x2xf32>) {
  // expected-error @+1 {{mode must be nearest, linear or cubic, got 'area'}}
  %0 = infer.resize %x {mode = "area", scales = array<f32: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32>
  return
}

// -----

func.func @resize_coordinates(%x: tensor<1x1x2x2xf32>) {
  // expected-error @+1 {{unknown coordinate_transformation_mode 'center'}}
  %0 = infer.resize %x {coordinate_transformation_mode = "center", scales = array<f32: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32>
  return
}

// -----

func.func @resize_nearest_mode(%x: tensor<1x1x2x2xf32>) {
  // expected-error @+1 {{unknown nearest_mode 'round'}}
  %0 = infer.resize %x {nearest_mode = "round", scales = array<f32: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32>
  return
}

// -----

func.func @resize_roi(%x: tensor<1x1x2x2xf32>) {
  // expected-error @+1 {{tf_crop_and_resize needs a roi of 2 x rank (8) entries, got 0}}
  %0 = infer.resize %x {coordinate_transformation_mode = "tf_crop_and_resize", scales = array<f32: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x1x2x2xf32>) -> tensor<1x1x4x4xf32>
  return
}

// -----

func.func @resize_kept(%x: tensor<1x1x2x2xf32>) {
  // expected-error @+1 {{dimension 1 has scale 1 but 1 -> 3 elements}}
  %0 = infer.resize %x {scales = array<f32: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x1x2x2xf32>) -> tensor<1x3x4x4xf32>
  return
}

// -----

func.func @conv_transpose_rank(%x: tensor<1x2x3xf32>, %w: tensor<2x2x3x3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{expects a 4-D input (N x C x H x W) and a 4-D weight (C x F/group x KH x KW)}}
  %0 = infer.conv_transpose %x, %w : (tensor<1x2x3xf32>, tensor<2x2x3x3xf32>) -> tensor<1x2x5xf32>
  return
}

// -----

func.func @conv_transpose_output_padding(%x: tensor<1x2x3x3xf32>, %w: tensor<2x2x3x3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{output_padding must have 2 entries, got 1}}
  %0 = infer.conv_transpose %x, %w {output_padding = array<i64: 1>} : (tensor<1x2x3x3xf32>, tensor<2x2x3x3xf32>) -> tensor<1x2x5x5xf32>
  return
}

// -----

func.func @conv_transpose_group(%x: tensor<1x2x3x3xf32>, %w: tensor<2x2x3x3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{group must be positive, got 0}}
  %0 = infer.conv_transpose %x, %w {group = 0 : i64} : (tensor<1x2x3x3xf32>, tensor<2x2x3x3xf32>) -> tensor<1x2x5x5xf32>
  return
}

// -----

func.func @conv_transpose_channels(%x: tensor<1x3x3x3xf32>, %w: tensor<2x2x3x3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{input channels (3) must equal the weight's first dimension (2)}}
  %0 = infer.conv_transpose %x, %w : (tensor<1x3x3x3xf32>, tensor<2x2x3x3xf32>) -> tensor<1x2x5x5xf32>
  return
}

// -----

func.func @conv_transpose_divisible(%x: tensor<1x3x3x3xf32>, %w: tensor<3x2x3x3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{input channels (3) must be divisible by group (2)}}
  %0 = infer.conv_transpose %x, %w {group = 2 : i64} : (tensor<1x3x3x3xf32>, tensor<3x2x3x3xf32>) -> tensor<1x4x5x5xf32>
  return
}

// -----

func.func @conv_transpose_bias(%x: tensor<1x2x3x3xf32>, %w: tensor<2x2x3x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{bias must be 1-D with one element per output channel}}
  %0 = infer.conv_transpose %x, %w, %b : (tensor<1x2x3x3xf32>, tensor<2x2x3x3xf32>, tensor<3xf32>) -> tensor<1x2x5x5xf32>
  return
}

// -----

func.func @conv_transpose_strides(%x: tensor<1x2x3x3xf32>, %w: tensor<2x2x3x3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{strides and dilations must be positive, pads and output_padding non-negative}}
  %0 = infer.conv_transpose %x, %w {strides = array<i64: 0, 1>} : (tensor<1x2x3x3xf32>, tensor<2x2x3x3xf32>) -> tensor<1x2x5x5xf32>
  return
}

// -----

func.func @conv_transpose_output_padding_size(%x: tensor<1x2x3x3xf32>, %w: tensor<2x2x3x3xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{output_padding must be smaller than the stride or the dilation}}
  %0 = infer.conv_transpose %x, %w {output_padding = array<i64: 1, 0>} : (tensor<1x2x3x3xf32>, tensor<2x2x3x3xf32>) -> tensor<1x2x6x5xf32>
  return
}

// -----

func.func @conv_transpose_empty(%x: tensor<1x2x1x1xf32>, %w: tensor<2x2x1x1xf32>) {
  // expected-error @+2 {{failed to infer returned types}}
  // expected-error @+1 {{the pads leave no output along spatial dimension 0}}
  %0 = infer.conv_transpose %x, %w {pads = array<i64: 1, 0, 0, 0>} : (tensor<1x2x1x1xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x1x1xf32>
  return
}

// -----

func.func @bit_shift_direction(%x: tensor<4xui8>) {
  // expected-error @+1 {{direction must be left or right, got 'up'}}
  %0 = infer.bit_shift %x, %x {direction = "up"} : (tensor<4xui8>, tensor<4xui8>) -> tensor<4xui8>
  return
}

// -----

func.func @dynamic_reshape_rank(%x: tensor<?x4xf32>, %s: tensor<2xi64>) {
  // expected-error @+1 {{shape must be a 1-D tensor of 3 elements (the result's rank), got 'tensor<2xi64>'}}
  %0 = infer.dynamic_reshape %x, %s : (tensor<?x4xf32>, tensor<2xi64>) -> tensor<?x2x2xf32>
  return
}

// -----

func.func @dynamic_reshape_type(%x: tensor<?x4xf32>, %s: tensor<2xi64>) {
  // expected-error @+1 {{the result must have the input's element type}}
  %0 = infer.dynamic_reshape %x, %s : (tensor<?x4xf32>, tensor<2xi64>) -> tensor<?x?xf16>
  return
}

// -----

func.func @dynamic_reshape_count(%x: tensor<3x4xf32>, %s: tensor<2xi64>) {
  // expected-error @+1 {{input and result have different element counts (12 vs 10)}}
  %0 = infer.dynamic_reshape %x, %s : (tensor<3x4xf32>, tensor<2xi64>) -> tensor<5x2xf32>
  return
}
