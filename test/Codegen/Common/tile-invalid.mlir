// RUN: infer-opt %s --infer-tile --verify-diagnostics -o /dev/null

// A schedule that does not fit the op (three loops, two tile sizes) is
// reported and the op is left as it is, to be lowered as loops.
func.func @mismatch(%x: tensor<4x8x16xf32>) -> tensor<4x8x16xf32> {
  %e = tensor.empty() : tensor<4x8x16xf32>
  // expected-warning @+1 {{schedule does not fit the op (3 loops); left untiled}}
  %0 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%x : tensor<4x8x16xf32>) outs(%e : tensor<4x8x16xf32>) attrs = {infer.schedule = #infer.schedule<kind = elementwise, distribute = [2, 0], cache = [0, 0], vector = [1, 16], reduce = [0, 0], order = [], origin = user, estimate_ns = 0>} {
  ^bb0(%in: f32, %out: f32):
    %r = math.exp %in : f32
    linalg.yield %r : f32
  } -> tensor<4x8x16xf32>
  return %0 : tensor<4x8x16xf32>
}
