// Found by infer-fuzz-ir (SEGV in MLIR 22's linalg.transpose parser on a
// malformed permutation list); refused before parsing (InputCheck.h).


func.func @transposed_constant() -> tensor<2x2xf32> {
  %w = arith.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %e = tensor.empty() : tensor<2x2xf32>
  %t = linalg.transpose ins(%w : tensor<2x2xf32>) outs(%e : tensor<2x2xf32>) permutation = [1, tensor<32x1x3x3xf32>0]
  return %t : tensor<2x2xf32>
}