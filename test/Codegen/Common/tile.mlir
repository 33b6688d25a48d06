// RUN: infer-opt %s --split-input-file --infer-tile | FileCheck %s

// infer-tile applies each op's #infer.schedule: threads (scf.forall), the
// register tile with the accumulator's initialization fused in, the reduction
// one step at a time with the accumulator carried in registers, vectors.

// The packed contraction: two thread tiles of 32 rows; panels outside rows;
// an 8 x 32 accumulator (the fill folded into its zero start) carried
// through the k loop as a vector, stored once after it.
// CHECK-LABEL: func.func @packed_contraction
// CHECK-DAG: %[[ZERO:.+]] = arith.constant dense<0.000000e+00> : vector<8x1x32xf32>
// CHECK: scf.forall (%{{.+}}) = (0) to (64) step (32)
// CHECK: scf.for %{{.+}} = %c0 to %c2 step %c1
// CHECK: scf.for %{{.+}} = %c0 to %c32 step %c8
// CHECK: %[[ACC:.+]] = scf.for %{{.+}} = %c0 to %c16 step %c1 iter_args(%[[A:.+]] = %[[ZERO]]) -> (vector<8x1x32xf32>)
// CHECK-NOT: vector.transfer_write
// CHECK: vector.contract {{.*}} %[[A]] : vector<8x1xf32>, vector<1x1x32xf32> into vector<8x1x32xf32>
// CHECK: scf.yield
// CHECK: vector.transfer_write %[[ACC]]
// CHECK-NOT: linalg.generic
// CHECK-NOT: infer.schedule
#A = affine_map<(m, n1, n0, k) -> (m, k)>
#B = affine_map<(m, n1, n0, k) -> (n1, k, n0)>
#C = affine_map<(m, n1, n0, k) -> (m, n1, n0)>
func.func @packed_contraction(%a: tensor<64x16xf32>, %b: tensor<2x16x32xf32>) -> tensor<64x2x32xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x2x32xf32>
  %c = linalg.fill ins(%zero : f32) outs(%e : tensor<64x2x32xf32>) -> tensor<64x2x32xf32>
  %0 = linalg.generic {indexing_maps = [#A, #B, #C], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%a, %b : tensor<64x16xf32>, tensor<2x16x32xf32>) outs(%c : tensor<64x2x32xf32>) attrs = {infer.schedule = #infer.schedule<kind = contraction, distribute = [32, 2, 0, 0], cache = [0, 0, 0, 0], vector = [8, 1, 32, 0], reduce = [0, 0, 0, 1], order = [1, 0, 2, 3], origin = user, estimate_ns = 0>} {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %z, %p : f32
    linalg.yield %s : f32
  } -> tensor<64x2x32xf32>
  return %0 : tensor<64x2x32xf32>
}

// -----

// The direct convolution: 8 pixels x 32 channels; the bias that starts the
// accumulator is fused into the register tile; (kh, kw, c) loops carry the
// accumulator; the 2-D convolution became 1-D (decomposed) and a contraction.
// CHECK-LABEL: func.func @conv
// CHECK: scf.forall (%{{.+}}) = (0) to (8) step (4)
// CHECK: vector.transfer_read %{{.*}} : tensor<32xf32>, vector<32xf32>
// CHECK: vector.broadcast %{{.*}} : vector<32xf32> to vector<8x32xf32>
// CHECK: scf.for %{{.+}} = %c0 to %c3 step %c1 iter_args(%{{.+}}) -> (vector<8x32xf32>)
// CHECK: scf.for %{{.+}} = %c0 to %c3 step %c1 iter_args(%{{.+}}) -> (vector<8x32xf32>)
// CHECK: scf.for %{{.+}} = %c0 to %c8 step %c1 iter_args(%{{.+}}) -> (vector<8x32xf32>)
// CHECK: vector.contract {{.*}} : vector<8x1xf32>, vector<1x32xf32> into vector<8x32xf32>
// CHECK-NOT: linalg.conv
// CHECK-NOT: linalg.generic
func.func @conv(%x: tensor<1x10x10x8xf32>, %w: tensor<3x3x8x32xf32>, %bias: tensor<32xf32>) -> tensor<1x8x8x32xf32> {
  %e = tensor.empty() : tensor<1x8x8x32xf32>
  %init = linalg.generic {indexing_maps = [affine_map<(n, h, w, f) -> (f)>, affine_map<(n, h, w, f) -> (n, h, w, f)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%bias : tensor<32xf32>) outs(%e : tensor<1x8x8x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x8x8x32xf32>
  %0 = linalg.conv_2d_nhwc_hwcf {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>, infer.schedule = #infer.schedule<kind = convolution, distribute = [1, 4, 0, 0, 0, 0, 0], cache = [0, 0, 0, 0, 0, 0, 0], vector = [1, 1, 8, 32, 0, 0, 0], reduce = [0, 0, 0, 0, 1, 1, 1], order = [0, 1, 3, 2, 4, 5, 6], origin = user, estimate_ns = 0>} ins(%x, %w : tensor<1x10x10x8xf32>, tensor<3x3x8x32xf32>) outs(%init : tensor<1x8x8x32xf32>) -> tensor<1x8x8x32xf32>
  return %0 : tensor<1x8x8x32xf32>
}

// -----

// Elementwise: two thread tiles of two rows, one 96-wide vector a row.
// CHECK-LABEL: func.func @relu
// CHECK: scf.forall (%{{.+}}) = (0) to (4) step (2)
// CHECK: vector.transfer_read {{.*}} : tensor<1x96xf32>, vector<96xf32>
// CHECK: arith.maximumf %{{.*}} : vector<96xf32>
// CHECK-NOT: linalg.generic
func.func @relu(%x: tensor<4x96xf32>) -> tensor<4x96xf32> {
  %e = tensor.empty() : tensor<4x96xf32>
  %0 = linalg.generic {indexing_maps = [affine_map<(a, b) -> (a, b)>, affine_map<(a, b) -> (a, b)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<4x96xf32>) outs(%e : tensor<4x96xf32>) attrs = {infer.schedule = #infer.schedule<kind = elementwise, distribute = [2, 0], cache = [0, 0], vector = [1, 96], reduce = [0, 0], order = [], origin = user, estimate_ns = 0>} {
  ^bb0(%in: f32, %out: f32):
    %zero = arith.constant 0.0 : f32
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<4x96xf32>
  return %0 : tensor<4x96xf32>
}

