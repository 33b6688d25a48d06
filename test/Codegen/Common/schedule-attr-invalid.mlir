// RUN: infer-opt %s -split-input-file -verify-diagnostics

// The #infer.schedule verifier: every tile list has one entry per loop (as
// many as 'distribute'), tile sizes are non-negative, 'order' is empty or a
// permutation of the loops, the estimate is non-negative; kind and origin
// are from their enums.

#id = affine_map<(a, b) -> (a, b)>
func.func @cache_size(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{schedule: 'cache' has 1 tile sizes, 'distribute' has 2}}
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<4x8xf32>) outs(%x : tensor<4x8xf32>) attrs = {infer.schedule = #infer.schedule<kind = elementwise, distribute = [2, 0], cache = [0], vector = [1, 8], reduce = [0, 0], order = [], origin = user, estimate_ns = 0>} {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

func.func @vector_size() attributes {
  // expected-error @+1 {{schedule: 'vector' has 1 tile sizes, 'distribute' has 2}}
  s = #infer.schedule<kind = elementwise, distribute = [2, 0], cache = [0, 0], vector = [1], reduce = [0, 0], order = [], origin = user, estimate_ns = 0>} {
  return
}

// -----

func.func @reduce_size() attributes {
  // expected-error @+1 {{schedule: 'reduce' has 3 tile sizes, 'distribute' has 2}}
  s = #infer.schedule<kind = reduction, distribute = [2, 0], cache = [0, 0], vector = [1, 8], reduce = [0, 0, 1], order = [], origin = user, estimate_ns = 0>} {
  return
}

// -----

func.func @negative_distribute() attributes {
  // expected-error @+1 {{schedule: 'distribute' tile sizes must be non-negative}}
  s = #infer.schedule<kind = elementwise, distribute = [-2, 0], cache = [0, 0], vector = [1, 8], reduce = [0, 0], order = [], origin = user, estimate_ns = 0>} {
  return
}

// -----

func.func @negative_cache() attributes {
  // expected-error @+1 {{schedule: 'cache' tile sizes must be non-negative}}
  s = #infer.schedule<kind = contraction, distribute = [8, 0, 0], cache = [0, 0, -64], vector = [8, 32, 0], reduce = [0, 0, 1], order = [], origin = tuned, estimate_ns = 0>} {
  return
}

// -----

func.func @negative_vector() attributes {
  // expected-error @+1 {{schedule: 'vector' tile sizes must be non-negative}}
  s = #infer.schedule<kind = elementwise, distribute = [2, 0], cache = [0, 0], vector = [1, -8], reduce = [0, 0], order = [], origin = user, estimate_ns = 0>} {
  return
}

// -----

func.func @negative_reduce() attributes {
  // expected-error @+1 {{schedule: 'reduce' tile sizes must be non-negative}}
  s = #infer.schedule<kind = reduction, distribute = [2, 0], cache = [0, 0], vector = [1, 8], reduce = [0, -1], order = [], origin = user, estimate_ns = 0>} {
  return
}

// -----

func.func @order_repeats() attributes {
  // expected-error @+1 {{schedule: 'order' must be a permutation of the 2 loops}}
  s = #infer.schedule<kind = elementwise, distribute = [2, 0], cache = [0, 0], vector = [1, 8], reduce = [0, 0], order = [0, 0], origin = user, estimate_ns = 0>} {
  return
}

// -----

func.func @order_short() attributes {
  // expected-error @+1 {{schedule: 'order' must be a permutation of the 3 loops}}
  s = #infer.schedule<kind = contraction, distribute = [8, 0, 0], cache = [0, 0, 0], vector = [8, 32, 0], reduce = [0, 0, 1], order = [1, 0], origin = user, estimate_ns = 0>} {
  return
}

// -----

func.func @order_out_of_range() attributes {
  // expected-error @+1 {{schedule: 'order' must be a permutation of the 2 loops}}
  s = #infer.schedule<kind = elementwise, distribute = [2, 0], cache = [0, 0], vector = [1, 8], reduce = [0, 0], order = [2, 0], origin = user, estimate_ns = 0>} {
  return
}

// -----

func.func @negative_estimate() attributes {
  // expected-error @+1 {{schedule: 'estimate_ns' must be non-negative}}
  s = #infer.schedule<kind = elementwise, distribute = [2, 0], cache = [0, 0], vector = [1, 8], reduce = [0, 0], order = [], origin = model, estimate_ns = -5>} {
  return
}

// -----

func.func @unknown_kind() attributes {
  // expected-error @+2 {{expected ::mlir::infer::ScheduleKind to be one of: contraction, convolution, elementwise, reduction, pooling}}
  // expected-error @+1 {{failed to parse Infer_ScheduleAttr parameter 'kind'}}
  s = #infer.schedule<kind = tiling, distribute = [2, 0], cache = [0, 0], vector = [1, 8], reduce = [0, 0], order = [], origin = user, estimate_ns = 0>} {
  return
}

// -----

func.func @unknown_origin() attributes {
  // expected-error @+2 {{expected ::mlir::infer::ScheduleOrigin to be one of: model, tuned, user}}
  // expected-error @+1 {{failed to parse Infer_ScheduleAttr parameter 'origin'}}
  s = #infer.schedule<kind = elementwise, distribute = [2, 0], cache = [0, 0], vector = [1, 8], reduce = [0, 0], order = [], origin = guess, estimate_ns = 0>} {
  return
}
