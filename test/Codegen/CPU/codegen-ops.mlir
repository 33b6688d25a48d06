// RUN: infer-opt %s --split-input-file --infer-convert-to-linalg --infer-cpu-pack-weights="target-cpu=znver4" --infer-cpu-select-schedule="target-cpu=znver4 threads=2 min-parallel-ns=0" --mlir-elide-resource-strings-if-larger=16 | FileCheck %s --check-prefix=SCHED
// RUN: infer-opt %s --split-input-file --infer-convert-to-linalg --infer-cpu-pack-weights="target-cpu=znver4" --infer-cpu-select-schedule="target-cpu=znver4 threads=2 min-parallel-ns=0" --infer-tile --mlir-elide-resource-strings-if-larger=16 | FileCheck %s

// The CPU code generator at the linalg level, one op family per case, for a
// fixed target (znver4: AVX-512, 32 registers of 16 f32; two threads) so
// that nothing depends on the host: the weights packed or re-laid out as
// constants (no per-call packing in the body), the #infer.schedule the
// target model chooses (SCHED), and what infer-tile makes of it: thread
// tiles (scf.forall), register tiles (scf.for), reduction loops that carry
// the accumulator as a vector, and vector.contract / vector.fma /
// elementwise vector ops of the register tile's shape.

// A matrix product with a constant right-hand side: B (48 x 40) packed into
// two panels of 32 columns (40 padded with zeros to 64), 8 rows x one panel
// in registers, M over the two threads. The zero fill moves past the packed
// view of C and starts the accumulator in registers (no read of C).
// SCHED-LABEL: func.func @matmul
// SCHED: %[[W:.+]] = arith.constant dense_resource<{{.+}}> : tensor<2x48x32xf32>
// SCHED-NOT: linalg.pack
// SCHED-NOT: linalg.transpose
// SCHED: linalg.generic {{.*}} ins(%{{.+}}, %[[W]] : tensor<64x48xf32>, tensor<2x48x32xf32>) outs(%{{.+}} : tensor<64x2x32xf32>)
// SCHED-SAME: infer.schedule = #infer.schedule<kind = contraction, distribute = [32, 2, 0, 0], cache = [0, 0, 0, 0], vector = [8, 1, 32, 0], reduce = [0, 0, 0, 1], order = [1, 0, 2, 3], origin = model
// CHECK-LABEL: func.func @matmul
// CHECK: %[[W:.+]] = arith.constant dense_resource<{{.+}}> : tensor<2x48x32xf32>
// CHECK-NOT: linalg.pack
// CHECK: scf.forall (%{{.+}}) = (0) to (64) step (32)
// CHECK: scf.for %{{.+}} = %c0 to %c2 step %c1
// CHECK: scf.for %{{.+}} = %c0 to %c32 step %c8
// CHECK: tensor.extract_slice %[[W]]
// CHECK-NOT: vector.transfer_read {{.*}} : tensor<8x1x32xf32>, vector<8x1x32xf32>
// CHECK: %[[SUM:.+]] = scf.for %{{.+}} = %c0 to %c48 step %c1 iter_args(%[[A:.+]] = %[[ZERO:.+]]) -> (vector<8x1x32xf32>)
// CHECK-NOT: vector.transfer_write
// CHECK: vector.contract {{.*}} %[[A]] : vector<8x1xf32>, vector<1x1x32xf32> into vector<8x1x32xf32>
// CHECK: vector.transfer_write %[[SUM]]
// CHECK-NOT: linalg.generic
// CHECK-NOT: infer.schedule
func.func @matmul(%a: tensor<64x48xf32>) -> tensor<64x40xf32> {
  %w = infer.constant dense<0.5> : tensor<48x40xf32>
  %0 = infer.matmul %a, %w : (tensor<64x48xf32>, tensor<48x40xf32>) -> tensor<64x40xf32>
  return %0 : tensor<64x40xf32>
}

// -----

// A batched product of two run-time operands (nothing to pack): batches
// over the threads, 8 rows x 32 columns in registers, started from zero.
// SCHED-LABEL: func.func @batch_matmul
// SCHED: linalg.generic
// SCHED-SAME: infer.schedule = #infer.schedule<kind = contraction, distribute = [1, 0, 0, 0], cache = [0, 0, 0, 0], vector = [1, 8, 32, 0], reduce = [0, 0, 0, 1], order = [], origin = model
// CHECK-LABEL: func.func @batch_matmul
// CHECK-DAG: %[[ZERO:.+]] = arith.constant dense<0.000000e+00> : vector<8x32xf32>
// CHECK: scf.forall (%{{.+}}) in (4)
// CHECK: scf.for %{{.+}} = %c0 to %c16 step %c8
// CHECK: %[[SUM:.+]] = scf.for %{{.+}} = %c0 to %c24 step %c1 iter_args(%[[A:.+]] = %[[ZERO]]) -> (vector<8x32xf32>)
// CHECK: vector.contract {{.*}} %[[A]] : vector<8x1xf32>, vector<1x32xf32> into vector<8x32xf32>
// CHECK: vector.transfer_write %[[SUM]]
// CHECK-NOT: linalg.generic
// CHECK-NOT: linalg.batch_matmul
func.func @batch_matmul(%a: tensor<4x16x24xf32>, %b: tensor<4x24x32xf32>) -> tensor<4x16x32xf32> {
  %0 = infer.matmul %a, %b : (tensor<4x16x24xf32>, tensor<4x24x32xf32>) -> tensor<4x16x32xf32>
  return %0 : tensor<4x16x32xf32>
}

// -----

// Gemm with trans_b and a bias: the [N, K] weight packed the same way (one
// panel, K = 64 deep). The bias add reads the packed [M][N/32][32] result
// through the identity (its loops expanded past the collapse_shape, the bias
// constant reshaped at compile time), so it runs as the contraction's
// epilogue: on the accumulator registers, in the same thread tile.
// SCHED-LABEL: func.func @gemm_bias
// SCHED-DAG: %[[W:.+]] = arith.constant dense_resource<{{.+}}> : tensor<1x64x32xf32>
// SCHED-DAG: %[[B:.+]] = arith.constant dense<1.000000e+00> : tensor<1x32xf32>
// SCHED: %[[P:.+]] = linalg.generic {{.*}} ins(%{{.+}}, %[[W]] : tensor<16x64xf32>, tensor<1x64x32xf32>)
// SCHED-SAME: infer.schedule = #infer.schedule<kind = contraction, distribute = [8, 1, 0, 0], cache = [0, 0, 0, 0], vector = [8, 1, 32, 0], reduce = [0, 0, 0, 1], order = [1, 0, 2, 3], origin = model
// SCHED: %[[E:.+]] = linalg.generic {{.*}} ins(%[[P]], %[[B]] : tensor<16x1x32xf32>, tensor<1x32xf32>)
// SCHED: tensor.collapse_shape %[[E]]
// CHECK-LABEL: func.func @gemm_bias
// CHECK: scf.forall (%{{.+}}) = (0) to (16) step (8)
// CHECK: %[[ACC:.+]] = scf.for %{{.+}} = %c0 to %c64 step %c1 iter_args(%{{.+}}) -> (vector<8x1x32xf32>)
// CHECK: vector.contract {{.*}} : vector<8x1xf32>, vector<1x1x32xf32> into vector<8x1x32xf32>
// CHECK-NOT: scf.forall
// CHECK: vector.transfer_read %{{.+}}[%c0, %c0], {{.*}} : tensor<1x32xf32>, vector<32xf32>
// CHECK: arith.addf %[[ACC]], %{{.+}} : vector<8x1x32xf32>
// CHECK: scf.forall.in_parallel
// CHECK-NOT: linalg.generic
func.func @gemm_bias(%a: tensor<16x64xf32>) -> tensor<16x32xf32> {
  %w = infer.constant dense<0.25> : tensor<32x64xf32>
  %b = infer.constant dense<1.0> : tensor<32xf32>
  %0 = infer.gemm %a, %w, %b {trans_b = true} : (tensor<16x64xf32>, tensor<32x64xf32>, tensor<32xf32>) -> tensor<16x32xf32>
  return %0 : tensor<16x32xf32>
}

// -----

// An NHWC convolution with stride 2 and a bias: the FCHW filter is HWCF at
// compile time; output rows over threads, 8 pixels x 32 filters in
// registers, started from the bias (fused into the register tile), the
// (kh, kw, c) loops carrying the accumulator. The 1-D row of a stride-2
// window reads 15 input pixels and uses every other one.
// SCHED-LABEL: func.func @conv_strided
// SCHED: %[[W:.+]] = arith.constant dense<5.000000e-01> : tensor<3x3x8x32xf32>
// SCHED-NOT: linalg.transpose
// SCHED: linalg.generic {{.*}}infer.schedule = #infer.schedule<kind = elementwise
// SCHED: linalg.conv_2d_nhwc_hwcf
// SCHED-SAME: infer.schedule = #infer.schedule<kind = convolution, distribute = [1, 4, 0, 0, 0, 0, 0], cache = [0, 0, 0, 0, 0, 0, 0], vector = [1, 1, 8, 32, 0, 0, 0], reduce = [0, 0, 0, 0, 1, 1, 1], order = [0, 1, 3, 2, 4, 5, 6], origin = model
// SCHED-SAME: strides = dense<2> : tensor<2xi64>
// SCHED-SAME: ins(%{{.+}}, %[[W]] : tensor<1x17x17x8xf32>, tensor<3x3x8x32xf32>)
// CHECK-LABEL: func.func @conv_strided
// CHECK: scf.forall (%{{.+}}) = (0) to (8) step (4)
// CHECK: scf.for %{{.+}} = %c0 to %c4 step %c1
// CHECK: %[[BIAS:.+]] = vector.transfer_read %{{.+}}[%c0], %{{.+}} {in_bounds = [true]} : tensor<32xf32>, vector<32xf32>
// CHECK: vector.broadcast %[[BIAS]] : vector<32xf32> to vector<8x32xf32>
// CHECK: scf.for %{{.+}} = %c0 to %c3 step %c1 iter_args(%{{.+}}) -> (vector<8x32xf32>)
// CHECK: scf.for %{{.+}} = %c0 to %c3 step %c1 iter_args(%{{.+}}) -> (vector<8x32xf32>)
// CHECK: scf.for %{{.+}} = %c0 to %c8 step %c1 iter_args(%[[ACC:.+]] = %{{.+}}) -> (vector<8x32xf32>)
// CHECK: %[[ROW:.+]] = vector.transfer_read {{.*}} : tensor<1x15x1xf32>, vector<15x1xf32>
// CHECK: vector.extract %[[ROW]][0] : vector<1xf32> from vector<15x1xf32>
// CHECK: vector.contract {{.*}} : vector<1xf32>, vector<1x32xf32> into vector<32xf32>
// CHECK: vector.extract %[[ROW]][2] : vector<1xf32> from vector<15x1xf32>
// CHECK-COUNT-7: vector.contract {{.*}} : vector<1xf32>, vector<1x32xf32> into vector<32xf32>
// CHECK-NOT: vector.contract
// CHECK: vector.insert_strided_slice %{{.+}}, %{{.+}} {offsets = [7, 0], strides = [1]} : vector<32xf32> into vector<8x32xf32>
// CHECK-NOT: linalg.conv
// CHECK-NOT: linalg.generic
func.func @conv_strided(%x: tensor<1x17x17x8xf32>) -> tensor<1x8x8x32xf32> {
  %w = infer.constant dense<0.5> : tensor<32x8x3x3xf32>
  %b = infer.constant dense<0.25> : tensor<32xf32>
  %0 = infer.conv2d %x, %w, %b {strides = array<i64: 2, 2>, layout = #infer<layout nhwc>} : (tensor<1x17x17x8xf32>, tensor<32x8x3x3xf32>, tensor<32xf32>) -> tensor<1x8x8x32xf32>
  return %0 : tensor<1x8x8x32xf32>
}

// -----

// A dilated convolution: 7 pixels (all of a row) x 16 filters (one
// vector); the window offsets step by the dilation (kh * 2, kw * 2).
// SCHED-LABEL: func.func @conv_dilated
// SCHED: linalg.conv_2d_nhwc_hwcf {dilations = dense<2> : tensor<2xi64>, infer.schedule = #infer.schedule<kind = convolution, distribute = [1, 1, 0, 0, 0, 0, 0], cache = [0, 0, 0, 0, 0, 0, 0], vector = [1, 1, 7, 16, 0, 0, 0], reduce = [0, 0, 0, 0, 1, 1, 1], order = [0, 1, 3, 2, 4, 5, 6], origin = model
// CHECK: #[[$DIL:.+]] = affine_map<(d0) -> (d0 * 2)>
// CHECK-LABEL: func.func @conv_dilated
// CHECK: scf.forall (%{{.+}}) in (7)
// CHECK: scf.for %[[KH:.+]] = %c0 to %c3 step %c1 iter_args(%{{.+}}) -> (vector<7x16xf32>)
// CHECK: scf.for %[[KW:.+]] = %c0 to %c3 step %c1 iter_args(%{{.+}}) -> (vector<7x16xf32>)
// CHECK: scf.for %{{.+}} = %c0 to %c4 step %c1 iter_args(%{{.+}}) -> (vector<7x16xf32>)
// CHECK-DAG: affine.apply #[[$DIL]](%[[KH]])
// CHECK-DAG: affine.apply #[[$DIL]](%[[KW]])
// CHECK: vector.contract {{.*}} : vector<7x1xf32>, vector<1x16xf32> into vector<7x16xf32>
// CHECK-NOT: linalg.conv
func.func @conv_dilated(%x: tensor<1x11x11x4xf32>) -> tensor<1x7x7x16xf32> {
  %w = infer.constant dense<0.5> : tensor<16x4x3x3xf32>
  %0 = infer.conv2d %x, %w {dilations = array<i64: 2, 2>, layout = #infer<layout nhwc>} : (tensor<1x11x11x4xf32>, tensor<16x4x3x3xf32>) -> tensor<1x7x7x16xf32>
  return %0 : tensor<1x7x7x16xf32>
}

// -----

// A residual block's tail: convolution, add of the shortcut, ReLU. The add
// and the ReLU lose their own schedules and follow the convolution into its
// thread and register tiles: they run on the accumulators once the (kh, kw,
// c) loops are done, before the tile is stored; nothing else is tiled.
// SCHED-LABEL: func.func @conv_residual_relu
// SCHED: linalg.conv_2d_nhwc_hwcf {{.*}}infer.schedule = #infer.schedule<kind = convolution
// SCHED: linalg.generic {{.*}}infer.schedule = #infer.schedule<kind = elementwise
// SCHED: linalg.generic {{.*}}infer.schedule = #infer.schedule<kind = elementwise
// CHECK-LABEL: func.func @conv_residual_relu
// CHECK: scf.forall (%{{.+}}) = (0) to (8) step (4)
// CHECK: scf.for
// CHECK: scf.for {{.*}} -> (vector<8x32xf32>)
// CHECK: vector.contract
// CHECK: %[[SUM:.+]] = arith.addf %{{.+}}, %{{.+}} : vector<8x32xf32>
// CHECK: arith.maximumf %[[SUM]], %{{.+}} : vector<8x32xf32>
// CHECK: scf.forall.in_parallel
// CHECK-NOT: scf.forall
// CHECK-NOT: linalg.generic
func.func @conv_residual_relu(%x: tensor<1x10x10x8xf32>, %s: tensor<1x8x8x32xf32>) -> tensor<1x8x8x32xf32> {
  %w = infer.constant dense<0.5> : tensor<32x8x3x3xf32>
  %0 = infer.conv2d %x, %w {layout = #infer<layout nhwc>} : (tensor<1x10x10x8xf32>, tensor<32x8x3x3xf32>) -> tensor<1x8x8x32xf32>
  %1 = infer.add %0, %s : (tensor<1x8x8x32xf32>, tensor<1x8x8x32xf32>) -> tensor<1x8x8x32xf32>
  %2 = infer.relu %1 : tensor<1x8x8x32xf32>
  return %2 : tensor<1x8x8x32xf32>
}

// -----

// A grouped convolution (2 groups) becomes one NHWC convolution per group
// on slices of the input and the accumulator, each with its group's filter
// re-laid to HWCF at compile time and a direct-convolution schedule; each
// updates its slice of the accumulator in place.
// SCHED-LABEL: func.func @conv_grouped
// SCHED: %[[W:.+]] = arith.constant dense<5.000000e-01> : tensor<3x3x4x16xf32>
// SCHED: %[[IN:.+]] = tensor.expand_shape %{{.+}} {{\[}}[0], [1], [2], [3, 4]] output_shape [1, 8, 8, 2, 4]
// SCHED: %[[EMPTY:.+]] = tensor.expand_shape %{{.+}} {{\[}}[0], [1], [2], [3, 4]] output_shape [1, 6, 6, 2, 16]
// SCHED: %[[ACC:.+]] = linalg.fill {{.*}} outs(%[[EMPTY]] : tensor<1x6x6x2x16xf32>)
// SCHED: %[[IN0:.+]] = tensor.extract_slice %[[IN]][0, 0, 0, 0, 0] [1, 8, 8, 1, 4]
// SCHED: %[[ACC0:.+]] = tensor.extract_slice %[[ACC]][0, 0, 0, 0, 0] [1, 6, 6, 1, 16]
// SCHED: %[[C0:.+]] = linalg.conv_2d_nhwc_hwcf {{.*}}infer.schedule = #infer.schedule<kind = convolution{{.*}}ins(%[[IN0]], %[[W]] : {{.*}}outs(%[[ACC0]] :
// SCHED: %[[R0:.+]] = tensor.insert_slice %[[C0]] into %[[ACC]][0, 0, 0, 0, 0] [1, 6, 6, 1, 16]
// SCHED: %[[IN1:.+]] = tensor.extract_slice %[[IN]][0, 0, 0, 1, 0] [1, 8, 8, 1, 4]
// SCHED: %[[ACC1:.+]] = tensor.extract_slice %[[R0]][0, 0, 0, 1, 0] [1, 6, 6, 1, 16]
// SCHED: %[[C1:.+]] = linalg.conv_2d_nhwc_hwcf {{.*}}infer.schedule = #infer.schedule<kind = convolution{{.*}}ins(%[[IN1]], %[[W]] : {{.*}}outs(%[[ACC1]] :
// SCHED: tensor.insert_slice %[[C1]] into %[[R0]][0, 0, 0, 1, 0] [1, 6, 6, 1, 16]
// SCHED-NOT: linalg.conv_2d_nhwgc_gfhwc
// CHECK-LABEL: func.func @conv_grouped
// CHECK: scf.forall
// CHECK: vector.contract
// CHECK: scf.forall
// CHECK: vector.contract
// CHECK-NOT: linalg.conv
func.func @conv_grouped(%x: tensor<1x8x8x8xf32>) -> tensor<1x6x6x32xf32> {
  %w = infer.constant dense<0.5> : tensor<32x4x3x3xf32>
  %0 = infer.conv2d %x, %w {group = 2 : i64, layout = #infer<layout nhwc>} : (tensor<1x8x8x8xf32>, tensor<32x4x3x3xf32>) -> tensor<1x6x6x32xf32>
  return %0 : tensor<1x6x6x32xf32>
}

// -----

// A depthwise convolution: the pooling strategy, 8 pixels x 32 channels,
// one FMA of the register tile per window position.
// SCHED-LABEL: func.func @conv_depthwise
// SCHED: linalg.depthwise_conv_2d_nhwc_hwc
// SCHED-SAME: infer.schedule = #infer.schedule<kind = pooling, distribute = [1, 4, 0, 0, 0, 0], cache = [0, 0, 0, 0, 0, 0], vector = [1, 1, 8, 32, 0, 0], reduce = [0, 0, 0, 0, 1, 1], order = [], origin = model
// SCHED-SAME: tensor<3x3x32xf32>
// CHECK-LABEL: func.func @conv_depthwise
// CHECK: scf.forall (%{{.+}}) = (0) to (8) step (4)
// CHECK: scf.for %{{.+}} = %c0 to %c4 step %c1
// CHECK: scf.for %{{.+}} = %c0 to %c3 step %c1 iter_args(%{{.+}}) -> (vector<8x32xf32>)
// CHECK: scf.for %{{.+}} = %c0 to %c3 step %c1 iter_args(%[[ACC:.+]] = %{{.+}}) -> (vector<8x32xf32>)
// CHECK: %[[IN:.+]] = vector.transfer_read {{.*}} : tensor<1x8x32xf32>, vector<8x32xf32>
// CHECK: %[[F:.+]] = vector.broadcast %{{.+}} : vector<32xf32> to vector<8x32xf32>
// CHECK: vector.fma %[[IN]], %[[F]], %[[ACC]] : vector<8x32xf32>
// CHECK-NOT: linalg.depthwise
func.func @conv_depthwise(%x: tensor<1x10x10x32xf32>) -> tensor<1x8x8x32xf32> {
  %w = infer.constant dense<0.5> : tensor<32x1x3x3xf32>
  %0 = infer.conv2d %x, %w {group = 32 : i64, layout = #infer<layout nhwc>} : (tensor<1x10x10x32xf32>, tensor<32x1x3x3xf32>) -> tensor<1x8x8x32xf32>
  return %0 : tensor<1x8x8x32xf32>
}

// -----

// Max pooling, 64 channels (four vectors) a pixel; 7 output columns have no
// divisor the register file takes with four vectors a pixel: one pixel a
// tile, from -inf, maximum over the 3 x 3 window.
// SCHED-LABEL: func.func @max_pool
// SCHED: linalg.pooling_nhwc_max
// SCHED-SAME: infer.schedule = #infer.schedule<kind = pooling, distribute = [1, 1, 0, 0, 0, 0], cache = [0, 0, 0, 0, 0, 0], vector = [1, 1, 1, 64, 0, 0], reduce = [0, 0, 0, 0, 1, 1], order = [], origin = model
// CHECK-LABEL: func.func @max_pool
// CHECK-DAG: %[[NEGINF:.+]] = arith.constant dense<0xFF800000> : vector<64xf32>
// CHECK: scf.forall (%{{.+}}) in (7)
// CHECK: scf.for %{{.+}} = %c0 to %c7 step %c1
// CHECK: vector.transfer_write %[[NEGINF]]
// CHECK: scf.for %{{.+}} = %c0 to %c3 step %c1 iter_args(%{{.+}}) -> (vector<64xf32>)
// CHECK: scf.for %{{.+}} = %c0 to %c3 step %c1 iter_args(%[[ACC:.+]] = %{{.+}}) -> (vector<64xf32>)
// CHECK: arith.maximumf %{{.+}}, %[[ACC]] : vector<64xf32>
// CHECK-NOT: linalg.pooling
func.func @max_pool(%x: tensor<1x15x15x64xf32>) -> tensor<1x7x7x64xf32> {
  %0 = infer.max_pool %x {kernel_shape = array<i64: 3, 3>, strides = array<i64: 2, 2>, layout = #infer<layout nhwc>} : (tensor<1x15x15x64xf32>) -> tensor<1x7x7x64xf32>
  return %0 : tensor<1x7x7x64xf32>
}

// -----

// A row sum: rows over threads, each row one 1000-wide vector reduced.
// SCHED-LABEL: func.func @reduce_sum
// SCHED: linalg.generic
// SCHED-SAME: infer.schedule = #infer.schedule<kind = reduction, distribute = [4, 0], cache = [0, 0], vector = [1, 1000], reduce = [0, 0], order = [], origin = model
// CHECK-LABEL: func.func @reduce_sum
// CHECK: scf.forall (%{{.+}}) = (0) to (8) step (4)
// CHECK: scf.for %{{.+}} = %c0 to %c4 step %c1
// CHECK: vector.transfer_read {{.*}} : tensor<1x1000xf32>, vector<1000xf32>
// CHECK: vector.multi_reduction <add>, %{{.+}}, %{{.+}} [1] : vector<1x1000xf32> to vector<1xf32>
// CHECK-NOT: linalg.generic
func.func @reduce_sum(%x: tensor<8x1000xf32>) -> tensor<8xf32> {
  %0 = infer.reduce_sum %x {axes = array<i64: 1>, keepdims = false} : (tensor<8x1000xf32>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// Elementwise: a broadcasting add, then a relu; rows over threads, one
// 96-wide vector a row.
// SCHED-LABEL: func.func @add_relu
// SCHED-COUNT-2: infer.schedule = #infer.schedule<kind = elementwise, distribute = [2, 0, 0], cache = [0, 0, 0], vector = [1, 1, 96], reduce = [0, 0, 0], order = [], origin = model
// CHECK-LABEL: func.func @add_relu
// CHECK-SAME: (%{{.+}}: tensor<4x8x96xf32>, %[[Y:.+]]: tensor<96xf32>)
// CHECK: scf.forall (%{{.+}}) = (0) to (4) step (2)
// CHECK: vector.transfer_read %[[Y]][%c0], %{{.+}} {in_bounds = [true]} : tensor<96xf32>, vector<96xf32>
// CHECK: arith.addf %{{.+}}, %{{.+}} : vector<96xf32>
// CHECK: scf.forall (%{{.+}}) = (0) to (4) step (2)
// CHECK: arith.maximumf %{{.+}}, %{{.+}} : vector<96xf32>
// CHECK-NOT: linalg.generic
func.func @add_relu(%x: tensor<4x8x96xf32>, %y: tensor<96xf32>) -> tensor<4x8x96xf32> {
  %0 = infer.add %x, %y : (tensor<4x8x96xf32>, tensor<96xf32>) -> tensor<4x8x96xf32>
  %1 = infer.relu %0 : tensor<4x8x96xf32>
  return %1 : tensor<4x8x96xf32>
}
