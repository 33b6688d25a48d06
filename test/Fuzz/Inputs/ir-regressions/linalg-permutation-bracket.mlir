// Found by infer-fuzz-ir: the list's opening bracket mutated away (the same
// parser crash as linalg-permutation-list.mlir).


func.func @transposed_constant() -> tensor<2x2xf32> {
  %w = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %e = tensor.empty() : tensor<2x2xf32>
  %t = linalg.transpose ins(%w : tensor<2x2xf32>) outs(%e : tensor<2x2xf32>) permutation = Û1, 0]
  return %t : tensor<2x2xf32>
}