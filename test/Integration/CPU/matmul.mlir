// Matrix products against numpy.matmul and a float64 Gemm.
// RUN: %python %S/Inputs/check.py %s matmul_2d_odd
// RUN: %python %S/Inputs/check.py %s matmul_batch_by_matrix
// RUN: %python %S/Inputs/check.py %s matmul_broadcast_batch
// RUN: %python %S/Inputs/check.py %s matmul_vector_matrix
// RUN: %python %S/Inputs/check.py %s matmul_matrix_vector
// RUN: %python %S/Inputs/check.py %s matmul_batched_same
// RUN: %python %S/Inputs/check.py %s gemm_trans_alpha_beta
// RUN: %python %S/Inputs/check.py %s gemm_plain

func.func @matmul_2d_odd(%a: tensor<7x13xf32>, %b: tensor<13x5xf32>) -> tensor<7x5xf32> {
  %0 = infer.matmul %a, %b : (tensor<7x13xf32>, tensor<13x5xf32>) -> tensor<7x5xf32>
  return %0 : tensor<7x5xf32>
}

// Dynamic batch folded into M.
func.func @matmul_batch_by_matrix(%a: tensor<?x4x6xf32>, %b: tensor<6x5xf32>) -> tensor<?x4x5xf32> {
  %0 = infer.matmul %a, %b : (tensor<?x4x6xf32>, tensor<6x5xf32>) -> tensor<?x4x5xf32>
  return %0 : tensor<?x4x5xf32>
}

func.func @matmul_broadcast_batch(%a: tensor<2x1x3x4xf32>, %b: tensor<5x4x6xf32>) -> tensor<2x5x3x6xf32> {
  %0 = infer.matmul %a, %b : (tensor<2x1x3x4xf32>, tensor<5x4x6xf32>) -> tensor<2x5x3x6xf32>
  return %0 : tensor<2x5x3x6xf32>
}

func.func @matmul_vector_matrix(%a: tensor<4xf32>, %b: tensor<4x3xf32>) -> tensor<3xf32> {
  %0 = infer.matmul %a, %b : (tensor<4xf32>, tensor<4x3xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

func.func @matmul_matrix_vector(%a: tensor<3x4xf32>, %b: tensor<4xf32>) -> tensor<3xf32> {
  %0 = infer.matmul %a, %b : (tensor<3x4xf32>, tensor<4xf32>) -> tensor<3xf32>
  return %0 : tensor<3xf32>
}

func.func @matmul_batched_same(%a: tensor<2x3x4xf32>, %b: tensor<2x4x5xf32>) -> tensor<2x3x5xf32> {
  %0 = infer.matmul %a, %b : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

func.func @gemm_trans_alpha_beta(%a: tensor<6x3xf32>, %b: tensor<5x6xf32>, %c: tensor<5xf32>) -> tensor<3x5xf32> {
  %0 = infer.gemm %a, %b, %c {alpha = 0.5 : f32, beta = 2.0 : f32, trans_a = true, trans_b = true} : (tensor<6x3xf32>, tensor<5x6xf32>, tensor<5xf32>) -> tensor<3x5xf32>
  return %0 : tensor<3x5xf32>
}

func.func @gemm_plain(%a: tensor<2x9xf32>, %b: tensor<9x4xf32>, %c: tensor<2x4xf32>) -> tensor<2x4xf32> {
  %0 = infer.gemm %a, %b, %c : (tensor<2x9xf32>, tensor<9x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}
