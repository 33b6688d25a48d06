// RUN: not infer-opt %s --split-input-file 2>&1 | FileCheck %s
// RUN: not infer-run %s 2>&1 | FileCheck %s --check-prefix=JIT

// MLIR 22's linalg parser crashes on a `permutation` or `dimensions` list that
// is not all integers (it stores the null attribute a failed parse returns);
// our tools check those lists first and report them at their location.

// CHECK-DAG: integer-lists.mlir:[[@LINE+4]]:78: error: expected 'permutation = [...]' with a list of integers
// JIT: integer-lists.mlir:[[@LINE+3]]:78: error: expected 'permutation = [...]' with a list of integers
func.func @transpose(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %e = tensor.empty() : tensor<3x2xf32>
  %t = linalg.transpose ins(%x : tensor<2x3xf32>) outs(%e : tensor<3x2xf32>) permutation = [1, f32]
  return %t : tensor<3x2xf32>
}

// CHECK-DAG: integer-lists.mlir:[[@LINE+3]]:76: error: expected 'dimensions = [...]' with a list of integers
func.func @broadcast(%x: tensor<3xf32>) -> tensor<2x3xf32> {
  %e = tensor.empty() : tensor<2x3xf32>
  %b = linalg.broadcast ins(%x : tensor<3xf32>) outs(%e : tensor<2x3xf32>) dimensions = [0
  return %b : tensor<2x3xf32>
}

// CHECK-DAG: integer-lists.mlir:[[@LINE+3]]:{{[0-9]+}}: error: expected 'permutation = [...]' with a list of integers
func.func @no_bracket(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %e = tensor.empty() : tensor<3x2xf32>
  %t = linalg.transpose ins(%x : tensor<2x3xf32>) outs(%e : tensor<3x2xf32>) permutation = (1, 0]
  return %t : tensor<3x2xf32>
}

// Well-formed lists (custom and generic forms, the list on its own line), and
// the words elsewhere, pass the check.
// CHECK-NOT: error
func.func @fine(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %e = tensor.empty() : tensor<3x2xf32>
  %t = linalg.transpose ins(%x : tensor<2x3xf32>) outs(%e : tensor<3x2xf32>)
      permutation = [1, 0]
  %g = "linalg.transpose"(%x, %e) <{permutation = array<i64: 1, 0>}> ({
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  }) : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<3x2xf32>
  return %t : tensor<3x2xf32>
}
