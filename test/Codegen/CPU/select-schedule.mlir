// RUN: infer-opt %s --split-input-file --infer-cpu-select-schedule="target-cpu=znver4 threads=2" | FileCheck %s
// RUN: infer-opt %s --split-input-file --infer-cpu-select-schedule="target-cpu=haswell threads=1" | FileCheck %s --check-prefix=AVX2
// RUN: infer-opt %s --split-input-file --infer-cpu-select-schedule="target-cpu=znver4 threads=2 min-parallel-ns=0" | FileCheck %s --check-prefix=SPLIT

// Schedules come from the target model: AVX-512 (32 registers of 16 f32)
// on znver4, AVX2 (16 registers of 8 f32) on haswell.

// The packed contraction (m, n1, n0, k): 8 rows x one panel of 32 columns
// in registers, k one step at a time, panels outermost; two threads split M.
// CHECK-LABEL: func.func @packed_contraction
// CHECK: linalg.generic
// CHECK-SAME: infer.schedule = #infer.schedule<kind = contraction, distribute = [128, 8, 0, 0], cache = [0, 0, 0, 0], vector = [8, 1, 32, 0], reduce = [0, 0, 0, 1], order = [1, 0, 2, 3], origin = model
// AVX2-LABEL: func.func @packed_contraction
// The panels of 32 columns are two AVX-512 registers; AVX2 code needs its
// own packing (16): no schedule for this one.
// AVX2-NOT: infer.schedule
#A = affine_map<(m, n1, n0, k) -> (m, k)>
#B = affine_map<(m, n1, n0, k) -> (n1, k, n0)>
#C = affine_map<(m, n1, n0, k) -> (m, n1, n0)>
func.func @packed_contraction(%a: tensor<256x64xf32>, %b: tensor<8x64x32xf32>, %c: tensor<256x8x32xf32>) -> tensor<256x8x32xf32> {
  %0 = linalg.generic {indexing_maps = [#A, #B, #C], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%a, %b : tensor<256x64xf32>, tensor<8x64x32xf32>) outs(%c : tensor<256x8x32xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %z, %p : f32
    linalg.yield %s : f32
  } -> tensor<256x8x32xf32>
  return %0 : tensor<256x8x32xf32>
}

// -----

// M = 49 has no divisor near 8: 7 rows, so that no tile is partial.
// CHECK-LABEL: func.func @rows_divide_m
// CHECK: vector = [7, 1, 32, 0]
#A = affine_map<(m, n1, n0, k) -> (m, k)>
#B = affine_map<(m, n1, n0, k) -> (n1, k, n0)>
#C = affine_map<(m, n1, n0, k) -> (m, n1, n0)>
func.func @rows_divide_m(%a: tensor<49x64xf32>, %b: tensor<4x64x32xf32>, %c: tensor<49x4x32xf32>) -> tensor<49x4x32xf32> {
  %0 = linalg.generic {indexing_maps = [#A, #B, #C], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%a, %b : tensor<49x64xf32>, tensor<4x64x32xf32>) outs(%c : tensor<49x4x32xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %z, %p : f32
    linalg.yield %s : f32
  } -> tensor<49x4x32xf32>
  return %0 : tensor<49x4x32xf32>
}

// -----

// A direct convolution: 8 pixels x 32 output channels in registers, the
// reduction over (kh, kw, c) one step at a time, output rows over threads.
// CHECK-LABEL: func.func @conv
// CHECK: linalg.conv_2d_nhwc_hwcf
// CHECK-SAME: infer.schedule = #infer.schedule<kind = convolution, distribute = [1, 28, 0, 0, 0, 0, 0], cache = [0, 0, 0, 0, 0, 0, 0], vector = [1, 1, 8, 32, 0, 0, 0], reduce = [0, 0, 0, 0, 1, 1, 1], order = [0, 1, 3, 2, 4, 5, 6]
// AVX2-LABEL: func.func @conv
// AVX2: vector = [1, 1, 4, 16, 0, 0, 0]
func.func @conv(%x: tensor<1x58x58x64xf32>, %w: tensor<3x3x64x64xf32>, %init: tensor<1x56x56x64xf32>) -> tensor<1x56x56x64xf32> {
  %0 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x58x58x64xf32>, tensor<3x3x64x64xf32>) outs(%init : tensor<1x56x56x64xf32>) -> tensor<1x56x56x64xf32>
  return %0 : tensor<1x56x56x64xf32>
}

// -----

// 24 output channels (a vector and a half with AVX-512; three with AVX2):
// tiles of 8, a power of two (a 24-lane accumulator row makes LLVM shuffle
// and spill element by element).
// CHECK-LABEL: func.func @conv_24_filters
// CHECK: vector = [1, 1, 14, 8, 0, 0, 0]
// AVX2-LABEL: func.func @conv_24_filters
// AVX2: vector = [1, 1, {{[0-9]+}}, 8, 0, 0, 0]
func.func @conv_24_filters(%x: tensor<1x114x114x3xf32>, %w: tensor<3x3x3x24xf32>, %init: tensor<1x112x112x24xf32>) -> tensor<1x112x112x24xf32> {
  %0 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x114x114x3xf32>, tensor<3x3x3x24xf32>) outs(%init : tensor<1x112x112x24xf32>) -> tensor<1x112x112x24xf32>
  return %0 : tensor<1x112x112x24xf32>
}

// -----

// 136 channels (8 x 17): no whole vectors divide them, so the tile is the
// largest power-of-two part of a vector that does (8); for 12 channels, 4
// (an xmm: narrow vectors beat the scalar loops of an op without a schedule).
// CHECK-LABEL: func.func @pool_odd_channels
// CHECK: linalg.pooling_nhwc_max
// CHECK-SAME: vector = [1, 1, {{[0-9]+}}, 8, 0, 0]
// CHECK: linalg.pooling_nhwc_max
// CHECK-SAME: vector = [1, 1, {{[0-9]+}}, 4, 0, 0]
// CHECK-SAME: -> tensor<1x7x7x12xf32>
func.func @pool_odd_channels(%x: tensor<1x14x14x136xf32>, %init: tensor<1x7x7x136xf32>, %y: tensor<1x14x14x12xf32>, %init2: tensor<1x7x7x12xf32>) -> (tensor<1x7x7x136xf32>, tensor<1x7x7x12xf32>) {
  %window = tensor.empty() : tensor<2x2xf32>
  %0 = linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %window : tensor<1x14x14x136xf32>, tensor<2x2xf32>) outs(%init : tensor<1x7x7x136xf32>) -> tensor<1x7x7x136xf32>
  %1 = linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%y, %window : tensor<1x14x14x12xf32>, tensor<2x2xf32>) outs(%init2 : tensor<1x7x7x12xf32>) -> tensor<1x7x7x12xf32>
  return %0, %1 : tensor<1x7x7x136xf32>, tensor<1x7x7x12xf32>
}

// -----

// A filter of megabytes on a small image: a filter panel stays in cache
// while the rows go by inside it, and threads split the filters.
// CHECK-LABEL: func.func @filter_stationary
// CHECK: distribute = [1, 0, 0, 256, 0, 0, 0], cache = [0, 0, 0, 0, 0, 0, 0], vector = [1, 1, 7, 32, 0, 0, 0], reduce = [0, 0, 0, 0, 1, 1, 1], order = [0, 3, 1, 2, 4, 5, 6]
func.func @filter_stationary(%x: tensor<1x9x9x512xf32>, %w: tensor<3x3x512x512xf32>, %init: tensor<1x7x7x512xf32>) -> tensor<1x7x7x512xf32> {
  %0 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x9x9x512xf32>, tensor<3x3x512x512xf32>) outs(%init : tensor<1x7x7x512xf32>) -> tensor<1x7x7x512xf32>
  return %0 : tensor<1x7x7x512xf32>
}

// -----

// Pooling: pixels x four vectors of channels (4 x 4 accumulators), the
// window one step at a time.
// CHECK-LABEL: func.func @pool
// CHECK: linalg.pooling_nhwc_max
// Its 12 microseconds (estimated) are too little to split over threads: one
// thread tile of all 28 rows. Without that floor, two tiles of 14.
// CHECK-SAME: infer.schedule = #infer.schedule<kind = pooling, distribute = [1, 28, 0, 0, 0, 0], cache = [0, 0, 0, 0, 0, 0], vector = [1, 1, 4, 64, 0, 0], reduce = [0, 0, 0, 0, 1, 1]
// SPLIT-LABEL: func.func @pool
// SPLIT: distribute = [1, 14, 0, 0, 0, 0]
func.func @pool(%x: tensor<1x57x57x64xf32>, %init: tensor<1x28x28x64xf32>) -> tensor<1x28x28x64xf32> {
  %window = tensor.empty() : tensor<3x3xf32>
  %0 = linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%x, %window : tensor<1x57x57x64xf32>, tensor<3x3xf32>) outs(%init : tensor<1x28x28x64xf32>) -> tensor<1x28x28x64xf32>
  return %0 : tensor<1x28x28x64xf32>
}

// -----

// Elementwise: vectors along the innermost dimension (a divisor of it, so
// no mask), the outermost dimension with work for both threads split.
// CHECK-LABEL: func.func @elementwise
// CHECK: infer.schedule = #infer.schedule<kind = elementwise, distribute = [0, 28, 0, 0], cache = [0, 0, 0, 0], vector = [1, 1, 1, 96], reduce = [0, 0, 0, 0]
func.func @elementwise(%x: tensor<1x56x56x96xf32>, %init: tensor<1x56x56x96xf32>) -> tensor<1x56x56x96xf32> {
  %0 = linalg.generic {indexing_maps = [affine_map<(a, b, c, d) -> (a, b, c, d)>, affine_map<(a, b, c, d) -> (a, b, c, d)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x : tensor<1x56x56x96xf32>) outs(%init : tensor<1x56x56x96xf32>) {
  ^bb0(%in: f32, %out: f32):
    %zero = arith.constant 0.0 : f32
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<1x56x56x96xf32>
  return %0 : tensor<1x56x56x96xf32>
}

// -----

// A reduction over the innermost dimension: vectors along it, whole.
// CHECK-LABEL: func.func @row_sum
// CHECK: infer.schedule = #infer.schedule<kind = reduction, distribute = [8, 0], cache = [0, 0], vector = [1, 1000], reduce = [0, 0]
// SPLIT-LABEL: func.func @row_sum
// SPLIT: distribute = [4, 0]
func.func @row_sum(%x: tensor<8x1000xf32>, %init: tensor<8xf32>) -> tensor<8xf32> {
  %0 = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> (a)>], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<8x1000xf32>) outs(%init : tensor<8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.addf %in, %out : f32
    linalg.yield %s : f32
  } -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// A schedule written by hand (or replayed from a tuning database) is kept.
// CHECK-LABEL: func.func @kept
// CHECK: vector = [1, 48], reduce = [0, 0], order = [], origin = user
func.func @kept(%x: tensor<8x96xf32>, %init: tensor<8x96xf32>) -> tensor<8x96xf32> {
  %0 = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> (a, b)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<8x96xf32>) outs(%init : tensor<8x96xf32>) attrs = {infer.schedule = #infer.schedule<kind = elementwise, distribute = [4, 0], cache = [0, 0], vector = [1, 48], reduce = [0, 0], order = [], origin = user, estimate_ns = 0>} {
  ^bb0(%in: f32, %out: f32):
    %e = math.exp %in : f32
    linalg.yield %e : f32
  } -> tensor<8x96xf32>
  return %0 : tensor<8x96xf32>
}

// -----

// No strategy for an NCHW convolution (the layout pass makes it NHWC): it
// is lowered as loops.
// CHECK-LABEL: func.func @nchw_conv
// CHECK-NOT: infer.schedule
func.func @nchw_conv(%x: tensor<1x8x10x10xf32>, %w: tensor<16x8x3x3xf32>, %init: tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32> {
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x8x10x10xf32>, tensor<16x8x3x3xf32>) outs(%init : tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
  return %0 : tensor<1x16x8x8xf32>
}

// -----

// 480 channels: two vectors of channels (32), not three (48): LLVM splits a
// loop-carried vector of three zmm into scalars.
// CHECK-LABEL: func.func @depthwise_480
// CHECK: linalg.depthwise_conv_2d_nhwc_hwc
// CHECK-SAME: vector = [1, 1, {{[0-9]+}}, 32, 0, 0]
func.func @depthwise_480(%x: tensor<1x10x84x480xf32>, %w: tensor<5x5x480xf32>, %init: tensor<1x6x80x480xf32>) -> tensor<1x6x80x480xf32> {
  %0 = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x10x84x480xf32>, tensor<5x5x480xf32>) outs(%init : tensor<1x6x80x480xf32>) -> tensor<1x6x80x480xf32>
  return %0 : tensor<1x6x80x480xf32>
}

// -----

// Attention scores, (batch, head) x 16x16 outputs x 8 deep (the encoder
// example's): 32K multiply-adds, under min-parallel-ns on one thread, so the
// schedule is planned for one thread: one tile holds every batch and head
// (a tile each would still fork a parallel loop on every call). With
// min-parallel-ns=0 the two threads take one (batch, head) at a time.
// CHECK-LABEL: func.func @attention_scores
// CHECK: infer.schedule = #infer.schedule<kind = contraction, distribute = [2, 4, 0, 0, 0], cache = [0, 0, 0, 0, 0], vector = [1, 1, 8, 16, 0], reduce = [0, 0, 0, 0, 1], order = [], origin = model
// SPLIT-LABEL: func.func @attention_scores
// SPLIT: infer.schedule = #infer.schedule<kind = contraction, distribute = [1, 1, 0, 0, 0], cache = [0, 0, 0, 0, 0], vector = [1, 1, 8, 16, 0], reduce = [0, 0, 0, 0, 1], order = [], origin = model
#q = affine_map<(d0, d1, d2, d3, d4) -> (d0, d2, d1, d4)>
#k = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d4, d3)>
#s = affine_map<(d0, d1, d2, d3, d4) -> (d0, d1, d2, d3)>
func.func @attention_scores(%q: tensor<2x16x4x8xf32>, %k: tensor<2x4x8x16xf32>, %init: tensor<2x4x16x16xf32>) -> tensor<2x4x16x16xf32> {
  %0 = linalg.generic {indexing_maps = [#q, #k, #s], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction"]} ins(%q, %k : tensor<2x16x4x8xf32>, tensor<2x4x8x16xf32>) outs(%init : tensor<2x4x16x16xf32>) {
  ^bb0(%a: f32, %b: f32, %c: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %c, %m : f32
    linalg.yield %s : f32
  } -> tensor<2x4x16x16xf32>
  return %0 : tensor<2x4x16x16xf32>
}
