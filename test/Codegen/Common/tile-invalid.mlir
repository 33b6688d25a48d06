// RUN: infer-opt %s --infer-tile --split-input-file --verify-diagnostics -o /dev/null

// A schedule that does not fit the op is reported and the op is left as it
// is, to be lowered as loops: three loops and two tile sizes.
func.func @mismatch(%x: tensor<4x8x16xf32>) -> tensor<4x8x16xf32> {
  %e = tensor.empty() : tensor<4x8x16xf32>
  // expected-warning @+1 {{schedule does not fit the op: it has 2 loops, the op 3; left untiled}}
  %0 = linalg.generic {indexing_maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], iterator_types = ["parallel", "parallel", "parallel"]} ins(%x : tensor<4x8x16xf32>) outs(%e : tensor<4x8x16xf32>) attrs = {infer.schedule = #infer.schedule<kind = elementwise, distribute = [2, 0], cache = [0, 0], vector = [1, 16], reduce = [0, 0], order = [], origin = user, estimate_ns = 0>} {
  ^bb0(%in: f32, %out: f32):
    %r = math.exp %in : f32
    linalg.yield %r : f32
  } -> tensor<4x8x16xf32>
  return %0 : tensor<4x8x16xf32>
}

// -----

// Thread tiles that split a reduction loop would add into the same sums at
// once: refused (a thread tile that holds the whole reduction is fine, see
// @whole below).
func.func @split_reduction(%a: tensor<8x64xf32>, %b: tensor<64x16xf32>) -> tensor<8x16xf32> {
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x16xf32>
  %f = linalg.fill ins(%cst : f32) outs(%e : tensor<8x16xf32>) -> tensor<8x16xf32>
  // expected-warning @+1 {{schedule does not fit the op: it splits reduction loop 2 over threads; left untiled}}
  %0 = linalg.matmul {infer.schedule = #infer.schedule<kind = contraction, distribute = [0, 0, 32], cache = [0, 0, 0], vector = [8, 16, 0], reduce = [0, 0, 1], order = [], origin = user, estimate_ns = 0>} ins(%a, %b : tensor<8x64xf32>, tensor<64x16xf32>) outs(%f : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}

// -----

func.func @whole(%a: tensor<8x64xf32>, %b: tensor<64x16xf32>) -> tensor<8x16xf32> {
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x16xf32>
  %f = linalg.fill ins(%cst : f32) outs(%e : tensor<8x16xf32>) -> tensor<8x16xf32>
  %0 = linalg.matmul {infer.schedule = #infer.schedule<kind = contraction, distribute = [4, 0, 64], cache = [0, 0, 0], vector = [4, 16, 0], reduce = [0, 0, 1], order = [], origin = user, estimate_ns = 0>} ins(%a, %b : tensor<8x64xf32>, tensor<64x16xf32>) outs(%f : tensor<8x16xf32>) -> tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}
