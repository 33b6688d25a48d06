// RUN: infer-opt %s -split-input-file --infer-tile -verify-diagnostics | FileCheck %s

// infer-tile's diagnostics beyond tile-invalid.mlir. A schedule whose step
// fails (here vectorization: tiles of 4 do not divide 10 columns, so the
// register tiles have dynamic sizes) is reported with a remark naming the
// schedule; the op is left tiled but not vectorized, correct, and lowered
// as loops.
// CHECK-LABEL: func.func @partial_tiles
// CHECK: scf.forall
// CHECK: scf.for %{{.+}} = %{{.+}} to %{{.+}} step %c4
// CHECK: linalg.generic {{.*}} ins(%{{.+}} : tensor<1x?xf32>)
// CHECK-NOT: infer.schedule
#id = affine_map<(a, b) -> (a, b)>
func.func @partial_tiles(%x: tensor<4x10xf32>) -> tensor<4x10xf32> {
  %e = tensor.empty() : tensor<4x10xf32>
  // expected-remark @+1 {{infer-tile: a schedule could not be applied (#infer.schedule<kind = elementwise, distribute = [2, 0], cache = [0, 0], vector = [1, 4], reduce = [0, 0], order = [], origin = user, estimate_ns = 0>); that op is lowered as loops}}
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<4x10xf32>) outs(%e : tensor<4x10xf32>) attrs = {infer.schedule = #infer.schedule<kind = elementwise, distribute = [2, 0], cache = [0, 0], vector = [1, 4], reduce = [0, 0], order = [], origin = user, estimate_ns = 0>} {
  ^bb0(%in: f32, %out: f32):
    %r = math.exp %in : f32
    linalg.yield %r : f32
  } -> tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}

// -----

// An infer.schedule that is not a #infer.schedule is no schedule: the op
// is reported and left untiled.
// CHECK-LABEL: func.func @not_a_schedule
// CHECK-NOT: scf.forall
// CHECK: linalg.generic
// CHECK-NOT: infer.schedule
#id = affine_map<(a, b) -> (a, b)>
func.func @not_a_schedule(%x: tensor<4x10xf32>) -> tensor<4x10xf32> {
  %e = tensor.empty() : tensor<4x10xf32>
  // expected-warning @+1 {{'infer.schedule' is not an #infer.schedule attribute; left untiled}}
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<4x10xf32>) outs(%e : tensor<4x10xf32>) attrs = {infer.schedule = "fast"} {
  ^bb0(%in: f32, %out: f32):
    %r = math.exp %in : f32
    linalg.yield %r : f32
  } -> tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}
